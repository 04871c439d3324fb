"""Messages that said the wrong thing (issue 21, item 14): a damaged repository called
"no commits yet", TOML errors from `lint` one column off (0-based), and a bad
``platforms`` of ``[tool.patchkit]`` blamed on ``[tool.patchkit.lint]``."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

Cli = Callable[..., subprocess.CompletedProcess[str]]


def _git(cwd: Path, *args: str) -> str:
    env = dict(
        os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@e.invalid", GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@e.invalid", GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1",
    )  # fmt: skip
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_repository_whose_head_object_is_missing_is_called_damaged(
    cli: Cli, tmp_path: Path
) -> None:
    up = tmp_path / "up"
    up.mkdir()
    _git(up, "init", "-q")
    _git(up, "commit", "-q", "--allow-empty", "-m", "x")
    _git(up, "tag", "v1.0")
    head = _git(up, "rev-parse", "HEAD")
    (up / ".git" / "objects" / head[:2] / head[2:]).unlink()
    done = cli("upstream-version", "up", cwd=tmp_path, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "repository is damaged: HEAD names a commit whose object is missing" in done.stderr
    assert "no commits yet" not in done.stderr and "fsck" in done.stderr


def test_a_repository_without_commits_is_still_called_so(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "up").mkdir()
    _git(tmp_path / "up", "init", "-q")
    done = cli("upstream-version", "up", cwd=tmp_path, timeout=60)
    assert done.returncode == 2 and "the checkout has no commits yet" in done.stderr


@pytest.mark.parametrize("command", ["lint", "check"])
def test_toml_errors_have_1_based_columns(cli: Cli, tmp_path: Path, command: str) -> None:
    # `select = [PKD001`: the P is the 11th character of line 2
    (tmp_path / "pyproject.toml").write_text("[tool.patchkit.lint]\nselect = [PKD001\n")
    (tmp_path / "Dockerfile").write_text("FROM a\n")
    args = ["Dockerfile"] if command == "lint" else []
    done = cli(command, *args, cwd=tmp_path, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "pyproject.toml:2:11: not valid TOML: Unexpected character: 'P'" in done.stderr


@pytest.mark.parametrize(
    ("toml", "table"),
    [
        ("[tool.patchkit]\nplatforms = 3\n", "[tool.patchkit] platforms"),
        ("[tool.patchkit]\nbuilder = 3\n", "[tool.patchkit] builder"),
        ("[tool.patchkit.lint]\nplatforms = 3\n", "[tool.patchkit.lint] platforms"),
    ],
)
def test_a_bad_key_is_reported_under_the_table_it_is_written_in(
    cli: Cli, tmp_path: Path, toml: str, table: str
) -> None:
    (tmp_path / "pyproject.toml").write_text(toml)
    (tmp_path / "Dockerfile").write_text("FROM a\n")
    done = cli("lint", "Dockerfile", cwd=tmp_path, timeout=60)
    assert done.returncode == 2, done.stderr
    assert f"pyproject.toml: {table} must be" in done.stderr
