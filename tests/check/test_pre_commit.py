"""The ``patchkit-check`` pre-commit hook, from ``.pre-commit-hooks.yaml`` at the repo root.

Two levels:

- always: the hook's declaration is what a downstream repo needs (``language:
  python``, ``pass_filenames: false``) and its ``entry``, run with the hook's
  own arguments in a temporary git repo, passes on the fixture downstream and
  fails (exit 1) on a broken variant;
- ``slow``: ``pre-commit try-repo`` itself, which clones this checkout,
  builds the hook's virtualenv (pip install from PyPI) and runs the hook the
  way a developer's commit would. Skipped when pre-commit is not installed
  (``pip install -e '.[test]'`` brings it) or cannot build the environment
  (no access to a package index).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _hooks() -> list[dict[str, object]]:
    from ruamel.yaml import YAML

    data = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


def _git_repo(path: Path) -> Path:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "init"]):
        subprocess.run(["git", *args], cwd=path, check=True, env=env, capture_output=True)
    return path


def test_the_hook_is_declared_for_a_whole_repo_check() -> None:
    hooks = {h["id"]: h for h in _hooks()}
    hook = hooks["patchkit-check"]
    assert hook["entry"] == "patchkit check"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False


def _run_entry(repo: Path) -> subprocess.CompletedProcess[str]:
    hook = next(h for h in _hooks() if h["id"] == "patchkit-check")
    argv = shlex.split(str(hook["entry"])) + [str(a) for a in hook.get("args", [])]  # type: ignore[attr-defined]
    assert argv[0] == "patchkit"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("NO_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "patchkit", *argv[1:]],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def test_the_hook_entry_passes_and_fails(repo_factory: Callable[..., Path]) -> None:
    good = _run_entry(_git_repo(repo_factory()))
    assert good.returncode == 0, good.stdout + good.stderr
    bad = _run_entry(_git_repo(repo_factory("exver-rc0")))
    assert bad.returncode == 1
    assert "startos/versions/v_0_21_1_rc0_0.ts:4:22: PKM001" in bad.stdout


@pytest.mark.slow
def test_pre_commit_try_repo(repo_factory: Callable[..., Path], tmp_path: Path) -> None:
    exe = shutil.which("pre-commit")
    if exe is None:
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    cache = os.environ.get("PATCHKIT_CI_CACHE")
    home = Path(cache) / "pre-commit" if cache else tmp_path / "pre-commit-home"
    env = {**os.environ, "PRE_COMMIT_HOME": str(home)}
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(name, None)

    def try_repo(repo: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [exe, "try-repo", str(ROOT), "patchkit-check", "--all-files"],
            cwd=repo,
            capture_output=True,
            text=True,
            env=env,
            timeout=900,
        )

    good = try_repo(_git_repo(repo_factory()))
    if good.returncode != 0 and "An unexpected error has occurred" in good.stdout + good.stderr:
        pytest.skip(f"pre-commit could not build the hook environment: {good.stdout[-400:]}")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "patchkit check" in good.stdout and "Passed" in good.stdout
    bad = try_repo(_git_repo(repo_factory("migration-newer")))
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Failed" in bad.stdout
    assert "startos/versions/v_0_21_1_rc0_0.ts:10:8: PKM002" in bad.stdout
