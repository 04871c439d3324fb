"""What a lint rule is: a code, a name, a documented check, and an optional fix.

A rule module (``pkdNNN_<name>.py``) defines one class with the attributes of
``Rule`` and a docstring with the sections ``## What it does``, ``## Why is
this bad?``, ``## Example``, ``Use instead:`` and ``## Fix safety`` (the layout
ruff uses), and binds an instance to the module name ``RULE``.

``check(tree, context)`` yields ``Violation`` values: a located finding with a
one-sentence message and, when patchkit knows one, a ``Fix``. A fix is a
*function* producing ``Edit`` values against the tree the violation was found
on (the edits are computed only when a fix is applied), plus an applicability:
``SAFE`` fixes run with ``--fix``; ``UNSAFE`` ones only with ``--unsafe-fixes``
(they change what the build does beyond removing the hazard, or need something
only the user can provide); ``DISPLAY`` fixes are shown, never applied.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Protocol

from patchkit.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from patchkit.dockerfile import Dockerfile
    from patchkit.dockerfile.edit import Edit

__all__ = [
    "BUILDERS",
    "DEFAULT_CACHE_KEY_ARG",
    "PACKAGE_CACHE_POLICIES",
    "Applicability",
    "Fix",
    "LintContext",
    "Rule",
    "Violation",
]

BUILDERS = ("buildkit", "buildah")

# The ARG PKD002's fix declares. Not PATCHKIT_CACHE_KEY: BuildKit's SecretsUsedInArgOrEnv
# check flags names with the word KEY (``buildkit_secrets``), and a Dockerfile with
# ``# check=error=true`` would then refuse to build because of our fix.
DEFAULT_CACHE_KEY_ARG = "PATCHKIT_CACHE_INPUT"

# How download caches (pip, uv, apt, cargo, npm, ...) are treated:
#   share        : shared by platforms and builds (entries are keyed by platform tag
#                  or are platform-independent); PKD008 still asks for sharing=locked
#                  where the tool cannot take concurrent writers (apt); the default
#   locked       : PKD008 asks every download cache for sharing=locked
#   per-platform : PKD001 flags every cache (compiler caches too) without a
#                  per-platform id
PACKAGE_CACHE_POLICIES = ("share", "locked", "per-platform")


class Applicability(str, Enum):
    """When a fix may be applied (ruff's applicability levels)."""

    SAFE = "safe"
    UNSAFE = "unsafe"
    DISPLAY = "display-only"


@dataclass(frozen=True, slots=True)
class Fix:
    """How to remove a violation: a title for people and a function for ``--fix``.

    ``edits`` is called with no arguments and returns the edits to apply to the
    tree the violation came from; ``transform`` names the patchkit transform the
    fix is (``cache-mount-id``, ``cache-key-arg``, ...), so a patch series can
    carry the same change.
    """

    title: str
    applicability: Applicability
    edits: Callable[[], Sequence[Edit]]
    transform: str | None = None


@dataclass(frozen=True, slots=True)
class Violation:
    """One finding of one rule at ``[start, end)`` of the tree's text.

    ``instruction`` is the index (in ``tree.instructions``) of the instruction
    the finding belongs to: ``# patchkit: ignore[CODE]`` on or above that
    instruction suppresses it.
    """

    code: str
    message: str
    start: int
    end: int
    instruction: int
    severity: Severity = Severity.ERROR
    fix: Fix | None = None

    def to_diagnostic(self, tree: Dockerfile, path: str) -> Diagnostic:
        line, col = tree.line_col(self.start)
        end_line, end_col = tree.line_col(max(self.start, self.end))
        return Diagnostic(
            code=self.code,
            message=self.message,
            path=path,
            line=line,
            col=col,
            severity=self.severity,
            end_line=end_line,
            end_col=end_col,
            fix=_fix_text(self.fix),
        )


def _fix_text(fix: Fix | None) -> str | None:
    if fix is None:
        return None
    if fix.applicability is Applicability.UNSAFE:
        return f"{fix.title} [unsafe: --fix --unsafe-fixes]"
    if fix.applicability is Applicability.DISPLAY:
        return f"{fix.title} [by hand]"
    return fix.title


@dataclass(frozen=True, slots=True)
class LintContext:
    """Everything a rule may know besides the tree. Built by the caller; never global.

    - ``platforms``: target platforms the build is known to use (``--platform``
      flag, config, or the build model), e.g. ``("linux/amd64", "linux/arm64")``.
      Empty means *not known*: PKD001 and PKD008 then go by the Dockerfile's own
      use of a platform ARG; one platform means a single-platform build.
    - ``builder``: ``"buildkit"`` (default) or ``"buildah"``; PKD002 findings differ.
    - ``package_caches``: the policy for download caches, PKD001 and PKD008
      (see ``PACKAGE_CACHE_POLICIES``).
    - ``cache_key_arg``: the ARG name PKD002's fix declares.
    - ``pretend``: what the upstream build honours (PKD004); ``None`` when the
      upstream project could not be read, and PKD004 stays silent.
    - ``target`` / ``built_only``: the stage the build targets (None: the last);
      when ``built_only``, findings in stages that target does not need are
      dropped (the build model sets it; ``lint --target`` too).
    """

    platforms: tuple[str, ...] = ()
    builder: str = "buildkit"
    package_caches: str = "share"
    cache_key_arg: str = "PATCHKIT_CACHE_INPUT"
    pretend: PretendFacts | None = None
    # the build's target stage; with ``built_only`` only findings in the stages that
    # target needs are kept (``patchkit.lint.built``); None: the last stage
    target: str | None = None
    built_only: bool = False

    def __post_init__(self) -> None:
        if self.builder not in BUILDERS:
            raise ValueError(f"builder must be one of {BUILDERS}, not {self.builder!r}")
        if self.package_caches not in PACKAGE_CACHE_POLICIES:
            raise ValueError(
                f"package_caches must be one of {PACKAGE_CACHE_POLICIES}, "
                f"not {self.package_caches!r}"
            )
        from patchkit.lint.buildkit_secrets import flagged_as_secret

        if flagged_as_secret(self.cache_key_arg):
            raise ValueError(
                f"cache-key-arg {self.cache_key_arg!r}: BuildKit's SecretsUsedInArgOrEnv check "
                "flags this name (a word such as KEY, TOKEN or SECRET); choose another"
            )


@dataclass(frozen=True, slots=True)
class PretendFacts:
    """Which pretend-version variable names the upstream build reads (from ``patchkit.scm``).

    ``honoured``: names read under every admitted setuptools-scm major, in
    lookup order; ``source``: where the answer comes from, for messages
    (``vllm/setup.py, setuptools-scm 8, 9, 10``); ``not_read``: for any
    name, the majors under which the build would not read it (empty: read
    under all). Without it, a name is read exactly when it is in ``honoured``.
    """

    honoured: tuple[str, ...]
    source: str = "setup.py"
    not_read: Callable[[str], tuple[int, ...]] | None = None

    def majors_not_reading(self, name: str) -> tuple[int, ...] | None:
        """Majors that ignore ``name``: ``()`` when all read it, ``None`` when none does."""
        if self.not_read is not None:
            return self.not_read(name)
        return () if name in self.honoured else None


class Rule(Protocol):
    """The shape of a lint rule (see the module docstring)."""

    code: str
    name: str
    severity: Severity

    def check(self, tree: Dockerfile, context: LintContext) -> Iterator[Violation]: ...
