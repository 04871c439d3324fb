"""One instruction's logical line and what BuildKit reads from it (computed on demand).

The scanner (``parser.py``) only finds where instructions start and end. When a
caller first asks an instruction for its flags, arguments, pairs or heredocs,
this module rebuilds the *logical line* BuildKit works on (first line with its
leading blanks trimmed, continuation characters removed, comment and blank
lines inside the continuation dropped) together with a map from each logical
offset back to the source offset, and then applies BuildKit's per-keyword
argument parsers to it.
"""

from __future__ import annotations

import bisect
import re

from patchkit.dockerfile._shell import HeredocWord, heredocs_in_line
from patchkit.dockerfile.tokens import (
    _GO_SPACE_SET,
    _RE_BLANKS,
    GO_SPACE,
    FlagWord,
    NotStringArray,
    Word,
    extract_builder_flags,
    parse_json_array,
    parse_words,
    split_command,
    split_whitespace,
)

__all__ = ["Logical", "analyze"]

# Keyword (lower-cased) -> how BuildKit's dispatch table parses the arguments.
_JSON_OR_STRING = frozenset(("cmd", "entrypoint", "run", "shell"))
_JSON_OR_LIST = frozenset(("add", "copy", "volume"))
_WHITESPACE_LIST = frozenset(("expose", "from"))
_STRING = frozenset(("maintainer", "stopsignal", "user", "workdir"))
_HEREDOC_KEYWORDS = frozenset(("add", "copy", "run"))


class Logical:
    """The logical line of one instruction and BuildKit's reading of it.

    Offsets named ``*_start``/``*_end`` are positions in ``line``;
    ``src_start``/``src_end`` turn them into offsets in the source text.

    ``analyze`` reads what every caller needs (the line, keyword, flags and where
    the arguments are); the per-keyword reading of the arguments (``values``,
    ``is_json``, ``error``, ONBUILD's ``sub_*``) and the heredoc words are worked
    out on first access, so walking a tree for its keywords and arguments does not
    pay for JSON decoding, word splitting and the heredoc lexer.
    """

    __slots__ = (
        "_error",
        "_heredoc_error",
        "_heredoc_words",
        "_is_json",
        "_sub_args_end",
        "_sub_args_start",
        "_sub_cmd",
        "_sub_flags",
        "_values",
        "args_end",
        "args_start",
        "cmd",
        "escape",
        "flags",
        "legacy",
        "line",
        "lstarts",
        "open_end",
        "sstarts",
    )

    # Unset until the arguments are read (an unset slot raises AttributeError).
    _values: list[str] | None
    _is_json: bool
    _error: str | None
    _sub_cmd: str | None
    _sub_flags: list[FlagWord]
    _sub_args_start: int
    _sub_args_end: int
    _heredoc_words: list[HeredocWord]
    _heredoc_error: str | None

    cmd: str
    flags: list[FlagWord]
    args_start: int
    args_end: int
    escape: str
    legacy: bool

    def __init__(
        self, line: str, lstarts: list[int], sstarts: list[int], open_end: bool = False
    ) -> None:
        # One per instruction read: only what logical_line knows; analyze sets the rest.
        self.line = line
        self.lstarts = lstarts
        self.sstarts = sstarts
        self.open_end = open_end  # the file ended while the line was still continued

    def src_start(self, pos: int) -> int:
        """Source offset of the character at logical offset ``pos``."""
        i = bisect.bisect_right(self.lstarts, pos) - 1
        if i < 0:
            i = 0
        return self.sstarts[i] + (pos - self.lstarts[i])

    def src_end(self, pos: int) -> int:
        """Source offset just after the character at logical offset ``pos - 1``."""
        if pos <= 0:
            return self.src_start(0)
        return self.src_start(pos - 1) + 1

    @property
    def args(self) -> str:
        return self.line[self.args_start : self.args_end]

    # -- the per-keyword reading, on first access ----------------------------------

    def _read_arguments(self) -> None:
        """BuildKit's dispatch table over the arguments (ONBUILD: over its instruction)."""
        self._sub_cmd = None
        self._sub_flags = []
        self._sub_args_start = self._sub_args_end = 0
        self._values, self._is_json, self._error = None, False, None
        key = self.cmd.lower()
        try:
            if key == "onbuild":
                self._read_onbuild()
            else:
                self._values, self._is_json = _dispatch(
                    key, self.line, self.args_start, self.args_end, self.escape, self.legacy
                )
        except (NotStringArray, _ArgError) as exc:
            self._error = str(exc)

    def _read_onbuild(self) -> None:
        a, b = self.args_start, self.args_end
        if a == b:
            return
        flag_escape = "\\" if self.legacy else self.escape
        sub, self._sub_flags, sa, sb = _head_general(self.line, flag_escape, a, b)
        self._sub_cmd = sub
        self._sub_args_start, self._sub_args_end = sa, sb
        self._values, self._is_json = _dispatch(
            sub.lower(), self.line, sa, sb, self.escape, self.legacy
        )

    def _read(self) -> Logical:
        """This object, with the per-keyword reading done."""
        if getattr(self, "_is_json", None) is None:  # unset until read; then a bool
            self._read_arguments()
        return self

    @property
    def values(self) -> list[str] | None:
        return self._read()._values

    @property
    def is_json(self) -> bool:
        return self._read()._is_json

    @property
    def error(self) -> str | None:
        return self._read()._error

    @property
    def sub_cmd(self) -> str | None:
        return self._read()._sub_cmd

    @property
    def sub_flags(self) -> list[FlagWord]:
        return self._read()._sub_flags

    @property
    def sub_args_start(self) -> int:
        return self._read()._sub_args_start

    @property
    def sub_args_end(self) -> int:
        return self._read()._sub_args_end

    def _heredocs(self) -> tuple[list[HeredocWord], str | None]:
        """The heredoc words the line opens and BuildKit's error, read once."""
        if getattr(self, "_heredoc_words", None) is None:
            sub = self.sub_cmd
            key = sub.lower() if sub is not None else self.cmd.lower()
            self._heredoc_words, self._heredoc_error = [], None
            if key in _HEREDOC_KEYWORDS and not self.is_json:
                self._heredoc_words, self._heredoc_error = heredocs_in_line(
                    self.line, legacy=self.legacy
                )
        return self._heredoc_words, self._heredoc_error

    @property
    def heredoc_words(self) -> list[HeredocWord]:
        return self._heredocs()[0]

    @property
    def heredoc_error(self) -> str | None:
        return self._heredocs()[1]


def logical_line(text: str, start: int, end: int, escape: str) -> Logical:
    """Join the physical lines of ``text[start:end]`` the way BuildKit's ``Parse`` does."""
    if text.find("\n", start, end) < 0:
        # One line (most instructions): no joining unless it ends with a continuation.
        raw = text[start:end].rstrip("\r\n")
        stripped = raw.lstrip(GO_SPACE)
        if not stripped.rstrip(" \t").endswith(escape):
            if not stripped:
                return Logical("", [0], [start])
            return Logical(stripped, [0], [start + len(raw) - len(stripped)])
    return _join_lines(text, start, end, escape)


def _join_lines(text: str, start: int, end: int, escape: str) -> Logical:
    """``logical_line`` for any instruction, one physical line at a time."""
    pieces: list[str] = []
    lstarts: list[int] = []
    sstarts: list[int] = []
    length = 0
    src = start
    first = True
    open_end = False
    double = escape + escape
    lines = text[start:end].split("\n")
    last = len(lines) - 1
    for k, physical in enumerate(lines):
        line_src = src
        src += len(physical) + 1
        raw = physical.rstrip("\r")
        if first:
            stripped = raw.lstrip(GO_SPACE)
            line_src += len(raw) - len(stripped)
            raw = stripped
            first = False
        else:
            probe = raw.lstrip(GO_SPACE)
            if not probe or probe[0] == "#":  # comment and blank lines inside: dropped
                if k == last:
                    open_end = True
                    break
                continue
        # BuildKit's continuation: the escape character, not itself escaped, then blanks
        kept = raw.rstrip(" \t")
        continues = kept.endswith(escape) and not kept.endswith(double)
        content = kept[:-1] if continues else raw
        if content:
            lstarts.append(length)
            sstarts.append(line_src)
            pieces.append(content)
            length += len(content)
        if not continues:
            break
        if k == last:
            open_end = True
            break
    if not lstarts:
        lstarts.append(0)
        sstarts.append(start)
    return Logical("".join(pieces), lstarts, sstarts, open_end)


def analyze(text: str, start: int, end: int, escape: str, *, legacy: bool = False) -> Logical:
    """Build the logical line of the instruction at ``text[start:end]`` and find its keyword,
    flags and arguments (the rest of BuildKit's reading follows on first access).

    ``end`` is the end of the instruction's own lines (heredoc bodies excluded).
    ``legacy`` reproduces BuildKit v0.12.5 where it differs from newer BuildKit.
    """
    lg = logical_line(text, start, end, escape)
    lg.escape, lg.legacy = escape, legacy
    lg.cmd, lg.flags, lg.args_start, lg.args_end = _head(lg.line, "\\" if legacy else escape)
    return lg


_Head = tuple[str, list[FlagWord], int, int]


def _head(line: str, flag_escape: str) -> _Head:
    """Keyword, flags and the arguments' ``[start, end)`` of a logical line, as BuildKit
    splits them (``splitCommand``, then ``extractBuilderFlags`` on the trimmed line)."""
    end = len(line.rstrip(GO_SPACE))
    if not end or line[0] in _GO_SPACE_SET:
        return _head_general(line, flag_escape)
    # The line starts with its keyword (logical_line trims the first line): it runs to
    # the first ASCII blank.
    m = _RE_BLANKS.search(line, 0, end)
    if m is None:
        return line[:end], [], end, end
    cmd, rest = line[: m.start()], m.end()
    if line[rest] == "-" or line[rest] in _GO_SPACE_SET:
        flags, after = extract_builder_flags(line, rest, end, flag_escape)
        a, b = _trim(line, after, end)
        return cmd, flags, a, b
    return cmd, [], rest, end  # no flags: the rest starts and ends with a non-blank


def _head_general(line: str, flag_escape: str, start: int = 0, stop: int | None = None) -> _Head:
    """``_head`` for any line (or ``line[start:stop]``: ONBUILD's instruction), the steps
    spelled out as BuildKit's code has them."""
    stop = len(line) if stop is None else stop
    cmd, _, rest = split_command(line, start, stop)
    # BuildKit splits flags off the *trimmed* line, so trailing blanks never reach a flag.
    end = max(start + len(line[start:stop].rstrip(GO_SPACE)), rest)
    flags, after = extract_builder_flags(line, rest, end, flag_escape)
    a, b = _trim(line, after, end)
    return cmd, flags, a, b


class _ArgError(ValueError):
    pass


def _trim(line: str, start: int, end: int) -> tuple[int, int]:
    seg = line[start:end]
    a = start + len(seg) - len(seg.lstrip(GO_SPACE))
    b = start + len(seg.rstrip(GO_SPACE))
    return (a, b) if a < b else (a, a)


def _dispatch(
    key: str, line: str, a: int, b: int, escape: str, legacy: bool
) -> tuple[list[str] | None, bool]:
    """BuildKit's dispatch table: the node values an instruction's arguments become."""
    rest = line[a:b]
    if key in _JSON_OR_STRING:
        if not rest:
            return None, False
        exec_form = parse_json_array(rest, trailing_ok=legacy)
        if exec_form is not None:
            return exec_form, True
        return [rest], False
    if key in _JSON_OR_LIST:
        exec_form = parse_json_array(rest, trailing_ok=legacy)
        if exec_form is not None:
            return exec_form, True
        return _whitespace_list(line, a, b), False
    if key in _WHITESPACE_LIST:
        return _whitespace_list(line, a, b), False
    if key in _STRING:
        return ([rest] if rest else None), False
    if key == "arg":
        return [w.text for w in parse_words(line, a, b, escape)] or None, False
    if key in ("env", "label"):
        pairs, err = name_values(line, a, b, escape, key.upper())
        if err:
            raise _ArgError(err)
        out: list[str] = []
        for k, v in pairs:
            out.append(k.text)
            out.append(v.text if v is not None else "")
        return out or None, False
    if key == "healthcheck":
        return _healthcheck(line, a, b, legacy)
    return [""], False  # unknown instruction: BuildKit keeps an empty value


def _whitespace_list(line: str, a: int, b: int) -> list[str] | None:
    if a == b:
        return None
    return [w.text for w in split_whitespace(line, a, b)]


def _healthcheck(line: str, a: int, b: int, legacy: bool) -> tuple[list[str] | None, bool]:
    sep = a
    while sep < b and line[sep] not in GO_SPACE:
        sep += 1
    nxt = sep
    while nxt < b and line[nxt] in GO_SPACE:
        nxt += 1
    if sep == a:
        return None, False
    typ = line[a:sep]
    rest = line[nxt:b]
    if not rest:
        return [typ], False
    exec_form = parse_json_array(rest, trailing_ok=legacy)
    if exec_form is not None:
        return [typ, *exec_form], True
    return [typ, rest], False


def name_values(
    line: str, a: int, b: int, escape: str, keyword: str
) -> tuple[list[tuple[Word, Word | None]], str | None]:
    """``parseNameVal`` (ENV, LABEL): ``(key, value)`` words with positions, and BuildKit's error.

    The old form ``ENV KEY value with spaces`` gives one pair whose value runs to
    the end of the arguments; the ``KEY=value`` form gives one pair per word.
    """
    words = parse_words(line, a, b, escape)
    if not words:
        return [], None
    if "=" not in words[0].text:
        m = re.search(r"[\t\v\f\r ]+", line[a:b])
        if m is None:
            return [(Word(line[a:b], a, b), None)], f"{keyword} must have two arguments"
        k = Word(line[a : a + m.start()], a, a + m.start())
        v = Word(line[a + m.end() : b], a + m.end(), b)
        return [(k, v)], None
    pairs: list[tuple[Word, Word | None]] = []
    for w in words:
        eq = w.text.find("=")
        if eq < 0:
            return pairs, (
                f"Syntax error - can't find = in {w.text!r}. Must be of the form: name=value"
            )
        pairs.append(
            (
                Word(w.text[:eq], w.start, w.start + eq),
                Word(w.text[eq + 1 :], w.start + eq + 1, w.end),
            )
        )
    return pairs, None
