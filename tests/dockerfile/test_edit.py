"""Edits change only the bytes they must (expected texts written by hand)."""

from __future__ import annotations

import pytest

from patchkit.dockerfile import parse
from patchkit.dockerfile.edit import (
    Edit,
    EditConflict,
    apply_edits,
    insert_after,
    insert_before,
    remove_instruction,
    remove_mount_option,
    rename_key,
    set_mount_option,
    set_value,
)

MULTI = (
    "FROM ubuntu AS base\r\n"
    "  RUN --mount=type=cache,target=/root/.cache/uv \\\r\n"
    "      # keep this comment\r\n"
    "      --mount=type=cache,target=/w/.deps,sharing=locked \\\r\n"
    "      make deps\r\n"
)


def test_set_mount_option_appends_and_keeps_layout() -> None:
    tree = parse(MULTI)
    m = tree.instructions[1].mounts[1]
    out = apply_edits(MULTI, [set_mount_option(tree, m, "id", "deps-${TARGETARCH}")])
    assert out == MULTI.replace("sharing=locked", "sharing=locked,id=deps-${TARGETARCH}")


def test_set_mount_option_replaces_existing_value_via_alias() -> None:
    text = "FROM a\nRUN --mount=type=bind,dst=/x,ro make\n"
    tree = parse(text)
    m = tree.instructions[1].mounts[0]
    assert apply_edits(text, [set_mount_option(tree, m, "target", "/y")]) == text.replace(
        "/x", "/y"
    )
    assert apply_edits(text, [set_mount_option(tree, m, "ro", "false")]) == text.replace(
        ",ro ", ",ro=false "
    )


def test_set_mount_option_inside_quotes() -> None:
    text = 'FROM a\nRUN --mount="type=cache,target=/x" make\n'
    tree = parse(text)
    m = tree.instructions[1].mounts[0]
    out = apply_edits(text, [set_mount_option(tree, m, "id", "a")])
    assert out == 'FROM a\nRUN --mount="type=cache,target=/x,id=a" make\n'


def test_set_mount_option_refuses_values_needing_quotes() -> None:
    tree = parse("FROM a\nRUN --mount=type=cache,target=/x make\n")
    with pytest.raises(ValueError):
        set_mount_option(tree, tree.instructions[1].mounts[0], "id", "a,b")


def test_remove_mount_option() -> None:
    tree = parse(MULTI)
    m = tree.instructions[1].mounts[1]
    out = apply_edits(MULTI, [remove_mount_option(tree, m, "sharing")])
    assert out == MULTI.replace(",sharing=locked", "")
    out = apply_edits(MULTI, [remove_mount_option(tree, m, "type")])
    assert out == MULTI.replace("--mount=type=cache,target=/w", "--mount=target=/w")


def test_rename_and_set_value() -> None:
    text = "FROM a\nENV SETUPTOOLS_SCM_PRETEND_VERSION_FOR_VLLM=0.1 X=1\nARG T\nENV OLD a b\n"
    tree = parse(text)
    env, arg, old = tree.instructions[1:]
    edits = [
        rename_key(
            tree, env, "SETUPTOOLS_SCM_PRETEND_VERSION_FOR_VLLM", "SETUPTOOLS_SCM_PRETEND_VERSION"
        ),
        set_value(tree, env, "X", "two words"),
        set_value(tree, arg, "T", "amd64"),
        set_value(tree, old, "OLD", "c d"),
    ]
    assert apply_edits(text, edits) == (
        'FROM a\nENV SETUPTOOLS_SCM_PRETEND_VERSION=0.1 X="two words"\nARG T=amd64\nENV OLD c d\n'
    )


def test_insert_and_remove_copy_indent_and_line_ending() -> None:
    tree = parse(MULTI)
    run = tree.instructions[1]
    out = apply_edits(MULTI, [insert_before(tree, run, "ARG TARGETARCH")])
    assert out == MULTI.replace("  RUN", "  ARG TARGETARCH\r\n  RUN", 1)
    out = apply_edits(MULTI, [insert_after(tree, run, "RUN true")])
    assert out == MULTI + "  RUN true\r\n"
    assert apply_edits(MULTI, [remove_instruction(tree, run)]) == "FROM ubuntu AS base\r\n"


def test_no_final_newline_is_kept() -> None:
    text = "FROM a\nRUN b"
    tree = parse(text)
    assert (
        apply_edits(text, [insert_after(tree, tree.instructions[1], "RUN c")])
        == "FROM a\nRUN b\nRUN c"
    )
    assert apply_edits(text, [remove_instruction(tree, tree.instructions[1])]) == "FROM a"


def test_insert_after_heredoc_goes_after_its_body() -> None:
    text = "FROM a\nRUN <<EOF\nx\nEOF\nRUN y\n"
    tree = parse(text)
    out = apply_edits(text, [insert_after(tree, tree.instructions[1], "RUN z")])
    assert out == "FROM a\nRUN <<EOF\nx\nEOF\nRUN z\nRUN y\n"


def test_apply_edits_conflicts_and_duplicates() -> None:
    a = Edit(0, 4, "X", "p1")
    assert apply_edits("abcdef", [a, Edit(0, 4, "X", "p2")]) == "Xef"
    with pytest.raises(EditConflict) as err:
        apply_edits("abcdef", [a, Edit(2, 5, "Y", "p2")])
    assert "p1 and p2" in str(err.value)
    with pytest.raises(EditConflict):
        apply_edits("abcdef", [Edit(1, 1, "x"), Edit(1, 1, "y")])
    with pytest.raises(EditConflict):
        apply_edits("abcdef", [Edit(0, 5, "x"), Edit(2, 2, "y"), Edit(1, 1, "z")])
    assert apply_edits("abcdef", [Edit(4, 4, "-"), Edit(0, 4, "X")]) == "X-ef"


def test_set_mount_option_on_empty_and_bare_mounts() -> None:
    text = "FROM a\nRUN --mount= --mount x\n"
    tree = parse(text)
    empty, bare = tree.instructions[1].mounts
    assert empty.options == [] and bare.options == [] and bare.error
    assert apply_edits(text, [set_mount_option(tree, empty, "type", "tmpfs")]) == (
        "FROM a\nRUN --mount=type=tmpfs --mount x\n"
    )
    assert apply_edits(text, [set_mount_option(tree, bare, "type", "tmpfs")]) == (
        "FROM a\nRUN --mount= --mount=type=tmpfs x\n"
    )
