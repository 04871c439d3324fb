"""Shared fixtures. Inputs and expected outputs are files next to the tests.

``snapshot``: compare text with a checked-in file; set PATCHKIT_UPDATE_SNAPSHOTS=1
to (re)write the file instead, then review the diff before committing.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture
def snapshot() -> Callable[[Path, str], None]:
    def check(path: Path, actual: str) -> None:
        if os.environ.get("PATCHKIT_UPDATE_SNAPSHOTS") == "1" or not path.exists():
            if not os.environ.get("PATCHKIT_UPDATE_SNAPSHOTS") and os.environ.get("CI"):
                pytest.fail(f"missing snapshot {path} (set PATCHKIT_UPDATE_SNAPSHOTS=1 locally)")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8", newline="")
            return
        expected = path.read_bytes().decode("utf-8")  # read_text(newline=) needs Python 3.13
        assert actual == expected, (
            f"snapshot {path} differs (PATCHKIT_UPDATE_SNAPSHOTS=1 rewrites it)"
        )

    return check


def run_patchkit(
    *args: str,
    cwd: Path | str | None = None,
    input: str | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m patchkit ARGS`` as a whole process on this checkout's code.

    ``timeout``: seconds before ``subprocess.TimeoutExpired`` fails the test (a hang).
    """
    import subprocess
    import sys

    full_env = dict(os.environ)
    full_env["PYTHONPATH"] = str(ROOT) + os.pathsep + full_env.get("PYTHONPATH", "")
    full_env.pop("NO_COLOR", None)
    if env:
        full_env.update(env)
    return subprocess.run(
        [sys.executable, "-m", "patchkit", *args],
        cwd=cwd,
        input=input,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
    )


@pytest.fixture
def cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    return run_patchkit
