"""Versions without hand-kept copies (issue 20, part 2): when git cannot tell the upstream
version (a shallow submodule not on a tag, no tags), say exactly that and how to fix it, and
take the version the downstream's manifest records for its build (the build arg that feeds
SETUPTOOLS_SCM_PRETEND_VERSION), named in the output."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from patchkit.cli.main import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def downstream(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_git: Callable[..., str]
) -> Path:
    """The bundled example with no upstream_version in its configuration, whose upstream/
    is a shallow clone of a repo tagged v0.33.0 two commits before its HEAD."""
    origin = tmp_path / "origin"
    shutil.copytree(ROOT / "examples" / "upstream", origin)
    run_git(origin, "init", "-q", "-b", "main")
    run_git(origin, "add", "-A")
    run_git(origin, "commit", "-q", "-m", "release")
    run_git(origin, "tag", "v0.33.0")
    for n in (1, 2):
        (origin / f"change{n}.txt").write_text(f"{n}\n", encoding="utf-8")
        run_git(origin, "add", "-A")
        run_git(origin, "commit", "-q", "-m", f"change {n}")
    repo = tmp_path / "pkg"
    shutil.copytree(
        ROOT / "examples", repo, ignore=shutil.ignore_patterns(".dockerfiles", "upstream")
    )
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{origin}", str(repo / "upstream")],
        check=True,
        capture_output=True,
    )
    config = repo / "pyproject.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        "\n".join(line for line in text.splitlines() if not line.startswith("upstream_version"))
        + "\n",
        encoding="utf-8",
    )
    (repo / ".git").mkdir()  # the repository root
    monkeypatch.chdir(repo)
    return repo


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_status_takes_the_version_the_manifest_records(
    downstream: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "status")
    assert code == 0, err
    assert out.splitlines()[0] == (
        "upstream version 0.33.0 (VLLM_VERSION=0.33.0 recorded at startos/manifest/index.ts:9:22)"
    )
    # why git could not tell it, and how to fix that
    assert "note: git cannot tell the version of upstream: is a shallow clone and HEAD (" in err
    assert "is not on a tag matching 'v[0-9]*'" in err
    assert "the describe pattern is 'v[0-9]*'" in err
    assert "; fix: git -C upstream fetch --unshallow --tags, then run this again;" in err
    assert "  " not in err and "((" not in err  # the fix reads as one clause, not nested
    assert (
        "using the version the build records: VLLM_VERSION=0.33.0 at "
        "startos/manifest/index.ts:9:22, which becomes SETUPTOOLS_SCM_PRETEND_VERSION" in err
    )
    code, out, err = run(capsys, "status", "--format", "json")
    doc = json.loads(out)
    assert doc["upstream_version_source"] == (
        "VLLM_VERSION=0.33.0 recorded at startos/manifest/index.ts:9:22"
    )
    code, out, err = run(capsys, "apply")
    assert code == 0, err
    assert "wrote .dockerfiles/docker/Dockerfile.cpu" in out


def test_check_takes_it_too_and_warns_with_the_fix(
    downstream: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = run(capsys, "check", "--format", "json")
    doc = json.loads(out)
    assert code == 0, out
    assert doc["upstream_version"] == "0.33.0"
    assert doc["upstream_version_source"].startswith("VLLM_VERSION=0.33.0 recorded at")
    (note,) = [d for d in doc["diagnostics"] if d["code"] == "PKB005"]
    assert note["severity"] == "warning" and "fetch --unshallow --tags" in note["message"]


def test_a_git_fix_makes_git_the_source_again(
    downstream: Path, capsys: pytest.CaptureFixture[str], run_git: Callable[..., str]
) -> None:
    run_git(downstream / "upstream", "fetch", "-q", "--unshallow", "--tags")
    code, out, err = run(capsys, "status")
    assert code == 0, err
    assert (
        out.splitlines()[0].startswith("upstream version 0.33.1.dev2+g")
        and "git describe --match 'v[0-9]*': v0.33.0-2-g" in out.splitlines()[0]
    )
    assert "note:" not in err


def test_nothing_recorded_is_exit_2_with_every_way_to_give_it(
    downstream: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = downstream / "startos/manifest/index.ts"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace("buildArgs: { VLLM_VERSION },", ""),
        encoding="utf-8",
    )
    code, _, err = run(capsys, "status")
    assert code == 2
    assert "is a shallow clone and HEAD (" in err and "fetch --unshallow --tags" in err
    assert "--upstream-version VERSION" in err and "build arg that feeds" in err
    assert "Traceback" not in err


def test_another_upstream_folder_does_not_take_the_manifest_version(
    downstream: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    other = tmp_path / "other"
    shutil.copytree(downstream / "upstream", other)
    code, _, err = run(capsys, "status", "--upstream", str(other))
    assert code == 2 and "cannot tell the upstream version" in err


def test_builds_recording_different_versions_are_refused(
    downstream: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = downstream / "startos/manifest/index.ts"
    text = manifest.read_text(encoding="utf-8")
    second = (
        text[text.index("    vllm: {") : text.index("  },\n})")]
        .replace("vllm: {", "vllm2: {")
        .replace("buildArgs: { VLLM_VERSION }", "buildArgs: { VLLM_VERSION: '0.34.0' }")
    )
    manifest.write_text(text.replace("  },\n})", second + "  },\n})"), encoding="utf-8")
    code, _, err = run(capsys, "status")
    assert code == 2
    assert "the builds record different upstream versions" in err
    assert "VLLM_VERSION=0.33.0" in err and "VLLM_VERSION=0.34.0" in err


def test_a_tag_that_does_not_match_names_the_tags_and_the_pattern(
    tmp_path: Path, run_git: Callable[..., str], capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "up"
    repo.mkdir()
    (repo / "f").write_text("x\n", encoding="utf-8")
    run_git(repo, "init", "-q", "-b", "main")
    run_git(repo, "add", "-A")
    run_git(repo, "commit", "-q", "-m", "one")
    run_git(repo, "tag", "proto-v0.3.0")
    code, _, err = run(capsys, "upstream-version", str(repo), "--match", "v[0-9]*")
    assert code == 2
    assert "no tag reachable from HEAD matches 'v[0-9]*' (tags here: proto-v0.3.0)" in err
    assert "the describe pattern is 'v[0-9]*'" in err
    assert f"git -C {repo} fetch --tags" in err
