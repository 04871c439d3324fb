"""Throwaway git repositories for the upstream tests.

``GitSandbox`` builds a real repository in a temporary folder with a fixed
identity and fixed dates (so commit ids are reproducible), and runs git the
way a maintainer would. Nothing here uses patchkit.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

_ENV = {
    "GIT_AUTHOR_NAME": "Upstream Dev",
    "GIT_AUTHOR_EMAIL": "dev@example.invalid",
    "GIT_COMMITTER_NAME": "Upstream Dev",
    "GIT_COMMITTER_EMAIL": "dev@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


class GitSandbox:
    """A git repository under construction: write files, commit, tag, branch, merge."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._tick = 0
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        for key in list(env):
            if key.startswith("GIT_"):
                del env[key]
        env.update(_ENV)
        stamp = f"{1_760_000_000 + self._tick * 3600} +0000"
        env["GIT_AUTHOR_DATE"] = stamp
        env["GIT_COMMITTER_DATE"] = stamp
        return env

    def git(self, *args: str) -> str:
        proc = subprocess.run(
            ["git", *args], cwd=self.root, env=self.env(), capture_output=True, text=True, check=False
        )
        if proc.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed: {proc.stderr}")
        return proc.stdout.strip()

    def write(self, path: str, text: str) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="")

    def commit(self, message: str = "change", **files: str) -> str:
        """Write ``files`` (keyword = path with '__' for '/') and commit; returns the commit id."""
        for key, text in files.items():
            self.write(key.replace("__", "/"), text)
        self._tick += 1
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD")

    def tag(self, name: str, annotated: bool = False) -> None:
        if annotated:
            self.git("tag", "-a", name, "-m", name)
        else:
            self.git("tag", name)


@pytest.fixture
def sandbox(tmp_path: Path) -> Callable[[str], GitSandbox]:
    def make(name: str = "upstream") -> GitSandbox:
        return GitSandbox(tmp_path / name)

    return make
