"""``replace``: change text inside an anchor instruction, or the whole instruction.

What it does
    Finds the anchor (``anchor: {keyword, pattern, stage}``; the first match,
    or every match with ``all: true``). With ``find`` (a regular expression)
    it replaces each match of ``find`` inside the anchor's text with ``with``
    (``\\1`` / ``\\g<name>`` refer to groups); without ``find`` it replaces
    the whole instruction by ``with``. For the changes no dedicated kind
    covers. A match that already sits inside its own replacement is left
    alone, so ``find: --torch-backend cpu`` / ``with: --torch-backend cpu
    --no-cache`` applies once, not once per run.

    The anchor must describe what stays: it has to match the instruction both
    before and after the change, or the patch could not tell ``applied``
    from ``drifted``. Without ``find`` that is checked when the patch loads;
    with ``find`` the worked examples (``patchkit test``) and the engine's
    idempotence check catch it.

States
    ``applied``: the anchor is there and every match of ``find`` in it sits
    inside its replacement (or ``find`` no longer matches and the replacement
    text is there; with group references in ``with`` that last check is
    skipped, so a vanished ``find`` reads as applied). ``upstream``: ``upstream-if`` (same shape as
    ``anchor``) matches an instruction. ``pending``: ``find`` matches in the
    anchor (or, without ``find``, the anchor differs from ``with``).
    ``drifted``: no anchor, or the anchor holds neither the text to replace
    nor its replacement.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from patchkit.states import PatchState
from patchkit.transforms._common import (
    ANCHOR_FIELDS,
    DRIFT_HINT,
    UPSTREAM_IF,
    Anchor,
    compile_regex,
    line_of,
)
from patchkit.transforms.base import Analysis, Param, ParamError, Scaffold, Transform

if TYPE_CHECKING:
    import regex

    from patchkit.dockerfile import Dockerfile, Instruction
    from patchkit.dockerfile.edit import Edit
    from patchkit.transforms._regex import UserRegex

__all__ = ["Replace"]

_GROUP_REF = re.compile(r"\\(?:\d|g<)")
# Texts a find pattern is tried on when the patch loads, to refuse empty matches.
_PROBES = ("", "a", "RUN a b", "-", "=", " ")


@dataclass(frozen=True, slots=True)
class Replace(Transform):
    anchor: Anchor
    find: UserRegex | None
    with_: str
    all: bool
    upstream_if: Anchor | None

    kind: ClassVar[str] = "replace"
    summary: ClassVar[str] = "replace text inside an anchor instruction (or the whole instruction)"
    doc: ClassVar[str] = __doc__ or ""
    params: ClassVar[tuple[Param, ...]] = (
        Param("anchor", "map", "the instruction to change", required=True, fields=ANCHOR_FIELDS),
        Param(
            "find",
            "str",
            "regular expression to replace inside it (default: the whole instruction)",
        ),
        Param("with", "str", "the replacement", required=True),
        Param("all", "bool", "change every anchor match, not just the first", default=False),
        UPSTREAM_IF,
    )
    scaffold: ClassVar[Scaffold] = Scaffold(
        params={
            "anchor": {"keyword": "RUN", "pattern": "uv pip install", "stage": "final"},
            "find": "--torch-backend cpu",
            "with": "--torch-backend cpu --no-cache",
        },
        before=(
            "FROM python:3.12 AS final\n"
            "RUN uv pip install -r requirements.txt --torch-backend cpu\n"
        ),
        after=(
            "FROM python:3.12 AS final\n"
            "RUN uv pip install -r requirements.txt --torch-backend cpu --no-cache\n"
        ),
    )

    @classmethod
    def from_params(cls, params: Mapping[str, object]) -> Replace:
        anchor = Anchor.from_params(params["anchor"], "anchor")
        find = params.get("find")
        with_ = str(params["with"])
        upstream_if = params.get("upstream-if")
        pattern = compile_regex(str(find), "find") if find is not None else None
        if pattern is not None and any(
            m.start() == m.end() for probe in _PROBES for m in pattern.finditer(probe)
        ):
            raise ParamError(
                "find",
                f"/{pattern.pattern}/ can match empty text, which would put the replacement "
                "between characters on every run; make it match at least one character",
            )
        if pattern is not None:
            pattern.check_template(with_, "with")
        else:
            from patchkit.dockerfile import parse

            instrs = parse(with_.rstrip("\r\n") + "\n").instructions
            if len(instrs) != 1:
                raise ParamError("with", f"expected exactly one instruction, got {len(instrs)}")
            stay = Anchor(anchor.keyword, anchor.pattern, None)
            if not stay.matches(instrs[0]):
                raise ParamError(
                    "with",
                    f"the replacement does not match the anchor ({anchor.describe()}), so the "
                    "patch could not tell 'applied' from 'drifted'; widen the anchor pattern",
                )
        return cls(
            anchor=anchor,
            find=pattern,
            with_=with_,
            all=bool(params.get("all", False)),
            upstream_if=Anchor.from_params(upstream_if, "upstream-if") if upstream_if else None,
        )

    def analyze(self, tree: Dockerfile) -> Analysis:
        from patchkit.dockerfile.edit import Edit

        found, why = self.anchor.find(tree)
        if not found:
            return Analysis(PatchState.DRIFTED, f"anchor not found: {why}; {DRIFT_HINT}")
        targets = found if self.all else found[:1]
        edits: list[Edit] = []
        lost: list[Instruction] = []
        for instr in targets:
            new = self._rewrite(instr, tree)
            if new is None:
                lost.append(instr)
            elif new != instr.raw:
                edits.append(Edit(instr.start, instr.end, new))
        if not edits and not lost:
            return Analysis(
                PatchState.APPLIED,
                "the anchor at " + ", ".join(line_of(i) for i in targets) + " has the replacement",
            )
        if self.upstream_if is not None:
            done, _ = self.upstream_if.find(tree)
            if done:
                return Analysis(
                    PatchState.UPSTREAM,
                    f"upstream already has {self.upstream_if.describe()} at {line_of(done[0])}",
                )
        if lost and not edits:
            return Analysis(
                PatchState.DRIFTED,
                f"{self.anchor.describe()} at {', '.join(line_of(i) for i in lost)} holds neither "
                f"/{self.find.pattern if self.find else ''}/ nor the replacement; {DRIFT_HINT}",
            )
        return Analysis(
            PatchState.PENDING,
            f"replace in {self.anchor.describe()} at "
            + ", ".join(line_of(i) for i in targets if i not in lost),
            tuple(edits),
        )

    def _rewrite(self, instr: Instruction, tree: Dockerfile) -> str | None:
        """The instruction's new raw text; itself when applied; None when drifted."""
        raw = instr.raw
        if self.find is None:
            want = self.with_.rstrip("\r\n").replace("\n", tree.newline)
            if " ".join(raw.split()) == " ".join(want.split()):
                return raw
            return want
        matched = False

        def swap(m: regex.Match[str]) -> str:
            nonlocal matched
            if m.start() == m.end():
                return ""  # an empty match replaces nothing (refused at load where seen)
            matched = True
            new = m.expand(self.with_)
            # a match that sits inside its own replacement was replaced already
            # ("X" -> "X --extra", or "X" -> "wrap(X)"): leave it, so applying
            # twice equals applying once
            k = new.find(m.group(0))
            at = m.start() - k
            if k >= 0 and at >= 0 and raw[at : at + len(new)] == new:
                return m.group(0)
            return new

        rewritten = self.find.sub(swap, raw)
        if matched or _GROUP_REF.search(self.with_) or self.with_ in raw:
            return rewritten
        return None
