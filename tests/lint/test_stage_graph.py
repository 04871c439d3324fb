"""The stage helpers keep what they work out (issue 21: linear cost); they must answer exactly
what the plain definitions answer, on every stage and instruction, in any order of questions.

The ``_ref_*`` functions below are the definitions as they were before the caches (each walks
the stages it needs, every time); the cached helpers are compared with them on real and
generated Dockerfiles.
"""

from __future__ import annotations

import os
import random
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from patchkit.dockerfile import Dockerfile, Instruction, Stage, parse
from patchkit.dockerfile.edit import apply_edits, insert_before, set_value
from patchkit.dockerfile.stages import expand_static
from patchkit.lint import _stages
from patchkit.lint._text import variable_refs

ROOT = Path(__file__).resolve().parents[2]

# -- the definitions, without caches -------------------------------------------------------------


def _ref_globals(tree: Dockerfile) -> dict[str, str | None]:
    values: dict[str, str | None] = {}
    for instr in tree.global_args:
        for kv in instr.pairs:
            values[kv.key] = kv.value
    return values


def _ref_name(stage: Stage) -> str | None:
    v = stage.from_instruction.values
    return v[2] if len(v) == 3 and v[1].lower() == "as" else None


def _ref_parent(tree: Dockerfile, stage: Stage) -> Stage | None:
    base = expand_static(stage.from_instruction.values[0] if stage.from_instruction.values else "",
                         _ref_globals(tree))  # fmt: skip
    found = None
    if base is not None:
        for st_ in tree.stages[: stage.index]:
            name = _ref_name(st_)
            if name is not None and name.lower() == base.lower():
                found = st_
    return found


def _ref_parents(tree: Dockerfile, stage: Stage) -> list[Stage]:
    base = stage.base or ""
    parent = _ref_parent(tree, stage)
    found = [parent] if parent is not None else []
    if "$" not in base:
        return found
    pattern = _stages._base_pattern(base, _ref_globals(tree))
    if pattern is None:
        return found
    earlier = [s for s in tree.stages if s.index < stage.index and _ref_name(s)]
    found += [s for s in earlier if pattern.fullmatch(_ref_name(s) or "") and s not in found]
    return found


def _ref_ancestry(tree: Dockerfile, stage: Stage) -> list[Stage]:
    seen: dict[int, Stage] = {}
    todo = [stage]
    while todo:
        s = todo.pop(0)
        if s.index in seen:
            continue
        seen[s.index] = s
        todo.extend(_ref_parents(tree, s))
    return list(seen.values())


def _ref_declared(stage: Stage) -> list[str]:
    seen: dict[str, None] = {}
    for ins in stage.instructions:
        if ins.keyword == "ARG":
            for kv in ins.pairs:
                seen.setdefault(kv.key, None)
    return list(seen)


def _ref_parent_chain(tree: Dockerfile, stage: Stage) -> list[Stage]:
    out: list[Stage] = []
    st_ = _ref_parent(tree, stage)
    while st_ is not None and st_ not in out:
        out.append(st_)
        st_ = _ref_parent(tree, st_)
    return out


def _before(stage: Stage, before: Instruction | None) -> list[Instruction]:
    out = []
    for instr in stage.instructions:
        if before is not None and instr.index >= before.index:
            break
        out.append(instr)
    return out


def _ref_args_in_scope(tree: Dockerfile, stage: Stage, before: Instruction | None) -> set[str]:
    if before is stage.from_instruction:
        return set(_ref_globals(tree)) | stage.PLATFORM_ARGS
    names: set[str] = set()
    for st_ in _ref_parent_chain(tree, stage):
        names.update(_ref_declared(st_))
    for ins in _before(stage, before):
        if ins.keyword == "ARG":
            names.update(kv.key for kv in ins.pairs)
    return names


def _ref_env_keys(tree: Dockerfile, stage: Stage, before: Instruction | None) -> set[str]:
    keys: set[str] = set()
    for i, s in enumerate(_ref_ancestry(tree, stage)):
        for instr in _before(s, before if i == 0 else None):
            if instr.keyword == "ENV":
                keys.update(kv.key for kv in instr.pairs)
    return keys


def _ref_known_values(
    tree: Dockerfile, stage: Stage, before: Instruction | None
) -> dict[str, str | None]:
    values: dict[str, str | None] = {}
    globals_ = _ref_globals(tree)
    for s in reversed(_ref_ancestry(tree, stage)):
        for instr in _before(s, before if s is stage else None):
            if instr.keyword == "ARG":
                for kv in instr.pairs:
                    if kv.value is not None:
                        values[kv.key] = _stages.resolve(kv.value, values)
                    elif kv.key in globals_:
                        values[kv.key] = globals_[kv.key]
                    else:
                        values.setdefault(kv.key, None)
            elif instr.keyword == "ENV":
                for kv in instr.pairs:
                    values[kv.key] = _stages.resolve(kv.value or "", values)
    return values


def _ref_descendants(tree: Dockerfile, stage: Stage) -> list[Stage]:
    return [
        s
        for s in tree.stages
        if s.index > stage.index and any(a.index == stage.index for a in _ref_ancestry(tree, s)[1:])
    ]


# -- the comparison ---------------------------------------------------------------------------


def _idx(stages: list[Stage]) -> list[int]:
    return [s.index for s in stages]


def _names_used(tree: Dockerfile) -> set[str]:
    names = {"TARGETARCH", "NOPE"}
    for instr in tree.instructions:
        names.update(kv.key for kv in instr.pairs)
        names.update(ref.name for ref in variable_refs(instr.raw))
    return names


def assert_same(text: str, seed: int = 0) -> None:
    """Every cached answer equals the plain definition's, questions asked in a shuffled order."""
    ref_tree = parse(text)
    tree = parse(text)
    rng = random.Random(seed)
    stages = list(tree.stages)
    rng.shuffle(stages)  # the caches must not depend on the order of questions
    names = sorted(_names_used(ref_tree))
    for stage in stages:
        ref = ref_tree.stages[stage.index]
        assert stage.name == _ref_name(ref)
        parent = stage.parent
        ref_parent = _ref_parent(ref_tree, ref)
        assert (parent.index if parent else None) == (ref_parent.index if ref_parent else None)
        assert stage.declared_args == _ref_declared(ref)
        assert _idx(stage.ancestors()) == _idx(_ref_parent_chain(ref_tree, ref))
        assert _idx(_stages.parents(tree, stage)) == _idx(_ref_parents(ref_tree, ref))
        assert _idx(_stages.ancestry(tree, stage)) == _idx(_ref_ancestry(ref_tree, ref))
        assert _idx(_stages.descendants(tree, stage)) == _idx(_ref_descendants(ref_tree, ref))
        if stage.name:
            found = tree.stage(stage.name.upper())
            first = next(s for s in ref_tree.stages if (_ref_name(s) or "").lower()
                         == stage.name.lower())  # fmt: skip
            assert found is not None and found.index == first.index
        points: list[Instruction | None] = [None, stage.from_instruction, *stage.instructions]
        rng.shuffle(points)
        inherited = {n for a in _ref_ancestry(ref_tree, ref)[1:] for n in _ref_declared(a)}
        for before in points:
            ref_before = ref_tree.instructions[before.index] if before is not None else None
            scope = _ref_args_in_scope(ref_tree, ref, ref_before)
            env = _ref_env_keys(ref_tree, ref, ref_before)
            assert stage.args_in_scope(before) == scope
            assert _stages.known_values(tree, stage, before) == _ref_known_values(
                ref_tree, ref, ref_before
            )
            assert _stages.env_keys(tree, stage, before) == env
            for name in names:
                expected = name in scope or name in env or name in inherited
                assert _stages.arg_in_scope(tree, stage, name, before) == expected, name
    assert tree.stage("no-such-stage") is None


def _files() -> list[Path]:
    found = [
        *sorted((ROOT / "tests" / "lint" / "fixtures").rglob("*Dockerfile*")),
        *sorted((ROOT / "examples").rglob("Dockerfile*")),
        *sorted((ROOT / "bench" / "corpus").glob("*Dockerfile*")),
    ]
    return [p for p in found if p.is_file()]


@pytest.mark.parametrize("path", _files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_cached_stage_answers_equal_the_definitions(path: Path) -> None:
    assert_same(path.read_text(encoding="utf-8", errors="replace"))


@pytest.mark.corpus
@pytest.mark.slow
def test_cached_stage_answers_equal_the_definitions_on_the_corpus() -> None:
    corpus = os.environ.get("PATCHKIT_CORPUS")
    if not corpus:
        pytest.skip("PATCHKIT_CORPUS is not set (path of the vLLM corpus)")
    blobs = sorted((Path(corpus) / "vllm-all-blobs").glob("*.Dockerfile"))
    assert blobs
    for i, path in enumerate(blobs):
        assert_same(path.read_text(encoding="utf-8", errors="replace"), seed=i)


# Generated files: few stage names (so names repeat and FROMs reach back), variable bases
# (platform ARGs, build-arg selectors, global defaults), ARG and ENV chains.
_NAMES = ["base", "Base", "base-amd64", "base-arm64", "b", "c"]
_BASES = [
    "alpine", "base", "BASE", "b", "c", "base-${TARGETARCH}", "base-$TARGETARCH", "${IMG}",
    "${IMG:-base}", "$SEL", "x-${SEL}", "${B}", "base-${SEL}",
]  # fmt: skip
_LINES = [
    "ARG A", "ARG A=1", "ARG B=base", "ARG TARGETARCH", "ARG C=${A}-x", "ENV A=2",
    "ENV D=${A}/${B}", "ENV E ${C:-none}", "RUN echo $A", "ARG IMG", "ENV TARGETARCH=amd64",
    "COPY . .", "ARG SEL=amd64",
]  # fmt: skip


@st.composite
def _dockerfiles(draw: st.DrawFn) -> str:
    out = [draw(st.sampled_from(["ARG IMG=base", "ARG B=c", "ARG SEL", "ARG A=0"]))
           for _ in range(draw(st.integers(0, 3)))]  # fmt: skip
    for _ in range(draw(st.integers(1, 7))):
        line = "FROM " + draw(st.sampled_from(_BASES))
        if draw(st.booleans()):
            line += " AS " + draw(st.sampled_from(_NAMES))
        out.append(line)
        out.extend(draw(st.lists(st.sampled_from(_LINES), max_size=4)))
    return "\n".join(out) + "\n"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_dockerfiles(), st.integers(0, 1000))
def test_cached_stage_answers_equal_the_definitions_on_generated_files(
    text: str, seed: int
) -> None:
    assert_same(text, seed)


# -- edits make new trees: nothing cached in the old one leaks into the new one ----------------


def test_an_edit_parses_into_a_tree_with_fresh_answers() -> None:
    text = (
        "ARG PARENT=one\n"
        "FROM alpine AS one\nARG V=1\nENV E=x\n"
        "FROM alpine AS two\n"
        "FROM ${PARENT} AS three\nRUN --mount=type=cache,target=/c echo $V\n"
    )
    tree = parse(text)
    three = tree.stages[2]
    run = three.instructions[0]
    # Ask everything that is kept, so the old tree's caches are filled.
    assert three.parent is tree.stage("one")
    assert three.args_in_scope(run) == {"V"}
    assert _stages.known_values(tree, three, run) == {"V": "1", "E": "x"}
    assert _stages.env_keys(tree, three, run) == {"E"}
    assert _stages.descendants(tree, tree.stages[0]) == [three]
    assert run.mounts[0].target == "/c"

    # Point the global ARG at the other stage: the new tree's stage three is built from two.
    edit = set_value(tree, tree.global_args[0], "PARENT", "two")
    new = parse(apply_edits(text, [edit]))
    new_three = new.stages[2]
    new_run = new_three.instructions[0]
    assert new_three.parent is new.stage("two")
    assert new_three.args_in_scope(new_run) == set()
    assert _stages.known_values(new, new_three, new_run) == {}
    assert _stages.env_keys(new, new_three, new_run) == set()
    assert _stages.descendants(new, new.stages[0]) == []
    assert _stages.descendants(new, new.stages[1]) == [new_three]
    assert_same(str(new))

    # Rename stage one by an edit of its FROM line (a whole-instruction edit): names are new.
    from_one = tree.stages[0].from_instruction
    renamed = apply_edits(
        text,
        [
            insert_before(tree, from_one, "FROM alpine AS zero"),
            insert_before(tree, run, "ARG W=2"),
        ],
    )
    newer = parse(renamed)
    assert [s.name for s in newer.stages] == ["zero", "one", "two", "three"]
    assert newer.stage("zero") is newer.stages[0]
    assert newer.stage("one") is newer.stages[1]
    newer_three = newer.stages[3]
    last = newer_three.instructions[-1]
    assert newer_three.args_in_scope(last) == {"V", "W"}
    assert _stages.known_values(newer, newer_three, last) == {"V": "1", "E": "x", "W": "2"}
    assert_same(renamed)

    # The old tree still answers for its own text.
    assert three.parent is tree.stage("one")
    assert _stages.known_values(tree, three, run) == {"V": "1", "E": "x"}
    assert [s.name for s in tree.stages] == ["one", "two", "three"]


def test_flag_value_offsets_point_at_each_character() -> None:
    """Offsets are a range for a value written in one piece, a tuple otherwise; both exact."""
    text = (
        "FROM a\n"
        "RUN --mount=type=cache,target=/x \\\n"
        "    --mount=type=cache,\\\n"
        "  # a comment inside\n"
        "target=/y --mount='type=cache,target=/z w' --network=none make\n"
    )
    tree = parse(text)
    flags = tree.instructions[1].flags
    assert [f.value for f in flags] == [
        "type=cache,target=/x",
        "type=cache,target=/y",
        "type=cache,target=/z w",
        "none",
    ]
    assert isinstance(flags[0].value_offsets, range)
    assert isinstance(flags[1].value_offsets, tuple)  # split over two lines
    for f in flags:
        assert f.value is not None
        assert "".join(text[o] for o in f.value_offsets) == f.value
        assert re.sub(r"['\\\n ]|# a comment inside", "", text[f.value_start : f.value_end]) == (
            f.value.replace(" ", "")
        )
