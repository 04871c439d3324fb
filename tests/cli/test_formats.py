"""Machine formats of check and lint: SARIF 2.1.0 (validated against its schema), JUnit, --output-file,
GitHub annotations for errors that stop a command, and the step summary."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = os.environ.get("PATCHKIT_SARIF_SCHEMA")


def _main(*args: str) -> int:
    from patchkit.cli.main import main

    return main(list(args))


def _validate(doc: object) -> None:
    if not SCHEMA:
        if os.environ.get("CI"):
            pytest.fail(
                "PATCHKIT_SARIF_SCHEMA is not set: .ci/setup-sarif.sh did not fetch the schema"
            )
        pytest.skip("no SARIF schema (source .ci/setup-sarif.sh)")
    import jsonschema

    schema = json.loads(Path(SCHEMA).read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(doc)


def test_check_sarif_validates_and_carries_each_finding(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # drop the maintainers' PKD002 judgement: three errors to report
    config = example / "pyproject.toml"
    config.write_text(config.read_text().split("[tool.patchkit.lint]")[0], encoding="utf-8")
    assert _main("check", "--format", "sarif") == 1
    doc = json.loads(capsys.readouterr().out)
    _validate(doc)
    (run,) = doc["runs"]
    results = [
        (r["ruleId"], r["level"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
        for r in run["results"]
    ]
    assert ("PKD002", "error", 25) in results and ("PKP003", "warning", 1) in results
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert rules == sorted(set(rules)) and "PKD002" in rules
    for r in run["results"]:
        assert rules[r["ruleIndex"]] == r["ruleId"]


def test_lint_sarif_validates(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _main("lint", "--format", "sarif", "upstream/docker/Dockerfile.cpu") == 1
    doc = json.loads(capsys.readouterr().out)
    _validate(doc)
    assert {r["ruleId"] for r in doc["runs"][0]["results"]} >= {"PKD001"}


def test_junit_and_output_file(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _main("check", "--format", "junit", "--output-file", "report.xml") == 0
    assert capsys.readouterr().out == ""
    suites = ET.parse(example / "report.xml").getroot()
    assert [s.get("name") for s in suites] == ["build", "manifest", "scm", "status", "lint"]
    assert suites.get("failures") == "0"
    assert (
        _main(
            "lint",
            "--format",
            "junit",
            "--output-file",
            "lint.xml",
            "upstream/docker/Dockerfile.cpu",
        )
        == 1
    )
    lint = ET.parse(example / "lint.xml").getroot()
    failures = [
        c.find("failure").get("type")
        for c in lint.iter("testcase")
        if c.find("failure") is not None
    ]  # type: ignore[union-attr]
    assert "PKD001" in failures


def test_output_file_in_a_missing_folder_is_exit_2(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _main("check", "--format", "json", "--output-file", "nope/report.json") == 2
    assert "--output-file: the folder" in capsys.readouterr().err


def test_github_format_annotates_a_stopping_error_and_writes_the_step_summary(
    example: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert _main("check", "--format", "github") == 0
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## patchkit check\n\n| area | status | summary |")
    assert "| lint | ok |" in text
    capsys.readouterr()
    (example / "pyproject.toml").write_text('[tool.patchkit]\nupstrem = "x"\n', encoding="utf-8")
    assert _main("check", "--format", "github") == 2
    out = capsys.readouterr().out
    assert out.startswith("::error file=") and "pyproject.toml,line=2" in out and "upstrem" in out


def test_color_flag_and_environment(
    example: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _main("check", "--color", "always") == 0
    assert "\033[32mok" in capsys.readouterr().out
    monkeypatch.setenv("FORCE_COLOR", "1")
    _main("check")
    assert "\033[32mok" in capsys.readouterr().out  # FORCE_COLOR on a pipe
    monkeypatch.setenv("NO_COLOR", "1")
    _main("check")
    assert "\033[" not in capsys.readouterr().out  # NO_COLOR wins over FORCE_COLOR
    _main("apply", "--diff", "--color", "always")
    out = capsys.readouterr().out
    assert "\033[32m+" in out and "\033[36m@@" in out
    _main("apply", "--diff", "--color", "never")
    assert "\033[" not in capsys.readouterr().out


def test_config_flag_names_the_file(
    example: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert (
        _main(
            "check", str(example), "--config", str(example / "pyproject.toml"), "--format", "json"
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out)["upstream_version"] == "0.33.0"
    assert _main("--config", str(tmp_path / "missing.toml"), "check") == 2
    assert "no such configuration file (--config)" in capsys.readouterr().err


def test_completion_scripts_know_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    from patchkit.cli.main import COMMANDS

    for shell in ("bash", "zsh", "tcsh"):
        assert _main("completion", shell) == 0
        script = capsys.readouterr().out
        for module in COMMANDS:
            assert module.NAME in script, (shell, module.NAME)
    assert _main("completion", "fish") == 2


def test_completion_script_runs_in_bash(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import subprocess

    if shutil.which("bash") is None:
        pytest.skip("no bash")
    _main("completion", "bash")
    script = tmp_path / "patchkit.bash"
    script.write_text(capsys.readouterr().out, encoding="utf-8")
    probe = (
        f"source {script}; COMP_WORDS=(patchkit che); COMP_CWORD=1; COMP_LINE='patchkit che'; "
        'COMP_POINT=${#COMP_LINE}; _shtab_patchkit; echo "${COMPREPLY[@]}"'
    )
    done = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, check=False)
    assert done.stdout.split() == ["check"], done.stderr
