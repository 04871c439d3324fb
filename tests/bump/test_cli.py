"""`patchkit bump` on the command line: previews, JSON, and bad input."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from patchkit.cli.main import main

from .conftest import git, snapshot

Make = Callable[[str], Path]
Move = Callable[[Path, str], None]


@pytest.fixture
def at_034(downstream: Make, move_submodule: Move, monkeypatch: pytest.MonkeyPatch) -> Path:
    pkg = downstream("current")
    move_submodule(pkg, "v0.34.0")
    monkeypatch.chdir(pkg)
    return pkg


def test_check_writes_nothing_and_exits_1(at_034: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(at_034)
    assert main(["bump", "--check"]) == 1
    out = capsys.readouterr().out
    assert "version places (would change):" in out
    assert "startos/versions/current.ts:4:13: the current version: '0.33.0:2' -> '0.34.0:0'" in out
    assert "copy out of date: .dockerfiles/docker/Dockerfile.cpu" in out
    assert snapshot(at_034) == before


def test_diff_shows_every_file_and_writes_nothing(
    at_034: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(at_034)
    assert main(["bump", "--diff", "--color", "never"]) == 1
    out = capsys.readouterr().out
    assert "--- startos/versions/current.ts\n+++ startos/versions/current.ts\n" in out
    assert "-  version: '0.33.0:2',\n+  version: '0.34.0:0',\n" in out
    assert "-const VLLM_VERSION = '0.33.0'\n+const VLLM_VERSION = '0.34.0'\n" in out
    assert "--- /dev/null\n+++ .dockerfiles/docker/Dockerfile.cpu\n" in out
    assert "version places" not in out  # the diff is the whole output
    assert snapshot(at_034) == before


def test_json_document(at_034: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bump", "--check", "--format", "json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["schema"] == "patchkit/bump/v1"
    assert doc["upstream_version"] == "0.34.0"
    assert doc["upstream_tag"] == "v0.34.0"
    assert doc["current_versions"] == ["0.33.0:2"]
    assert {(p["path"], p["old"], p["new"]) for p in doc["version_places"]} == {
        ("startos/versions/current.ts", "0.33.0:2", "0.34.0:0"),
        ("startos/manifest/index.ts", "0.33.0", "0.34.0"),
        ("startos/manifest/index.ts", "v0.33.0", "v0.34.0"),
    }
    assert doc["drifted"] is False
    assert doc["out_of_date_copies"] == [".dockerfiles/docker/Dockerfile.cpu"]
    assert doc["written"] is None
    assert {p["patch"]: p["state"] for p in doc["patches"]}["cpu-scm-pretend-version"] == "pending"

    assert main(["bump", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert sorted(doc["written"]) == [
        ".dockerfiles/docker/Dockerfile.cpu",
        "startos/manifest/index.ts",
        "startos/versions/current.ts",
    ]


def test_version_given_directly(at_034: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # 0.34.0 is no ref of the submodule (its tags are v-prefixed): a PEP 440 version, which
    # git confirms (the checkout is at v0.34.0), so the summary names git as the source
    assert main(["bump", "0.34.0"]) == 0
    assert "upstream 0.34.0 (git describe --match 'v[0-9]*': v0.34.0-0-g" in capsys.readouterr().out
    text = (at_034 / "startos/versions/current.ts").read_text(encoding="utf-8")
    assert "version: '0.34.0:0'" in text


def test_ref_not_checked_out_is_refused(at_034: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(at_034)
    assert main(["bump", "v0.35.0"]) == 2
    err = capsys.readouterr().err
    assert "the upstream vllm is checked out at" in err
    assert "not at v0.35.0" in err
    assert "git -C vllm checkout v0.35.0" in err
    assert "Traceback" not in err
    assert snapshot(at_034) == before


def test_neither_ref_nor_version(at_034: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bump", "not-a-version"]) == 2
    err = capsys.readouterr().err
    assert "'not-a-version' is neither a git ref of vllm nor a PEP 440 version" in err


def test_target_and_flag_together(at_034: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bump", "v0.34.0", "--upstream-version", "0.34.0"]) == 2
    assert "not both" in capsys.readouterr().err


def test_output_file_receives_the_json_report(tmp_path_factory: pytest.TempPathFactory) -> None:
    """--output-file: the report goes to the file (written atomically), stdout stays empty."""
    import shutil
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    work = tmp_path_factory.mktemp("bump-out") / "examples"
    shutil.copytree(root / "examples", work, ignore=shutil.ignore_patterns(".dockerfiles"))
    report = work / "bump.json"
    proc = subprocess.run(
        [sys.executable, "-m", "patchkit", "bump", "--check", "0.34.0", "--format", "json",
         "--output-file", str(report)],
        cwd=work, capture_output=True, text=True, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == ""
    doc = json.loads(report.read_text())
    assert doc["schema"] == "patchkit/bump/v1" and doc["written"] is None
    assert {p["new"] for p in doc["version_places"]} == {"0.34.0:0", "0.34.0"}


# --- a bump that cannot move the current version refuses: exit 2, nothing written ---------


def test_an_invalid_current_version_refuses_with_its_place(
    at_034: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    current = at_034 / "startos/versions/current.ts"
    current.write_text(current.read_text().replace("'0.33.0:2'", "'0.33.0-rc0:2'"))
    before = snapshot(at_034)
    assert main(["bump"]) == 2
    err = capsys.readouterr().err
    assert "startos/versions/current.ts:4:13: the current version '0.33.0-rc0:2' is not a " in err
    assert "PKM001" in err
    assert snapshot(at_034) == before


def test_no_current_version_refuses_instead_of_saying_up_to_date(
    at_034: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("current.ts", "index.ts"):
        (at_034 / "startos/versions" / name).unlink()
    before = snapshot(at_034)
    assert main(["bump"]) == 2
    err = capsys.readouterr().err
    assert "no current version found" in err and "up to date" not in err
    assert snapshot(at_034) == before


def test_a_startos_03_package_is_told_what_bump_does_not_rewrite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "manifest.yaml").write_text("id: hello\nversion: 0.17.4.1\n")
    monkeypatch.chdir(tmp_path)
    assert main(["bump", "--check", "0.18.0"]) == 2
    err = capsys.readouterr().err
    assert "manifest.yaml (a StartOS 0.3 package)" in err and "edit it by hand" in err


# --- the version comes from the checkout, or is given and agrees with it -----------------


def test_a_tag_not_fetched_is_refused_not_taken_as_the_version(
    downstream: Make, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The submodule is still at v0.33.0 and has no v0.34.0 yet (not fetched, or a typo)."""
    pkg = downstream("current")
    git(pkg / "vllm", "tag", "-d", "v0.34.0")
    monkeypatch.chdir(pkg)
    before = snapshot(pkg)
    assert main(["bump", "v0.34.0"]) == 2
    err = capsys.readouterr().err
    assert "the checkout says its version is 0.33.0" in err and "fetch --tags" in err
    assert snapshot(pkg) == before


def test_without_tags_bump_refuses_instead_of_using_the_recorded_version(
    downstream: Make, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The manifest records VLLM_VERSION=0.33.0: the version being left, never the new one."""
    pkg = downstream("current")
    for tag in ("v0.33.0", "v0.34.0", "v0.35.0"):
        git(pkg / "vllm", "tag", "-d", tag)
    monkeypatch.chdir(pkg)
    before = snapshot(pkg)
    assert main(["bump"]) == 2
    assert "does not fall back on the version the package records" in capsys.readouterr().err
    assert snapshot(pkg) == before
    # the maintainer's word is taken when git cannot tell
    assert main(["bump", "--check", "0.34.0"]) == 1
    assert "upstream 0.34.0 (given as VERSION)" in capsys.readouterr().out


def test_a_bad_target_names_the_tag_the_checkout_is_at(
    downstream: Make, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(downstream("current"))
    assert main(["bump", "not-a-version"]) == 2
    assert "give the tag the upstream is checked out at (v0.33.0)" in capsys.readouterr().err


def test_release_notes_naming_the_old_version_are_pointed_at(
    at_034: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """bump never writes prose: it says where the notes still name the version being left."""
    assert main(["bump", "--check"]) == 1
    out = capsys.readouterr().out
    assert (
        "note: startos/versions/current.ts:5: the releaseNotes still say 0.33.0: "
        "write this release's notes" in out
    )
    current = at_034 / "startos/versions/current.ts"
    current.write_text(current.read_text().replace("to 0.33.0'", "to 0.34.0'"))
    assert main(["bump", "--check"]) == 1
    assert "releaseNotes" not in capsys.readouterr().out


def test_a_checkout_past_its_tag_is_named_a_development_version(
    at_034: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    git(at_034 / "vllm", "commit", "-q", "--allow-empty", "-m", "after the release")
    assert main(["bump", "--check"]) == 1
    out = capsys.readouterr().out
    assert "'0.33.0:2' -> '0.34.1-dev.1:0'" in out
    assert "note: 0.34.1.dev1+g" in out and "is a development version" in out
