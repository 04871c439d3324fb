"""Helpers shared by the transform kinds: anchors, stage lookup, multi-line inserts.

An **anchor** picks instructions the way a maintainer describes them: a
keyword (``RUN``), a regular expression searched in the instruction's
arguments (continuations removed, as BuildKit's parser gives them), and
optionally the stage it must be in. Anchors are what ``insert`` and
``replace`` hang on, and what ``drifted`` reports as missing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from patchkit.errors import SourceError
from patchkit.transforms.base import AFTER_PREVIOUS, Param, ParamError

if TYPE_CHECKING:
    from patchkit.dockerfile import Dockerfile, Instruction, Stage
    from patchkit.dockerfile.edit import Edit
    from patchkit.transforms._regex import UserRegex

__all__ = [
    "ANCHOR_FIELDS",
    "ARCH_VAR",
    "DRIFT_HINT",
    "UPSTREAM_IF",
    "Anchor",
    "compile_regex",
    "find_stages",
    "insert_lines",
    "line_of",
    "stage_label",
    "stages_hint",
    "variable_names",
]

#: Appended to every ``drifted`` message: what to do is in the bump procedure.
DRIFT_HINT = "upstream changed shape (what to do: patchkit rule PKP001)"

#: A reference to a per-platform variable, as ``$TARGETARCH`` or ``${TARGETARCH...}``.
ARCH_VAR = re.compile(r"\$\{?(TARGETARCH|TARGETPLATFORM|TARGETVARIANT)\b")

_VAR = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")

ANCHOR_FIELDS: tuple[Param, ...] = (
    Param("keyword", "str", "the instruction keyword, e.g. RUN", required=True),
    Param("pattern", "str", "a regular expression searched in the instruction's arguments"),
    Param("stage", "str", "the stage (name, or 0-based index) the instruction must be in"),
)

#: The optional anchor that means "upstream does this already" (insert, replace).
UPSTREAM_IF = Param(
    "upstream-if",
    "map",
    "an instruction that means upstream does it already",
    fields=ANCHOR_FIELDS,
)


def compile_regex(pattern: str, field: str) -> UserRegex:
    """Compile a patch file's ``pattern`` (run under a time budget: ``_regex``) or raise
    ``ParamError`` naming ``field`` and the regex error."""
    from patchkit.transforms._regex import UserRegex

    return UserRegex(pattern, field)


def check_arg_default(value: str | None, field: str) -> None:
    """Refuse an ARG default that would not stay one value on an ``ARG NAME=value`` line
    (blanks, quotes, escapes or line breaks would split or swallow it)."""
    if value is not None and (not value or re.search(r"[\s\"'\\`]", value)):
        raise ParamError(
            field,
            f"{value!r}: an ARG default here must be one word without blanks, quotes or "
            "backslashes (it is written as ARG NAME=value)",
        )


def variable_names(text: str) -> list[str]:
    """Names of the ``$VAR`` / ``${VAR}`` references in ``text``, in order."""
    return [m.group(1) for m in _VAR.finditer(text)]


def line_of(instr: Instruction) -> str:
    """``line N`` (or ``lines N-M``) of an instruction, for messages."""
    if instr.end_line != instr.start_line:
        return f"lines {instr.start_line}-{instr.end_line}"
    return f"line {instr.start_line}"


def stage_label(stage: Stage | None) -> str:
    if stage is None:
        return "the global scope"
    return f"stage {stage.name!r}" if stage.name else f"stage {stage.index}"


def find_stage(tree: Dockerfile, ref: str) -> Stage | None:
    """A stage by name (case-insensitive, as BuildKit compares) or by 0-based index."""
    stage = tree.stage(ref)
    if stage is None and ref.isdigit():
        stage = tree.stage(int(ref))
    return stage


def stages_hint(tree: Dockerfile) -> str:
    """`` (the file's stages: base, vllm-wheel, ...)``, for a stage the file does not have: the
    drifted message then shows what upstream calls its stages now. No guess at which one
    is the renamed stage: a near name is often another stage (vllm-build is nearer to
    vllm-dev than to vllm-wheel, its real new name in vLLM's Dockerfile.cpu)."""
    names = [s.name for s in tree.stages if s.name]
    return f" (the file's stages: {', '.join(names)})" if names else " (the file names no stage)"


def find_stages(tree: Dockerfile, refs: Iterable[str]) -> tuple[list[Stage], list[str]]:
    """The stages named by ``refs`` and the refs that name no stage."""
    found: list[Stage] = []
    missing: list[str] = []
    for ref in refs:
        stage = find_stage(tree, ref)
        if stage is None:
            missing.append(ref)
        elif stage not in found:
            found.append(stage)
    return found, missing


def insert_lines(
    tree: Dockerfile, instr: Instruction, lines: Sequence[str], *, after: bool
) -> Edit:
    """One edit inserting ``lines`` (instruction texts, no line endings) before or after ``instr``.

    Each line gets the file's line ending and ``instr``'s indentation, as the
    tree's ``insert_before`` / ``insert_after`` give them; the lines are
    joined into a single edit so the engine sees one insertion at one point,
    marked ``AFTER_PREVIOUS`` when it follows ``instr``.
    """
    from patchkit.dockerfile.edit import Edit, insert_after, insert_before

    if after and instr.continues_to_eof:
        # BuildKit would read a line put there as part of instr: no safe place exists.
        why = (
            "inside its heredoc, whose delimiter never comes (BuildKit refuses the file too)"
            if any(not h.terminated for h in instr.heredocs)
            else "with its line continuation still open"
        )
        raise SourceError(
            f"cannot add a line after this {instr.keyword}: the file ends {why}, so BuildKit "
            "would read the new line as part of it",
            path=tree.path,
            text=tree.text,
            offset=instr.start,
            end=instr.end,
            suggestion="fix the upstream file, or skip this patch for this upstream version",
        )
    make = insert_after if after else insert_before
    edits = [make(tree, instr, line) for line in lines]
    first = edits[0]
    return Edit(
        first.start, first.end, "".join(e.text for e in edits), AFTER_PREVIOUS if after else ""
    )


@dataclass(frozen=True, slots=True)
class Anchor:
    """Instructions with ``keyword`` whose arguments match ``pattern``, optionally in ``stage``."""

    keyword: str
    pattern: UserRegex | None
    stage: str | None

    @classmethod
    def from_params(cls, value: object, field: str) -> Anchor:
        if not isinstance(value, Mapping):
            raise ParamError(field, "expected a mapping with keyword, pattern, stage")
        keyword = str(value["keyword"]).strip()
        if not re.fullmatch(r"[A-Za-z]+", keyword):
            raise ParamError(
                f"{field}.keyword", f"expected an instruction keyword such as RUN, got {keyword!r}"
            )
        pattern = value.get("pattern")
        stage = value.get("stage")
        return cls(
            keyword=keyword.upper(),
            pattern=compile_regex(str(pattern), f"{field}.pattern")
            if pattern is not None
            else None,
            stage=str(stage) if stage is not None else None,
        )

    def describe(self) -> str:
        """How the anchor reads in a message: ``RUN matching /setup.py/ in stage 'build'``."""
        text = self.keyword
        if self.pattern is not None:
            text += f" matching /{self.pattern.pattern}/"
        if self.stage is not None:
            text += f" in stage {self.stage!r}"
        return text

    def matches(self, instr: Instruction) -> bool:
        if instr.keyword != self.keyword:
            return False
        return self.pattern is None or self.pattern.search(instr.args) is not None

    def find(self, tree: Dockerfile) -> tuple[list[Instruction], str | None]:
        """Matching instructions in file order, or ``([], why)`` when none."""
        if self.stage is not None:
            stage = find_stage(tree, self.stage)
            if stage is None:
                return [], f"no stage {self.stage!r}{stages_hint(tree)}"
            pool: Sequence[Instruction] = [stage.from_instruction, *stage.instructions]
        else:
            pool = tree.instructions
        found = [i for i in pool if self.matches(i)]
        return found, None if found else f"no {self.describe()}"
