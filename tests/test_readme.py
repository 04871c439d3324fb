"""The README's two set-up commands are real: CI runs the test command, and the
main command works on the bundled example."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Set up on a fresh machine", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_readme_has_the_two_setup_commands() -> None:
    main_cmd, test_cmd = _setup_commands()
    assert main_cmd.startswith("python -m pip install -e . && ")
    assert test_cmd == "python -m pip install -e '.[test]' && python -m pytest"


def test_ci_runs_exactly_the_readme_test_command() -> None:
    test_cmd = _setup_commands()[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_cmd in ci.splitlines()


def test_readme_main_command_runs_on_the_example(tmp_path: Path) -> None:
    main_cmd = _setup_commands()[0]
    steps = main_cmd.split(" && ")[1:]  # the install step is the caller's business
    cwd = ROOT
    outputs = []
    for step in steps:
        argv = shlex.split(step)
        if argv[0] == "cd":
            cwd = cwd / argv[1]
            continue
        assert argv[0] == "patchkit"
        proc = subprocess.run(
            [sys.executable, "-m", "patchkit", *argv[1:]],
            cwd=cwd,
            capture_output=True,
            text=True,
            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
        )
        outputs.append(proc)
    status, diff = outputs
    assert status.returncode == 0, status.stderr
    assert "pending" in status.stdout and "upstream version 0.33.0" in status.stdout
    # apply --diff: a diff of the patched copy, nothing written, exit 1 = changes needed
    assert diff.returncode == 1, diff.stderr
    assert "+++ .dockerfiles/docker/Dockerfile.cpu" in diff.stdout
    assert "id=vllm-cpu-deps-${TARGETARCH}" in diff.stdout
    assert not (ROOT / "examples" / ".dockerfiles").exists()
