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

_CONTINUATION = {
    "\\": re.compile(r"(?<!\\)\\[ \t]*\Z"),
    "`": re.compile(r"(?<!`)`[ \t]*\Z"),
}

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
    """

    __slots__ = (
        "args_end",
        "args_start",
        "cmd",
        "error",
        "flags",
        "heredoc_error",
        "heredoc_words",
        "is_json",
        "line",
        "lstarts",
        "open_end",
        "sstarts",
        "sub_args_end",
        "sub_args_start",
        "sub_cmd",
        "sub_flags",
        "values",
    )

    def __init__(self, line: str, lstarts: list[int], sstarts: list[int]) -> None:
        self.line = line
        self.lstarts = lstarts
        self.sstarts = sstarts
        self.cmd = ""
        self.flags: list[FlagWord] = []
        self.args_start = 0
        self.args_end = 0
        self.sub_cmd: str | None = None
        self.sub_flags: list[FlagWord] = []
        self.sub_args_start = 0
        self.sub_args_end = 0
        self.values: list[str] | None = None
        self.is_json = False
        self.error: str | None = None
        self.heredoc_words: list[HeredocWord] = []
        self.heredoc_error: str | None = None
        self.open_end = False  # the file ended while the line was still continued

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


def logical_line(text: str, start: int, end: int, escape: str) -> Logical:
    """Join the physical lines of ``text[start:end]`` the way BuildKit's ``Parse`` does."""
    cont = _CONTINUATION[escape]
    pieces: list[str] = []
    lstarts: list[int] = []
    sstarts: list[int] = []
    length = 0
    pos = start
    first = True
    open_end = False
    while pos <= end:
        nl = text.find("\n", pos, end)
        le = end if nl < 0 else nl
        raw = text[pos:le].rstrip("\r\n")
        src = pos
        if first:
            stripped = raw.lstrip(GO_SPACE)
            src += len(raw) - len(stripped)
            raw = stripped
            first = False
        else:
            probe = raw.lstrip(GO_SPACE)
            if not probe or probe[0] == "#":
                if nl < 0:
                    open_end = True
                    break
                pos = nl + 1
                continue
        m = cont.search(raw)
        content = raw[: m.start()] if m else raw
        if content:
            lstarts.append(length)
            sstarts.append(src)
            pieces.append(content)
            length += len(content)
        if m is None:
            break
        if nl < 0:
            open_end = True
            break
        pos = nl + 1
    else:
        open_end = True  # the last line continued and the text ends after its line break
    if not lstarts:
        lstarts.append(0)
        sstarts.append(start)
    lg = Logical("".join(pieces), lstarts, sstarts)
    lg.open_end = open_end
    return lg


def analyze(text: str, start: int, end: int, escape: str, *, legacy: bool = False) -> Logical:
    """Build the logical line of the instruction at ``text[start:end]`` and parse its arguments.

    ``end`` is the end of the instruction's own lines (heredoc bodies excluded).
    ``legacy`` reproduces BuildKit v0.12.5 where it differs from newer BuildKit.
    """
    lg = logical_line(text, start, end, escape)
    line = lg.line
    cmd, _, rest = split_command(line, 0, len(line))
    lg.cmd = cmd
    # BuildKit splits flags off the *trimmed* line, so trailing blanks never reach a flag.
    end = len(line.rstrip(GO_SPACE))
    flags, after = extract_builder_flags(line, rest, max(end, rest), "\\" if legacy else escape)
    lg.flags = flags
    a, b = _trim(line, after, max(end, rest))
    lg.args_start, lg.args_end = a, b
    key = cmd.lower()
    try:
        if key == "onbuild":
            _parse_onbuild(lg, escape, legacy)
        else:
            lg.values, lg.is_json = _dispatch(key, line, a, b, escape, legacy)
    except NotStringArray as exc:
        lg.error = str(exc)
    except _ArgError as exc:
        lg.error = str(exc)
    heredoc_key = lg.sub_cmd.lower() if lg.sub_cmd is not None else key
    if heredoc_key in _HEREDOC_KEYWORDS and not lg.is_json:
        words, err = heredocs_in_line(line, legacy=legacy)
        lg.heredoc_words = words
        lg.heredoc_error = err
    return lg


class _ArgError(ValueError):
    pass


def _trim(line: str, start: int, end: int) -> tuple[int, int]:
    seg = line[start:end]
    a = start + len(seg) - len(seg.lstrip(GO_SPACE))
    b = start + len(seg.rstrip(GO_SPACE))
    return (a, b) if a < b else (a, a)


def _parse_onbuild(lg: Logical, escape: str, legacy: bool) -> None:
    line = lg.line
    a, b = lg.args_start, lg.args_end
    if a == b:
        return
    sub, _, rest = split_command(line, a, b)
    lg.sub_cmd = sub
    flags, after = extract_builder_flags(line, rest, b, "\\" if legacy else escape)
    lg.sub_flags = flags
    sa, sb = _trim(line, after, b)
    lg.sub_args_start, lg.sub_args_end = sa, sb
    lg.values, lg.is_json = _dispatch(sub.lower(), line, sa, sb, escape, legacy)


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
