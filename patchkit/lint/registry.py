"""The code table: every lint rule patchkit has ever published, with its status.

One literal tuple, read by ``patchkit rules``, ``--select``/``--ignore`` and the
runner. A code is never reused: a rule that is withdrawn keeps its row with
status ``removed`` (and ``redirect`` naming its successor, if any), so an old
``# patchkit: ignore[PKD0NN]`` comment or CI flag still means what it meant.
Rule modules are imported only when a rule runs (``load``), which keeps
``patchkit rules`` and ``--help`` cheap.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from patchkit.errors import UsageError

if TYPE_CHECKING:
    from patchkit.lint.base import Rule

__all__ = ["RULES", "RuleEntry", "RuleStatus", "entry", "load", "select_codes"]


class RuleStatus(str, Enum):
    """Where a rule is in its life (as in ruff's ``RuleStatus``)."""

    STABLE = "stable"
    PREVIEW = "preview"
    DEPRECATED = "deprecated"
    REMOVED = "removed"


@dataclass(frozen=True, slots=True)
class RuleEntry:
    """One row of the code table."""

    code: str
    name: str
    status: RuleStatus
    module: str  # module name under patchkit.lint
    since: str  # the patchkit version that published the code
    redirect: str | None = None  # for a removed code: the code that replaced it


RULES: tuple[RuleEntry, ...] = (
    RuleEntry(
        "PKD001",
        "cache-mount-shared-across-platforms",
        RuleStatus.STABLE,
        "pkd001_cache_mount_shared_across_platforms",
        "0.1.0",
    ),
    RuleEntry(
        "PKD002",
        "artifact-input-outside-cache-key",
        RuleStatus.STABLE,
        "pkd002_artifact_input_outside_cache_key",
        "0.1.0",
    ),
    RuleEntry(
        "PKD003",
        "undeclared-platform-arg",
        RuleStatus.STABLE,
        "pkd003_undeclared_platform_arg",
        "0.1.0",
    ),
    RuleEntry(
        "PKD004",
        "unhonoured-pretend-version",
        RuleStatus.STABLE,
        "pkd004_unhonoured_pretend_version",
        "0.1.0",
    ),
    RuleEntry(
        "PKD005",
        "invalid-version-default",
        RuleStatus.STABLE,
        "pkd005_invalid_version_default",
        "0.1.0",
    ),
    RuleEntry(
        "PKD006",
        "context-copy-before-dependency-install",
        RuleStatus.STABLE,
        "pkd006_context_copy_before_dependency_install",
        "0.1.0",
    ),
    RuleEntry(
        "PKD007",
        "buildkit-parse-error",
        RuleStatus.STABLE,
        "pkd007_buildkit_parse_error",
        "0.1.0",
    ),
    RuleEntry(
        "PKD008",
        "cache-mount-concurrent-writers",
        RuleStatus.PREVIEW,
        "pkd008_cache_mount_concurrent_writers",
        "0.1.0",
    ),
)


def entry(code: str) -> RuleEntry:
    """The table row for ``code`` (case-insensitive), or ``UsageError``."""
    wanted = code.strip().upper()
    for row in RULES:
        if row.code == wanted:
            return row
    known = ", ".join(r.code for r in RULES)
    raise UsageError(f"unknown rule code {code!r} (known: {known})")


def load(code: str) -> Rule:
    """Import the rule module for ``code`` and return its ``RULE``."""
    row = entry(code)
    if row.status is RuleStatus.REMOVED:
        target = f"; use {row.redirect}" if row.redirect else ""
        raise UsageError(f"rule {row.code} was removed{target}")
    module = importlib.import_module(f"patchkit.lint.{row.module}")
    rule: Rule = module.RULE
    return rule


def _expand(token: str) -> list[str]:
    """Codes a ``--select`` token means: an exact code or a prefix (``PKD``, ``PKD00``)."""
    wanted = token.strip().upper()
    if not wanted:
        return []
    hits = [r.code for r in RULES if r.code.startswith(wanted)]
    if not hits:
        known = ", ".join(r.code for r in RULES)
        raise UsageError(f"unknown rule code or prefix {token!r} (known: {known})")
    return hits


def select_codes(
    select: str | list[str] | tuple[str, ...] | None = None,
    ignore: str | list[str] | tuple[str, ...] | None = None,
    *,
    include_preview: bool = True,
) -> tuple[str, ...]:
    """The codes to run: ``select`` (default: every live rule) minus ``ignore``.

    Each argument is a comma-separated string or a list of tokens; a token is a
    code or a code prefix. Removed rules never run; selecting one by its exact
    code is an error that names its successor.
    """

    def tokens(value: str | list[str] | tuple[str, ...] | None) -> list[str]:
        if value is None:
            return []
        from patchkit.config_keys import split_list

        return split_list([value] if isinstance(value, str) else list(value)) or []

    chosen: list[str] = []
    sel = tokens(select)
    if sel:
        for tok in sel:
            for code in _expand(tok):
                row = entry(code)
                if row.status is RuleStatus.REMOVED:
                    if code == tok.strip().upper():
                        load(code)  # raises with the redirect
                    continue
                if code not in chosen:
                    chosen.append(code)
    else:
        chosen = [
            r.code
            for r in RULES
            if r.status is not RuleStatus.REMOVED
            and (include_preview or r.status is not RuleStatus.PREVIEW)
        ]
    dropped = {code for tok in tokens(ignore) for code in _expand(tok)}
    return tuple(c for c in chosen if c not in dropped)
