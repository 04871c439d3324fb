"""Inline suppression: ``# patchkit: ignore[PKD001]`` or ``# patchkit: ignore[PKD001,PKD003]``.

A directive suppresses the named codes for one instruction. It counts when it
is written

- on a line of the instruction itself: a comment line inside its line
  continuations, a line of its heredoc body, or a shell comment at the end of
  one of its lines (``RUN make  # patchkit: ignore[PKD002]``); or
- in the block of comment lines directly above the instruction (no blank
  line in between), the way ``# hadolint ignore=…`` is written.

Codes are named explicitly (there is no blanket ``ignore``), so a suppression
says what it hides. A code that is not in the table still parses; ``lint``
leaves such comments alone.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from patchkit.dockerfile import Dockerfile

__all__ = ["DIRECTIVE", "parse_directive", "suppressions"]

DIRECTIVE = re.compile(r"#\s*patchkit:\s*ignore\[\s*([A-Za-z0-9_,\s]*?)\s*\]")
_COMMENT_LINE = re.compile(r"^[ \t]*#")


def parse_directive(line: str) -> frozenset[str]:
    """The codes named by every directive on ``line`` (upper-cased)."""
    codes: set[str] = set()
    for m in DIRECTIVE.finditer(line):
        codes.update(c.strip().upper() for c in m.group(1).split(",") if c.strip())
    return frozenset(codes)


def suppressions(tree: Dockerfile) -> dict[int, frozenset[str]]:
    """Instruction index -> codes suppressed for it."""
    text = tree.text
    if "patchkit:" not in text:
        return {}
    lines = text.split("\n")
    out: dict[int, frozenset[str]] = {}
    for instr in tree.instructions:
        codes: set[str] = set()
        for n in range(instr.start_line, instr.end_line + 1):
            codes |= parse_directive(lines[n - 1])
        n = instr.start_line - 1  # the line above, 1-based
        while n >= 1 and _COMMENT_LINE.match(lines[n - 1]):
            codes |= parse_directive(lines[n - 1])
            n -= 1
        if codes:
            out[instr.index] = frozenset(codes)
    return out
