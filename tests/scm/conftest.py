"""Shared helpers for the scm tests: fixture paths and the real setuptools-scm venvs.

``PATCHKIT_SCM_VENVS`` ("10=/venv:9=/venv:...") is exported by ``.ci/setup-scm.sh``;
tests that need a real setuptools-scm skip with a reason when it is absent
locally, and fail under CI (``CI`` set), where the setup script must have run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
PROJECTS = FIXTURES / "projects"
DRIVER = HERE / "scm_driver.py"


def scm_venv_python(major: int) -> str:
    """The python of the venv holding setuptools-scm ``major``, or skip/fail."""
    spec = os.environ.get("PATCHKIT_SCM_VENVS", "")
    venvs = dict(item.split("=", 1) for item in spec.split(":") if "=" in item)
    venv = venvs.get(str(major))
    py = Path(venv) / "bin" / "python" if venv else None
    if py is None or not py.exists():
        msg = (
            f"no setuptools-scm {major} venv (PATCHKIT_SCM_VENVS={spec!r}); "
            "run `source .ci/setup-scm.sh` to create them"
        )
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    return str(py)


def _git_init(d: Path) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }  # fmt: skip
    for cmd in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-qm", "init"]):
        subprocess.run(cmd, cwd=d, env=env, check=True, capture_output=True)


def run_real(
    major: int,
    jobs: list[tuple[str, Path, Mapping[str, str]]],
    work: Path,
    mode: str = "metadata",
) -> dict[str, dict[str, object]]:
    """Run each (id, project, env) through the real setuptools-scm ``major``; one copy each.

    ``mode``: ``metadata`` asks setuptools' PEP 517 backend for the wheel
    metadata (what pip and build do); ``version`` runs setup.py with
    ``--version`` (same hooks, no egg-info written: quicker).
    """
    py = scm_venv_python(major)
    spec = []
    for i, (job_id, project, env) in enumerate(jobs):
        d = work / f"{major}" / f"j{i}" / "project"
        shutil.copytree(project, d)
        (d / "vllm").mkdir(exist_ok=True)
        if (d / ".scm-git-init").exists():
            (d / ".scm-git-init").unlink()
            _git_init(d)
        spec.append({"id": job_id, "dir": str(d), "env": dict(env)})
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PYTHON"))}
    env["GIT_CEILING_DIRECTORIES"] = str(work)
    env["SCM_DRIVER_MODE"] = mode
    # Two driver processes, each forking one child per job.
    procs = []
    for part in range(2):
        jobs_file = work / f"jobs-{major}-{part}.json"
        jobs_file.write_text(json.dumps(spec[part::2]))
        out_file = work / f"results-{major}-{part}.json"
        cmd = [py, str(DRIVER), str(jobs_file), str(out_file)]
        procs.append((subprocess.Popen(cmd, env=env, cwd=work), out_file))
    results: dict[str, dict[str, object]] = {}
    for proc, out_file in procs:
        if proc.wait(timeout=900) != 0:
            raise RuntimeError(f"scm driver failed ({proc.returncode})")
        results.update(json.loads(out_file.read_text()))
    return results


@pytest.fixture
def python() -> str:
    return sys.executable


@pytest.fixture(scope="session")
def real_scm():
    """``run(major, jobs, work) -> results``: the real setuptools-scm, in its venv."""
    return run_real


@pytest.fixture(scope="session")
def scm_projects() -> Path:
    return PROJECTS
