"""The part of BuildKit's shell lexer (``frontend/dockerfile/shell/lex.go``) the parser uses.

BuildKit finds heredocs by lexing the whole logical line into shell words
(quotes and escapes kept raw, unset variables kept as written) and matching
each word against ``^(\\d*)<<(-?)\\s*([^<]*)$``; the heredoc's name is then that
word's rest lexed again with quotes removed. This module ports exactly that,
including the quirks that decide whether a line has heredocs at all: a lexing
error (an unterminated quote, ``${:x}``) means *no* heredocs on that line.

Two generations differ and both are kept (``legacy=True`` is BuildKit v0.12.5,
the parser vendored in the PyPI ``dockerfile`` 3.4.0 oracle):

- newer BuildKit lexes ``<<`` as a token that absorbs following blanks, so
  ``cat << EOF`` opens a heredoc; v0.12.5 sees the words ``<<`` and ``EOF``;
- newer BuildKit knows ``${x#p}``, ``${x%p}`` and ``${x/p/r}``; in v0.12.5
  they are lexing errors, so a line using them has no heredocs.

``unquote`` is the other use: removing quotes and escapes from a value the way
expansion does, while leaving ``$VAR`` references as written.
"""

from __future__ import annotations

import re

from patchkit.dockerfile.tokens import GO_SPACE

__all__ = ["HeredocWord", "heredocs_in_line", "unquote"]

_SPACE = frozenset(GO_SPACE)
_HEREDOC_WORD = re.compile(r"([0-9]*)<<(-?)[\t\n\f\r ]*([^<]*)\Z")
_HEREDOC_WORD_LEGACY = re.compile(r"([0-9]*)<<(-?)([^<]*)\Z")
_SPECIAL_PARAMS = frozenset("@*#?-$!0")
_GO_SPACE_CLASS = "".join(re.escape(c) for c in GO_SPACE)
# A heredoc word starts a shell word: "<<" after optional digits, at the line start or
# after white space. A line without one has no heredocs (this saves the slow lexer).
_MAYBE_HEREDOC = re.compile(rf"(?:^|[{_GO_SPACE_CLASS}])[0-9]*<<")
# Without quotes, escapes or ${...} expressions, the lexer only splits on white space
# (plain $NAME and ${NAME} come back as written), so a regex gives the same words.
_NEEDS_LEXER = re.compile(r"['\"\\]|\$\{(?!(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]+)\})")
_PLAIN_WORDS = re.compile(rf"(?:<<[\t\r ]*|[^{_GO_SPACE_CLASS}])+")
_PLAIN_WORDS_LEGACY = re.compile(rf"[^{_GO_SPACE_CLASS}]+")
# `<<'NAME'` / `<<-"NAME"` standing alone as a word: the lexer keeps it as written
# (quotes are raw), so a line whose only quotes are such words can be split by regex too.
_QUOTED_HEREDOC_WORD = re.compile(
    rf"(?:^|(?<=[{_GO_SPACE_CLASS}]))[0-9]*<<-?(?:'[A-Za-z0-9_.-]+'|\"[A-Za-z0-9_.-]+\")"
    rf"(?=[{_GO_SPACE_CLASS}]|\Z)"
)
_QUOTED_NAME = re.compile(r"'([A-Za-z0-9_.-]+)'|\"([A-Za-z0-9_.-]+)\"")


class _LexError(Exception):
    pass


class _Words:
    """``wordsStruct``: accumulates blank-separated words while the lexer runs."""

    __slots__ = ("buf", "in_word", "words")

    def __init__(self, buf: list[str]) -> None:
        self.buf = buf
        self.words: list[str] = []
        self.in_word = False

    def add_char(self, ch: str) -> None:
        if ch in _SPACE:
            if self.in_word and any(self.buf):
                self.words.append("".join(self.buf))
                self.buf.clear()
                self.in_word = False
        else:
            self.buf.append(ch)
            self.in_word = True

    def add_raw(self, s: str) -> None:
        self.buf.append(s)
        self.in_word = True

    def add_string(self, s: str) -> None:
        for ch in s:
            self.add_char(ch)

    def get(self) -> list[str]:
        if any(self.buf):
            self.words.append("".join(self.buf))
            self.buf.clear()
            self.in_word = False
        return self.words


class _Lexer:
    """``shellWord`` with an empty environment and ``SkipUnsetEnv`` (variables stay as written)."""

    def __init__(self, src: str, *, raw_quotes: bool, raw_escapes: bool, legacy: bool) -> None:
        self.src = src
        self.pos = 0
        self.raw_quotes = raw_quotes
        self.raw_escapes = raw_escapes
        self.legacy = legacy
        # Newer BuildKit shares one word buffer between nested lexing calls
        # (``sw.wordsBuffer``); v0.12.5 had one per call. Reproduced as is.
        self.shared: list[str] = []

    def peek(self) -> str:
        return self.src[self.pos] if self.pos < len(self.src) else ""

    def next(self) -> str:
        if self.pos < len(self.src):
            ch = self.src[self.pos]
            self.pos += 1
            return ch
        return ""

    def words(self) -> list[str]:
        return self.stop_on("", self.raw_escapes)[1]

    def stop_on(self, stop: str, raw_escapes: bool) -> tuple[str, list[str]]:
        saved = self.raw_escapes
        self.raw_escapes = raw_escapes
        try:
            return self._stop_on(stop)
        finally:
            self.raw_escapes = saved

    def _stop_on(self, stop: str) -> tuple[str, list[str]]:
        result: list[str] = []
        if self.legacy:
            words = _Words([])
        else:
            self.shared.clear()
            words = _Words(self.shared)
        while self.pos < len(self.src):
            ch = self.src[self.pos]
            if stop and ch == stop:
                self.pos += 1
                return "".join(result), words.get()
            if ch == "$":
                tmp = self.dollar()
                result.append(tmp)
                words.add_string(tmp)
                continue
            if ch == "<" and not self.legacy:
                tmp = self.possible_heredoc()
                result.append(tmp)
                words.add_raw(tmp)
                continue
            if ch == "'":
                tmp = self.single_quote()
                result.append(tmp)
                words.add_raw(tmp)
                continue
            if ch == '"':
                tmp = self.double_quote()
                result.append(tmp)
                words.add_raw(tmp)
                continue
            self.pos += 1
            if ch == "\\":
                if self.raw_escapes:
                    words.add_raw(ch)
                    result.append(ch)
                ch = self.next()
                if not ch:
                    break
                words.add_raw(ch)
            else:
                words.add_char(ch)
            result.append(ch)
        if stop:
            raise _LexError(f"unexpected end of statement while looking for matching {stop}")
        return "".join(result), words.get()

    def single_quote(self) -> str:
        out: list[str] = []
        ch = self.next()
        if self.raw_quotes:
            out.append(ch)
        while True:
            ch = self.next()
            if not ch:
                raise _LexError("unterminated single quote")
            if ch == "'":
                if self.raw_quotes:
                    out.append(ch)
                return "".join(out)
            out.append(ch)

    def double_quote(self) -> str:
        out: list[str] = []
        ch = self.next()
        if self.raw_quotes:
            out.append(ch)
        while True:
            nxt = self.peek()
            if not nxt:
                raise _LexError("unterminated double quote")
            if nxt == '"':
                ch = self.next()
                if self.raw_quotes:
                    out.append(ch)
                return "".join(out)
            if nxt == "$":
                out.append(self.dollar())
                continue
            ch = self.next()
            if ch == "\\":
                if self.raw_escapes:
                    out.append(ch)
                p = self.peek()
                if not p:
                    continue
                if p in ('"', "$", "\\"):
                    ch = self.next()
            out.append(ch)

    def possible_heredoc(self) -> str:
        self.next()
        if self.peek() != "<":
            return "<"
        self.next()
        space: list[str] = []
        while self.peek() in ("\t", "\r", " ") and self.peek():
            space.append(self.next())
        return "<<" + "".join(space)

    def name(self) -> str:
        out: list[str] = []
        while self.pos < len(self.src):
            ch = self.src[self.pos]
            if not out and ch.isdecimal():
                while self.pos < len(self.src) and self.src[self.pos].isdecimal():
                    out.append(self.next())
                return "".join(out)
            if not out and ch in _SPECIAL_PARAMS:
                return self.next()
            if not (ch.isalpha() or ch.isdecimal() or ch == "_"):
                break
            out.append(self.next())
        return "".join(out)

    def dollar(self) -> str:
        self.next()
        if self.peek() != "{":
            name = self.name()
            return "$" + name if name else "$"
        self.next()
        p = self.peek()
        if not p:
            raise _LexError("syntax error: missing '}'")
        if p in "{}:":
            raise _LexError("syntax error: bad substitution")
        name = self.name()
        ch = self.next()
        chs = ch
        null_is_unset = False
        if ch == "}":
            return "${" + name + "}"
        modifiers = "+-?" if self.legacy else "+-?#%"
        if ch == ":":
            null_is_unset = True
            ch = self.next()
            chs += ch
            # Go's `fallthrough`: the modifier branch runs whatever ch now is.
            return self._modifier(name, ch, chs, null_is_unset)
        if ch and ch in modifiers:
            return self._modifier(name, ch, chs, null_is_unset)
        if ch == "/" and not self.legacy:
            if self.peek() == "/":
                self.next()
            try:
                pattern, _ = self.stop_on("/", True)
            except _LexError:
                raise _LexError("syntax error: missing '/' in ${}") from None
            try:
                replacement, _ = self.stop_on("}", True)
            except _LexError:
                raise _LexError("syntax error: missing '}'") from None
            return "${" + name + "/" + pattern + "/" + replacement + "}"
        raise _LexError(f"unsupported modifier ({chs}) in substitution")

    def _modifier(self, name: str, ch: str, chs: str, null_is_unset: bool) -> str:
        raw = (ch == "#" or ch == "%") and not self.legacy
        if null_is_unset and raw:
            raise _LexError(f"unsupported modifier ({chs}) in substitution")
        word, _ = self.stop_on("}", raw if not self.legacy else self.raw_escapes)
        return "${" + name + chs + word + "}"


class HeredocWord:
    """A heredoc found on a logical line: ``name``, ``fd``, ``strip_tabs`` (``<<-``), ``quoted``."""

    __slots__ = ("fd", "name", "quoted", "strip_tabs")

    def __init__(self, name: str, fd: int, strip_tabs: bool, quoted: bool) -> None:
        self.name = name
        self.fd = fd
        self.strip_tabs = strip_tabs
        self.quoted = quoted

    def __repr__(self) -> str:
        return (
            f"HeredocWord({self.name!r}, fd={self.fd}, "
            f"strip_tabs={self.strip_tabs}, quoted={self.quoted})"
        )


def _lex_words(src: str, *, raw_quotes: bool, raw_escapes: bool, legacy: bool) -> list[str]:
    return _Lexer(src, raw_quotes=raw_quotes, raw_escapes=raw_escapes, legacy=legacy).words()


def _fd(digits: str) -> int:
    """The file descriptor before ``<<`` (Go's ParseUint; overflow gives 0)."""
    return int(digits) if digits and len(digits) < 19 else 0


def heredocs_in_line(line: str, *, legacy: bool = False) -> tuple[list[HeredocWord], str | None]:
    """``heredocsFromLine``: the heredocs a logical line opens, and an error BuildKit would raise.

    The heredoc lexer always uses a backslash escape, whatever the escape
    directive says (as BuildKit does).
    """
    if "<<" not in line or _MAYBE_HEREDOC.search(line) is None:
        return [], None
    if _NEEDS_LEXER.search(line) is None or (
        ("'" in line or '"' in line)
        and _NEEDS_LEXER.search(_QUOTED_HEREDOC_WORD.sub("", line)) is None
    ):
        words = (_PLAIN_WORDS_LEGACY if legacy else _PLAIN_WORDS).findall(line)
    else:
        try:
            words = _lex_words(line, raw_quotes=True, raw_escapes=True, legacy=legacy)
        except (_LexError, RecursionError):
            return [], None  # BuildKit ignores the error: the line simply has no heredocs
    pattern = _HEREDOC_WORD_LEGACY if legacy else _HEREDOC_WORD
    docs: list[HeredocWord] = []
    for word in words:
        m = pattern.match(word)
        if m is None or not m.group(3):
            continue
        rest = m.group(3)
        q = _QUOTED_NAME.fullmatch(rest)
        if q is not None:
            name = q.group(1) or q.group(2)
            docs.append(HeredocWord(name, _fd(m.group(1)), m.group(2) == "-", True))
            continue
        if _NEEDS_LEXER.search(rest) is None:
            plain = _PLAIN_WORDS_LEGACY.findall(rest)  # rest holds no "<": plain splitting
            if len(plain) == 1:
                docs.append(HeredocWord(plain[0], _fd(m.group(1)), m.group(2) == "-", False))
            continue
        try:
            plain = _lex_words(rest, raw_quotes=False, raw_escapes=False, legacy=legacy)
            if len(plain) != 1:
                continue
            raw = _lex_words(rest, raw_quotes=True, raw_escapes=False, legacy=legacy)
        except (_LexError, RecursionError) as exc:
            return docs, f"invalid heredoc word {rest!r}: {exc}"
        if len(raw) != len(plain):
            return docs, f"internal lexing of heredoc produced inconsistent results: {rest}"
        name = plain[0]
        quotes = name.count("'") + name.count('"')
        raw_quotes = raw[0].count("'") + raw[0].count('"')
        docs.append(HeredocWord(name, _fd(m.group(1)), m.group(2) == "-", quotes != raw_quotes))
    return docs, None


def unquote(value: str, escape: str = "\\") -> str:
    """Remove shell quotes and escapes the way BuildKit's expansion does; ``$VAR`` stays as written.

    >>> unquote('"a b"')
    'a b'
    >>> unquote("'$x'")
    '$x'
    """
    if "'" not in value and '"' not in value and escape not in value:
        return value
    out: list[str] = []
    i = 0
    n = len(value)
    while i < n:
        ch = value[i]
        if ch == "'":
            j = value.find("'", i + 1)
            if j < 0:
                out.append(value[i + 1 :])
                break
            out.append(value[i + 1 : j])
            i = j + 1
            continue
        if ch == '"':
            i += 1
            while i < n and value[i] != '"':
                c = value[i]
                if c == escape and i + 1 < n and value[i + 1] in ('"', "$", escape):
                    i += 1
                    c = value[i]
                out.append(c)
                i += 1
            i += 1
            continue
        if ch == escape:
            if i + 1 < n:
                out.append(value[i + 1])
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)
