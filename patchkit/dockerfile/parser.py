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

Steps 2 and 3 are one compiled regular expression (``_instruction_pattern``),
so a whole instruction with its leading trivia is found in one C-level match;
Python only touches each instruction once. Everything else an instruction
offers is computed lazily (``_logical.py``).
"""

from __future__ import annotations

import re
import sys
from functools import cache

from patchkit.dockerfile._shell import HeredocWord, heredocs_in_line
from patchkit.dockerfile.nodes import Dockerfile, Heredoc, Instruction, ParseProblem
from patchkit.dockerfile.stages import Stage

__all__ = ["parse"]

# Go's unicode.IsSpace without the line feed, as a character class body.
_WS = "\\t\\v\\f\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"

_DIRECTIVE = re.compile(r"([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+?)[\t\n\f\r ]*\Z")
_DIRECTIVE_NAMES = ("syntax", "escape", "check")
_DIRECTIVE_NAMES_LEGACY = ("syntax", "escape")
_HEREDOC_CAPABLE = frozenset(("RUN", "COPY", "ADD", "ONBUILD"))
# bufio.Scanner's default limit: BuildKit refuses a line this long (bytes, newline included).
_MAX_LINE_BYTES = 64 * 1024


# Possessive quantifiers (Python >= 3.11) stop the engine from retrying blanks
# it already matched; the pattern means the same without them.
_P = "+" if sys.version_info >= (3, 11) else ""


@cache
def _instruction_pattern(escape: str) -> re.Pattern[str]:
    """One instruction and the blank/comment lines before it, for escape character ``escape``.

    A line *continues* when it ends with the escape character, not preceded
    by another escape character, optionally followed by spaces and tabs
    (BuildKit's ``lineContinuationRegex``). Inside a continuation, comment
    lines and blank lines are skipped and do not end the instruction.
    """
    e = re.escape(escape)
    ws = f"[{_WS}]"
    p = _P
    continued = rf"[^\n]*{e}(?<!{e}{e})[ \t]*\r*\n"
    trivia = rf"(?:{ws}*{p}(?:\#[^\n]*{p})?\n)*{p}"
    return re.compile(
        rf"""
        {trivia}                                   # blank and comment lines
        {ws}*{p}(?=[^{_WS}\n\#])                     # indentation, then not a comment or blank
        (?=([^\t\v\f\r \n{e}]+)[\t\v\f\r ])?      # 1: a plain keyword with a blank after it
        (                                          # 2: the instruction's lines
            (?:{continued}                          # a first line that continues, then
               (?:{continued}|{ws}*{p}(?:\#[^\n]*{p})?\n)*{p}  # continued, comment and blank lines
            )?
            [^\n]*{p}                               # the last line
        )
        |
        {trivia}{ws}*{p}(?:\#[^\n]*{p})?\Z            # or only trivia up to the end of the text
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
    n = len(text)
    pos = 1 if text.startswith("\ufeff") else 0
    if text.startswith("#", pos) or text[pos : pos + 1].isspace():
        escape, problems = _directives(tree, text, pos, legacy)
        tree.escape = escape
        tree._problems.extend(problems)
    escape = tree.escape
    pattern = _instruction_pattern(escape)
    count = text.count
    find = text.find
    has_cr = "\r" in text
    heredocs_possible = "<<" in text
    instructions = tree.instructions
    append = instructions.append
    stages = tree.stages
    global_args = tree.global_args
    stage_starts = tree._stage_starts
    stage: Stage | None = None
    line = 1  # the line number at pos
    index = 0
    while pos < n:
        # finditer walks the text without gaps: at any line start the pattern matches an
        # instruction (with the trivia before it) or the trivia up to the end of the text.
        # It restarts only after heredoc bodies, which the pattern knows nothing about.
        restart = False
        for m in pattern.finditer(text, pos):
            start, body_end = m.span(2)
            if start < 0:
                break  # only trivia is left
            kw = m.group(1)  # None: the keyword may go on after a continuation, or ends the
            # line: the logical line decides
            if body_end == n and body_end > start and text.endswith("\n"):
                # A continuation that runs into the end of the file: its last line is
                # the last complete one, not an empty one after the final newline.
                body_end -= 1
            start_line = line + count("\n", pos, start)
            end_line = start_line + count("\n", start, body_end)
            end = (
                body_end - 1 if has_cr and body_end < n and text[body_end - 1] == "\r" else body_end
            )
            ins = Instruction(tree, index, kw, start, end, body_end, start_line, end_line)
            index += 1
            keyword = ins.keyword
            pos = body_end
            line = end_line
            append(ins)
            if keyword == "FROM":
                if stage is not None:
                    stage._end = index - 1
                stage = Stage(tree, len(stages), ins)
                stages.append(stage)
                stage_starts.append(index - 1)
            elif stage is None and keyword == "ARG":
                global_args.append(ins)
            if (
                heredocs_possible
                and keyword in _HEREDOC_CAPABLE
                and find("<<", start, body_end) >= 0
                and (words := _heredoc_words(ins, text, start, body_end, escape, legacy))
            ):
                pos = _read_heredocs(tree, ins, words, body_end + 1)
                line = ins.end_line + 1
                restart = True
                break
        if not restart:
            break
    if not instructions:
        tree._problems.append(ParseProblem("file with no instructions", line, n, n))
    _check_line_lengths(tree)
    return tree


def _heredoc_words(
    ins: Instruction, text: str, start: int, body_end: int, escape: str, legacy: bool
) -> list[HeredocWord]:
    """The heredocs ``ins`` opens.

    A one-line RUN / COPY / ADD without ``[`` (so not in JSON form) is its own
    logical line: look at it directly. Anything else goes through the full
    reading of the instruction (continuations, ONBUILD, exec form).
    """
    if ins.keyword != "ONBUILD" and text.find("\n", start, body_end) < 0:
        line = text[start:body_end].rstrip("\r")
        if "[" not in line and not line.endswith(escape):
            words, err = heredocs_in_line(line, legacy=legacy)
            if err is None:
                return words
    lg = ins._logical()
    if lg.heredoc_error:
        ins.tree._problems.append(ParseProblem(lg.heredoc_error, ins.start_line, start, body_end))
    return lg.heredoc_words


def _read_heredocs(tree: Dockerfile, ins: Instruction, words: list[HeredocWord], pos: int) -> int:
    """Consume the heredoc bodies of ``ins`` starting at ``pos``; return the position after them.

    A delimiter line matches when, without its line ending (and without leading
    tabs for ``<<-``), it equals the heredoc's name.
    """
    text = tree.text
    n = len(text)
    ins._heredocs = []
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
            end = n
            if body_start < n and text.endswith("\n"):
                end = n - 2 if text.endswith("\r\n") else n - 1
            end = max(end, body_start, ins.end)
            ins._heredocs.append(
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
            ins.end = end
            tree._problems.append(
                ParseProblem(f"unterminated heredoc {name!r}", ins.start_line, ins.start, end)
            )
            pos = n
            continue
        nl = text.find("\n", found)
        le = n if nl < 0 else nl
        dend = le - 1 if nl >= 0 and le > found and text[le - 1] == "\r" else le
        ins._heredocs.append(
            Heredoc(
                name, text[body_start:found], w.strip_tabs, w.quoted, body_start, dend, w.fd, found
            )
        )
        ins.end = dend
        pos = n if nl < 0 else nl + 1
    ins.end_line = ins.start_line + text.count("\n", ins.start, ins.end)
    return pos


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
