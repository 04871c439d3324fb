"""Every transform kind on hand-written, vLLM-shaped fixtures: each state, and idempotence."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from patchkit.dockerfile import parse
from patchkit.engine import apply_to_text
from patchkit.series import Patch
from patchkit.states import PatchState
from patchkit.transforms import TRANSFORMS

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CASES = sorted(
    f"{kind.name}/{case.name}"
    for kind in FIXTURES.iterdir()
    if kind.is_dir()
    for case in kind.iterdir()
    if case.is_dir()
)


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


@pytest.mark.parametrize("case", CASES)
def test_fixture(case: str, make_patch: Callable[..., Patch]) -> None:
    folder = FIXTURES / case
    patch = make_patch(_read(folder / "transform.yaml"))
    before = _read(folder / "before")
    after = _read(folder / "after") if (folder / "after").exists() else before
    state = PatchState(_read(folder / "state").strip())

    found = patch.transform.inspect(parse(before))
    assert found.state is state, found.message
    if (folder / "message").exists():
        assert _read(folder / "message").strip() in found.message
    if (folder / "warning").exists():
        assert any(_read(folder / "warning").strip() in w for w in found.warnings), found.warnings
    else:
        assert found.warnings == ()

    result = apply_to_text(before, [patch])
    assert result.text == after
    assert (result.text != before) == (state is PatchState.PENDING)

    # applying again changes nothing, and the patched file says so
    again = apply_to_text(after, [patch])
    assert again.text == after
    final = patch.transform.inspect(parse(after)).state
    if state is PatchState.DRIFTED:
        assert final is PatchState.DRIFTED
    else:
        assert final in (PatchState.APPLIED, PatchState.UPSTREAM)


@pytest.mark.parametrize("kind", [t.kind for t in TRANSFORMS])
def test_every_kind_has_fixtures_for_every_transform_state(kind: str) -> None:
    states = {
        _read(case / "state").strip()
        for case in (FIXTURES / kind).iterdir()
        if (case / "state").exists()
    }
    assert states >= {"pending", "applied", "upstream", "drifted"}
