"""The argument reader's shortcuts, each checked against the general way to the same answer.

Reading an instruction's arguments takes shortcuts for the common shapes: a
one-line instruction needs no joining, a line that starts with its keyword is
split with one search, a flag or an ARG/ENV/LABEL word without quotes or escape
characters is the run of characters up to the next blank, and the per-keyword
reading (values, JSON form, heredocs) waits until it is asked for. Texts are
drawn from pieces that sit on the edges of those shapes (quotes, both escape
characters, Go's Unicode white space, CR, comment lines inside a continuation).
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from patchkit.dockerfile import parse
from patchkit.dockerfile._logical import _head, _head_general, _join_lines, logical_line
from patchkit.dockerfile.tokens import (
    _RE_NOT_SPACE,
    GO_SPACE,
    _parse_words_general,
    extract_builder_flags,
    parse_words,
)

_PIECES = [
    "RUN", "ENV", "--mount=type=cache,target=/x", "--from=build", "--", "-", "--a=\"b c\"",
    "--x='y'", "a=b", "'q'", '"q q"', "\\", "`", "\\ ", " ", "\t", "\xa0", "\u2000", "\u3000",
    "\x0b", "\r", "\n", "\n# c\n", "\n\n", "=", "x", "é",
]  # fmt: skip
_SETTINGS = settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
_texts = st.lists(st.sampled_from(_PIECES), max_size=14).map("".join)


def _words(ws: list) -> list[tuple[str, int, int]]:  # type: ignore[type-arg]
    return [(w.text, w.start, w.end) for w in ws]


def _flags(ws: list) -> list[tuple[str, int, int, list[int]]]:  # type: ignore[type-arg]
    return [(w.text, w.start, w.end, list(w.positions)) for w in ws]


def test_not_space_is_exactly_the_complement_of_go_space() -> None:
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    assert "".join(_RE_NOT_SPACE.findall(everything)) == everything.translate(
        dict.fromkeys(map(ord, GO_SPACE))
    )


@_SETTINGS
@given(_texts, st.sampled_from(["\\", "`"]))
def test_word_shortcut_agrees(line: str, escape: str) -> None:
    assert _words(parse_words(line, 0, len(line), escape)) == _words(
        _parse_words_general(line, 0, len(line), escape)
    )


@_SETTINGS
@given(_texts, st.sampled_from(["\\", "`"]))
def test_flag_shortcut_agrees(line: str, escape: str) -> None:
    fast_flags, fast_rest = extract_builder_flags(line, 0, len(line), escape)
    slow_flags, slow_rest = extract_builder_flags(line, 0, len(line), escape, _plain_words=False)
    assert (_flags(fast_flags), fast_rest) == (_flags(slow_flags), slow_rest)


@_SETTINGS
@given(_texts, st.sampled_from(["\\", "`"]))
def test_one_line_shortcut_and_head_agree(text: str, escape: str) -> None:
    fast, slow = logical_line(text, 0, len(text), escape), _join_lines(text, 0, len(text), escape)
    assert (fast.line, fast.lstarts, fast.sstarts, fast.open_end) == (
        slow.line,
        slow.lstarts,
        slow.sstarts,
        slow.open_end,
    )
    a, b = _head(fast.line, escape), _head_general(fast.line, escape)
    assert (a[0], _flags(a[1]), a[2], a[3]) == (b[0], _flags(b[1]), b[2], b[3])


def test_arguments_are_read_only_when_asked() -> None:
    text = 'FROM a\nENV A="1"\nRUN ["echo", 1]\n'
    tree = parse(text)
    env, run = tree.instructions[1], tree.instructions[2]
    assert env.args == 'A="1"' and run.args == '["echo", 1]'
    # keyword, flags and arguments are known; the per-keyword reading is not done yet
    assert not hasattr(run._lg, "_values") and not hasattr(run._lg, "_heredoc_words")
    assert run.error == "when using JSON array syntax, arrays must be comprised of strings only"
    assert env.values == ["A", '"1"'] and env.error is None
    assert [p.message for p in tree.problems] == [run.error]


def test_a_plain_word_is_not_split_at_non_blank_unicode() -> None:
    # U+001C..U+001F are white space to Python's str.split, not to Go: one word here
    line = "A=\x1cb c"
    assert [w.text for w in parse_words(line, 0, len(line), "\\")] == ["A=\x1cb", "c"]
    assert re.fullmatch(r"\S+", "A=\x1cb") is None
