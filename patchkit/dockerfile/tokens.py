"""Lexical rules of BuildKit's Dockerfile parser, ported with character positions.

BuildKit (``frontend/dockerfile/parser``) turns each instruction into one
*logical line* (continuation lines joined, comment and blank lines inside the
continuation dropped) and then splits that line in three steps, each ported
here so that patchkit reads exactly the words BuildKit reads:

- ``split_command``: the keyword is everything up to the first ASCII blank
  (``[\\t\\v\\f\\r ]``), after trimming Unicode white space at both ends;
- ``extract_builder_flags``: leading ``--name[=value]`` words (quotes removed,
  the escape character escapes one character), stopping at the first word that
  does not start with ``--`` or at a bare ``--``;
- ``parse_words``: the word splitter of ARG / ENV / LABEL, which *keeps*
  quotes and escapes in the words (they are removed later, at expansion time).

Every function here also returns where each word sits in the logical line, so
the tree can map a word back to the source bytes that spell it.

White space: Go's ``unicode.IsSpace`` is not Python's ``str.isspace`` (Python
also counts U+001C..U+001F), so the sets below are spelled out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

__all__ = [
    "ASCII_BLANKS",
    "GO_SPACE",
    "FlagWord",
    "Word",
    "extract_builder_flags",
    "go_trim_space",
    "parse_json_array",
    "parse_words",
    "split_command",
    "split_whitespace",
]

#: Go's ``unicode.IsSpace``: the characters BuildKit trims as white space.
GO_SPACE = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_GO_SPACE_SET = frozenset(GO_SPACE)

#: BuildKit's ``reWhitespace``: what separates a keyword from its arguments.
ASCII_BLANKS = "\t\v\f\r "
_RE_BLANKS = re.compile(r"[\t\v\f\r ]+")
# A run of characters that are not Go white space: a word, when it holds no quote or escape.
_RE_NOT_SPACE = re.compile(
    "[^\t\n\v\f\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+"
)


def go_trim_space(s: str, start: int = 0, end: int | None = None) -> tuple[int, int]:
    """``strings.TrimSpace`` of ``s[start:end]`` as a ``(start, end)`` slice of ``s``."""
    if end is None:
        end = len(s)
    seg = s[start:end]
    a = start + len(seg) - len(seg.lstrip(GO_SPACE))
    b = start + len(seg.rstrip(GO_SPACE))
    return (a, b) if a < b else (a, a)


class Word:
    """A word of a logical line: its text as BuildKit gives it and ``[start, end)`` in the line."""

    __slots__ = ("end", "start", "text")

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text = text
        self.start = start
        self.end = end

    def __repr__(self) -> str:
        return f"Word({self.text!r}, {self.start}, {self.end})"


class FlagWord(Word):
    """A ``--flag`` word; ``positions[i]`` is the logical offset of ``text[i]``
    (a ``range`` for a word without quotes and escapes).

    Quotes and escape characters are removed from ``text`` the way BuildKit's
    ``extractBuilderFlags`` removes them, so ``positions`` is what lets an
    edit find the source character behind each character of the value.
    """

    __slots__ = ("positions",)

    def __init__(self, text: str, start: int, end: int, positions: Sequence[int]) -> None:
        super().__init__(text, start, end)
        self.positions = positions


def split_command(line: str, start: int = 0, end: int | None = None) -> tuple[str, int, int]:
    """``splitCommand`` over ``line[start:end]``: ``(keyword, keyword_start, rest_start)``.

    ``rest_start`` is where the flags and arguments begin (``end`` when there
    are none). The keyword may be empty for a line that is only white space
    (BuildKit then records an instruction without a keyword).
    """
    a, b = go_trim_space(line, start, end)
    m = _RE_BLANKS.search(line, a, b)
    if m is None:
        return line[a:b], a, b
    return line[a : m.start()], a, m.end()


def extract_builder_flags(
    line: str, start: int, end: int, escape: str, *, _plain_words: bool = True
) -> tuple[list[FlagWord], int]:
    """``extractBuilderFlags`` over ``line[start:end]``: the flag words and where the rest begins.

    ``escape`` is the escape character (newer BuildKit honours the escape
    directive here; v0.12.5 always used a backslash). The returned offset is
    ``end`` when the line holds only flags. (``_plain_words=False`` reads every
    word one character at a time: tests compare the shortcut with it.)
    """
    words: list[FlagWord] = []
    pos = start
    n = end
    while True:
        # Looking for the start of a word.
        while pos < n and line[pos] in _GO_SPACE_SET:
            pos += 1
        if pos >= n:
            return words, n
        if line[pos] != "-" or pos + 1 >= n or line[pos + 1] != "-":
            return words, pos
        wstart = pos
        # Most flags hold no quote and no escape: the word is the run up to the next blank.
        plain = _RE_NOT_SPACE.match(line, pos, n)
        wend = plain.end() if plain is not None else pos
        seg = line[pos:wend]
        if _plain_words and "'" not in seg and '"' not in seg and escape not in seg:
            pos = wend
            if pos < n and seg == "--":
                return words, pos
            if seg != "--":
                words.append(FlagWord(seg, wstart, pos, range(wstart, pos)))
            if pos >= n:
                return words, n
            continue
        chars: list[str] = []
        positions: list[int] = []
        blank_ok = False
        quote = ""
        in_quote = False
        while pos < n:
            ch = line[pos]
            if in_quote:
                if ch == quote:
                    in_quote = False
                    pos += 1
                    continue
                if ch == escape:
                    if pos + 1 == n:
                        in_quote = False
                        pos += 1
                        continue
                    pos += 1
                    ch = line[pos]
                chars.append(ch)
                positions.append(pos)
                pos += 1
                continue
            if ch in _GO_SPACE_SET:
                break
            if ch == "'" or ch == '"':
                quote = ch
                blank_ok = True
                in_quote = True
                pos += 1
                continue
            if ch == escape:
                if pos + 1 == n:
                    pos += 1
                    continue
                pos += 1
                ch = line[pos]
            chars.append(ch)
            positions.append(pos)
            pos += 1
        text = "".join(chars)
        if pos < n and text == "--":
            # A bare "--" ends the flags; the rest starts at the blank after it.
            return words, pos
        if text != "--" and (blank_ok or text):
            words.append(FlagWord(text, wstart, pos, positions))
        if pos >= n:
            return words, n


def parse_words(line: str, start: int, end: int, escape: str) -> list[Word]:
    """``parseWords`` (ARG, ENV, LABEL): blank-separated words, quotes and escapes kept."""
    seg = line[start:end]
    if "'" not in seg and '"' not in seg and escape not in seg:
        # without quotes and escapes a word is a run of non-blank characters
        return [
            Word(m.group(), m.start(), m.end()) for m in _RE_NOT_SPACE.finditer(line, start, end)
        ]
    return _parse_words_general(line, start, end, escape)


def _parse_words_general(line: str, start: int, end: int, escape: str) -> list[Word]:
    """``parseWords`` one character at a time, for any text (quotes and escapes)."""
    words: list[Word] = []
    pos = start
    n = end
    space = _GO_SPACE_SET
    while True:
        while pos < n and line[pos] in space:
            pos += 1
        if pos >= n:
            return words
        wstart = pos
        parts: list[str] = []
        blank_ok = False
        quote = ""
        in_quote = False
        while pos < n:
            ch = line[pos]
            if not in_quote:
                if ch in space:
                    break
                if ch == "'" or ch == '"':
                    quote = ch
                    blank_ok = True
                    in_quote = True
                if ch == escape:
                    if pos + 1 == n:
                        pos += 1  # an escape at the very end is dropped
                        continue
                    parts.append(ch)
                    pos += 1
                    ch = line[pos]
                parts.append(ch)
                pos += 1
                continue
            if ch == quote:
                in_quote = False
            if ch == escape and quote != "'":
                if pos + 1 == n:
                    in_quote = False
                    pos += 1
                    continue
                parts.append(ch)
                pos += 1
                ch = line[pos]
            parts.append(ch)
            pos += 1
        text = "".join(parts)
        if blank_ok or text:
            words.append(Word(text, wstart, pos))


def split_whitespace(line: str, start: int, end: int) -> list[Word]:
    """``reWhitespace.Split(rest, -1)`` with positions (empty pieces kept, as Go keeps them)."""
    words: list[Word] = []
    pos = start
    for m in _RE_BLANKS.finditer(line, start, end):
        words.append(Word(line[pos : m.start()], pos, m.start()))
        pos = m.end()
    words.append(Word(line[pos:end], pos, end))
    return words


class NotStringArray(ValueError):
    """A JSON array whose items are not all strings (BuildKit rejects the file)."""


def _reject_constant(name: str) -> object:
    raise ValueError(name)  # Go's JSON has no NaN / Infinity


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)
_JSON_BLANKS = " \t\n\r"
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def parse_json_array(rest: str, *, trailing_ok: bool = False) -> list[str] | None:
    """``parseJSON``: the exec-form list, or None when ``rest`` is not a JSON array.

    Raises ``NotStringArray`` for a valid JSON array with a non-string item
    (BuildKit fails the whole file then). ``trailing_ok`` reproduces
    BuildKit v0.12.5, whose decoder ignored text after the array; newer
    BuildKit requires the whole rest to be the array.
    """
    s = rest.lstrip(GO_SPACE)
    if not s.startswith("["):
        return None
    try:
        value, end = _DECODER.raw_decode(s)
    except (ValueError, RecursionError):
        return None
    if not trailing_ok and s[end:].strip(_JSON_BLANKS):
        return None
    if not isinstance(value, list):
        return None
    for item in value:
        if not isinstance(item, str):
            raise NotStringArray(
                "when using JSON array syntax, arrays must be comprised of strings only"
            )
    # Go decodes an unpaired surrogate escape to U+FFFD.
    return [_LONE_SURROGATE.sub("\ufffd", item) if "\\u" in s else item for item in value]
