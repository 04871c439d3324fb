"""The nodes of the Dockerfile tree: immutable views onto one source text.

Shape of this layer (STYLE.md asks each layer to pick one): the tree is
**immutable**. A ``Dockerfile`` owns the exact source text; every node records
``[start, end)`` offsets into it, so ``str(tree)`` is the text itself and
nothing is ever re-spelled. Comments, blank lines and parser directives are
trivia: they are not instructions, they simply sit in the text between
instruction spans (``Dockerfile.trivia()`` lists them). Changing a file means
computing ``Edit`` values (``patchkit.dockerfile.edit``), splicing them into
the text, and parsing again.

Everything is computed when first asked for: the scanner (``parser.py``) only
records where instructions are; the ``Instruction`` and ``Stage`` objects are
built from those offsets on the first access to ``tree.instructions`` (or
``stages``, ``global_args``), line numbers on the first question about a line,
and flags, arguments, mounts, pairs and the exec form from the logical line on
an instruction's first access to them (``_logical.py``).
"""

from __future__ import annotations

import bisect
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate, chain, compress, repeat
from operator import eq, is_
from typing import TYPE_CHECKING, TypeVar

from patchkit.dockerfile._logical import Logical, analyze, name_values
from patchkit.dockerfile._shell import unquote
from patchkit.dockerfile.mounts import Mount, MountOption, split_csv
from patchkit.dockerfile.tokens import FlagWord, parse_words

if TYPE_CHECKING:
    from collections.abc import Callable

    from patchkit._source import SourceText
    from patchkit.dockerfile.stages import Stage

_T = TypeVar("_T")

__all__ = ["Dockerfile", "Flag", "Heredoc", "Instruction", "KeyValue", "ParseProblem", "Trivia"]


# Keywords whose arguments BuildKit's parser can reject (JSON arrays: checked when "[" appears).
_MAY_FAIL = frozenset(("ENV", "LABEL"))


@dataclass(frozen=True, slots=True)
class Flag:
    """A ``--name[=value]`` flag. ``[start, end)`` covers the whole token as written.

    ``value`` has BuildKit's quote removal applied; ``value_offsets[i]`` is the
    source offset of ``value[i]`` (a ``range`` when the value is written in one
    piece, else a tuple) and ``value_start``/``value_end`` bound the
    value's source text (both just after ``=`` for an empty value, both
    ``end`` when there is no ``=``).
    """

    name: str
    value: str | None
    start: int
    end: int
    value_start: int
    value_end: int
    value_offsets: Sequence[int] = field(default=(), repr=False)

    @property
    def text(self) -> str:
        """The flag as BuildKit reports it: ``--name=value``."""
        return f"--{self.name}" if self.value is None else f"--{self.name}={self.value}"


@dataclass(frozen=True, slots=True)
class Heredoc:
    """A heredoc attached to RUN / COPY / ADD.

    ``body`` is the content exactly as written (line endings kept, tabs not
    stripped even for ``<<-``: see ``content``). ``[start, end)`` covers the
    body and the closing delimiter (not its line ending); ``delimiter_start``
    is where the closing delimiter line begins. ``quoted`` means the
    delimiter was quoted, so BuildKit does not expand variables in the body.
    ``terminated`` is False when the file ended before the delimiter.
    """

    name: str
    body: str
    strip_tabs: bool
    quoted: bool
    start: int
    end: int
    fd: int = 0
    delimiter_start: int = -1
    terminated: bool = True

    @property
    def content(self) -> str:
        """The body as the build sees it (leading tabs removed for ``<<-``)."""
        if not self.strip_tabs:
            return self.body
        return "".join(line.lstrip("\t") for line in self.body.splitlines(keepends=True))


@dataclass(frozen=True, slots=True)
class KeyValue:
    """One ``key[=value]`` of ENV / ARG / LABEL.

    ``key`` and ``value`` have shell quotes removed (``$VAR`` stays as written);
    the spans cover the text as written, quotes included. For ``ARG NAME``
    (no default) ``value`` is None and both value offsets equal ``key_end``.
    """

    key: str
    value: str | None
    key_start: int
    key_end: int
    value_start: int
    value_end: int
    raw_value: str | None = None


@dataclass(frozen=True, slots=True)
class ParseProblem:
    """Something BuildKit's parser would refuse; patchkit still builds a tree around it."""

    message: str
    line: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Trivia:
    """A comment, directive or blank line between instructions (``end`` before its line ending)."""

    kind: str  # "comment", "directive" or "blank"
    start: int
    end: int
    line: int


class Instruction:
    """One instruction: keyword, span, lines, and (lazily) what BuildKit reads from it."""

    # Slots named with a leading underscore are caches filled on first use. They
    # start unset (cheaper than setting every cache to None for every instruction
    # at parse time) and are read with getattr(..., None): a miss caught in C
    # costs a quarter of a Python try/except AttributeError.
    __slots__ = (
        "_flags",
        "_heredocs",
        "_lg",
        "_mounts",
        "_pairs",
        "end",
        "index",
        "keyword",
        "start",
        "tree",
    )

    _flags: list[Flag]
    _heredocs: list[Heredoc]
    _lg: Logical
    _mounts: list[Mount]
    _pairs: list[KeyValue]

    def __init__(self, tree: Dockerfile, index: int, keyword: str, start: int, end: int) -> None:
        # Called once per instruction by Dockerfile._materialise: keep it to a few plain
        # stores (what fewer callers need is read from the tree's lists on demand).
        self.tree = tree
        self.index = index
        self.keyword = keyword
        self.start = start
        self.end = end

    @property
    def keyword_raw(self) -> str:
        """The keyword as spelled in the file (``run``, ``Run``); ``keyword`` is upper case."""
        return self.tree._keywords_raw[self.index]  # type: ignore[return-value]

    @property
    def start_line(self) -> int:
        """The 1-based line of the keyword."""
        return self.tree._line_numbers()[2 * self.index]

    @property
    def end_line(self) -> int:
        """The 1-based line of the instruction's last line (continuations and heredocs included)."""
        return self.tree._line_numbers()[2 * self.index + 1]

    @property
    def stage(self) -> Stage | None:
        """The stage this instruction is in (a FROM opens its own); None before the first FROM."""
        return self.tree._stage_of(self.index)

    @property
    def heredocs(self) -> list[Heredoc]:
        """The heredocs this instruction opens, in order (empty for most instructions)."""
        heredocs = getattr(self, "_heredocs", None)
        return heredocs if heredocs is not None else []

    def __repr__(self) -> str:
        return f"<Instruction {self.keyword} lines {self.start_line}-{self.end_line}>"

    # -- text -----------------------------------------------------------------

    @property
    def raw(self) -> str:
        """The instruction as written: ``tree.text[start:end]`` (heredoc bodies included)."""
        return self.tree.text[self.start : self.end]

    @property
    def line_start(self) -> int:
        """Offset of the beginning of the instruction's first line (before any indentation).

        On the first line of a file with a byte-order mark this is just after the mark,
        so text inserted at the line start keeps the mark first.
        """
        i = self.tree.text.rfind("\n", 0, self.start)
        if i < 0 and self.tree.text.startswith("\ufeff"):
            return 1
        return i + 1

    @property
    def indent(self) -> str:
        """The blanks before the keyword on its first line."""
        return self.tree.text[self.line_start : self.start]

    @property
    def line_ending(self) -> str:
        """The line ending after the instruction's last line ("" at a file end without one)."""
        text = self.tree.text
        if text.startswith("\r\n", self.end):
            return "\r\n"
        if text.startswith("\n", self.end):
            return "\n"
        return ""

    # -- BuildKit's reading, computed on first use -------------------------------

    def _logical(self) -> Logical:
        lg = getattr(self, "_lg", None)
        if lg is None:
            lg = self._lg = self.tree._analyze(self.index)
        return lg

    @property
    def continues_to_eof(self) -> bool:
        """True when the file ends while this instruction is still continued (``RUN a \\`` last),
        or inside one of its heredoc bodies (the delimiter never comes).

        Nothing can be inserted after such an instruction without joining it.
        """
        if any(not h.terminated for h in self.heredocs):
            return True
        return self._logical().open_end and not self.heredocs

    @property
    def logical_line(self) -> str:
        """The line BuildKit parses: continuations joined, comment lines inside them dropped."""
        return self._logical().line

    def _to_flags(self, words: list[FlagWord]) -> list[Flag]:
        lg = self._logical()
        out: list[Flag] = []
        for w in words:
            body = w.text[2:]
            eq = body.find("=")
            start = lg.src_start(w.start)
            end = lg.src_end(w.end)
            if eq < 0:
                out.append(Flag(body, None, start, end, end, end))
                continue
            name = body[:eq]
            value = body[eq + 1 :]
            first = eq + 3  # index in w.text of value[0]
            offsets = _source_offsets(lg, w.positions[first:])
            if offsets:
                vs, ve = offsets[0], offsets[-1] + 1
            else:
                vs = ve = lg.src_start(w.positions[first - 1]) + 1
            out.append(Flag(name, value, start, end, vs, ve, offsets))
        return out

    @property
    def flags(self) -> list[Flag]:
        """The ``--flags`` before the arguments, in order (BuildKit's ``node.Flags``)."""
        flags = getattr(self, "_flags", None)
        if flags is None:
            flags = self._flags = self._to_flags(self._logical().flags)
        return flags

    @property
    def sub_flags(self) -> list[Flag]:
        """For ``ONBUILD RUN --mount=... x``: the triggered instruction's flags (else empty)."""
        return self._to_flags(self._logical().sub_flags)

    @property
    def sub_args(self) -> str | None:
        """For ONBUILD: the triggered instruction's arguments after its flags (None otherwise)."""
        lg = self._logical()
        if lg.sub_cmd is None:
            return None
        return lg.line[lg.sub_args_start : lg.sub_args_end]

    def flag(self, name: str) -> Flag | None:
        """The first flag called ``name`` (without the dashes), or None."""
        for f in self.flags:
            if f.name == name:
                return f
        return None

    @property
    def sub_keyword(self) -> str | None:
        """For ``ONBUILD RUN ...``: the triggered keyword, upper-cased (None otherwise)."""
        sub = self._logical().sub_cmd
        return sub.upper() if sub is not None else None

    @property
    def args(self) -> str:
        """The arguments after the flags, continuations removed, blanks trimmed (``rest``).

        For ONBUILD this is the whole triggered instruction (``RUN make``).
        """
        return self._logical().args

    @property
    def args_start(self) -> int:
        """Source offset where ``args`` begin."""
        lg = self._logical()
        return lg.src_start(lg.args_start)

    @property
    def values(self) -> list[str]:
        """The argument values as BuildKit's parser stores them (its ``node.Next`` chain).

        ENV and LABEL give ``[key, value, key, value, ...]`` (newer BuildKit
        also inserts separator nodes; they are left out here).
        """
        v = self._logical().values
        return list(v) if v is not None else []

    @property
    def exec_form(self) -> list[str] | None:
        """The JSON (exec) form's list, or None for the shell form."""
        lg = self._logical()
        if not lg.is_json or lg.values is None:
            return [] if lg.is_json else None
        if self.keyword == "HEALTHCHECK" or (lg.sub_cmd or "").upper() == "HEALTHCHECK":
            return list(lg.values[1:])
        return list(lg.values)

    @property
    def error(self) -> str | None:
        """BuildKit's parse error for this instruction's arguments, if it would raise one."""
        return self._logical().error

    @property
    def mounts(self) -> list[Mount]:
        """RUN's ``--mount`` flags, parsed (empty for other instructions)."""
        mounts = getattr(self, "_mounts", None)
        if mounts is None:
            if self.keyword != "RUN":
                mounts = self._mounts = []
            else:
                mounts = self._mounts = [_mount(f) for f in self.flags if f.name == "mount"]
        return mounts

    @property
    def pairs(self) -> list[KeyValue]:
        """ENV / ARG / LABEL ``key=value`` pairs with source spans (empty for other keywords)."""
        pairs = getattr(self, "_pairs", None)
        if pairs is None:
            pairs = self._pairs = self._compute_pairs()
        return pairs

    def pair(self, key: str) -> KeyValue | None:
        """The last pair whose key is ``key`` (ENV/ARG keys are case-sensitive)."""
        found = None
        for p in self.pairs:
            if p.key == key:
                found = p
        return found

    def _compute_pairs(self) -> list[KeyValue]:
        kw = self.keyword
        if kw not in ("ENV", "ARG", "LABEL"):
            return []
        lg = self._logical()
        line, a, b = lg.line, lg.args_start, lg.args_end
        esc = self.tree.escape
        out: list[KeyValue] = []
        if kw == "ARG":
            for w in parse_words(line, a, b, esc):
                eq = w.text.find("=")
                ks = lg.src_start(w.start)
                if eq < 0:
                    ke = lg.src_end(w.end)
                    out.append(KeyValue(unquote(w.text, esc), None, ks, ke, ke, ke))
                    continue
                ke = lg.src_end(w.start + eq)
                vs = lg.src_start(w.start + eq + 1)
                ve = lg.src_end(w.end) if w.end > w.start + eq + 1 else vs
                raw = w.text[eq + 1 :]
                out.append(
                    KeyValue(unquote(w.text[:eq], esc), unquote(raw, esc), ks, ke, vs, ve, raw)
                )
            return out
        pairs, _err = name_values(line, a, b, esc, kw)
        for k, v in pairs:
            ks, ke = lg.src_start(k.start), lg.src_end(k.end)
            if v is None:
                out.append(KeyValue(unquote(k.text, esc), None, ks, ke, ke, ke))
                continue
            vs = lg.src_start(v.start)
            ve = lg.src_end(v.end) if v.end > v.start else vs
            out.append(KeyValue(unquote(k.text, esc), unquote(v.text, esc), ks, ke, vs, ve, v.text))
        return out


def _source_offsets(lg: Logical, positions: Sequence[int]) -> Sequence[int]:
    """The source offsets of the logical ``positions`` (increasing), in one pass.

    A value written in one piece (no quote or escape removed, no line break
    inside: nearly every flag) is a ``range``, made without a step per character.
    """
    n = len(positions)
    if not n:
        return ()
    lstarts, sstarts = lg.lstarts, lg.sstarts
    p0 = positions[0]
    i = max(bisect.bisect_right(lstarts, p0) - 1, 0)
    nxt = lstarts[i + 1] if i + 1 < len(lstarts) else sys.maxsize
    base = sstarts[i] - lstarts[i]
    if positions[-1] - p0 == n - 1 and positions[-1] < nxt:
        return range(base + p0, base + p0 + n)
    out: list[int] = []
    for p in positions:
        while p >= nxt:
            i += 1
            nxt = lstarts[i + 1] if i + 1 < len(lstarts) else sys.maxsize
            base = sstarts[i] - lstarts[i]
        out.append(base + p)
    return tuple(out)


def _mount(flag: Flag) -> Mount:
    value = flag.value or ""
    if not value:
        return Mount(flag, [], [], None if flag.value is not None else "--mount needs a value")
    fields, error = split_csv(value)
    offs = flag.value_offsets
    options: list[tuple[str, str | None]] = []
    spans: list[MountOption] = []

    def src(i: int) -> int:
        return offs[i] if i < len(offs) else flag.value_end

    def src_end(i: int) -> int:
        return offs[i - 1] + 1 if 0 < i <= len(offs) else src(i)

    for text, fs, fe in fields:
        key, eq, val = text.partition("=")
        start, end = src(fs), src_end(fe)
        if not eq:
            options.append((key, None))
            spans.append(MountOption(key, None, start, end, start, end, end, end))
            continue
        options.append((key, val))
        # Offsets of key and value inside the written field (a quoted field is rare;
        # its key starts after the quote).
        q = 1 if fe > fs and value[fs] == '"' else 0
        k_end = fs + q + len(key)
        v_start = k_end + 1
        v_end = fe - q
        spans.append(
            MountOption(
                key,
                val,
                start,
                end,
                src(fs + q),
                src_end(k_end),
                src(v_start) if v_start < v_end else src_end(v_start),
                src_end(v_end) if v_start < v_end else src_end(v_start),
            )
        )
    return Mount(flag, options, spans, error)


class Dockerfile:
    """A parsed Dockerfile. ``str(tree) == tree.text``, byte for byte.

    Built by ``patchkit.dockerfile.parse``; see ``docs/dockerfile-api.md``.

    ``parse`` only records where each instruction is (lists of offsets, and the
    scanner's matches); ``instructions``, ``stages`` and ``global_args`` are
    built from them on first access, all at once, and line numbers on the
    first question about a line. A caller that only needs the text
    (``str(tree)``, a round trip) pays for none of it.
    """

    __slots__ = (
        "_body_ends",
        "_by_name",
        "_ends",
        "_global_args",
        "_global_env",
        "_heredocs",
        "_instructions",
        "_keywords_raw",
        "_lines",
        "_logicals",
        "_memos",
        "_newline",
        "_problems",
        "_source",
        "_stage_starts",
        "_stages",
        "_starts",
        "directives",
        "escape",
        "legacy",
        "path",
        "text",
    )

    _instructions: list[Instruction]
    _stages: list[Stage]
    _global_args: list[Instruction]
    _stage_starts: list[int]
    _lines: list[int]
    _by_name: dict[str, list[Stage]]
    _memos: dict[str, object]
    _global_env: dict[str, str | None]
    _newline: str

    def __init__(self, text: str, path: str | None, escape: str, legacy: bool) -> None:
        self.text = text
        self.path = path
        self.escape = escape
        self.legacy = legacy
        self.directives: dict[str, str] = {}
        self._problems: list[ParseProblem] = []
        # Filled by the parser, one entry per instruction: where it starts, where its own
        # lines end (heredoc bodies excluded), where it ends (before its line ending), and
        # its keyword as spelled (None until read from the logical line when the first
        # line does not show it).
        self._starts: list[int] = []
        self._body_ends: list[int] = []
        self._ends: list[int] = []
        self._keywords_raw: list[str | None] = []
        # What the parser already worked out for a few instructions, by index.
        self._logicals: dict[int, Logical] = {}
        self._heredocs: dict[int, list[Heredoc]] = {}
        self._source: SourceText | None = None

    @property
    def newline(self) -> str:
        """The dominant line ending: "\\r\\n" when half the line breaks or more are CRLF."""
        try:
            return self._newline
        except AttributeError:
            text = self.text
            nl = "\n"
            if "\r" in text:  # rare: only then count line endings
                crlf = text.count("\r\n")
                if crlf and crlf * 2 >= text.count("\n"):
                    nl = "\r\n"
            self._newline = nl
            return nl

    @property
    def instructions(self) -> list[Instruction]:
        """The instructions in source order (comments and blank lines are trivia)."""
        try:
            return self._instructions
        except AttributeError:
            self._materialise()
            return self._instructions

    @property
    def stages(self) -> list[Stage]:
        """The build stages, one per FROM, in order."""
        try:
            return self._stages
        except AttributeError:
            self._materialise()
            return self._stages

    @property
    def global_args(self) -> list[Instruction]:
        """The ARG instructions before the first FROM."""
        try:
            return self._global_args
        except AttributeError:
            self._materialise()
            return self._global_args

    def _materialise(self) -> None:
        """Build the Instruction and Stage objects from what the parser recorded.

        Per instruction this runs one small constructor; everything else is
        ``map`` over builtins, which loops in C. Files have thousands of
        instructions and this is the part of parsing that grows with them.
        """
        from patchkit.dockerfile.stages import Stage

        starts = self._starts
        count = len(starts)
        keywords_raw = self._keywords_raw
        if None in keywords_raw:
            # The first line did not show the keyword: read it from the logical line.
            for i in compress(range(count), map(is_, keywords_raw, repeat(None))):
                keywords_raw[i] = self._logical(i).cmd
        keywords = list(map(str.upper, keywords_raw))  # type: ignore[arg-type]
        instructions = list(
            map(Instruction, repeat(self), range(count), keywords, starts, self._ends)
        )
        for i, lg in self._logicals.items():
            instructions[i]._lg = lg
        for i, heredocs in self._heredocs.items():
            instructions[i]._heredocs = heredocs
        from_indexes = list(compress(range(count), map(eq, keywords, repeat("FROM"))))
        stages = list(
            map(
                Stage,
                repeat(self),
                range(len(from_indexes)),
                map(instructions.__getitem__, from_indexes),
            )
        )
        for stage, next_from in zip(stages[:-1], from_indexes[1:], strict=True):
            stage._end = next_from
        first_from = from_indexes[0] if from_indexes else count
        self._global_args = [i for i in instructions[:first_from] if i.keyword == "ARG"]
        self._stage_starts = from_indexes
        self._stages = stages
        self._instructions = instructions

    def _logical(self, index: int) -> Logical:
        """The logical line of instruction ``index`` (computed once, kept for its object)."""
        lg = self._logicals.get(index)
        if lg is None:
            lg = self._logicals[index] = self._analyze(index)
        return lg

    def _analyze(self, index: int) -> Logical:
        """Read instruction ``index``'s logical line (not kept: callers keep it)."""
        return analyze(
            self.text,
            self._starts[index],
            self._body_ends[index],
            self.escape,
            legacy=self.legacy,
        )

    def _line_numbers(self) -> list[int]:
        """``[start_line0, end_line0, start_line1, end_line1, ...]`` of all instructions.

        Counted once, on the first question about a line: the line breaks
        between the consecutive offsets 0, start0, end0, start1, ... are
        counted in C and added up.
        """
        try:
            return self._lines
        except AttributeError:
            text = self.text
            bounds = [0, *chain.from_iterable(zip(self._starts, self._ends, strict=True))]
            counts = map(text.count, repeat("\n"), bounds, bounds[1:])
            self._lines = list(accumulate(counts, initial=1))[1:]
            return self._lines

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        where = f" {self.path}" if self.path else ""
        return (
            f"<Dockerfile{where}: {len(self.stages)} stages, {len(self.instructions)} instructions>"
        )

    @property
    def problems(self) -> list[ParseProblem]:
        """What BuildKit's parser would refuse in this file, in source order (empty when it parses).

        Scanner-level problems (directives, heredocs, no instructions) are found
        by ``parse``; argument-level ones (``ENV`` without a value, a JSON
        array of non-strings) are found here, on first access.
        """
        out = list(self._problems)
        for ins in self.instructions:
            if ins.keyword in _MAY_FAIL or "[" in ins.raw:
                err = ins.error
                if err:
                    out.append(ParseProblem(err, ins.start_line, ins.start, ins.end))
        out.sort(key=lambda p: (p.start, p.end))
        return out

    def _stage_of(self, index: int) -> Stage | None:
        """The stage holding instruction ``index`` (None before the first FROM)."""
        i = bisect.bisect_right(self._stage_starts, index) - 1
        return self.stages[i] if i >= 0 else None

    def stage(self, name_or_index: str | int) -> Stage | None:
        """A stage by index, or by name compared case-insensitively (as BuildKit does).

        When several stages carry the name, the first of them.
        """
        if isinstance(name_or_index, int):
            if 0 <= name_or_index < len(self.stages):
                return self.stages[name_or_index]
            return None
        named = self._stages_named(name_or_index)
        return named[0] if named else None

    def _stages_named(self, name: str) -> list[Stage]:
        """The stages called ``name`` (case-insensitively), in order; usually one or none.

        The index from names to stages is built on the first question, in one
        pass over the stages; the tree never changes, so it stays right.
        """
        by_name: dict[str, list[Stage]] | None = getattr(self, "_by_name", None)
        if by_name is None:
            by_name = {}
            for st in self.stages:
                if st.name is not None:
                    by_name.setdefault(st.name.lower(), []).append(st)
            self._by_name = by_name
        return by_name.get(name.lower(), [])

    def memo(self, key: str, build: Callable[[Dockerfile], _T]) -> _T:
        """``build(self)``, worked out on the first call for ``key`` and kept with the tree.

        For what other layers derive from a tree (lint's stage graph): the tree
        never changes (an edit makes a new text, parsed into a new tree), so a
        kept result never goes stale. ``key`` names the builder; one key, one builder.
        """
        memos = getattr(self, "_memos", None)
        if memos is None:
            memos = self._memos = {}
        try:
            return memos[key]  # type: ignore[return-value]
        except KeyError:
            value = memos[key] = build(self)
            return value

    def _global_defaults(self) -> dict[str, str | None]:
        """Each global ARG's default (None: declared without one), the last declaration winning.

        Kept for the tree's life: callers must not change the dict.
        """
        env = getattr(self, "_global_env", None)
        if env is None:
            env = {}
            for ins in self.global_args:
                for kv in ins.pairs:
                    env[kv.key] = kv.value
            self._global_env = env
        return env

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in characters) of ``offset``."""
        if self._source is None:
            from patchkit._source import SourceText

            self._source = SourceText(self.text)
        return self._source.line_col(offset)

    def instruction_at_line(self, line: int) -> Instruction | None:
        """The instruction whose span covers the 1-based ``line``."""
        lines = self._line_numbers()
        i = bisect.bisect_right(lines, line, 0, len(lines)) - 1
        # Even positions are start lines, odd ones end lines; spans never share a line.
        if i < 0:
            return None
        if i % 2 == 0 or lines[i] == line:
            return self.instructions[i // 2]
        return None

    def trivia(self) -> list[Trivia]:
        """Comment, directive and blank lines outside instructions, in order."""
        out: list[Trivia] = []
        text = self.text
        pos = 1 if text.startswith("\ufeff") else 0
        line = 1
        spans = [(i.line_start, i.end) for i in self.instructions]
        spans.append((len(text) + 1, len(text) + 1))
        ndirectives = len(self.directives)
        k = 0
        while pos < len(text):
            while spans[k][1] < pos and k < len(spans) - 1:
                k += 1
            s, e = spans[k]
            if s <= pos <= e:
                nl = text.find("\n", e)
                line += text.count("\n", pos, e) + (1 if nl >= 0 else 0)
                pos = len(text) if nl < 0 else nl + 1
                continue
            nl = text.find("\n", pos)
            le = len(text) if nl < 0 else nl
            content = text[pos:le].rstrip("\r")
            stripped = content.strip()
            if not stripped:
                kind = "blank"
            elif line <= ndirectives:
                kind = "directive"
            else:
                kind = "comment"
            out.append(Trivia(kind, pos, pos + len(content), line))
            line += 1
            pos = le + 1
        return out
