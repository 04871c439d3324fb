"""Temporary files a killed run leaves behind (issue 21, item 10).

A kill between staging and renaming leaves ``.NAME.<pid>.XXXX.patchkit-tmp``
beside its target. Such files used to stay for ever, and ``files:
["docker/*"]`` matched them as patch targets (a truncated one made the series
"drifted"). Now no series sees them, and the next run that writes in that
folder removes those whose writer is gone, and says so once; a live writer's
file is left alone.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
Cli = Callable[..., subprocess.CompletedProcess[str]]

KILLED = """
import os, signal, sys
from patchkit import _fs
for target in sys.argv[1:]:
    _fs.stage_write(target, "FROM trunc")  # staged, never committed
os.kill(os.getpid(), signal.SIGKILL)
"""

PATCH = (
    "id: k\nsummary: s\nwhy: w\nfiles: ['docker/*']\n"
    "transform:\n  kind: cache-key-arg\n  name: APP_COMMIT\n  run: bdist_wheel\n"
)
SERIES = ("--upstream", "up", "--upstream-version", "1", "--patches", "patches")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES / "upstream", tmp_path / "up")
    (tmp_path / "patches").mkdir()
    (tmp_path / "patches" / "k.yaml").write_text(PATCH, encoding="utf-8")
    return tmp_path


def _killed_writer(*targets: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", KILLED, *map(str, targets)],
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        timeout=60,
        check=False,
    )
    assert proc.returncode == -signal.SIGKILL


def _debris(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(".patchkit-tmp"))


@pytest.fixture
def live_pid() -> Iterator[int]:
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        yield proc.pid
    finally:
        proc.kill()
        proc.wait()


def test_a_glob_of_the_series_never_sees_temporary_files(cli: Cli, project: Path) -> None:
    _killed_writer(project / "up" / "docker" / "Dockerfile.cpu")
    assert len(_debris(project / "up")) == 1
    done = cli("status", *SERIES, cwd=project, timeout=60)
    assert done.returncode in (0, 1), done.stderr
    assert "patchkit-tmp" not in done.stdout and "drifted" not in done.stdout
    assert "docker/Dockerfile.cpu" in done.stdout


@pytest.mark.parametrize("where", ["--in-place", "--out"])
def test_the_next_apply_removes_a_dead_writers_files_and_says_so_once(
    cli: Cli, project: Path, where: str
) -> None:
    if where == "--in-place":
        folder, args = project / "up" / "docker", ["--in-place"]
    else:
        folder, args = project / "out" / "docker", ["--out", "out"]
        folder.mkdir(parents=True)
        shutil.copyfile(project / "up" / "docker" / "Dockerfile.cpu", folder / "Dockerfile.cpu")
    _killed_writer(folder / "Dockerfile.cpu", folder / "Dockerfile.cpu")
    assert len(_debris(folder)) == 2
    done = cli("apply", *SERIES, *args, cwd=project, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("removed 2 temporary file(s) left by an interrupted") == 1
    assert _debris(project) == []
    assert "ARG APP_COMMIT" in (folder / "Dockerfile.cpu").read_text(encoding="utf-8")


def test_a_live_writers_file_is_left_alone(cli: Cli, project: Path, live_pid: int) -> None:
    folder = project / "up" / "docker"
    mine = folder / f".Dockerfile.cpu.{live_pid}.abcd1234.patchkit-tmp"
    mine.write_text("being written")
    done = cli("apply", *SERIES, "--in-place", cwd=project, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "removed" not in done.stderr
    assert mine.read_text() == "being written"


def test_lint_fix_removes_a_dead_writers_files_too(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "Dockerfile"
    target.write_text(
        "FROM a AS b\nRUN --mount=type=cache,target=/x/.deps make\n", encoding="utf-8", newline=""
    )
    _killed_writer(target)
    done = cli("lint", "--fix", "--platform", "linux/amd64,linux/arm64", "Dockerfile",
               cwd=tmp_path, timeout=60)  # fmt: skip
    assert done.returncode in (0, 1), done.stderr  # an unsafe fix may remain
    assert done.stderr.count("removed 1 temporary file(s)") == 1
    assert _debris(tmp_path) == []
