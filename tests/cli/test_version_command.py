"""`patchkit version check|convert`: exit codes, text and JSON, stdin, strings starting with '-'."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from patchkit.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_check_incident_string_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "version", "check", "0.21.1-rc0:0")
    assert code == 1
    assert out.splitlines() == [
        '\'0.21.1-rc0:0\': invalid ExVer at column 10: expected ".", ":" or a letter, found "0"; '
        'a pre-release identifier is all letters or all digits: write "rc.0", not "rc0"',
        "    '0.21.1-rc0:0'",
        "              ^",
        "  hint: did you mean '0.21.1-rc.0:0'?",
    ]


def test_check_valid_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "version", "check", "--scheme", "exver", "0.21.1-rc.0:0", "#knots:1.0:0"
    )
    assert code == 0
    assert out.splitlines() == ["'0.21.1-rc.0:0': valid ExVer", "'#knots:1.0:0': valid ExVer"]


def test_check_json_has_one_object_per_input(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "version", "check", "--format", "json", "0.21.1-rc0:0", "1.0.0-RC1", "0.21.1-rc.0:0"
    )
    assert code == 1
    doc = json.loads(out)
    assert [d["input"] for d in doc] == ["0.21.1-rc0:0", "1.0.0-RC1", "0.21.1-rc.0:0"]
    first = doc[0]
    assert first["valid"] is False and first["normalized"] is None
    assert first["suggestion"] == "0.21.1-rc.0:0" and first["column"] == 10 and first["error"]
    assert (
        doc[1]["scheme"] == "pep440" and doc[1]["normalized"] == "1.0.0rc1" and doc[1]["warnings"]
    )
    assert doc[2] == {
        **doc[2],
        "valid": True,
        "normalized": "0.21.1-rc.0:0",
        "error": None,
        "suggestion": None,
    }


def test_strings_beginning_with_dash_after_double_dash(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "version", "check", "--format", "json", "--", "-1:0", "--rc")
    assert code == 1
    assert [d["input"] for d in json.loads(out)] == ["-1:0", "--rc"]


def test_stdin_one_string_per_line(cli: Callable[..., object]) -> None:
    proc = cli(
        "version", "check", "--format", "json", "-", input="0.21.1rc0:0\n\n#knots:1:0\r\n-1:0\n"
    )
    assert proc.returncode == 1  # type: ignore[attr-defined]
    doc = json.loads(proc.stdout)  # type: ignore[attr-defined]
    assert [d["input"] for d in doc] == ["0.21.1rc0:0", "#knots:1:0", "-1:0"]
    assert [d["valid"] for d in doc] == [False, True, False]


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["version"]) == 2
    assert main(["version", "check"]) == 2
    assert main(["version", "check", "--scheme", "calver", "1"]) == 2
    assert main(["version", "convert", "1.0"]) == 2  # --to is required
    assert main(["version", "convert", "--to", "exver", "--date", "yesterday", "1.0"]) == 2
    capsys.readouterr()


def test_convert_to_exver(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "version", "convert", "--to", "exver", "0.21.1rc0", "0.8.5")
    assert code == 0 and out.splitlines() == ["'0.21.1rc0' -> 0.21.1-rc.0:0", "'0.8.5' -> 0.8.5:0"]


def test_convert_git_describe_to_pep440_with_date(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "version",
        "convert",
        "--to",
        "pep440",
        "--date",
        "2026-07-02",
        "--format",
        "json",
        "v0.21.1rc0-132-g0b9f2c8",
        "v0.21.1-3-g0b9f2c8-dirty",
    )
    assert code == 0
    doc = json.loads(out)
    assert [d["normalized"] for d in doc] == [
        "0.21.1rc1.dev132+g0b9f2c8",
        "0.21.2.dev3+g0b9f2c8.d20260702",
    ]
    assert all(d["from"] == "git-describe" for d in doc)


def test_convert_refusal_exits_1_with_reason_and_hint(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "version", "convert", "--to", "exver", "--format", "json", "v0.21.1rc0-132-g0b9f2c8"
    )
    assert code == 1
    (doc,) = json.loads(out)
    assert doc["valid"] is False and doc["normalized"] is None
    assert "below 0.21.1rc1" in doc["error"] and doc["suggestion"] == "0.21.1-rc.1.dev.132:0"
    assert doc["pep440"] == "0.21.1rc1.dev132+g0b9f2c8"


def test_untagged_needs_commit_count(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "version",
        "convert",
        "--to",
        "pep440",
        "--from",
        "git-describe",
        "--commits",
        "42",
        "0b9f2c8",
    )
    assert code == 0 and out.strip() == "'0b9f2c8' -> 0.1.dev42+g0b9f2c8"


def test_source_date_epoch_is_the_default_dirty_date(cli: Callable[..., object]) -> None:
    proc = cli(
        "version",
        "convert",
        "--to",
        "pep440",
        "v0.21.1-0-g0b9f2c8-dirty",
        env={"SOURCE_DATE_EPOCH": "1782950400"},
    )
    assert proc.stdout.strip() == "'v0.21.1-0-g0b9f2c8-dirty' -> 0.21.2.dev0+g0b9f2c8.d20260702"  # type: ignore[attr-defined]
