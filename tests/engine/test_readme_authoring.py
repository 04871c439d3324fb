"""The README's authoring blocks are real output: each ``$ patchkit ...`` line of a block
marked ``<!-- run: ... -->`` is run (in a copy of examples/, or in the repository) and its
stdout, stderr and exit code must be what the block shows."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _blocks() -> list[tuple[str, str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(
        r"<!-- run: (in a copy of examples/|in the repository) -->\n```console\n(.*?)```",
        text,
        re.S,
    )


def _steps(block: str) -> list[tuple[str, str]]:
    """(command, expected output including the [exit N] line) for each $ line."""
    parts = re.split(r"^\$ (.*)\n", block, flags=re.M)
    return list(zip(parts[1::2], parts[2::2], strict=True))


def test_the_readme_has_the_authoring_blocks() -> None:
    kinds = [where for where, _ in _blocks()]
    assert kinds == ["in a copy of examples/", "in the repository"]


@pytest.mark.parametrize("index", range(2))
def test_readme_authoring_block(index: int, tmp_path: Path) -> None:
    where, block = _blocks()[index]
    if where == "in the repository":
        cwd = ROOT
    else:
        cwd = tmp_path / "examples"
        shutil.copytree(ROOT / "examples", cwd, ignore=shutil.ignore_patterns(".dockerfiles"))
    for command, want in _steps(block):
        argv = shlex.split(command)
        assert argv[0] == "patchkit"
        done = subprocess.run(
            [sys.executable, "-m", "patchkit", *argv[1:]],
            cwd=cwd,
            capture_output=True,
            text=True,
            env={
                "PYTHONPATH": str(ROOT),
                "PATH": "/usr/bin:/bin",
                "NO_COLOR": "1",
                "HOME": str(tmp_path),
            },
        )
        got = f"{done.stdout}{done.stderr}[exit {done.returncode}]\n"
        assert got == want, command
