"""`patchkit new` with a name the file system refuses (issue 21, item 9).

A 300-character name was exit 3 (ENAMETOOLONG) and left the patches folder it
had just created. Now a long name is refused up front, and any failed write
removes the folders ``new`` created.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

Cli = Callable[..., subprocess.CompletedProcess[str]]
# new scaffolds from a real upstream tree (issue 20); it is only read, so the bundled one serves
UPSTREAM = str(Path(__file__).resolve().parents[2] / "examples" / "upstream")
FROM_TREE = ("--upstream", UPSTREAM, "--upstream-version", "0.33.0")


def test_a_300_character_name_is_exit_2_and_creates_nothing(cli: Cli, tmp_path: Path) -> None:
    done = cli("new", "a" * 300, "--kind", "insert", "--patches", "p/q", cwd=tmp_path, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "is 300 characters; use at most 100" in done.stderr
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_removes_the_folders_new_created(faulty_cli: Cli, tmp_path: Path) -> None:
    done = faulty_cli(
        "new", "ok-name", "--kind", "insert", "--patches", "p/q", *FROM_TREE,
        cwd=tmp_path, fault={"fail": "mkstemp", "errno": "ENAMETOOLONG", "call": 0},
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "p/q/ok-name.yaml" in done.stderr and "nothing was written" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_existing_folder_is_kept(faulty_cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "p").mkdir()
    done = faulty_cli(
        "new", "ok-name", "--kind", "insert", "--patches", "p", *FROM_TREE,
        cwd=tmp_path, fault={"fail": "mkstemp", "errno": "EIO", "call": 0},
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["p"] and not list((tmp_path / "p").iterdir())
