"""Differential tests: patchkit's reading agrees with BuildKit's own parser.

The oracle is the PyPI ``dockerfile`` 3.4.0 binding, which embeds BuildKit
**v0.12.5** (2023). patchkit follows current BuildKit (moby/buildkit master,
commit 73ed6825, 2026-08); ``parse(..., legacy=True)`` reproduces v0.12.5.
So every fixture is checked twice:

- ``legacy=True`` must agree with the oracle on *every* fixture: keyword,
  start and end line, flags, values, exec (JSON) form, ONBUILD sub-command,
  heredoc names and bodies, and whether the file is refused at all;
- the default (current BuildKit) must agree with the oracle on every fixture
  except the ``newer-*`` ones, where BuildKit changed after v0.12.5. For those
  the expected current behaviour is written below by hand from BuildKit's
  source (parser/parser.go, shell/lex.go, parser/directives.go,
  parser/line_parsers.go) and its tests (parser_heredoc_test.go,
  directives_test.go); each case says what changed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from patchkit.dockerfile import parse

dockerfile = pytest.importorskip(
    "dockerfile", reason="the BuildKit oracle (PyPI dockerfile==3.4.0) is not installed"
)

ROUNDTRIP = sorted((Path(__file__).parent / "fixtures" / "roundtrip").glob("*.Dockerfile"))

pytestmark = pytest.mark.oracle

# fixture -> (what changed after v0.12.5, [(keyword, start, end line), ...] in current BuildKit)
NEWER: dict[str, tuple[str, list[tuple[str, int, int]]]] = {
    "newer-heredoc-space.Dockerfile": (
        "shell/lex.go processPossibleHeredoc (2024): '<<' absorbs the blanks after it, so "
        "`cat << 'EOF'` opens a heredoc; v0.12.5 lexed '<<' and 'EOF' as two words and read the "
        "body lines as instructions",
        [("FROM", 1, 1), ("RUN", 2, 4), ("RUN", 5, 5)],
    ),
    "newer-heredoc-blanks.Dockerfile": (
        "same lexer change, the cases of BuildKit's parser_heredoc_test.go: `<<  EOF` and "
        "`<<  EOF  > f` open heredoc EOF, `<< -NAME` opens heredoc -NAME, `<<- NAME` opens none",
        [
            ("FROM", 1, 1),
            ("RUN", 2, 4),
            ("RUN", 5, 7),
            ("RUN", 8, 10),
            ("RUN", 11, 11),
            ("RUN", 12, 12),
        ],
    ),
    "newer-check-directive.Dockerfile": (
        "parser/directives.go: `check` became a directive (BuildKit v0.14); in v0.12.5 an unknown "
        "directive name ended the directive block, so the `# escape=` after it was a comment",
        [("FROM", 3, 3), ("RUN", 4, 5)],
    ),
    "newer-json-trailing.Dockerfile": (
        "parser/line_parsers.go parseJSON: json.Unmarshal now needs the whole rest to be the "
        "array; v0.12.5's json.Decoder ignored text after it (so `CMD [...] words` was exec form)",
        [("FROM", 1, 1), ("CMD", 2, 2), ("ENTRYPOINT", 3, 3)],
    ),
    "newer-heredoc-modifier.Dockerfile": (
        "shell/lex.go: ${x#p} is a valid expansion now; v0.12.5 failed to lex the line, and a line "
        "that fails to lex has no heredocs, so the body was read as instructions",
        [("FROM", 1, 1), ("RUN", 2, 4)],
    ),
    "newer-flags-backtick.Dockerfile": (
        "parser/split_command.go extractBuilderFlags honours the escape directive now; v0.12.5 "
        "always treated a backslash as the escape inside flags",
        [("FROM", 2, 2), ("RUN", 3, 3)],
    ),
}


def _ids(paths):  # type: ignore[no-untyped-def]
    return [p.name for p in paths]


@pytest.mark.parametrize("path", ROUNDTRIP, ids=_ids(ROUNDTRIP))
def test_legacy_mode_agrees_with_buildkit_0_12_5(path, views) -> None:  # type: ignore[no-untyped-def]
    text = views.read(path)
    ours = views.tree(parse(text, legacy=True))
    theirs = views.oracle(text)
    assert views.same(ours, theirs), f"\nours:   {ours}\ntheirs: {theirs}"


@pytest.mark.parametrize("path", ROUNDTRIP, ids=_ids(ROUNDTRIP))
def test_current_mode_agrees_except_documented_changes(path, views) -> None:  # type: ignore[no-untyped-def]
    text = views.read(path)
    tree = parse(text)
    if path.name in NEWER:
        _why, expected = NEWER[path.name]
        assert [(i.keyword, i.start_line, i.end_line) for i in tree.instructions] == expected
        assert tree.problems == []
        assert not views.same(views.tree(tree), views.oracle(text)), (
            "fixture no longer shows a difference"
        )
        return
    ours = views.tree(tree)
    theirs = views.oracle(text)
    assert views.same(ours, theirs), f"\nours:   {ours}\ntheirs: {theirs}"


def test_newer_details(fixture_text) -> None:  # type: ignore[no-untyped-def]
    """Details of the newer-BuildKit cases, beyond instruction boundaries."""
    load = fixture_text

    run = parse(load("newer-heredoc-space.Dockerfile")).instructions[1]
    assert [(h.name, h.body, h.quoted) for h in run.heredocs] == [("EOF", "hello\n", True)]
    tree = parse(load("newer-check-directive.Dockerfile"))
    assert tree.directives == {"check": "skip=JSONArgsRecommended", "escape": "`"}
    assert tree.instructions[1].values == ["echo a     b"]
    cmd = parse(load("newer-json-trailing.Dockerfile")).instructions[1]
    assert cmd.exec_form is None and cmd.values == ['["echo", "a"] trailing words']
    flag = parse(load("newer-flags-backtick.Dockerfile")).instructions[1].flags[0]
    assert flag.value == "type=bind,target=C:\\src"
    legacy_flag = (
        parse(load("newer-flags-backtick.Dockerfile"), legacy=True).instructions[1].flags[0]
    )
    assert legacy_flag.value == "type=bind,target=C:src"


def test_heredoc_names_as_buildkit_tests_expect(fixture_text) -> None:  # type: ignore[no-untyped-def]
    """Name, quoting and fd of each heredoc, as BuildKit's TestParseExtractsHeredoc states them
    for the same constructs (USER cannot take one; a quoted word is not one; JSON form has none;
    partly quoted names are unquoted and not expanded; an escaped quote is part of the name)."""
    tree = parse(fixture_text("heredoc-names.Dockerfile"))
    got = [
        (i.start_line, [(h.name, h.body, h.quoted, h.fd) for h in i.heredocs])
        for i in tree.instructions
        if i.heredocs or i.keyword in ("USER", "RUN")
    ]
    assert got == [
        (3, []),
        (5, [("EMPTY", "", False, 0)]),
        (7, [("EMPTY_FD", "", False, 7)]),
        (9, []),
        (10, [("RAW", "\tkeep $WHO\n", True, 0)]),
        (13, [("WITHMOUNT", "echo with a mount # trailing\n", False, 0)]),
        (16, [("P", "Q\n", False, 0), ("Q", "P\n", False, 0)]),
        (21, [("name", "partly quoted\n", True, 0)]),
        (24, [("na'me", "escaped quote\n", False, 0)]),
        (27, [("two words", "spaced name\n", True, 0)]),
        (30, [("$DELIM", "", False, 0)]),
        (32, []),
        (33, [("file.txt", "file body\n", False, 0)]),
    ]
    assert tree.instruction_at_line(10).heredocs[0].content == "keep $WHO\n"
