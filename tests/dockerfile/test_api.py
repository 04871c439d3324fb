"""The read API of the tree (docs/dockerfile-api.md), on small hand-written inputs.

Expected values are written out by hand from BuildKit's rules, not produced by the code.
"""

from __future__ import annotations

import pytest

from patchkit.dockerfile import PLATFORM_ARGS, parse

CPU_LIKE = (
    "# syntax=docker/dockerfile:1\n"
    "ARG PY=3.12\n"
    "FROM ubuntu:22.04 AS base\n"
    "ARG TARGETARCH\n"
    "RUN --mount=type=cache,target=/root/.cache/uv \\\n"
    "    # a comment inside the continuation\n"
    "    --mount=type=cache,target=/work/.deps,sharing=locked \\\n"
    "    make deps\n"
    "\n"
    "FROM base as build\n"
    'ENV A=1 B="two words"\n'
    "RUN make wheel\n"
    "FROM base AS release\n"
    "ARG PY\n"
    "RUN --mount=type=bind,from=build,src=/dist,target=/dist pip install /dist/*.whl\n"
    'CMD ["serve", "--port", "8000"]\n'
)


def test_instructions_keywords_and_lines() -> None:
    tree = parse(CPU_LIKE)
    got = [(i.keyword, i.start_line, i.end_line) for i in tree.instructions]
    assert got == [
        ("ARG", 2, 2),
        ("FROM", 3, 3),
        ("ARG", 4, 4),
        ("RUN", 5, 8),
        ("FROM", 10, 10),
        ("ENV", 11, 11),
        ("RUN", 12, 12),
        ("FROM", 13, 13),
        ("ARG", 14, 14),
        ("RUN", 15, 15),
        ("CMD", 16, 16),
    ]
    assert str(tree) == CPU_LIKE
    assert tree.directives == {"syntax": "docker/dockerfile:1"}
    assert tree.escape == "\\"
    assert tree.newline == "\n"
    assert tree.problems == []


def test_raw_start_end_exclude_line_ending() -> None:
    text = "FROM a\r\nRUN x \\\r\n  y\r\n"
    tree = parse(text)
    run = tree.instructions[1]
    assert run.raw == "RUN x \\\r\n  y"
    assert text[run.end :] == "\r\n"
    assert run.line_ending == "\r\n"
    assert tree.newline == "\r\n"


def test_flags_and_mounts() -> None:
    tree = parse(CPU_LIKE)
    run = tree.instructions[3]
    assert [f.name for f in run.flags] == ["mount", "mount"]
    assert run.flags[1].value == "type=cache,target=/work/.deps,sharing=locked"
    assert CPU_LIKE[run.flags[1].start : run.flags[1].end] == (
        "--mount=type=cache,target=/work/.deps,sharing=locked"
    )
    m = run.mounts[1]
    assert m.options == [("type", "cache"), ("target", "/work/.deps"), ("sharing", "locked")]
    assert (m.type, m.target, m.id, m.sharing) == ("cache", "/work/.deps", None, "locked")
    assert run.args == "make deps"
    assert CPU_LIKE[run.args_start : run.args_start + 4] == "make"
    bind = tree.instructions[9].mounts[0]
    assert (bind.type, bind.from_, bind.source, bind.target) == ("bind", "build", "/dist", "/dist")
    assert bind.get("SRC") == "/dist" and bind.get("destination") == "/dist"


def test_mount_option_spans_point_at_source() -> None:
    text = 'FROM a\nRUN --mount="type=cache,target=/x" --mount=type=bind,ro,src=a make\n'
    run = parse(text).instructions[1]
    opt = run.mounts[0].option("target")
    assert text[opt.start : opt.end] == "target=/x"
    assert text[opt.value_start : opt.value_end] == "/x"
    ro = run.mounts[1].option("readonly")
    assert ro is not None and ro.value is None and text[ro.start : ro.end] == "ro"
    assert run.mounts[1].type == "bind"


def test_mount_csv_quotes() -> None:
    # single quotes survive nothing; inner double quotes reach the CSV reader
    text = "FROM a\nRUN --mount='type=secret,\"id=a,b\"' x\n"
    m = parse(text).instructions[1].mounts[0]
    assert m.options == [("type", "secret"), ("id", "a,b")]


def test_exec_form_and_shell_form() -> None:
    tree = parse(CPU_LIKE)
    assert tree.instructions[-1].exec_form == ["serve", "--port", "8000"]
    assert tree.instructions[6].exec_form is None
    vol = parse("FROM a\nVOLUME [ ${APP} ]\n").instructions[1]
    assert vol.exec_form is None and vol.values == ["[", "${APP}", "]"]


def test_env_arg_label_pairs() -> None:
    text = 'FROM a\nENV A=1 B="two words"\nENV OLD some value\nARG X Y=2\nLABEL "a b"=c\n'
    tree = parse(text)
    env, old, arg, label = tree.instructions[1:]
    assert [(p.key, p.value) for p in env.pairs] == [("A", "1"), ("B", "two words")]
    b = env.pairs[1]
    assert text[b.value_start : b.value_end] == '"two words"'
    assert text[b.key_start : b.key_end] == "B"
    assert [(p.key, p.value) for p in old.pairs] == [("OLD", "some value")]
    assert [(p.key, p.value) for p in arg.pairs] == [("X", None), ("Y", "2")]
    assert [(p.key, p.value) for p in label.pairs] == [("a b", "c")]


def test_heredocs() -> None:
    text = "FROM a\nRUN <<EOF\necho a\nEOF\nCOPY <<-'A' <<B /x\n\tone\n\tA\ntwo\nB\nRUN ok\n"
    tree = parse(text)
    run, copy, last = tree.instructions[1:]
    assert (run.start_line, run.end_line) == (2, 4)
    assert [(h.name, h.body, h.quoted, h.strip_tabs) for h in run.heredocs] == [
        ("EOF", "echo a\n", False, False)
    ]
    assert [(h.name, h.body, h.quoted, h.strip_tabs) for h in copy.heredocs] == [
        ("A", "\tone\n", True, True),
        ("B", "two\n", False, False),
    ]
    assert copy.heredocs[0].content == "one\n"
    assert (copy.start_line, copy.end_line) == (5, 9)
    assert text[copy.heredocs[1].start : copy.heredocs[1].end] == "two\nB"
    assert (last.keyword, last.start_line) == ("RUN", 10)


def test_unterminated_heredoc_is_a_problem_not_an_exception() -> None:
    tree = parse("FROM a\nRUN <<EOF\necho\n")
    assert str(tree) == "FROM a\nRUN <<EOF\necho\n"
    assert [p.message for p in tree.problems] == ["unterminated heredoc 'EOF'"]


def test_stages() -> None:
    tree = parse(CPU_LIKE)
    base, build, release = tree.stages
    assert (base.index, base.name, base.base, base.platform) == (0, "base", "ubuntu:22.04", None)
    assert build.name == "build" and build.parent is base
    assert release.parent is base
    assert tree.stage("BUILD") is build and tree.stage(2) is release and tree.stage("nope") is None
    assert [i.keyword for i in build.instructions] == ["ENV", "RUN"]
    assert [i.keyword for i in tree.global_args] == ["ARG"]
    assert tree.global_args[0].stage is None
    assert tree.instructions[3].stage is base


def test_args_in_scope() -> None:
    tree = parse(CPU_LIKE)
    base, build, release = tree.stages
    run_in_base = tree.instructions[3]
    assert base.args_in_scope(run_in_base) == {"TARGETARCH"}
    assert base.args_in_scope(tree.instructions[2]) == set()  # before its own ARG
    # a stage FROM base inherits base's declarations
    assert build.args_in_scope() == {"TARGETARCH"}
    # global PY is visible only once re-declared
    assert release.args_in_scope(tree.instructions[8]) == {"TARGETARCH"}
    assert release.args_in_scope() == {"TARGETARCH", "PY"}
    # FROM lines see global ARGs and the platform ARGs
    assert base.args_in_scope(base.from_instruction) == {"PY"} | PLATFORM_ARGS
    with pytest.raises(ValueError):
        base.args_in_scope(tree.instructions[6])


def test_parent_through_global_arg_default() -> None:
    tree = parse("ARG B=base\nFROM x AS base\nFROM ${B} AS child\nFROM base-${TARGETARCH}\n")
    assert tree.stages[1].parent is tree.stages[0]
    assert tree.stages[2].parent is None


def test_line_col() -> None:
    tree = parse("FROM a\nRUN b\n")
    assert tree.line_col(tree.instructions[1].start) == (2, 1)


@pytest.mark.parametrize(
    "text",
    ["", "\n", "# only a comment", "\\", "RUN", "\ufeff", "RUN <<", "FROM a\n\\", "\r\r\n\x00"],
)
def test_odd_inputs_never_raise_and_round_trip(text: str) -> None:
    tree = parse(text)
    assert str(tree) == text
    for ins in tree.instructions:
        ins.flags, ins.args, ins.values, ins.pairs, ins.mounts, ins.exec_form  # noqa: B018
    tree.problems  # noqa: B018


def test_trivia_lists_directives_comments_and_blank_lines() -> None:
    text = (
        "# syntax=docker/dockerfile:1\n# a comment\n\nFROM a\n  \nRUN b \\\n  # inner\n  c\n# end"
    )
    tree = parse(text)
    got = [(t.kind, t.line, text[t.start : t.end]) for t in tree.trivia()]
    assert got == [
        ("directive", 1, "# syntax=docker/dockerfile:1"),
        ("comment", 2, "# a comment"),
        ("blank", 3, ""),
        ("blank", 5, "  "),
        ("comment", 9, "# end"),
    ]
    assert tree.instruction_at_line(7) is tree.instructions[1]
    assert tree.instruction_at_line(3) is None


def test_stage_membership_and_continued_to_eof() -> None:
    tree = parse("ARG A\nFROM x AS one\nRUN a\nFROM one\nRUN b \\")
    one, two = tree.stages
    assert [i.index for i in one.instructions] == [2]
    assert [i.index for i in two.instructions] == [4]
    assert tree.instructions[0].stage is None and tree.instructions[3].stage is two
    assert tree.instructions[4].continues_to_eof and not tree.instructions[2].continues_to_eof
