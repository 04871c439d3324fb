"""``insert``: add instructions before or after an anchor instruction.

What it does
    Finds the anchor (``anchor: {keyword, pattern, stage}``: the first
    instruction with that keyword whose arguments match the regular
    expression, in that stage if given; every match with ``all: true``) and
    inserts ``text`` (one or more instruction lines; a multi-line YAML block
    keeps its line continuations) ``before`` or ``after`` it, with the file's
    line ending and the anchor's indentation. For the changes no dedicated
    kind covers; prefer a dedicated kind when there is one, since it knows
    what "upstream fixed it" looks like.

States
    ``applied``: ``text`` stands as one block after the anchor (before the
    next match of the anchor or the end of its stage), or before it (after
    the previous match or its stage's FROM) for ``position: before``; other
    patches' lines may sit between. ``upstream``: an instruction matching ``upstream-if`` (same
    shape as ``anchor``) exists: upstream does it by its own means.
    ``pending``: anchor found, text missing. ``drifted``: no anchor.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from patchkit.states import PatchState
from patchkit.transforms._common import ANCHOR_FIELDS, DRIFT_HINT, UPSTREAM_IF, Anchor, line_of
from patchkit.transforms.base import Analysis, Param, ParamError, Scaffold, Transform

if TYPE_CHECKING:
    from patchkit.dockerfile import Dockerfile, Instruction

__all__ = ["Insert"]


def _norm(text: str) -> str:
    return " ".join(text.split())


def _stage_bounds(tree: Dockerfile, instr: Instruction) -> tuple[int, int]:
    """Indexes of the first (FROM; 0 for global ARGs) and last instruction of its stage."""
    stage = instr.stage
    if stage is None:
        first_from = next((s.from_instruction.index for s in tree.stages), len(tree.instructions))
        return 0, first_from - 1
    last = stage.instructions[-1].index if stage.instructions else stage.from_instruction.index
    return stage.from_instruction.index, last


@dataclass(frozen=True, slots=True)
class Insert(Transform):
    anchor: Anchor
    lines: tuple[str, ...]
    after: bool
    all: bool
    upstream_if: Anchor | None

    kind: ClassVar[str] = "insert"
    summary: ClassVar[str] = "insert instructions before or after an anchor instruction"
    doc: ClassVar[str] = __doc__ or ""
    params: ClassVar[tuple[Param, ...]] = (
        Param(
            "anchor",
            "map",
            "the instruction to insert next to",
            required=True,
            fields=ANCHOR_FIELDS,
        ),
        Param("text", "str", "the instruction line(s) to insert", required=True),
        Param(
            "position",
            "str",
            "before or after the anchor",
            default="after",
            choices=("before", "after"),
        ),
        Param("all", "bool", "insert next to every match, not just the first", default=False),
        UPSTREAM_IF,
    )
    scaffold: ClassVar[Scaffold] = Scaffold(
        params={
            "anchor": {"keyword": "WORKDIR", "pattern": "^/vllm-workspace$", "stage": "final"},
            "text": "ENV PIP_NO_CACHE_DIR=1",
            "position": "after",
        },
        before="FROM python:3.12 AS final\nWORKDIR /vllm-workspace\nRUN pip install vllm\n",
        after=(
            "FROM python:3.12 AS final\nWORKDIR /vllm-workspace\n"
            "ENV PIP_NO_CACHE_DIR=1\nRUN pip install vllm\n"
        ),
    )

    @classmethod
    def from_params(cls, params: Mapping[str, object]) -> Insert:
        text = str(params["text"])
        lines = tuple(text.rstrip("\r\n").splitlines())
        if not lines or not any(line.strip() for line in lines):
            raise ParamError("text", "expected at least one instruction line")
        if any("\n" in line or "\r" in line for line in lines):  # pragma: no cover - splitlines
            raise ParamError("text", "unexpected line break")
        upstream_if = params.get("upstream-if")
        anchor = Anchor.from_params(params["anchor"], "anchor")
        from patchkit.dockerfile import parse

        block = parse("\n".join(lines) + "\n").instructions
        if not block:
            raise ParamError("text", "expected at least one instruction, found none")
        if block[-1].continues_to_eof:
            raise ParamError(
                "text",
                f"the last line leaves {block[-1].keyword} open (a line continuation or a "
                "heredoc that never ends), so it would swallow the line after it; close it",
            )
        if any(anchor.matches(i) for i in block):
            raise ParamError(
                "anchor",
                f"{anchor.describe()} also matches the inserted text, so the patch would "
                "find a new anchor every run; narrow the pattern",
            )
        return cls(
            anchor=anchor,
            lines=lines,
            after=params.get("position", "after") == "after",
            all=bool(params.get("all", False)),
            upstream_if=Anchor.from_params(upstream_if, "upstream-if") if upstream_if else None,
        )

    def _fragment(self) -> list[str]:
        """The inserted text as normalised instructions (comments and blank lines dropped)."""
        from patchkit.dockerfile import parse

        return [_norm(i.raw) for i in parse("\n".join(self.lines) + "\n").instructions]

    def _present(self, tree: Dockerfile, anchor: Instruction, matches: list[Instruction]) -> bool:
        """Whether the text stands as one block in the anchor's gap on its side.

        The gap runs from the anchor to the next match of the anchor (``after``;
        the previous match for ``before``) or to the edge of its stage. Other
        patches may have inserted lines at the same point, so the block need
        not touch the anchor.
        """
        want = self._fragment()
        lo, hi = _stage_bounds(tree, anchor)
        if self.after:
            later = [m.index for m in matches if m.index > anchor.index]
            window = tree.instructions[anchor.index + 1 : min(later, default=hi + 1)]
        else:
            earlier = [m.index for m in matches if m.index < anchor.index]
            window = tree.instructions[max(earlier, default=lo) + 1 : anchor.index]
        got = [_norm(i.raw) for i in window]
        n = len(want)
        return any(got[i : i + n] == want for i in range(len(got) - n + 1))

    def analyze(self, tree: Dockerfile) -> Analysis:
        from patchkit.transforms._common import insert_lines

        found, why = self.anchor.find(tree)
        if not found:
            return Analysis(PatchState.DRIFTED, f"anchor not found: {why}; {DRIFT_HINT}")
        targets = found if self.all else found[:1]
        missing = [a for a in targets if not self._present(tree, a, found)]
        if not missing:
            return Analysis(
                PatchState.APPLIED,
                f"the text is {'after' if self.after else 'before'} the anchor at "
                + ", ".join(line_of(a) for a in targets),
            )
        if self.upstream_if is not None:
            done, _ = self.upstream_if.find(tree)
            if done:
                return Analysis(
                    PatchState.UPSTREAM,
                    f"upstream already has {self.upstream_if.describe()} at {line_of(done[0])}",
                )
        edits = tuple(insert_lines(tree, a, self.lines, after=self.after) for a in missing)
        return Analysis(
            PatchState.PENDING,
            f"insert {len(self.lines)} line(s) {'after' if self.after else 'before'} "
            f"{self.anchor.describe()} at " + ", ".join(line_of(a) for a in missing),
            edits,
        )
