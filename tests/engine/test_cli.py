"""The engine's commands as whole processes: test, new, status text, apply messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from patchkit.cli.main import main
from patchkit.transforms import TRANSFORMS

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOOD = FIXTURES / "series" / "good"

BROKEN_EXAMPLE = """\
id: broken-example
summary: An example that does not match what the patch does
why: Shows a failing worked example.
files: [docker/Dockerfile.cpu]
transform:
  kind: cache-key-arg
  name: APP_COMMIT
  run: bdist_wheel
examples:
  - before: |
      FROM python:3.12 AS build
      RUN python3 setup.py bdist_wheel
    after: |
      FROM python:3.12 AS build
      ARG WRONG_NAME
      RUN python3 setup.py bdist_wheel
"""


def test_test_runs_every_example_both_ways(cli) -> None:  # type: ignore[no-untyped-def]
    done = cli("test", "--patches", str(GOOD))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ok    deps-cache-per-arch example 1: before -> after" in done.stdout
    assert "ok    deps-cache-per-arch example 2 (upstream fixed it): after -> after" in done.stdout
    assert "warn  wheel-version: no examples" in done.stdout
    assert done.stdout.strip().endswith("4 checks, 0 failed, 4 patch(es)")


def test_test_selects_by_id_and_reports_a_failing_example_with_a_diff(
    cli,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    (tmp_path / "broken.yaml").write_text(BROKEN_EXAMPLE, encoding="utf-8")
    done = cli("test", "broken-example", "--patches", str(tmp_path))
    assert done.returncode == 1
    assert "FAIL  broken-example example 1: before -> after" in done.stdout
    assert "-ARG WRONG_NAME" in done.stdout and "+ARG APP_COMMIT" in done.stdout
    # a patch file given by path works too
    by_path = cli("test", str(tmp_path / "broken.yaml"))
    assert by_path.returncode == 1


def test_test_unknown_patch_is_exit_2(cli) -> None:  # type: ignore[no-untyped-def]
    done = cli("test", "no-such-patch", "--patches", str(GOOD))
    assert done.returncode == 2
    assert "no patch 'no-such-patch'" in done.stderr and "deps-cache-per-arch" in done.stderr


@pytest.mark.parametrize("kind", [t.kind for t in TRANSFORMS])
def test_new_scaffolds_a_patch_whose_example_passes(
    tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    patches = tmp_path / "patches"
    upstream = str(FIXTURES / "upstream")
    new = ["new", f"my-{kind}", "--kind", kind, "--patches", str(patches), "--upstream", upstream]
    assert main([*new, "--upstream-version", "0.10.1"]) == 0
    created = patches / f"my-{kind}.yaml"
    assert created.is_file()
    assert main(["test", f"my-{kind}", "--patches", str(patches)]) == 0
    assert "2 checks, 0 failed" in capsys.readouterr().out
    assert main([*new, "--upstream-version", "0.10.1"]) == 2
    assert "already exists" in capsys.readouterr().err


def test_new_rejects_unknown_kind_and_bad_name(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    done = cli("new", "x", "--kind", "cache-mount", "--patches", str(tmp_path))
    assert done.returncode == 2 and "did you mean 'cache-mount-id'" in done.stderr
    done = cli("new", "Bad Name", "--kind", "insert", "--patches", str(tmp_path))
    assert done.returncode == 2 and "patch name" in done.stderr
    assert not list(tmp_path.iterdir())


def test_status_text_table(cli) -> None:  # type: ignore[no-untyped-def]
    done = cli(
        "status",
        "--upstream",
        str(FIXTURES / "upstream"),
        "--upstream-version",
        "0.10.1",
        "--patches",
        str(GOOD),
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "upstream version 0.10.1 (--upstream-version)"
    assert lines[1].split() == ["PATCH", "FILE", "STATE", "MESSAGE"]
    assert lines[2].split()[:3] == ["deps-cache-per-arch", "docker/Dockerfile.cpu", "pending"]
    assert lines[-1].split()[:3] == ["old-only", "docker/Dockerfile.cpu", "skipped"]


def test_status_and_apply_share_the_selection_flags(cli) -> None:  # type: ignore[no-untyped-def]
    for command in ("status", "apply"):
        done = cli(command, "--help")
        for flag in ("--upstream DIR", "--upstream-version VERSION", "--patches DIR"):
            assert flag in done.stdout, (command, flag)
    done = cli("apply", "--out", "x", "--in-place", "--upstream", ".")
    assert done.returncode == 2 and "not allowed with argument" in done.stderr
