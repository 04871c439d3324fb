"""The worked series in examples/series on examples/upstream: examples pass, apply is idempotent."""

from __future__ import annotations

from pathlib import Path

from patchkit import engine
from patchkit.series import load_series
from patchkit.states import PatchState

ROOT = Path(__file__).resolve().parents[2]
SERIES = ROOT / "examples" / "series"
UPSTREAM = ROOT / "examples" / "upstream"


def test_every_worked_example_passes() -> None:
    outcomes = [o for p in load_series(SERIES).patches for o in engine.run_examples(p)]
    assert len(outcomes) == 10
    assert all(o.ok for o in outcomes), [o.detail for o in outcomes if not o.ok]


def test_series_on_the_example_upstream(tmp_path: Path) -> None:
    series = load_series(SERIES)
    version = engine.resolve_upstream_version(UPSTREAM, "0.10.1")
    plan = engine.plan(series, UPSTREAM, version, out=tmp_path)
    assert [s.state for s in plan.states] == [PatchState.PENDING] * 4
    engine.write_plan(plan)
    again = engine.status(series, tmp_path, version)
    assert [s.state for s in again] == [PatchState.APPLIED] * 4
