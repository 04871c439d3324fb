"""The registry: unique kinds, documented, and each scaffold is a passing worked example."""

from __future__ import annotations

import pytest

from patchkit.engine import run_examples
from patchkit.series import parse_patch, scaffold_patch
from patchkit.transforms import TRANSFORMS, get

KINDS = [t.kind for t in TRANSFORMS]


def test_kinds_are_unique_and_found_by_name() -> None:
    assert len(set(KINDS)) == len(KINDS)
    for t in TRANSFORMS:
        assert get(t.kind) is t
    assert get("nope") is None


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_documents_its_states_and_params(kind: str) -> None:
    t = get(kind)
    assert t is not None
    for word in ("What it does", "States", "pending", "drifted"):
        assert word in t.doc, f"{kind} doc lacks {word!r}"
    assert t.summary and t.params


@pytest.mark.parametrize("kind", KINDS)
def test_scaffold_loads_and_its_example_passes(kind: str) -> None:
    text = scaffold_patch(f"new-{kind}", kind)
    patch = parse_patch(text, "new.yaml")
    outcomes = run_examples(patch)
    assert len(outcomes) == 2
    assert all(o.ok for o in outcomes), [o.detail for o in outcomes]
