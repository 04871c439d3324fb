"""``patchkit check`` on the fixture downstream passes; each broken variant fails with one error.

Every variant makes one mistake a real downstream made (see DESIGN.md's
table) and nothing else; ``expected.json`` next to it says, by hand, which
code at which place. The variant files keep the committed patched copy
consistent with the series, so the only error is the mistake itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

VARIANTS = Path(__file__).parent / "fixtures" / "variants"
NAMES = sorted(p.name for p in VARIANTS.iterdir() if (p / "expected.json").is_file())
# build.sh passes --build-arg VLLM_VERSION, so the ARG without default is not empty:
# the build model keeps PKS007 silent (before it, this was the one baseline warning)
BASELINE_WARNINGS: list[list[object]] = []

Run = Callable[..., tuple[int, dict[str, object]]]
Found = Callable[[dict[str, object], str], list[list[object]]]


def test_the_six_mistakes_are_covered() -> None:
    assert NAMES == [
        "dist-named-pretend",
        "drifted-anchor",
        "exver-rc0",
        "image-tag",
        "migration-newer",
        "unscoped-cache-mount",
    ]


def test_the_fixture_downstream_passes(
    repo_factory: Callable[..., Path], check_json: Run, found: Found
) -> None:
    repo = repo_factory()
    code, doc = check_json(repo, "--check")
    assert code == 0
    assert found(doc, "error") == []
    assert found(doc, "warning") == BASELINE_WARNINGS
    assert [(a["name"], a["status"]) for a in doc["areas"]] == [  # type: ignore[union-attr,index]
        ("build", "ok"),
        ("manifest", "ok"),
        ("scm", "ok"),
        ("status", "ok"),
        ("lint", "ok"),
    ]


@pytest.mark.parametrize("variant", NAMES)
def test_each_mistake_fails_with_its_code_and_place(
    variant: str, repo_factory: Callable[..., Path], check_json: Run, found: Found
) -> None:
    want = json.loads((VARIANTS / variant / "expected.json").read_text(encoding="utf-8"))
    repo = repo_factory(variant)
    code, doc = check_json(repo)
    assert code == 1, doc
    assert found(doc, "error") == sorted(want["errors"])
    assert found(doc, "warning") == sorted(want["warnings"])
