"""git runs on the upstream checkout, and a checkout's own .git/config cannot make it run
a command: patchkit forces ``core.fsmonitor=false`` (and no hooks) on every git call.

(A clone never copies .git/config from its remote, so this needs a checkout that came
from somewhere untrusted with its .git folder, an extracted archive for instance.
Residual, documented: a filter driver's ``clean`` command named in such a .git/config
still runs when git refreshes the index for ``describe --dirty``, as it does for any
``git status`` there.)
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _git(cwd, *args: str) -> None:  # type: ignore[no-untyped-def]
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=cwd, check=True, capture_output=True,
        env={"PATH": "/usr/bin:/bin:/usr/local/bin", "HOME": str(cwd),
             "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null"},
    )  # fmt: skip


@pytest.mark.parametrize(
    "args",
    [
        ["status", "--upstream", "{U}", "--patches", "{P}"],
        ["apply", "--upstream", "{U}", "--patches", "{P}", "--out", "{O}"],
        ["upstream-version", "{U}"],
    ],
    ids=["status", "apply", "upstream-version"],
)
def test_a_core_fsmonitor_command_in_the_checkout_does_not_run(args, hostile, cli_in) -> None:  # type: ignore[no-untyped-def]
    up = hostile.upstream
    _git(up, "init", "-q", "-b", "main")
    _git(up, "add", "-A")
    _git(up, "commit", "-qm", "upstream")
    _git(up, "tag", "v1.0.0")
    marker = hostile.markers / "fsmonitor"
    _git(up, "config", "core.fsmonitor", f"touch {marker}; false")
    (up / "docker" / "Dockerfile.cpu").touch()  # make git look at the working tree
    filled = [
        a.replace("{U}", str(up))
        .replace("{P}", str(hostile.patches))
        .replace("{O}", str(hostile.root / "out"))
        for a in args
    ]
    proc = cli_in(*filled, cwd=hostile.downstream)
    assert proc.returncode == 0, proc.stderr
    assert "1.0.0" in proc.stdout + proc.stderr or args[0] == "apply"
    assert hostile.ran() == []
