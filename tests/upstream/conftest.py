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
            ["git", *args],
            cwd=self.root,
            env=self.env(),
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed: {proc.stderr}")
        return proc.stdout.strip()

    def write(self, path: str, text: str) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="")

    def commit(
        self, message: str = "change", files: dict[str, str] | None = None, **named: str
    ) -> str:
        """Write ``files`` (path -> text) and ``named`` (keyword = path with '__' for '/'), commit.

        Returns the commit id.
        """
        for path, text in (files or {}).items():
            self.write(path, text)
        for key, text in named.items():
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


def scm_venvs() -> dict[str, Path]:
    """``PATCHKIT_SCM_VENVS`` ("10=/venv:9=/venv:...", exported by .ci/setup-scm.sh) as a dict."""
    spec = os.environ.get("PATCHKIT_SCM_VENVS", "")
    out: dict[str, Path] = {}
    for item in spec.split(":"):
        major, _, path = item.partition("=")
        if major and path and (Path(path) / "bin" / "python").exists():
            out[major] = Path(path)
    return out


_REAL_SCM = r"""
import json, sys, warnings
warnings.simplefilter("ignore")
from setuptools_scm import get_version
out = {}
for root, match in json.loads(sys.stdin.read()):
    # the default glob: setuptools-scm's own describe command; any other glob: vLLM's
    # command from its setup.py (v0.31.0 on), which also asks for --abbrev=40
    kw = {} if match == "*[0-9]*" else {"git_describe_command": [
        "git", "describe", "--dirty", "--tags", "--long", "--abbrev=40", "--match", match]}
    try:
        out[root] = get_version(root=root, **kw)
    except Exception as exc:  # the comparison shows what failed
        out[root] = "ERROR " + type(exc).__name__
print(json.dumps(out))
"""


def real_setuptools_scm(venv: Path, cases: list[tuple[Path, str]], epoch: int) -> dict[str, str]:
    """Ask a real setuptools-scm (in ``venv``) for the version of each (repo, describe glob).

    One subprocess for all cases; ``SOURCE_DATE_EPOCH`` fixes the date label of dirty trees.
    """
    import json

    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SETUPTOOLS_SCM", "VCS_VERSIONING", "GIT_"))
    }
    env["SOURCE_DATE_EPOCH"] = str(epoch)
    proc = subprocess.run(
        [str(venv / "bin" / "python"), "-c", _REAL_SCM],
        input=json.dumps([[str(root), match] for root, match in cases]),
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=True,
    )
    return json.loads(proc.stdout)


@pytest.fixture(scope="session")
def sandbox_cls() -> type[GitSandbox]:
    """The ``GitSandbox`` class, for module-scoped fixtures that build several repositories."""
    return GitSandbox


@pytest.fixture(scope="session")
def real_scm() -> Callable[[Path, list[tuple[Path, str]], int], dict[str, str]]:
    return real_setuptools_scm


@pytest.fixture(scope="session")
def venvs() -> dict[str, Path]:
    found = scm_venvs()
    if not found:
        pytest.skip(
            "no setuptools-scm venvs: PATCHKIT_SCM_VENVS is unset (source .ci/setup-scm.sh)"
        )
    return found
