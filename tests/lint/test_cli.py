"""`patchkit lint`, `rules` and `rule` as a user runs them: output formats, exit
codes, --fix/--diff, configuration, and bad input (exit 2, never a traceback)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from patchkit.cli.main import main

# The build stage is not the image (the last stage), so only PKD001 sees its .deps clone.
BAD = (
    "FROM ubuntu:22.04 AS build\n"
    "ARG TARGETARCH\n"
    "RUN --mount=type=cache,target=/workspace/.deps \\\n"
    "    cmake -B build\n"
    "FROM ubuntu:22.04 AS final\n"
)
FIXED = (
    "FROM ubuntu:22.04 AS build\n"
    "ARG TARGETARCH\n"
    "RUN --mount=type=cache,target=/workspace/.deps,id=deps-${TARGETARCH} \\\n"
    "    cmake -B build\n"
    "FROM ubuntu:22.04 AS final\n"
)
CLEAN = "FROM ubuntu:22.04\nRUN echo hi\n"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # no pyproject.toml above unless a test writes one
    monkeypatch.setenv("NO_COLOR", "1")
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode())
    return path


def test_clean_file_exits_0(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = write(workdir / "Dockerfile", CLEAN)
    assert main(["lint", str(f)]) == 0
    out, err = capsys.readouterr()
    assert out == "" and "All checks passed." in err


def test_findings_exit_1_with_located_lines(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = write(workdir / "Dockerfile", BAD)
    assert main(["lint", str(f)]) == 1
    out, err = capsys.readouterr()
    assert out.startswith(f"{f}:3:5: PKD001 cache mount at /workspace/.deps")
    assert "  fix: add id=deps-${TARGETARCH} (cache-mount-id)\n" in out
    assert "Found 1 finding(s) (1 fixable with --fix)." in err


def test_json_and_github_formats(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = write(workdir / "Dockerfile", BAD)
    assert main(["lint", "--format", "json", str(f)]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["schema"] == "patchkit/lint/v1" and doc["files"] == 1
    [d] = doc["diagnostics"]
    assert (d["code"], d["line"], d["col"], d["severity"]) == ("PKD001", 3, 5, "error")
    assert main(["lint", "--format", "github", str(f)]) == 1
    line = capsys.readouterr().out
    assert line.startswith(f"::error file={f},line=3,col=5,")
    assert "title=PKD001::" in line


def test_fix_writes_only_the_fix_and_keeps_the_mode(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = write(workdir / "Dockerfile.cpu", BAD)
    os.chmod(f, 0o640)
    assert main(["lint", "--fix", str(f)]) == 0
    assert f.read_bytes().decode() == FIXED
    assert stat.S_IMODE(f.stat().st_mode) == 0o640
    assert "Fixed 1 finding(s)." in capsys.readouterr().err
    assert main(["lint", str(f)]) == 0
    assert not list(workdir.glob(".*patchkit-tmp"))


def test_diff_writes_nothing(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = write(workdir / "Dockerfile", BAD)
    assert main(["lint", "--diff", str(f)]) == 1
    out, _err = capsys.readouterr()
    assert f.read_bytes().decode() == BAD
    assert f"--- {f}\n+++ {f}\n" in out
    assert "-RUN --mount=type=cache,target=/workspace/.deps \\\n" in out
    assert "+RUN --mount=type=cache,target=/workspace/.deps,id=deps-${TARGETARCH} \\\n" in out
    write(f, FIXED)
    assert main(["lint", "--diff", str(f)]) == 0
    assert capsys.readouterr().out == ""


def test_unsafe_fixes_only_with_the_flag(workdir: Path) -> None:
    text = "FROM alpine AS b\nRUN git clone https://x.org/r /r\nFROM alpine\nCOPY --from=b /r /r\n"
    f = write(workdir / "Dockerfile", text)
    assert main(["lint", "--fix", str(f)]) == 1
    assert f.read_bytes().decode() == text
    assert main(["lint", "--fix", "--unsafe-fixes", str(f)]) == 0
    assert "ARG PATCHKIT_CACHE_INPUT\nRUN git clone" in f.read_text()


def test_select_ignore_builder_platform(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = write(workdir / "Dockerfile", BAD)
    assert main(["lint", "--ignore", "PKD001", str(f)]) == 0
    assert main(["lint", "--select", "PKD002,PKD003", str(f)]) == 0
    g = write(
        workdir / "Dockerfile.2",
        "FROM alpine AS b\nCOPY . /s\nFROM alpine\nRUN --mount=type=bind,from=b,target=/s ls /s\n",
    )
    assert main(["lint", str(g)]) == 0
    assert main(["lint", "--builder", "buildah", str(g)]) == 1
    assert "buildah leaves --mount=type=bind,from=b out of" in capsys.readouterr().out
    h = write(
        workdir / "Dockerfile.3", "FROM alpine\nRUN --mount=type=cache,target=/b/build make\n"
    )
    assert main(["lint", str(h)]) == 0
    assert main(["lint", "--platform", "linux/amd64,linux/arm64", str(h)]) == 1


def test_config_file(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = write(workdir / "Dockerfile", BAD)
    write(workdir / "pyproject.toml", '[tool.patchkit.lint]\nignore = ["PKD001"]\n')
    assert main(["lint", str(f)]) == 0
    assert main(["lint", "--ignore", "PKD006", str(f)]) == 1  # a flag wins over the file
    write(workdir / "pyproject.toml", '[tool.patchkit.lint]\nbuilders = "buildah"\n')
    assert main(["lint", str(f)]) == 2
    assert "unknown key(s) in [tool.patchkit.lint]: builders" in capsys.readouterr().err


def test_folder_argument(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir / "Dockerfile", CLEAN)
    (workdir / "docker").mkdir()
    write(workdir / "docker" / "Dockerfile.cpu", BAD)
    write(workdir / "docker" / "README.md", "not a Dockerfile")
    assert main(["lint", "--format", "json", str(workdir)]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["files"] == 2
    assert [d["path"] for d in doc["diagnostics"]] == [str(workdir / "docker" / "Dockerfile.cpu")]


def test_folder_search_skips_files_beside_a_dockerfile(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # BuildKit reads `Dockerfile.dockerignore` as the ignore file of `Dockerfile`; its
    # patterns are not instructions (a real one gave ten PKD007 findings, one per line)
    write(workdir / "Dockerfile", CLEAN)
    write(workdir / "Dockerfile.dockerignore", "**/.DS_Store\n/bin/\ncoverage.txt\n")
    write(workdir / "app.Dockerfile.dockerignore", "node_modules\n")
    write(workdir / "Dockerfile.md", "# How to build\n\nRun make.\n")
    assert main(["lint", "--format", "json", str(workdir)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["files"] == 1
    assert doc["diagnostics"] == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["lint", "missing.Dockerfile"], "missing.Dockerfile: no such file"),
        (["lint", "--select", "PKD9", "Dockerfile"], "unknown rule code or prefix 'PKD9'"),
        (["lint", "--platform", "amd64", "Dockerfile"], "is not os/arch[/variant]"),
        (["lint", "latin1.Dockerfile"], "not valid UTF-8 at byte offset 17"),
        (["rule", "PKD999"], "unknown rule code 'PKD999'"),
    ],
)
def test_bad_input_exits_2_without_traceback(
    workdir: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    write(workdir / "Dockerfile", CLEAN)
    (workdir / "latin1.Dockerfile").write_bytes(b"FROM alpine\n# caf\xe9\n")
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_rules_and_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["CODE", "NAME", "STATUS", "FIX"]
    assert out[1].split()[:3] == ["PKD001", "cache-mount-shared-across-platforms", "stable"]
    assert main(["rules", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rules"]
    assert [r["code"] for r in rows][:8] == [f"PKD00{n}" for n in range(1, 9)]
    # then the codes of check's other areas, each once
    codes = [r["code"] for r in rows]
    assert len(codes) == len(set(codes))
    assert {"PKM001", "PKS001", "PKB001", "PKP001", "PKC001"} <= set(codes)
    assert main(["rule", "pkd002"]) == 0
    text = capsys.readouterr().out
    for section in (
        "## What it does",
        "## Why is this bad?",
        "## Example",
        "Use instead:",
        "## Fix safety",
    ):
        assert section in text


def test_as_a_process(tmp_path: Path, cli) -> None:
    f = write(tmp_path / "Dockerfile", BAD)
    proc = cli("lint", "--select", "PKD001", str(f), cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert f"{f}:3:5: PKD001" in proc.stdout


UPSTREAM = Path(__file__).resolve().parent / "fixtures" / "upstream"


def test_pkd004_reads_the_upstream_above_the_dockerfile(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    shutil.copytree(UPSTREAM, workdir / "up")
    assert main(["lint", "--select", "PKD004", "up/docker/Dockerfile"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(
        "up/docker/Dockerfile:4:5: PKD004 SETUPTOOLS_SCM_PRETEND_VERSION_FOR_MYPKG is set here "
        "(ENV) but the upstream build (up/setup.py, setuptools-scm 8, 9, 10) does not read it"
    )
    assert out[1] == "  fix: rename it to SETUPTOOLS_SCM_PRETEND_VERSION (scm-pretend-version)"
    assert "VCS_VERSIONING_PRETEND_VERSION is set here (RUN)" in out[2]
    assert "does not read it under setuptools-scm 8.x, 9.x;" in out[2]
    assert out[3].endswith("[by hand]")
    assert len(out) == 4  # the generic name on line 6 is read: no finding
    # --fix renames the _FOR_ name with the scm-pretend-version transform
    assert main(["lint", "--select", "PKD004", "--fix", "up/docker/Dockerfile"]) == 1
    fixed = (workdir / "up" / "docker" / "Dockerfile").read_text()
    assert "ENV SETUPTOOLS_SCM_PRETEND_VERSION=0.21.1\n" in fixed


def test_pkd004_with_upstream_flag_and_unreadable_upstreams(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = write(workdir / "Dockerfile", "FROM python\nENV SETUPTOOLS_SCM_PRETEND_VERSION_FOR_X=1.0\n")
    assert main(["lint", "--select", "PKD004", str(f)]) == 0  # no upstream found: silent
    assert main(["lint", "--select", "PKD004", "--upstream", str(UPSTREAM), str(f)]) == 1
    bad = workdir / "bad"
    bad.mkdir()
    write(bad / "setup.py", "setup(\n")
    assert main(["lint", "--select", "PKD004", "--upstream", str(bad), str(f)]) == 2
    assert "setup.py" in capsys.readouterr().err
    (bad / "docker").mkdir()
    g = write(bad / "docker" / "Dockerfile", "FROM python\n")
    assert main(["lint", "--select", "PKD004", str(g)]) == 0
    assert "note: PKD004 skipped, upstream not readable" in capsys.readouterr().err
