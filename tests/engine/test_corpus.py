"""A vLLM-CPU-shaped test series over every release of the vLLM corpus (PATCHKIT_CORPUS).

Not the package's patch set (that lives in patches/): a series that exercises
the four dedicated kinds on real upstream Dockerfiles, planned, verified,
written, and then re-inspected: every patch must read applied or upstream on
its own output.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from patchkit import engine
from patchkit.series import load_series
from patchkit.states import PatchState

SERIES = Path(__file__).resolve().parent / "fixtures" / "series" / "vllm-cpu"


def _corpus() -> Path:
    root = os.environ.get("PATCHKIT_CORPUS")
    if not root or not (Path(root) / "vllm").is_dir():
        pytest.skip("PATCHKIT_CORPUS does not name a corpus with vllm/<version>/ folders")
    return Path(root) / "vllm"


@pytest.mark.corpus
def test_series_over_every_release_is_honest_and_idempotent(tmp_path: Path) -> None:
    series = load_series(SERIES)
    releases = sorted(p for p in _corpus().iterdir() if p.is_dir())
    assert releases
    seen: dict[str, set[PatchState]] = {}
    for release in releases:
        version = engine.resolve_upstream_version(release, release.name)
        out = tmp_path / release.name
        plan = engine.plan(series, release, version, out=out)
        for s in plan.states:
            seen.setdefault(s.patch, set()).add(s.state)
        if plan.drifted:
            continue
        engine.write_plan(plan)
        again = engine.status(series, out, version)
        assert not [s for s in again if s.state is PatchState.PENDING], release.name
    assert PatchState.PENDING in seen["cpu-deps-cache-per-arch"]
    assert PatchState.SKIPPED in seen["cpu-deps-cache-per-arch"]  # releases before 0.16
    # old releases keep the file elsewhere (no docker/Dockerfile.cpu): drifted, not an error
    assert PatchState.DRIFTED in seen["cpu-commit-in-key"]
