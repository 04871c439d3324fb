"""Where each key and value of a TOML document sits in its source text.

tomlkit gives values but not positions; error messages and version finders
need ``path:line:col``. This module scans a document that tomlkit has
already accepted and records, for every key (in tables, dotted keys, inline
tables and arrays of tables) and every array element, the character span of
the key and of the value as written.

It is a structural scanner, not a validator: it assumes valid TOML (call
``tomlkit.parse`` first) and never raises on any input; on text that is not
TOML it simply records less.

Paths are tuples of keys (``str``) and array indices (``int``), as in
``("tool", "patchkit", "manifests", 0, "kind")``. An array of tables
``[[a.b]]`` contributes an index for each repetition.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from patchkit.errors import SourceError

__all__ = ["TomlSpan", "find_span", "scan_toml", "toml_syntax_error"]

PathPart = str | int

_BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


@dataclass(frozen=True, slots=True)
class TomlSpan:
    """One key or array element: its path, and where its key and value are written.

    ``key_start``/``key_end`` cover the last key segment as written (quotes
    included); for array elements they equal the value span. ``value_start``/
    ``value_end`` cover the value as written (quotes and brackets included);
    for a ``[table]`` header they cover the bracketed header itself.
    """

    path: tuple[PathPart, ...]
    key_start: int
    key_end: int
    value_start: int
    value_end: int


def toml_syntax_error(exc: Exception, text: str, path: str) -> SourceError:
    """tomlkit's ``ParseError`` as a ``SourceError`` at the 1-based place it names.

    tomlkit's ``col`` is 0-based (and its lines are ``str.splitlines`` lines: a
    lone CR or U+2028 ends one), so its own message is one column off.
    """
    from patchkit._source import splitlines_offset

    line, col = getattr(exc, "line", 1), getattr(exc, "col", 0)
    offset = splitlines_offset(text, line, col)
    message = str(exc).split(" at line ")[0]
    return SourceError(
        f"not valid TOML: {message}", path=path, text=text, offset=min(offset, len(text))
    )


def find_span(text: str, path: tuple[PathPart, ...]) -> TomlSpan | None:
    """The first recorded span for ``path``, or None when the scanner did not see it."""
    for span in scan_toml(text):
        if span.path == path:
            return span
    return None


def scan_toml(text: str) -> Iterator[TomlSpan]:
    """Yield a ``TomlSpan`` for every key, table header and array element in ``text``."""
    yield from _Scanner(text).run()


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.n = len(text)
        self.table: tuple[PathPart, ...] = ()
        self.aot_counts: dict[tuple[str, ...], int] = {}

    # -- low-level helpers ------------------------------------------------
    def _skip_ws(self, newlines: bool) -> None:
        t, n = self.text, self.n
        while self.i < n:
            c = t[self.i]
            if c in " \t\ufeff" or (newlines and c in "\r\n"):
                self.i += 1
            elif c == "#":
                while self.i < n and t[self.i] != "\n":
                    self.i += 1
            else:
                return

    def _skip_line(self) -> None:
        while self.i < self.n and self.text[self.i] != "\n":
            self.i += 1

    def _key_part(self) -> tuple[str, int, int] | None:
        """One simple key: bare, "basic" or 'literal'. Returns (name, start, end)."""
        t, start = self.text, self.i
        if start >= self.n:
            return None
        c = t[start]
        if c == '"':
            name = self._basic_string(single_line=True)
            return (name, start, self.i) if name is not None else None
        if c == "'":
            end = t.find("'", start + 1)
            if end == -1:
                return None
            self.i = end + 1
            return t[start + 1 : end], start, self.i
        while self.i < self.n and t[self.i] in _BARE:
            self.i += 1
        if self.i == start:
            return None
        return t[start : self.i], start, self.i

    def _dotted_key(self) -> list[tuple[str, int, int]]:
        parts: list[tuple[str, int, int]] = []
        while True:
            self._skip_ws(newlines=False)
            part = self._key_part()
            if part is None:
                return parts
            parts.append(part)
            self._skip_ws(newlines=False)
            if self.i < self.n and self.text[self.i] == ".":
                self.i += 1
                continue
            return parts

    def _basic_string(self, single_line: bool) -> str | None:
        """Read "..." starting at self.i (on the quote); return its value or None."""
        t = self.text
        self.i += 1
        out: list[str] = []
        while self.i < self.n:
            c = t[self.i]
            if c == '"':
                self.i += 1
                return "".join(out)
            if c == "\\" and self.i + 1 < self.n:
                e = t[self.i + 1]
                if e in _ESCAPES:
                    out.append(_ESCAPES[e])
                    self.i += 2
                    continue
                if e in "uU":
                    width = 4 if e == "u" else 8
                    digits = t[self.i + 2 : self.i + 2 + width]
                    try:
                        out.append(chr(int(digits, 16)))
                    except ValueError:
                        out.append("\ufffd")
                    self.i += 2 + width
                    continue
                out.append(e)
                self.i += 2
                continue
            if single_line and c == "\n":
                return None
            out.append(c)
            self.i += 1
        return None

    # -- values -------------------------------------------------------------
    def _value(self, path: tuple[PathPart, ...]) -> Iterator[TomlSpan]:
        """Scan one value at self.i; yield spans for nested keys/elements; leave i after it."""
        t = self.text
        if self.i >= self.n:
            return
        c = t[self.i]
        if t.startswith('"""', self.i):
            end = t.find('"""', self.i + 3)
            while end != -1 and _escaped(t, end):
                end = t.find('"""', end + 1)
            self.i = self.n if end == -1 else end + 3
            while self.i < self.n and t[self.i] == '"':  # up to two quotes may end the content
                self.i += 1
        elif t.startswith("'''", self.i):
            end = t.find("'''", self.i + 3)
            self.i = self.n if end == -1 else end + 3
            while self.i < self.n and t[self.i] == "'":
                self.i += 1
        elif c == '"':
            self._basic_string(single_line=True)
        elif c == "'":
            end = t.find("'", self.i + 1)
            self.i = self.n if end == -1 else end + 1
        elif c == "[":
            self.i += 1
            index = 0
            while True:
                self._skip_ws(newlines=True)
                if self.i >= self.n:
                    return
                if t[self.i] == "]":
                    self.i += 1
                    return
                if t[self.i] == ",":
                    self.i += 1
                    continue
                start = self.i
                nested = list(self._value((*path, index)))
                if self.i == start:  # not a value: give up on this array
                    self._skip_line()
                    return
                yield TomlSpan((*path, index), start, self.i, start, self.i)
                yield from nested
                index += 1
        elif c == "{":
            self.i += 1
            while True:
                self._skip_ws(newlines=True)
                if self.i >= self.n:
                    return
                if t[self.i] == "}":
                    self.i += 1
                    return
                if t[self.i] == ",":
                    self.i += 1
                    continue
                before = self.i
                yield from self._key_value(path)
                if self.i == before:
                    self._skip_line()
                    return
        else:
            start = self.i
            while self.i < self.n and t[self.i] not in ",]}#\r\n":
                self.i += 1
            while self.i > start and t[self.i - 1] in " \t":
                self.i -= 1

    def _key_value(self, table: tuple[PathPart, ...]) -> Iterator[TomlSpan]:
        parts = self._dotted_key()
        if not parts:
            return
        self._skip_ws(newlines=False)
        if self.i >= self.n or self.text[self.i] != "=":
            return
        self.i += 1
        self._skip_ws(newlines=False)
        path = table
        for name, start, end in parts[:-1]:
            path = (*path, name)
            yield TomlSpan(path, start, end, start, end)
        name, kstart, kend = parts[-1]
        path = (*path, name)
        vstart = self.i
        nested = list(self._value(path))
        yield TomlSpan(path, kstart, kend, vstart, self.i)
        yield from nested

    # -- document -----------------------------------------------------------
    def _header(self) -> Iterator[TomlSpan]:
        t, start = self.text, self.i
        aot = t.startswith("[[", self.i)
        self.i += 2 if aot else 1
        parts = self._dotted_key()
        self._skip_ws(newlines=False)
        close = "]]" if aot else "]"
        if not parts or not t.startswith(close, self.i):
            self._skip_line()
            return
        self.i += len(close)
        names = tuple(p[0] for p in parts)
        path: tuple[PathPart, ...] = ()
        for k in range(len(names)):
            path = (*path, names[k])
            prefix = names[: k + 1]
            is_last = k == len(names) - 1
            if prefix in self.aot_counts and not (aot and is_last):
                path = (*path, self.aot_counts[prefix] - 1)
        if aot:
            index = self.aot_counts.get(names, 0)
            self.aot_counts[names] = index + 1
            yield TomlSpan(path, parts[-1][1], parts[-1][2], start, self.i)
            path = (*path, index)
            yield TomlSpan(path, parts[-1][1], parts[-1][2], start, self.i)
        else:
            yield TomlSpan(path, parts[-1][1], parts[-1][2], start, self.i)
        self.table = path

    def run(self) -> Iterator[TomlSpan]:
        while True:
            self._skip_ws(newlines=True)
            if self.i >= self.n:
                return
            before = self.i
            if self.text[self.i] == "[":
                yield from self._header()
            else:
                yield from self._key_value(self.table)
            if self.i == before:
                self._skip_line()
                if self.i == before:
                    self.i += 1


def _escaped(text: str, quote_at: int) -> bool:
    """True when the character at ``quote_at`` is preceded by an odd number of backslashes."""
    k = quote_at - 1
    count = 0
    while k >= 0 and text[k] == "\\":
        count += 1
        k -= 1
    return count % 2 == 1
