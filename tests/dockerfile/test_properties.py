"""Properties over generated Dockerfiles: lossless round-trip, and agreement with BuildKit.

The generator (``strategies.py``) mixes CRLF, a BOM, directives (including a
backtick escape and ``# check=``), blanks and tabs around lines, escapes with
trailing blanks, comment and blank lines inside continuations, heredocs
(``<<EOF``, ``<<-``, quoted, with an fd, several per line), JSON forms valid
and not, flags, and a missing final newline.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from patchkit.dockerfile import parse
from patchkit.dockerfile.edit import apply_edits, insert_after, insert_before, remove_instruction

ROUNDTRIP = sorted((Path(__file__).parent / "fixtures" / "roundtrip").glob("*.Dockerfile"))
_SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("path", ROUNDTRIP, ids=[p.name for p in ROUNDTRIP])
def test_fixture_round_trips(path: Path, views) -> None:  # type: ignore[no-untyped-def]
    text = views.read(path)
    tree = parse(text)
    assert str(tree) == text
    # spans are ordered, disjoint and inside the text; raw is the slice
    prev_end = 0
    for ins in tree.instructions:
        assert prev_end <= ins.start <= ins.end <= len(text)
        assert ins.raw == text[ins.start : ins.end]
        prev_end = ins.end


@_SETTINGS
@given(data=st.data())
def test_round_trip_and_reading_never_fail(data, dockerfile_strategy) -> None:  # type: ignore[no-untyped-def]
    text = data.draw(dockerfile_strategy.dockerfiles())
    for legacy in (False, True):
        tree = parse(text, legacy=legacy)
        assert str(tree) == text
        for ins in tree.instructions:
            assert ins.start_line <= ins.end_line
            assert text[ins.start : ins.end] == ins.raw
            ins.flags, ins.mounts, ins.pairs, ins.exec_form, ins.args, ins.sub_flags  # noqa: B018
        for st_ in tree.stages:
            st_.args_in_scope(), st_.parent, st_.name
        tree.problems, tree.trivia()


@pytest.mark.oracle
@_SETTINGS
@given(data=st.data())
def test_generated_files_agree_with_buildkit_0_12_5(data, dockerfile_strategy, views) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip(
        "dockerfile", reason="the BuildKit oracle (PyPI dockerfile==3.4.0) is not installed"
    )
    text = data.draw(dockerfile_strategy.dockerfiles())
    ours = views.tree(parse(text, legacy=True))
    theirs = views.oracle(text)
    assert views.same(ours, theirs), f"\ntext:   {text!r}\nours:   {ours}\ntheirs: {theirs}"


@_SETTINGS
@given(data=st.data())
def test_whole_instruction_edits_touch_only_their_lines(data, dockerfile_strategy) -> None:  # type: ignore[no-untyped-def]
    text = data.draw(dockerfile_strategy.dockerfiles())
    tree = parse(text)
    if not tree.instructions or tree.problems:
        return
    ins = data.draw(st.sampled_from(tree.instructions))
    out = apply_edits(text, [remove_instruction(tree, ins)])
    again = parse(out)
    assert len(again.instructions) == len(tree.instructions) - 1
    before = apply_edits(text, [insert_before(tree, ins, "LABEL patchkit=1")])
    assert (
        before.replace(ins.indent + "LABEL patchkit=1" + (ins.line_ending or tree.newline), "", 1)
        == text
    )
    if ins.continues_to_eof:
        with pytest.raises(ValueError):
            insert_after(tree, ins, "LABEL patchkit=1")
        return
    after = parse(apply_edits(text, [insert_after(tree, ins, "LABEL patchkit=1")]))
    assert [i.keyword for i in after.instructions][ins.index + 1] == "LABEL"


_PIECES = ["\n", "\r\n", "\\", "`", "#", "<<", "EOF", "RUN ", "FROM ", "--mount=", '"', "["]
_ANY_TEXT = st.lists(
    st.one_of(st.characters(), st.sampled_from(_PIECES)),  # any code point, lone surrogates too
    max_size=60,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_ANY_TEXT)
def test_any_text_parses_without_exceptions(text: str) -> None:
    for legacy in (False, True):
        tree = parse(text, legacy=legacy)
        assert str(tree) == text
        for ins in tree.instructions:
            ins.flags, ins.mounts, ins.pairs, ins.exec_form, ins.heredocs, ins.values  # noqa: B018
        for st_ in tree.stages:
            st_.args_in_scope(), st_.parent
        tree.problems, tree.trivia()


def test_a_line_longer_than_buildkit_accepts_is_a_problem() -> None:
    text = "FROM a\nRUN echo " + "x" * 70000 + "\n"
    tree = parse(text)
    assert str(tree) == text
    assert [p.line for p in tree.problems] == [2]
    assert "max allowed size" in tree.problems[0].message
