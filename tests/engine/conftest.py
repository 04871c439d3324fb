"""Shared helpers for the engine tests: fixture paths, upstream copies, git repos."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def upstream(tmp_path: Path) -> Path:
    """A private copy of the fixture upstream tree (tests may modify it)."""
    dest = tmp_path / "upstream"
    shutil.copytree(FIXTURES / "upstream", dest)
    return dest


def git(cwd: Path, *args: str) -> str:
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
        "PATH": "/usr/bin:/bin:/usr/local/bin",
        "HOME": str(cwd),
    }
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


@pytest.fixture
def run_git() -> Callable[..., str]:
    """``run_git(folder, *args)``: git with a fixed identity and no user configuration."""
    return git


@pytest.fixture
def make_git_repo() -> Callable[[Path, str | None], Path]:
    """Turn a folder into a git repo with one commit, tagged when a tag is given."""

    def make(folder: Path, tag: str | None = None) -> Path:
        git(folder, "init", "-q", "-b", "main")
        git(folder, "add", "-A")
        git(folder, "commit", "-q", "-m", "upstream")
        if tag:
            git(folder, "tag", tag)
        return folder

    return make
