"""Small text helpers of the bump: byte to character offsets, splicing edits, locating a value."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from patchkit.bump.places import Edit

__all__ = ["CharOffsets", "locate", "splice"]


class CharOffsets:
    """Character offsets of byte offsets into UTF-8 ``source`` (tree-sitter counts bytes)."""

    def __init__(self, source: bytes) -> None:
        self._source = source
        # the byte offset where each non-ASCII character starts, to count what precedes one
        self._multi = [i for i, b in enumerate(source) if b >= 0x80 and (b & 0xC0) != 0x80]
        self._extra = []
        total = 0
        for i in self._multi:
            b = source[i]
            width = 4 if b >= 0xF0 else 3 if b >= 0xE0 else 2
            total += width - 1
            self._extra.append(total)

    def char(self, byte: int) -> int:
        n = bisect.bisect_left(self._multi, byte)
        return byte - (self._extra[n - 1] if n else 0)


def splice(text: str, edits: Sequence[Edit]) -> str:
    """``text`` with every edit applied (edits must not overlap; insertions at one offset
    keep their order)."""
    out: list[str] = []
    pos = 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        out.append(text[pos : e.start])
        out.append(e.new)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


def locate(text: str, line: int, col: int, value: str) -> int | None:
    """The character offset of ``value`` written on ``line`` at or after ``col`` (1-based),
    or None when it is not there."""
    from patchkit._source import SourceText

    src = SourceText(text)
    try:
        start = src.offset(line, col)
    except (IndexError, ValueError):
        return None
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    at = text.find(value, start, end)
    return None if at < 0 else at
