"""`lint --fix` over several files writes all of them or none (issue 21, item 11).

It used to write file by file: on a full disk it rewrote three files, failed on
the fourth and said "nothing was written"; with one file a symlink it rewrote
the others and did not say so. Now every new text is staged first, then all
are renamed into place, as ``apply`` does.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "lint" / "fixtures" / "fix-many"
Cli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    dest = tmp_path / "docker"
    shutil.copytree(FIXTURES, dest)
    return dest


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if not p.is_symlink()}


@pytest.mark.parametrize(
    ("fault", "says"),
    [
        ({"fail": "write", "errno": "ENOSPC", "call": 3}, "free some disk space"),
        ({"fail": "fsync", "errno": "EIO", "call": 2}, "check the disk"),
        ({"fail": "mkstemp", "errno": "EROFS", "call": 3}, "Make the folder writable"),
    ],
)
def test_a_failure_while_staging_writes_none_and_says_so(
    faulty_cli: Cli, folder: Path, fault: dict[str, object], says: str
) -> None:
    before = _snapshot(folder)
    done = faulty_cli(
        "lint", "--fix", "--platform", "linux/amd64,linux/arm64", str(folder),
        cwd=folder.parent, fault=fault,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "nothing was written" in done.stderr and says in done.stderr
    assert "Traceback" not in done.stderr
    assert _snapshot(folder) == before
    assert not [p for p in folder.iterdir() if p.name.endswith(".patchkit-tmp")]


def test_a_failure_in_the_renames_names_what_was_replaced(faulty_cli: Cli, folder: Path) -> None:
    done = faulty_cli(
        "lint", "--fix", "--platform", "linux/amd64,linux/arm64", str(folder),
        cwd=folder.parent, fault={"fail": "replace", "errno": "EIO", "call": 2},
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "already replaced before this failure" in done.stderr
    assert "Dockerfile.a" in done.stderr and "Dockerfile.b" in done.stderr


def test_a_symlinked_file_stops_the_fix_before_any_file_changes(cli: Cli, folder: Path) -> None:
    (folder / "Dockerfile.b").unlink()
    (folder / "Dockerfile.b").symlink_to("Dockerfile.c")  # inside the folder: linted
    before = _snapshot(folder)
    done = cli(
        "lint", "--fix", "--platform", "linux/amd64,linux/arm64", str(folder),
        cwd=folder.parent, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "Dockerfile.b: is a symlink" in done.stderr and "Traceback" not in done.stderr
    assert _snapshot(folder) == before
