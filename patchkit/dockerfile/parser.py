"""``parse(text)``: find instructions the way BuildKit's parser does, fast.

BuildKit's ``parser.Parse`` (moby/buildkit ``frontend/dockerfile/parser/parser.go``)
reads line by line:

1. the leading lines that look like ``# name=value`` with a known name are
   parser directives (``syntax``, ``escape``, ``check``); the first other line
   ends them;
2. a line that is blank or whose first non-blank character is ``#`` is
   skipped; any other line starts an instruction;
3. while the line ends with the escape character (not itself escaped),
   optionally followed by spaces/tabs, the next lines are joined to it;
   comment lines and blank lines met on the way are skipped but keep the
   instruction going;
4. RUN, COPY and ADD (also behind ONBUILD) not in JSON form may open
   heredocs: for each, the lines after the instruction up to the line equal
   to the delimiter (leading tabs ignored for ``<<-``) are its body.

How this stays fast in pure Python: steps 2 and 3 are one compiled regular
expression (``_instruction_pattern``) that finds an instruction together with
the trivia before it, and one ``split`` pass cuts the whole text into trivia,
keyword and instruction pieces without running a line of Python per
instruction; the offsets are the running sum of the pieces' lengths
(``accumulate``). ``split`` makes strings only: no match object per
instruction, nothing for the cyclic garbage collector to walk. Step 4 only
looks at the few places where ``<<`` occurs. The result is three lists
(starts, ends, keywords); the ``Instruction`` objects are built from them on
first access of ``tree.instructions`` (``nodes.Dockerfile``), so ``parse``
followed by ``str(tree)`` or an edit that only needs the text builds none.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_left, bisect_right
from functools import cache
from itertools import accumulate, chain

from patchkit.dockerfile._logical import Logical, analyze
from patchkit.dockerfile._shell import HeredocWord, heredocs_in_line
from patchkit.dockerfile.nodes import Dockerfile, Heredoc, ParseProblem

__all__ = ["parse"]

# Go's unicode.IsSpace without the line feed, as a character class body.
_WS = "\\t\\v\\f\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"

_DIRECTIVE = re.compile(r"([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+?)[\t\n\f\r ]*\Z")
_DIRECTIVE_NAMES = ("syntax", "escape", "check")
_DIRECTIVE_NAMES_LEGACY = ("syntax", "escape")
_HEREDOC_CAPABLE = frozenset(("RUN", "COPY", "ADD", "ONBUILD"))
# bufio.Scanner's default limit: BuildKit refuses a line this long (bytes, newline included).
_MAX_LINE_BYTES = 64 * 1024


# Possessive quantifiers stop the engine from retrying what it already matched;
# the patterns mean the same without them, only slower. They came in 3.11.0, but
# until 3.11.5 the engine mishandled them around capturing groups: on Debian 12's
# 3.11.2 every parse raised "SystemError: The span of capturing group is wrong"
# (CPython gh-101955, gh-106052; 3.11.5 implements them as atomic groups).
_POSSESSIVE_SINCE = (3, 11, 5)
_P = "+" if sys.version_info >= _POSSESSIVE_SINCE else ""


def _pattern_for(text: str, escape: str) -> re.Pattern[str]:
    """The scanning pattern for ``text``: the fast one unless a continuation has trailing blanks.

    Both mean the same on a text without such a continuation (an escape
    followed by spaces/tabs, or by more than one carriage return, before the
    line break); ``tests/dockerfile/test_scan.py`` checks that they agree.
    """
    if escape in text and _odd_continuation(escape).search(text):
        return _exact_pattern(escape)
    return _instruction_pattern(escape)


@cache
def _odd_continuation(escape: str) -> re.Pattern[str]:
    e = re.escape(escape)
    return re.compile(rf"{e}(?:[ \t]+\r*|\r\r+)\n")


@cache
def _instruction_pattern(escape: str) -> re.Pattern[str]:
    """One instruction and the blank/comment lines before it, for escape character ``escape``.

    Group 1 is the trivia: the blank and comment lines before the instruction
    and its indentation. Group 3 is the instruction's lines, from its keyword to
    the end of its last line (line ending excluded). A line *continues* when it
    ends with the
    escape character, not preceded by another escape character, optionally
    followed by spaces and tabs (BuildKit's ``lineContinuationRegex``); this
    pattern only knows the escape right before the line break (or a carriage
    return there), which is what Dockerfiles have (``_pattern_for`` picks
    ``_exact_pattern`` for the rest). Inside a continuation, comment lines and
    blank lines are skipped and do not end the instruction.

    Group 2 is the keyword when it can be read off the first line: a run of
    characters other than ASCII blanks and the escape character, with a blank
    after it. Otherwise (the keyword ends the line, or a continuation may
    split it) group 2 does not take part and only the logical line can tell.

    Matches follow each other without gaps, from any line start: each one
    begins with the line ending of the previous instruction, so the pieces
    ``split`` returns add up to the text. When only trivia is left, the last
    match covers it and groups 2 and 3 do not take part.

    Why it is shaped so (it is most of the time ``parse`` takes): each line is
    read once. Blank lines and indentation are one run of a single character
    class (white space and line breaks), a comment is ``#`` and the rest of its
    line, and whether a line continues is asked at its end with fixed-width
    look-behinds instead of by backtracking over it.
    """
    e = re.escape(escape)
    p = _P
    # Blank lines, comment lines and the next line's indentation: this stops on the
    # first character of an instruction's line, or at the end of the text.
    skipped = rf"(?:[{_WS}\n]*{p}\#[^\n]*{p})*{p}[{_WS}\n]*{p}"
    continues = rf"(?:(?<={e})(?<!{e}{e})|(?<={e}\r)(?<!{e}{e}\r))"
    return re.compile(
        rf"""
        ({skipped})                                # 1: blank and comment lines, indentation
        (?:
            \Z                                     # only trivia up to the end of the text
        |
            (?=([^\t\v\f\r \n{e}]+)[\t\v\f\r ])?  # 2: a plain keyword with a blank after it
            (                                      # 3: the instruction's lines:
                [^\n]*{p}                           # the first line;
                (?:{continues}\n{skipped}[^\n]*{p})*{p}  # while it continues: trivia, next line
            )
        )
        """,
        re.VERBOSE,
    )


@cache
def _exact_pattern(escape: str) -> re.Pattern[str]:
    """What ``_instruction_pattern`` matches, for any continuation (blanks after the escape too).

    Slower: a line is read up to three times (once to look for a
    continuation, backtracking over it, once more as the last line).
    """
    e = re.escape(escape)
    ws = f"[{_WS}]"
    p = _P
    continued = rf"[^\n]*{e}(?<!{e}{e})[ \t]*\r*\n"
    trivia = rf"(?:{ws}*{p}(?:\#[^\n]*{p})?\n)*{p}"
    return re.compile(
        rf"""
        (                                          # 1: trivia:
            {trivia}                                # blank and comment lines,
            {ws}*{p}                                 # indentation,
            (?:\#[^\n]*{p}\Z)?                       # a last comment line without line break
        )
        (?:
            (?=[^{_WS}\n\#])                          # not a comment or blank:
            (?=([^\t\v\f\r \n{e}]+)[\t\v\f\r ])?  # 2: a plain keyword with a blank after it
            (                                      # 3: the instruction's lines
                (?:{continued}                      # a first line that continues, then
                   (?:{continued}|{ws}*{p}(?:\#[^\n]*{p})?\n)*{p}  # continued, comment, blank lines
                )?
                [^\n]*{p}                           # the last line
            )
        |
            \Z                                     # or only trivia up to the end of the text
        )
        """,
        re.VERBOSE,
    )


def _directives(
    tree: Dockerfile, text: str, pos: int, legacy: bool
) -> tuple[str, list[ParseProblem]]:
    """Read the parser directives at the top; return the escape character and problems."""
    names = _DIRECTIVE_NAMES_LEGACY if legacy else _DIRECTIVE_NAMES
    escape = "\\"
    problems: list[ParseProblem] = []
    line = 1
    n = len(text)
    while pos < n:
        nl = text.find("\n", pos)
        le = n if nl < 0 else nl
        token = (
            text[pos:le]
            .rstrip("\r\n")
            .lstrip(
                "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
                "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
            )
        )
        if not token.startswith("#"):
            break
        m = _DIRECTIVE.match(token[1:].lstrip("\t\n\v\f\r \x85\xa0"))
        if m is None:
            break
        key = m.group(1).lower()
        if key not in names:
            break
        if key in tree.directives:
            problems.append(
                ParseProblem(f"only one {key} parser directive can be used", line, pos, le)
            )
            break
        value = m.group(2)
        tree.directives[key] = value
        if key == "escape":
            if value in ("\\", "`"):
                escape = value
            else:
                problems.append(
                    ParseProblem(
                        f"invalid escape token '{value}' does not match ` or \\", line, pos, le
                    )
                )
        line += 1
        if nl < 0:
            break
        pos = nl + 1
    return escape, problems


def parse(text: str, path: str | None = None, *, legacy: bool = False) -> Dockerfile:
    """Parse Dockerfile ``text`` into a lossless tree; never raises for any ``str``.

    ``path`` is only used in messages. What BuildKit would refuse (an
    unterminated heredoc, ``ENV`` without a value, a JSON array of numbers,
    a bad escape directive) is listed in ``tree.problems`` and the tree is
    still built. ``legacy=True`` reproduces BuildKit v0.12.5 (the parser in
    the PyPI ``dockerfile`` 3.4.0 binding) where it differs from newer BuildKit;
    it exists for differential tests.

    >>> tree = parse("FROM alpine AS base\\nRUN echo hi\\n")
    >>> [(i.keyword, i.start_line) for i in tree.instructions]
    [('FROM', 1), ('RUN', 2)]
    >>> str(tree) == "FROM alpine AS base\\nRUN echo hi\\n"
    True
    """
    if not isinstance(text, str):
        raise TypeError(f"parse() takes str, not {type(text).__name__}")
    tree = Dockerfile(text, path, "\\", legacy)
    pos = 1 if text.startswith("\ufeff") else 0
    if text.startswith("#", pos) or text[pos : pos + 1].isspace():
        escape, problems = _directives(tree, text, pos, legacy)
        tree.escape = escape
        tree._problems.extend(problems)
    pattern = _pattern_for(text, tree.escape)
    scan = _Scan(text, pos, pattern)
    heredoc_ends: dict[int, int] = {}
    first = _find_double_lt(text, pos)
    if first >= 0:
        _find_heredocs(tree, scan, pattern, first, heredoc_ends)
    starts = scan.starts
    body_ends = scan.body_ends
    n = len(text)
    if "\r" in text:
        # `end` stops before the line ending, and body_end sits on the "\n" of "\r\n".
        ends = [b - 1 if b < n and text[b - 1] == "\r" else b for b in body_ends]
    else:
        ends = body_ends.copy()
    for i, end in heredoc_ends.items():
        ends[i] = end
    tree._starts = starts
    tree._body_ends = body_ends
    tree._ends = ends
    tree._keywords_raw = scan.keywords
    if not starts:
        tree._problems.append(ParseProblem("file with no instructions", 1, n, n))
    _check_line_lengths(tree)
    return tree


class _Scan:
    """The instructions the pattern finds from a position on, heredocs not yet considered.

    Three parallel lists, one entry per instruction: ``starts`` (where its
    keyword is), ``body_ends`` (the end of its own last line, before the line
    ending) and ``keywords`` (the keyword as spelled, or None when the first
    line does not show it). ``pattern.split`` cuts the text into
    ``[before, trivia, keyword, lines, between, trivia, keyword, lines, ...]``;
    ``before`` and ``between`` are empty (the matches leave no gaps), so the
    offsets are the running sum of the pieces' lengths, computed in C.
    """

    __slots__ = ("body_ends", "keywords", "starts")

    def __init__(self, text: str, pos: int, pattern: re.Pattern[str]) -> None:
        pieces = pattern.split(text[pos:] if pos else text)
        keywords = pieces[2::4]
        lines = pieces[3::4]
        while lines and lines[-1] is None:
            lines.pop()  # the trivia after the last instruction
            keywords.pop()
        if pieces[0] or any(pieces[4::4]):  # cannot happen: the pattern leaves no gaps
            raise AssertionError("the instruction pattern skipped text")
        # the trivia list is longer by the trivia after the last instruction
        lengths = chain.from_iterable(zip(map(len, pieces[1::4]), map(len, lines), strict=False))
        # offsets: [pos, start0, body_end0, start1, body_end1, ...]
        offsets = list(accumulate(lengths, initial=pos))
        starts = offsets[1::2]
        body_ends = offsets[2::2]
        if body_ends:
            start, body_end = starts[-1], body_ends[-1]
            if body_end == len(text) and body_end > start and text.endswith("\n"):
                # A continuation that runs into the end of the file: its last line is
                # the last complete one, not an empty one after the final newline.
                body_ends[-1] = body_end - 1
        self.starts: list[int] = starts
        self.body_ends: list[int] = body_ends
        self.keywords: list[str | None] = keywords


def _find_double_lt(text: str, pos: int) -> int:
    """``text.find("<<", pos)``, faster: "<" is rare in Dockerfiles, and looking for one
    character is a ``memchr`` while looking for two is a much slower general search."""
    q = text.find("<", pos)
    while q >= 0 and not text.startswith("<", q + 1):
        q = text.find("<", q + 2)
    return q


def _find_heredocs(
    tree: Dockerfile,
    scan: _Scan,
    pattern: re.Pattern[str],
    first: int,
    heredoc_ends: dict[int, int],
) -> None:
    """Attach heredoc bodies, fixing ``scan`` where it read a body as instructions.

    Only an instruction containing ``<<`` can open a heredoc, so this visits
    the occurrences of ``<<`` rather than the instructions. When an instruction
    opens heredocs, its bodies are read and the instructions the scan found
    inside them are dropped. The scan can be reused after the last body
    whenever one of its matches ended exactly at the closing delimiter's line:
    the pattern matched from that line ending is the pattern matched from the
    next line start, so the matches after it are what a new scan would give.
    Otherwise (the delimiter line was trivia to the scan) the rest is scanned again.
    """
    text = tree.text
    n = len(text)
    escape = tree.escape
    legacy = tree.legacy
    starts, body_ends, keywords = scan.starts, scan.body_ends, scan.keywords
    line_pos, line = 0, 1  # a position whose line number is known, to count from
    q = first  # the first "<<"
    while q >= 0:
        i = bisect_right(starts, q) - 1
        if i < 0 or q >= body_ends[i]:
            q = _find_double_lt(text, q + 2)  # in trivia
            continue
        start, body_end = starts[i], body_ends[i]
        lg: Logical | None = None
        keyword = keywords[i]
        if keyword is None:
            lg = analyze(text, start, body_end, escape, legacy=legacy)
            keyword = lg.cmd
        keyword = keyword.upper()
        words: list[HeredocWord] = []
        if keyword in _HEREDOC_CAPABLE:
            if keyword != "ONBUILD" and lg is None:
                words, ok = _one_line_heredoc_words(text, start, body_end, escape, legacy)
            else:
                ok = False
            if not ok:
                if lg is None:
                    lg = analyze(text, start, body_end, escape, legacy=legacy)
                words = lg.heredoc_words
        if lg is not None:
            tree._logicals[i] = lg
            if lg.heredoc_error:
                line += text.count("\n", line_pos, start)
                line_pos = start
                tree._problems.append(ParseProblem(lg.heredoc_error, line, start, body_end))
        if not words:
            q = _find_double_lt(text, body_end)
            continue
        line += text.count("\n", line_pos, start)
        line_pos = start
        pos, end, heredocs = _read_heredocs(tree, start, body_end, line, words)
        tree._heredocs[i] = heredocs
        heredoc_ends[i] = end
        # Drop what the scan found inside the bodies; keep or redo what follows them.
        if pos >= n:
            del starts[i + 1 :], body_ends[i + 1 :], keywords[i + 1 :]
            return
        j = bisect_left(body_ends, pos - 1, i + 1)
        if j < len(body_ends) and body_ends[j] == pos - 1:
            del starts[i + 1 : j + 1], body_ends[i + 1 : j + 1], keywords[i + 1 : j + 1]
        else:
            rest = _Scan(text, pos, pattern)
            starts[i + 1 :] = rest.starts
            body_ends[i + 1 :] = rest.body_ends
            keywords[i + 1 :] = rest.keywords
        q = _find_double_lt(text, pos)


def _one_line_heredoc_words(
    text: str, start: int, body_end: int, escape: str, legacy: bool
) -> tuple[list[HeredocWord], bool]:
    """The heredocs of a one-line RUN / COPY / ADD, and whether the shortcut applied.

    A one-line instruction without ``[`` (so not in JSON form) is its own
    logical line: its heredocs can be read from it directly. Anything else
    needs the full reading of the instruction (continuations, exec form).
    """
    if text.find("\n", start, body_end) >= 0:
        return [], False
    line = text[start:body_end].rstrip("\r")
    if "[" in line or line.endswith(escape):
        return [], False
    words, err = heredocs_in_line(line, legacy=legacy)
    return words, err is None


def _read_heredocs(
    tree: Dockerfile, start: int, body_end: int, line: int, words: list[HeredocWord]
) -> tuple[int, int, list[Heredoc]]:
    """Read the heredoc bodies of the instruction at ``text[start:body_end]`` (on ``line``).

    Returns the position after the last body (after its line ending), the
    instruction's new ``end`` (before that line ending) and the heredocs; an
    unterminated heredoc is also a problem of ``tree``. A delimiter line
    matches when, without its line ending (and without leading tabs for
    ``<<-``), it equals the heredoc's name.
    """
    text = tree.text
    n = len(text)
    end = body_end - 1 if body_end < n and text[body_end - 1] == "\r" else body_end
    pos = min(body_end + 1, n)  # the bodies start after the line break, if there is one
    heredocs: list[Heredoc] = []
    for w in words:
        name = w.name
        body_start = pos
        p = pos
        found = -1
        while p < n:
            nl = text.find("\n", p)
            le = n if nl < 0 else nl
            cand = text[p:le].rstrip("\r")
            if w.strip_tabs:
                cand = cand.lstrip("\t")
            if cand == name:
                found = p
                break
            p = n if nl < 0 else nl + 1
        if found < 0:
            stop = n
            if body_start < n and text.endswith("\n"):
                stop = n - 2 if text.endswith("\r\n") else n - 1
            end = max(stop, body_start, end)
            heredocs.append(
                Heredoc(
                    name,
                    text[body_start:],
                    w.strip_tabs,
                    w.quoted,
                    body_start,
                    end,
                    w.fd,
                    -1,
                    False,
                )
            )
            tree._problems.append(ParseProblem(f"unterminated heredoc {name!r}", line, start, end))
            pos = n
            continue
        nl = text.find("\n", found)
        le = n if nl < 0 else nl
        end = le - 1 if nl >= 0 and le > found and text[le - 1] == "\r" else le
        heredocs.append(
            Heredoc(
                name, text[body_start:found], w.strip_tabs, w.quoted, body_start, end, w.fd, found
            )
        )
        pos = n if nl < 0 else nl + 1
    return pos, end, heredocs


def _check_line_lengths(tree: Dockerfile) -> None:
    """Flag a line BuildKit's line scanner cannot hold (64 KiB).

    Such a line has at least 16 Ki characters (4 bytes at most per character),
    so only a window of that many characters without a line break needs a
    closer look; most files have none and cost a few ``find`` calls.
    """
    text = tree.text
    n = len(text)
    longest = _MAX_LINE_BYTES // 4
    if n < longest:
        return
    # Any run of `longest` characters covers a whole aligned block of half that size.
    step = longest // 2
    for k in range(0, n - step + 1, step):
        if text.find("\n", k, k + step) < 0:
            break
    else:
        return
    pos = 0
    line = 1
    for piece in text.split("\n"):
        nbytes = len(piece.encode("utf-8", "surrogatepass")) if len(piece) >= longest else 0
        if nbytes + 1 > _MAX_LINE_BYTES:
            tree._problems.append(
                ParseProblem(
                    f"dockerfile line greater than max allowed size of {_MAX_LINE_BYTES - 1}",
                    line,
                    pos,
                    pos + len(piece),
                )
            )
            return
        pos += len(piece) + 1
        line += 1
