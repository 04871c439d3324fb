"""The scanner's shortcuts: two patterns that must agree, heredoc re-synchronisation, laziness.

``parse`` finds instructions with a fast pattern that only recognises a
continuation escape right before the line break, and falls back to an exact
pattern when a file has blanks after a continuation escape; after a heredoc it
reuses the scan when a match ended on the closing delimiter's line, and scans
again otherwise. Instruction objects are built on first access. Each shortcut
is checked here against the slow way of getting the same answer.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from patchkit.dockerfile import Instruction, parse
from patchkit.dockerfile.parser import (
    _exact_pattern,
    _instruction_pattern,
    _odd_continuation,
)

# Pieces that make lines the two patterns could read differently.
_PIECES = [
    "\\", "`", " ", "\t", "\r", "\n", "\r\n", "#", "a", "RUN ", "\xa0", "\u2028", "\x0b",
    "\\\\", "\\\n", "`\n", "\\\r\n", "`\r\n", " \\ \n", "# c \\\n", "\ufeff",
]  # fmt: skip


def _view(pattern, text: str, pos: int) -> list[tuple[tuple[int, int], str | None]]:  # type: ignore[no-untyped-def]
    out = [(m.span(3), m.group(2)) for m in pattern.finditer(text, pos)]
    while out and out[-1][0][0] < 0:
        out.pop()  # the trailing trivia
    return out


def _line_starts(text: str) -> list[int]:
    return [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]


def _assert_patterns_agree(text: str) -> None:
    for escape in ("\\", "`"):
        if _odd_continuation(escape).search(text):
            continue  # parse uses the exact pattern for this text
        fast, exact = _instruction_pattern(escape), _exact_pattern(escape)
        for pos in _line_starts(text)[:8]:
            assert _view(fast, text, pos) == _view(exact, text, pos), (escape, pos)


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(_PIECES), max_size=20).map("".join))
def test_fast_and_exact_patterns_agree_on_odd_lines(text: str) -> None:
    _assert_patterns_agree(text)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_fast_and_exact_patterns_agree_on_dockerfiles(dockerfile_strategy, data) -> None:  # type: ignore[no-untyped-def]
    _assert_patterns_agree(data.draw(dockerfile_strategy.dockerfiles()))


def test_fast_and_exact_patterns_agree_on_random_texts() -> None:
    rnd = random.Random(20261125)
    for _ in range(20000):
        _assert_patterns_agree("".join(rnd.choice(_PIECES) for _ in range(rnd.randint(0, 16))))


def test_odd_continuations_are_read_exactly() -> None:
    # Blanks (or several carriage returns) after the escape still continue the line.
    for tail in (" ", "\t", "  \t", "\r\r", " \r"):
        text = f"RUN a \\{tail}\n  b\nRUN c\n"
        assert [(i.start_line, i.end_line) for i in parse(text).instructions] == [(1, 2), (3, 3)]
    # An escaped escape does not continue it.
    tree = parse("RUN a \\\\ \nRUN b\n")
    assert [i.start_line for i in tree.instructions] == [1, 2]


def _spans(text: str) -> list[tuple[str, int, int, tuple[str, ...]]]:
    return [
        (i.keyword, i.start_line, i.end_line, tuple(h.body for h in i.heredocs))
        for i in parse(text).instructions
    ]


def test_scan_is_reused_after_a_heredoc_body_that_looks_like_instructions() -> None:
    # Inside the body the scanner saw a continued "instruction" ending on the delimiter
    # line: the matches after it are reused.
    text = (
        "FROM a\nRUN <<EOF\necho x \\\n  y\nEOF\nRUN b \\\n  c\nCOPY <<A <<B /\n1\nA\n2\nB\nRUN z\n"
    )
    assert _spans(text) == [
        ("FROM", 1, 1, ()),
        ("RUN", 2, 5, ("echo x \\\n  y\n",)),
        ("RUN", 6, 7, ()),
        ("COPY", 8, 12, ("1\n", "2\n")),
        ("RUN", 13, 13, ()),
    ]


def test_scan_restarts_after_a_delimiter_the_scanner_read_as_a_comment() -> None:
    text = "FROM a\nRUN <<'#END'\nRUN inside\n#END\nRUN after \\\n  more\n"
    assert _spans(text) == [
        ("FROM", 1, 1, ()),
        ("RUN", 2, 4, ("RUN inside\n",)),
        ("RUN", 5, 6, ()),
    ]


def test_many_heredocs_whose_bodies_hold_heredoc_openers() -> None:
    parts = ["FROM a"]
    expected = [("FROM", 1, 1, ())]
    line = 2
    for k in range(60):
        body = f"RUN cat <<X{k}\nline \\\n"
        parts.append(f"RUN <<EOF{k}\n{body}EOF{k}")
        expected.append(("RUN", line, line + 3, (body,)))
        line += 4
    text = "\n".join(parts) + "\n"
    assert _spans(text) == expected


@pytest.mark.oracle
def test_heredoc_resync_cases_agree_with_buildkit(views) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("dockerfile", reason="the BuildKit oracle is not installed")
    for text in (
        "FROM a\nRUN <<EOF\necho x \\\n  y\nEOF\nRUN b \\\n  c\n",
        "FROM a\nRUN <<EOF\n# not a comment \\\nEOF\n\n# c\nRUN b\n",
        "FROM a\nCOPY <<A <<B /\n1\nA\n2 \\\nB\nRUN z\n",
        "FROM a\nRUN <<EOF cat \\\n  && true\nhello\nEOF\nRUN b\n",
        "FROM a\nRUN <<'#END'\nRUN inside\n#END\nRUN after \\\n  more\n",
    ):
        assert views.same(views.tree(parse(text, legacy=True)), views.oracle(text)), text


def test_parse_builds_no_instruction_objects_until_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[int] = []
    original = Instruction.__init__

    def counting(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        built.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(Instruction, "__init__", counting)
    text = "FROM a AS b\nRUN <<EOF\nx\nEOF\nARG Y\n"
    tree = parse(text)
    assert str(tree) == text and tree.problems == []
    assert not built or len(built) == 3  # problems may walk the instructions
    built.clear()
    tree = parse(text)
    assert str(tree) == text
    assert built == []
    assert [i.keyword for i in tree.instructions] == ["FROM", "RUN", "ARG"]
    assert len(built) == 3
    tree.stages, tree.global_args, tree.instructions  # noqa: B018
    assert len(built) == 3  # built once


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_instruction_at_line_matches_the_spans(dockerfile_strategy, data) -> None:  # type: ignore[no-untyped-def]
    tree = parse(data.draw(dockerfile_strategy.dockerfiles()))
    last = tree.text.count("\n") + 2
    for line in range(-1, last + 1):
        want = next((i for i in tree.instructions if i.start_line <= line <= i.end_line), None)
        assert tree.instruction_at_line(line) is want
