"""`lint --fix --unsafe-fixes` on files whose fix cannot be written plainly (issue 21, item 3).

A cache-mount target with a blank or a backtick would make an id that needs
quoting, and an unknown instruction such as ``_`` cannot anchor an ``insert``:
each was exit 3 ("a bug of ours"). The finding stays, without a fix; every
other fix of the file is still made.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "hostile"
PLATFORMS = ("--platform", "linux/amd64,linux/arm64")
Cli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.Dockerfile")))
def test_fix_never_exits_3(cli: Cli, tmp_path: Path, name: str) -> None:
    target = tmp_path / name
    shutil.copyfile(FIXTURES / name, target)
    done = cli("lint", "--fix", "--unsafe-fixes", *PLATFORMS, str(target), cwd=tmp_path, timeout=60)
    assert done.returncode in (0, 1), done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
    again = cli("lint", *PLATFORMS, str(target), cwd=tmp_path, timeout=60)
    assert again.returncode in (0, 1), again.stderr


@pytest.mark.parametrize(
    "name", ["target-with-blank.Dockerfile", "target-with-backtick.Dockerfile"]
)
def test_a_target_that_needs_quoting_is_reported_without_a_fix(
    cli: Cli, tmp_path: Path, name: str
) -> None:
    # two .deps caches: the id is {target}-${TARGETARCH}, which line 2's target cannot be
    target = tmp_path / name
    shutil.copyfile(FIXTURES / name, target)
    done = cli("lint", "--select", "PKD001", *PLATFORMS, str(target), cwd=tmp_path, timeout=60)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    at = {line.split(": PKD001")[0].rsplit(":", 2)[-2]: i for i, line in enumerate(lines)
          if ": PKD001 " in line}  # fmt: skip
    assert set(at) == {"2", "3"}, done.stdout
    assert not lines[at["2"] + 1].startswith("  fix:")  # no plain id to write
    assert lines[at["3"] + 1].startswith("  fix: add id=/z/.deps-${TARGETARCH}")
    assert "(1 fixable with --fix)" in done.stderr
    fixed = cli("lint", "--fix", "--select", "PKD001", *PLATFORMS, str(target), cwd=tmp_path,
                timeout=60)  # fmt: skip
    assert fixed.returncode == 1, fixed.stderr
    text = target.read_text().splitlines()
    assert text[1] == (FIXTURES / name).read_text().splitlines()[1]
    assert text[-1].endswith(",id=/z/.deps-${TARGETARCH} make")


def test_an_unknown_instruction_keeps_its_finding_and_the_other_fixes_are_made(
    cli: Cli, tmp_path: Path
) -> None:
    target = tmp_path / "Dockerfile"
    shutil.copyfile(FIXTURES / "unknown-instruction.Dockerfile", target)
    done = cli("lint", "--fix", "--unsafe-fixes", *PLATFORMS, str(target), cwd=tmp_path, timeout=60)
    assert done.returncode == 1, done.stderr
    assert "PKD003" in done.stdout and "PKD007" in done.stdout
    assert ",id=deps-${TARGETARCH}" in target.read_text()


def test_a_patch_whose_id_template_meets_such_a_target_is_drifted_not_a_crash() -> None:
    from patchkit import engine
    from patchkit.series import parse_patch
    from patchkit.states import PatchState

    patch = parse_patch(
        "id: p\nsummary: s\nwhy: w\nfiles: [Dockerfile]\ntransform:\n"
        "  kind: cache-mount-id\n  stages: ['0']\n  id: '{target}-${TARGETARCH}'\n",
        "p.yaml",
    )
    text = (FIXTURES / "target-with-blank.Dockerfile").read_text()
    result = engine.apply_to_text(text, [patch], path="Dockerfile")
    state = result.states[0][1]
    assert state.state is PatchState.DRIFTED and "needs quoting" in state.message
    assert result.text == text
