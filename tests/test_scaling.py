"""Cost grows with the input, not with its square (issue 21): a generous bound on big inputs.

Before the stage caches, 1,000 chained stages took 2.5 s to lint, 2,000 took 28 s and 4,000
took 192 s; vLLM's Dockerfile.cpu repeated 200 times took 23 s. Now 20,000 chained stages
take about a second for each command, so a minute is far from any noise and a return to
quadratic cost (about 2,000 s here) cannot pass. Whole processes, as a user runs them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from scale import chained, repeated  # noqa: E402

pytestmark = pytest.mark.slow

_BOUND_S = 60.0


def _patchkit(*args: str) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "patchkit", *args],
        capture_output=True,
        env=env,
        timeout=_BOUND_S,
    )


@pytest.mark.parametrize("command", ["parse", "lint"])
def test_twenty_thousand_chained_stages_take_under_a_minute(tmp_path: Path, command: str) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text(chained(20_000), encoding="utf-8")
    proc = _patchkit(command, str(path))  # subprocess.TimeoutExpired fails the test
    assert proc.returncode in (0, 1), proc.stderr.decode(errors="replace")
    if command == "parse":
        assert b"20000 stages" in proc.stdout.splitlines()[0]


@pytest.mark.parametrize("command", ["parse", "lint"])
def test_a_stage_of_twenty_thousand_instructions_takes_under_a_minute(
    tmp_path: Path, command: str
) -> None:
    # One long stage: every RUN asks which ARGs are in scope and what the variables hold
    # (PKD001, PKD003); each question used to walk the stage from its FROM.
    lines = ["FROM python:3.12 AS build", "ARG TARGETARCH", "ENV PIP_NO_CACHE_DIR=0"]
    for i in range(10_000):
        lines.append(
            "RUN --mount=type=cache,id=pip-$TARGETARCH,target=/root/.cache/pip "
            f"pip install p{i} && echo ${{TARGETARCH}}"
        )
        lines.append(f"COPY . /src{i}")
    path = tmp_path / "Dockerfile"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = _patchkit(command, str(path))
    assert proc.returncode in (0, 1), proc.stderr.decode(errors="replace")


@pytest.mark.parametrize("command", ["parse", "lint"])
def test_five_hundred_unique_copies_of_a_cpu_dockerfile_take_under_a_minute(
    tmp_path: Path, command: str
) -> None:
    one = (ROOT / "examples" / "upstream" / "docker" / "Dockerfile.cpu").read_text(encoding="utf-8")
    path = tmp_path / "Dockerfile"
    path.write_text(repeated(one, 500), encoding="utf-8")
    proc = _patchkit(command, str(path))
    assert proc.returncode in (0, 1), proc.stderr.decode(errors="replace")
    if command == "lint":
        # every copy keeps its findings: the unique names keep the copies apart
        findings = proc.stdout.decode().count(": PKD")
        single = _patchkit(
            command, str(ROOT / "examples" / "upstream" / "docker" / "Dockerfile.cpu")
        )
        assert findings == 500 * single.stdout.decode().count(": PKD")
