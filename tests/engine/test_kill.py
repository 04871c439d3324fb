"""A process killed in the middle of ``apply`` leaves every target fully old or fully new."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from patchkit import engine
from patchkit.series import load_series

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
N_FILES = 12

WRITER = """
import sys, time
from patchkit import engine
from patchkit.series import load_series

upstream, patches, out = sys.argv[1:4]
real = engine.atomic_write_text

def slow(path, text, **kw):
    real(path, text, **kw)
    print("wrote", path, flush=True)
    time.sleep(0.2)  # widen the window between writes

engine.atomic_write_text = slow
version = engine.resolve_upstream_version(upstream, "1")
plan = engine.plan(load_series(patches), upstream, version, out=out)
print("planned", flush=True)
engine.write_plan(plan)
print("done", flush=True)
"""


def _tree(tmp_path: Path) -> tuple[Path, Path]:
    upstream = tmp_path / "upstream" / "docker"
    upstream.mkdir(parents=True)
    base = (FIXTURES / "upstream" / "docker" / "Dockerfile.cpu").read_text(encoding="utf-8")
    padding = "".join(f"# padding line {i} to make the write take a while\n" for i in range(4000))
    for i in range(N_FILES):
        (upstream / f"Dockerfile.{i:02d}").write_text(padding + base, encoding="utf-8")
    patches = tmp_path / "patches"
    patches.mkdir()
    (patches / "k.yaml").write_text(
        "id: k\nsummary: s\nwhy: w\nfiles: ['docker/Dockerfile.*']\n"
        "transform:\n  kind: cache-key-arg\n  name: APP_COMMIT\n  run: bdist_wheel\n",
        encoding="utf-8",
    )
    return upstream.parent, patches


@pytest.mark.parametrize("kill_after", [0, 1, 5])
def test_sigkill_between_or_during_writes(tmp_path: Path, kill_after: int) -> None:
    upstream, patches = _tree(tmp_path)
    out = tmp_path / "out"
    old = "FROM scratch\n# the previous patched copy\n"
    for i in range(N_FILES):
        target = out / "docker" / f"Dockerfile.{i:02d}"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(old, encoding="utf-8")
    plan = engine.plan(
        load_series(patches), upstream, engine.resolve_upstream_version(upstream, "1"), out=out
    )
    new = {f.target: f.new for f in plan.files}
    assert len(new) == N_FILES

    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(upstream), str(patches), str(out)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    seen = 0
    deadline = time.monotonic() + 60
    for line in proc.stdout:
        if line.startswith("wrote"):
            seen += 1
        if (line.startswith("planned") and kill_after == 0) or (kill_after and seen >= kill_after):
            if kill_after == 0:
                time.sleep(0.05)  # likely in the middle of writing the first temporary file
            proc.send_signal(signal.SIGKILL)
            break
        assert time.monotonic() < deadline
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    states = []
    for target, text in new.items():
        content = target.read_text(encoding="utf-8")
        assert content in (old, text), f"{target} is neither the old nor the new text"
        states.append(content == text)
    assert sum(states) >= kill_after
    assert not all(states), "the kill came too late to test anything"
    shutil.rmtree(tmp_path / "upstream")
