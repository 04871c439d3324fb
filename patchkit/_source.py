"""Text positions: offsets <-> 1-based line/column, spans, newline detection.

Every layer reports locations through these helpers so that ``path:line:col``
means the same thing everywhere. Lines are counted the way BuildKit counts
them: ``\\n`` ends a line, and a ``\\r\\n`` pair counts once.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

__all__ = [
    "SourceText",
    "Span",
    "detect_newline",
    "python_lines",
    "render_caret",
    "splitlines_offset",
]


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open range ``[start, end)`` of character offsets into a text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"invalid span {self.start}..{self.end}")

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Span) -> bool:
        """True when the spans share a character; two empty spans overlap at the same point."""
        if self.start == self.end or other.start == other.end:
            return self.start == other.start or (
                other.start < self.start < other.end or self.start < other.start < self.end
            )
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class SourceText:
    """A text with a lazily built line index for offset -> (line, col) lookups."""

    text: str
    path: str | None = None
    _line_starts: list[int] = field(default_factory=list, init=False, repr=False, compare=False)

    def _starts(self) -> list[int]:
        if not self._line_starts:
            starts = [0]
            find = self.text.find
            i = find("\n")
            while i != -1:
                starts.append(i + 1)
                i = find("\n", i + 1)
            self._line_starts.extend(starts)
        return self._line_starts

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in characters) of ``offset``."""
        starts = self._starts()
        line = bisect.bisect_right(starts, offset) - 1
        return line + 1, offset - starts[line] + 1

    def offset(self, line: int, col: int = 1) -> int:
        """Offset of a 1-based line and column."""
        return self._starts()[line - 1] + col - 1

    def line_text(self, line: int) -> str:
        """The text of a 1-based line without its line ending."""
        starts = self._starts()
        start = starts[line - 1]
        end = starts[line] if line < len(starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")


_PYTHON_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def python_lines(text: str) -> list[str]:
    """The lines of ``text`` as Python's tokenizer (and ``ast``'s positions) count them:
    ``\r\n``, a lone ``\r`` or ``\n`` ends a line; line endings are kept."""
    return _PYTHON_LINES.findall(text)


def splitlines_offset(text: str, line: int, col: int, *, python: bool = False) -> int:
    """The offset of a 1-based ``line`` and 0-based ``col`` counted the way ``str.splitlines``
    counts lines (tomlkit's error positions do), clamped to the text.

    ``str.splitlines`` also ends lines at a lone CR, VT, FF, NEL, U+2028 and
    more, which patchkit (like BuildKit) does not: converting such a position
    with :meth:`SourceText.offset` would point at the wrong place, or past the
    end of the line table. ``python=True`` counts lines as Python's tokenizer
    (and ``ast``'s error positions) does: ``\r\n``, a lone ``\r`` or ``\n``.
    """
    lines = python_lines(text) if python else text.splitlines(keepends=True)
    offset = sum(len(x) for x in lines[: max(line - 1, 0)])
    return min(offset + max(col, 0), len(text))


def detect_newline(text: str) -> str:
    """The line ending a text uses for its first line break (``\\n`` when none)."""
    i = text.find("\n")
    if i > 0 and text[i - 1] == "\r":
        return "\r\n"
    return "\n"


# Control characters (but tab) shown as U+FFFD, one column each: a CR, an ESC sequence or a
# line separator from a file must not move the cursor or restyle the terminal.
_UNPRINTABLE = {
    c: "\ufffd" for c in (*range(0x20), 0x7F, *range(0x80, 0xA0), 0x2028, 0x2029) if c != 0x09
}


def render_caret(line_text: str, col: int, width: int = 1) -> str:
    """Two lines: the source line (tabs expanded) and a ``^~~`` marker under ``col``.

    ``col`` is 1-based, in characters of ``line_text``. Control characters are
    shown as U+FFFD so that text from a file cannot drive the terminal.
    """
    line_text = line_text.translate(_UNPRINTABLE)
    prefix = line_text[: max(col - 1, 0)]
    pad = len(prefix.expandtabs())
    shown = line_text.expandtabs()
    return f"{shown}\n{' ' * pad}^{'~' * max(width - 1, 0)}"
