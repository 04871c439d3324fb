"""`patchkit scm explain` / `scm check` as whole processes: output, formats, exit codes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
FIX = Path(__file__).resolve().parent / "fixtures"
UP = ROOT / "examples" / "scm-upstream"
DOWN = ROOT / "examples" / "scm-downstream"

Cli = Callable[..., Any]


def test_explain_text(cli: Cli) -> None:
    r = cli("scm", "explain", str(UP))
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "setuptools-scm majors: 8, 9, 10" in out
    ten = out.split("setuptools-scm 10.x")[1]
    honoured, ignored = ten.split("  ignored:")
    assert "1. SETUPTOOLS_SCM_PRETEND_VERSION\n" in honoured
    assert "2. VCS_VERSIONING_PRETEND_VERSION\n" in honoured
    assert "also MYPKG_VERSION_OVERRIDE" in honoured
    assert "SETUPTOOLS_SCM_PRETEND_VERSION_FOR_MYPKG" in ignored
    eight = out.split("setuptools-scm 8.x")[1].split("setuptools-scm 9.x")[0]
    assert "VCS_VERSIONING_PRETEND_VERSION" in eight.split("  ignored:")[1]


def test_explain_json_and_files(cli: Cli) -> None:
    r = cli(
        "scm",
        "explain",
        "--setup-py",
        str(UP / "setup.py"),
        "--pyproject",
        str(UP / "pyproject.toml"),
        "--format",
        "json",
    )
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["schema"] == "patchkit/scm-explain/v1"
    by_major = {m["major"]: m for m in doc["per_major"]}
    assert [h["name"] for h in by_major[9]["honoured"]] == [
        "SETUPTOOLS_SCM_PRETEND_VERSION",
        "MYPKG_VERSION_OVERRIDE",
    ]
    assert by_major[10]["hook"]["stands_down"] is True
    assert [r["dist_name"] for r in by_major[10]["readers"]] == [None, None]


def test_check_reports_and_exits_1(cli: Cli) -> None:
    r = cli("scm", "check", "--upstream", str(UP), str(DOWN))
    assert r.returncode == 1
    codes = [line.split()[1] for line in r.stdout.splitlines() if not line.startswith(" ")]
    assert codes.count("PKS001") == 1 and "PKS004" in codes and "PKS008" in codes


def test_check_clean_exits_0_and_warnings_do_not_change_it(cli: Cli, tmp_path: Path) -> None:
    ok = tmp_path / "Dockerfile"
    ok.write_text("FROM x\nENV SETUPTOOLS_SCM_PRETEND_VERSION=0.21.1\n")
    r = cli("scm", "check", "--upstream", str(UP), str(ok))
    assert (r.returncode, r.stdout) == (0, "")
    warn = tmp_path / "w.Dockerfile"
    warn.write_text("FROM x\nENV SETUPTOOLS_SCM_PRETEND_VERSION=v0.21.1\n")
    r = cli("scm", "check", "--upstream", str(UP), str(warn))
    assert r.returncode == 0 and "PKS005 [warning]" in r.stdout


def test_check_json_and_github(cli: Cli) -> None:
    d = FIX / "check" / "issue_for_vllm"
    up = FIX / "projects" / "V_vllm_shape"
    r = cli("scm", "check", "--upstream", str(up), str(d / "Dockerfile"), "--format", "json")
    doc = json.loads(r.stdout)
    assert r.returncode == 1 and doc["schema"] == "patchkit/scm-check/v1"
    assert [(x["code"], x["line"], x["col"]) for x in doc["diagnostics"]] == [("PKS001", 2, 5)]
    assert doc["majors"] == [8, 9, 10]
    r = cli("scm", "check", "--upstream", str(up), str(d / "Dockerfile"), "--format", "github")
    assert r.stdout.startswith("::error file=") and "title=PKS001" in r.stdout


def test_bad_setup_py_is_exit_2_with_position(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "setup.py").write_text("from setuptools import setup\nsetup(version=\n")
    r = cli("scm", "explain", str(tmp_path))
    assert r.returncode == 2
    assert f"{tmp_path / 'setup.py'}:2:" in r.stderr and "not valid Python" in r.stderr
    assert "Traceback" not in r.stderr


def test_bad_pyproject_is_exit_2_with_position(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n[project\n')
    r = cli("scm", "explain", str(tmp_path))
    assert (
        r.returncode == 2
        and f"{tmp_path / 'pyproject.toml'}:3:" in r.stderr
        and "not valid TOML" in r.stderr
    )


def test_binary_inputs_are_exit_2_with_position(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "setup.py").write_bytes(b"import os\nx = b'\x00\x01'\n")
    r = cli("scm", "explain", str(tmp_path))
    assert r.returncode == 2 and f"{tmp_path / 'setup.py'}:2:" in r.stderr
    df = tmp_path / "Dockerfile"
    df.write_bytes(b"FROM x\n\x89PNG\r\n")
    r = cli("scm", "check", str(df))
    assert r.returncode == 2 and f"{df}:2:1:" in r.stderr and "binary" in r.stderr


def test_usage_errors_are_exit_2(cli: Cli, tmp_path: Path) -> None:
    assert cli("scm").returncode == 2
    assert cli("scm", "explain").returncode == 2
    r = cli("scm", "explain", str(tmp_path))
    assert r.returncode == 2 and "neither setup.py nor pyproject.toml" in r.stderr
    r = cli("scm", "check", str(tmp_path / "nope"))
    assert r.returncode == 2 and "no such file" in r.stderr


def test_invalid_value_suggests_the_pep440_form_of_an_exver(cli: Cli, tmp_path: Path) -> None:
    # An ExVer handed to setuptools-scm is the classic slip between the two tool chains.
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM x\nENV SETUPTOOLS_SCM_PRETEND_VERSION=0.21.1-rc.0:0\n")
    r = cli("scm", "check", "--upstream", str(UP), str(bad))
    assert r.returncode == 1
    assert "PKS005" in r.stdout and "fix: write 0.21.1rc0" in r.stdout
