"""How ``patchkit check`` prints a report: text, json, github; colour; --quiet; path prefixes.

These tests build a ``CheckReport`` by hand and render it, so every expected
line is written here, not produced by the checks.
"""

from __future__ import annotations

import io
import json

import pytest

from patchkit.check.report import Area, CheckReport
from patchkit.cli.check_output import render_check
from patchkit.diagnostics import Diagnostic, Severity

ERROR = Diagnostic(
    "PKM001", "invalid ExVer '0.21.1-rc0:0'", "startos/v.ts", 4, 22, fix="write '0.21.1-rc.0:0'"
)
WARNING = Diagnostic("PKS007", "may be empty", "patched/Dockerfile", 13, 5, Severity.WARNING)


def report(*, stopped: bool = False) -> CheckReport:
    return CheckReport(
        root=".",
        upstream_version="0.21.1rc0",
        upstream_version_source="config",
        strict=False,
        areas=(
            Area("manifest", "6 version strings in 5 files", (ERROR,)),
            Area("scm", "1 pretend-version variable in 3 files", (WARNING,)),
            Area("status", "stopped: bad YAML", (), stopped=stopped),
            Area("lint", "no Dockerfiles", skipped=True),
        ),
    )


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def render(rep: CheckReport, fmt: str, *, quiet: bool = False, tty: bool = False) -> str:
    out = _Tty() if tty else io.StringIO()
    render_check(rep, fmt, out, quiet=quiet)
    return out.getvalue()


def test_text_is_one_line_per_area_then_the_diagnostics() -> None:
    assert render(report(), "text").splitlines() == [
        "manifest  failed   6 version strings in 5 files [1 error]",
        "scm       ok       1 pretend-version variable in 3 files [1 warning]",
        "status    ok       stopped: bad YAML",
        "lint      skipped  no Dockerfiles",
        "patched/Dockerfile:13:5: PKS007 [warning] may be empty",
        "startos/v.ts:4:22: PKM001 invalid ExVer '0.21.1-rc0:0'",
        "  fix: write '0.21.1-rc.0:0'",
    ]


def test_quiet_prints_only_errors() -> None:
    assert render(report(), "text", quiet=True).splitlines() == [
        "startos/v.ts:4:22: PKM001 invalid ExVer '0.21.1-rc0:0'",
        "  fix: write '0.21.1-rc.0:0'",
    ]
    clean = CheckReport(".", "1.0", "config", False, (Area("manifest", "ok", (WARNING,)),))
    assert render(clean, "text", quiet=True) == ""


def test_github_annotations() -> None:
    lines = render(report(), "github").splitlines()
    assert lines[4:] == [
        "::warning file=patched/Dockerfile,line=13,col=5,title=PKS007::may be empty",
        "::error file=startos/v.ts,line=4,col=22,title=PKM001::invalid ExVer '0.21.1-rc0:0'"
        " Fix: write '0.21.1-rc.0:0'",
    ]
    assert render(report(), "github", quiet=True).splitlines() == lines[5:]


def test_colour_only_on_a_tty_and_never_with_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert "\033[" not in render(report(), "text")
    coloured = render(report(), "text", tty=True)
    assert "\033[31mfailed " in coloured and "\033[32mok     " in coloured
    assert "\033[31mPKM001\033[0m" in coloured
    assert "\033[" not in render(report(), "github", tty=True)
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\033[" not in render(report(), "text", tty=True)


def test_json_is_the_whole_document_even_when_quiet() -> None:
    doc = json.loads(render(report(stopped=True), "json", quiet=True))
    assert doc["schema"] == "patchkit/check/v1"
    assert doc["exit_code"] == 2
    assert [a["status"] for a in doc["areas"]] == ["failed", "ok", "error", "skipped"]
    assert [d["code"] for d in doc["diagnostics"]] == ["PKS007", "PKM001"]


def test_exit_codes() -> None:
    assert report().exit_code == 1
    assert report(stopped=True).exit_code == 2
    assert CheckReport(".", None, None, False, (Area("lint", "x", (WARNING,)),)).exit_code == 0


def test_rebased_prefixes_relative_paths_only() -> None:
    absolute = Diagnostic("PKC001", "bad", "/etc/x", 1, 1)
    rep = CheckReport(".", None, None, False, (Area("manifest", "x", (ERROR, absolute)),))
    paths = [d.path for d in rep.rebased("repo").diagnostics]
    assert paths == ["/etc/x", "repo/startos/v.ts"]
    assert rep.rebased("") is rep


def test_render_diagnostics_quiet_is_shared_by_every_command() -> None:
    from patchkit.cli.output import render_diagnostics

    for fmt in ("text", "github"):
        out = io.StringIO()
        render_diagnostics([WARNING, ERROR], fmt, out, quiet=True)
        assert "PKM001" in out.getvalue() and "PKS007" not in out.getvalue()
    out = io.StringIO()
    render_diagnostics([WARNING, ERROR], "json", out, quiet=True)
    assert [d["code"] for d in json.loads(out.getvalue())["diagnostics"]] == ["PKS007", "PKM001"]


def test_scm_check_quiet(tmp_path, cli) -> None:  # type: ignore[no-untyped-def]
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(
        "FROM python:3.12\n"
        "ARG V\n"
        "ENV SETUPTOOLS_SCM_PRETEND_VERSION=$V\n"  # PKS007: a warning
        "ENV SETUPTOOLS_SCM_PRETEND_VERSION_FOR_VLLM=\n",  # PKS003: an error
        encoding="utf-8",
    )
    loud = cli("scm", "check", str(dockerfile))
    assert "PKS007" in loud.stdout and "error(s)" in loud.stderr
    quiet = cli("scm", "check", str(dockerfile), "--quiet")
    assert quiet.returncode == loud.returncode == 1
    assert "PKS007" not in quiet.stdout and "PKS003" in quiet.stdout
    assert quiet.stderr == ""


def test_lint_quiet_drops_the_summary_only(tmp_path, cli) -> None:  # type: ignore[no-untyped-def]
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(
        "FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\n", encoding="utf-8"
    )
    loud = cli("lint", str(dockerfile))
    quiet = cli("lint", str(dockerfile), "--quiet")
    # PKD006 is a warning, but every lint finding counts for lint's exit code
    assert quiet.returncode == loud.returncode == 1
    assert "PKD006" in quiet.stdout and quiet.stdout == loud.stdout
    assert loud.stderr and quiet.stderr == ""
