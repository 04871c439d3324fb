"""-q and -v on every command: declared once (add_verbosity_options), one meaning.

-q prints only what fails the command (nothing when it succeeds); a command whose
output is the answer refuses it with its reason (exit 2). -v adds, on stderr, where the
inputs came from (the configuration file, the upstream version's source) and the time.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from patchkit.cli.main import build_parser, main
from patchkit.cli.options import QUIET_MEANING

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SERIES = ROOT / "tests" / "engine" / "fixtures" / "series" / "good"
UPSTREAM = ROOT / "tests" / "engine" / "fixtures" / "upstream"

DRIFTING = """\
id: gone-anchor
summary: Give a cache mount that upstream removed an id
why: Shows a drifted patch.
upstream: ">=0.1"
files: [docker/Dockerfile.cpu]
transform:
  kind: cache-mount-id
  target: /no/such/cache
  id: "gone-${TARGETARCH}"
"""


def _leaves(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command line that reaches a runnable parser: ('check',), ('scm', 'check')..."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        return [path]
    out: list[tuple[str, ...]] = []
    for name, child in subs[0].choices.items():
        out += _leaves(child, (*path, name))
    return out


LEAVES = _leaves(build_parser())
#: the commands whose output is the answer, with arguments that would run: -q is refused
ANSWERS = {
    ("build",): [],
    ("upstream-version",): ["."],
    ("rules",): [],
    ("rule",): ["PKD001"],
    ("scm", "explain"): [str(EXAMPLES / "upstream")],
    ("version", "convert"): ["--to", "exver", "1.0"],
    ("parse",): [str(UPSTREAM / "docker" / "Dockerfile.cpu")],
    ("completion",): ["bash"],
}


def test_the_leaves_are_every_command_and_subcommand() -> None:
    names = {leaf[0] for leaf in LEAVES}
    for command in ("check", "build", "init", "apply", "status", "test", "new", "lint"):
        assert command in names
    assert ("scm", "check") in LEAVES and ("version", "check") in LEAVES
    assert len(LEAVES) >= 17


@pytest.mark.parametrize("leaf", LEAVES, ids=" ".join)
def test_every_command_documents_q_and_v(
    leaf: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*leaf, "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "-q, --quiet" in out and "-v, --verbose" in out
    if leaf in ANSWERS:
        assert "refused:" in out
    else:
        assert " ".join(QUIET_MEANING.split()) in out


@pytest.mark.parametrize("leaf", sorted(ANSWERS), ids=" ".join)
def test_answer_commands_refuse_q_with_their_reason(
    leaf: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*leaf, *ANSWERS[leaf]]) in (0, 2)  # runs without -q (2: "." is no git tree)
    capsys.readouterr()
    assert main([*leaf, "-q", *ANSWERS[leaf]]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    err = captured.err
    assert f"patchkit {leaf[0]}: -q: " in err
    assert "nothing else" in err or "use" in err
    assert "Traceback" not in err and len(err.splitlines()) == 1


def test_q_and_v_may_stand_before_a_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["version", "-q", "check", "1.0.0:0", "1.0"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["version", "-q", "convert", "--to", "exver", "1.0"]) == 2
    assert "-q: convert prints" in capsys.readouterr().err
    assert main(["scm", "-v", "explain", str(EXAMPLES / "upstream")]) == 0
    assert "info: upstream " in capsys.readouterr().err


def test_q_and_v_together_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["version", "check", "-q", "-v", "1.0.0:0"]) == 2
    assert "-q and -v contradict each other" in capsys.readouterr().err


def test_v_says_the_time_of_every_command_even_before_its_name(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["-v", "version", "check", "1.0.0:0"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "'1.0.0:0': valid ExVer\n"
    assert captured.err.startswith("info: patchkit version: ") and "exit 0" in captured.err


def test_without_v_nothing_is_said_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    assert capsys.readouterr().err == ""


def test_version_check_q_prints_only_the_invalid_strings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["version", "check", "-q", "1.0.0:0", "0.21.1-rc0:0"]) == 1
    out = capsys.readouterr().out
    assert "'0.21.1-rc0:0': invalid ExVer" in out and "1.0.0:0" not in out
    assert main(["version", "check", "-q", "1.0.0:0"]) == 0
    assert capsys.readouterr().out == ""


def test_check_q_is_silent_when_clean_and_v_names_config_and_version(
    downstream: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check"]) == 0
    assert "manifest  ok" in capsys.readouterr().out
    assert main(["check", "-q"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["check", "-v"]) == 0
    err = capsys.readouterr().err
    assert f"info: configuration: {downstream / 'pyproject.toml'}" in err or (
        "info: configuration: pyproject.toml" in err
    )
    assert "info: upstream version: 0.33.0 (from config)" in err


def test_apply_q_writes_and_says_nothing_v_says_why(
    downstream: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["apply", "-q"]) == 0
    assert capsys.readouterr() == ("", "")
    assert (downstream / ".dockerfiles" / "docker" / "Dockerfile.cpu").is_file()
    assert main(["apply", "--check", "-q"]) == 0  # up to date: nothing said
    assert capsys.readouterr() == ("", "")
    assert main(["apply", "--check"]) == 0
    assert "up to date" in capsys.readouterr().err
    assert main(["apply", "-v"]) == 0
    captured = capsys.readouterr()
    assert "up to date" in captured.out
    assert "info: configuration: " in captured.err
    assert "info: upstream version: 0.33.0 (from config)" in captured.err


def test_status_q_prints_only_the_drifted_patches(
    downstream: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["status", "-q"]) == 0
    assert capsys.readouterr().out == ""
    (downstream / "patches" / "zz-gone.yaml").write_text(DRIFTING, encoding="utf-8")
    assert main(["status"]) == 1
    full = capsys.readouterr().out
    assert "pending" in full and "drifted" in full
    assert main(["status", "-q"]) == 1
    quiet = capsys.readouterr().out.splitlines()
    assert len(quiet) == 1 and quiet[0].startswith("gone-anchor") and "drifted" in quiet[0]


def test_test_q_prints_only_failures(downstream: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", "-q"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["test", "-v"]) == 0
    captured = capsys.readouterr()
    assert "checks, 0 failed" in captured.out
    assert "info: patch folder: patches" in captured.err
    patch = downstream / "patches" / "cpu-wheel-checksum.yaml"
    text = patch.read_text(encoding="utf-8")
    patch.write_text(text.replace("summary: ", "summary: TODO ", 1), encoding="utf-8")
    assert main(["test", "-q"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("FAIL  ") and "ok  " not in out and "checks," not in out


def test_new_q_creates_the_file_silently(
    downstream: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["new", "my-cache", "--kind", "cache-mount-id", "--patches", "more"]
    assert main([*args, "-q"]) == 0
    assert capsys.readouterr().out == ""
    assert (downstream / "more" / "my-cache.yaml").is_file()
    assert main(["new", "other", "--kind", "cache-mount-id", "--patches", "more", "-v"]) == 0
    captured = capsys.readouterr()
    assert "created more/other.yaml" in captured.out
    assert "info: upstream version: 0.33.0 (from config)" in captured.err


def test_init_q_writes_without_the_found_and_next_lines(
    downstream: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (downstream / ".gitignore").unlink(missing_ok=True)
    assert main(["init", "--check"]) == 1
    assert "found " in capsys.readouterr().out
    assert main(["init", "-q"]) == 0
    assert capsys.readouterr().out == ""
    assert ".dockerfiles" in (downstream / ".gitignore").read_text(encoding="utf-8")
    assert main(["init", "-v"]) == 0
    assert "info: configuration: " in capsys.readouterr().err


def test_build_v_names_the_configuration(
    downstream: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", "-v"]) == 0
    captured = capsys.readouterr()
    assert "info: configuration: " in captured.err and "pyproject.toml" in captured.err
    assert "info: patchkit build: " in captured.err


def test_upstream_version_v_says_where_folder_and_tags_came_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    # not a git checkout: an input error, but -v has said what it tried first
    assert main(["upstream-version", "-v", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"info: upstream: {tmp_path} (from DIR); tags: *[0-9]* (from setuptools-scm's" in err


def test_lint_q_keeps_findings_drops_summary_and_v_names_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(
        "FROM ubuntu:22.04\nRUN --mount=type=cache,target=/root/.deps make deps\n",
        encoding="utf-8",
    )
    lint = ["lint", "Dockerfile", "--select", "PKD001", "--platform", "linux/amd64,linux/arm64"]
    assert main(lint) == 1
    loud = capsys.readouterr()
    assert "PKD001" in loud.out and "finding" in loud.err
    assert main([*lint, "-q"]) == 1
    quiet = capsys.readouterr()
    assert quiet.out == loud.out and quiet.err == ""
    assert main([*lint, "-v"]) == 1
    assert "info: lint settings: none found" in capsys.readouterr().err


def test_scm_check_q_and_v(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    up = EXAMPLES / "upstream"
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(
        "FROM python:3.12\nENV SETUPTOOLS_SCM_PRETEND_VERSION=1.0\nRUN pip install .\n",
        encoding="utf-8",
    )
    assert main(["scm", "check", "--upstream", str(up), str(dockerfile)]) in (0, 1)
    loud = capsys.readouterr()
    assert "finding(s)" in loud.err
    code = main(["scm", "check", "-q", "--upstream", str(up), str(dockerfile)])
    quiet = capsys.readouterr()
    assert "finding(s)" not in quiet.err
    assert all(" error " in line or "[error]" in line for line in quiet.out.splitlines())
    assert (code == 0) == (quiet.out == "")
    assert main(["scm", "check", "-v", "--upstream", str(up), str(dockerfile)]) in (0, 1)
    err = capsys.readouterr().err
    assert f"info: upstream {up}: read setup.py, pyproject.toml" in err
    assert f"info: read {dockerfile}: 1 variable(s) set" in err
