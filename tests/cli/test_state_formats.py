"""Machine formats of status, apply and build: GitHub annotations at the patch file line,
JUnit XML, apply's patchkit/apply/v1 JSON, --output-file, and the one place that turns an
error that stops a command into an ``::error`` annotation under --format github."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPS_PATCH = "patches/cpu-deps-cache-per-arch.yaml"
COPY = ".dockerfiles/docker/Dockerfile.cpu"


def _main(*args: str) -> int:
    from patchkit.cli.main import main

    return main(list(args))


def _drift(repo: Path) -> int:
    """Rename the .deps cache target upstream, so cpu-deps-cache-per-arch drifts; returns
    the line of the patch file's ``target:`` field (where the drift is to be annotated)."""
    dockerfile = repo / "upstream/docker/Dockerfile.cpu"
    text = dockerfile.read_text(encoding="utf-8")
    assert "/vllm-workspace/.deps" in text
    dockerfile.write_text(text.replace("/vllm-workspace/.deps", "/vllm-workspace/.d"), "utf-8")
    lines = (repo / DEPS_PATCH).read_text(encoding="utf-8").splitlines()
    (line,) = [i + 1 for i, t in enumerate(lines) if t.strip().startswith("target:")]
    return line


def _annotations(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("::")]


# -- status ---------------------------------------------------------------------------


def test_status_github_annotates_a_drifted_patch_at_its_anchor_line(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _main("status", "--format", "github") == 0
    out = capsys.readouterr().out
    assert "cpu-wheel-checksum" in out and _annotations(out) == []
    line = _drift(example)
    assert _main("status", "--format", "github") == 1
    out = capsys.readouterr().out
    assert "PATCH" in out.splitlines()[1]  # the table comes first, without colour codes
    assert "\033[" not in out
    (note,) = _annotations(out)
    assert note.startswith(f"::error file={DEPS_PATCH},line={line},col=")
    assert "title=PKP001::patch 'cpu-deps-cache-per-arch' drifted on upstream/docker" in note


def test_status_junit_to_an_output_file(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = _drift(example)
    assert _main("status", "--format", "junit", "--output-file", "status.xml") == 1
    assert capsys.readouterr().out == ""
    suites = ET.parse(example / "status.xml").getroot()
    patches = sorted(p.stem for p in (example / "patches").glob("*.yaml"))
    assert sorted(s.get("name") for s in suites) == patches
    assert (suites.get("tests"), suites.get("failures"), suites.get("skipped")) == ("5", "1", "1")
    by_name = {s.get("name"): s for s in suites}
    (case,) = by_name["cpu-deps-cache-per-arch"]
    assert case.get("name") == "docker/Dockerfile.cpu"
    assert (case.get("file"), case.get("line")) == (DEPS_PATCH, str(line))
    failure = case.find("failure")
    assert failure is not None and failure.get("type") == "drifted"
    (old,) = by_name["cpu-deps-cache-per-arch-0.9"]
    assert old.find("skipped") is not None and old.find("failure") is None


def test_status_output_file_holds_what_stdout_would(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _main("status", "--format", "json") == 0
    printed = json.loads(capsys.readouterr().out)
    assert _main("status", "--format", "json", "--output-file", "s.json") == 0
    assert capsys.readouterr().out == ""
    assert json.loads((example / "s.json").read_text(encoding="utf-8")) == printed
    assert printed["schema"] == "patchkit/status/v1" and len(printed["results"]) == 5


def test_status_range_refuses_the_formats_it_has_not(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _main("status", "--range", "a..b", "--format", "junit") == 2
    assert "--range prints text or json, not junit" in capsys.readouterr().err


# -- apply ----------------------------------------------------------------------------


def _apply_json(*args: str, code: int, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    assert _main("apply", "--format", "json", *args) == code
    doc = json.loads(capsys.readouterr().out)
    assert doc["schema"] == "patchkit/apply/v1" and doc["exit_code"] == code
    return doc  # type: ignore[no-any-return]


def _actions(doc: dict[str, object]) -> list[tuple[str, str]]:
    return [(f["file"], f["action"]) for f in doc["files"]]  # type: ignore[attr-defined]


def test_apply_json_says_what_was_and_would_be_written(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = _apply_json("--check", code=1, capsys=capsys)
    assert doc["mode"] == "check" and _actions(doc) == [("docker/Dockerfile.cpu", "out of date")]
    assert not (example / COPY).exists()
    states = {(r["patch"], r["state"]) for r in doc["results"]}  # type: ignore[attr-defined]
    assert ("cpu-deps-cache-per-arch", "pending") in states
    assert ("cpu-deps-cache-per-arch-0.9", "skipped") in states

    doc = _apply_json(code=0, capsys=capsys)
    assert doc["mode"] == "write" and doc["out"] == ".dockerfiles" and not doc["in_place"]
    assert _actions(doc) == [("docker/Dockerfile.cpu", "written")]
    written = (example / COPY).read_text(encoding="utf-8")
    assert "id=vllm-cpu-deps-${TARGETARCH}" in written
    assert _actions(_apply_json(code=0, capsys=capsys)) == [("docker/Dockerfile.cpu", "up to date")]

    doc = _apply_json("--diff", code=0, capsys=capsys)
    (entry,) = doc["files"]  # type: ignore[misc]
    assert "+ARG TARGETARCH" in entry["diff"] and entry["action"] == "up to date"

    doc = _apply_json("--diff", "--patch", "cpu-wheel-checksum", code=1, capsys=capsys)
    assert doc["patches"] == ["cpu-wheel-checksum"]
    assert _actions(doc) == [("docker/Dockerfile.cpu", "changes")]
    assert "(cpu-wheel-checksum alone)" in doc["files"][0]["diff"]  # type: ignore[index]


def test_apply_json_and_github_when_a_patch_drifted_write_nothing(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = _drift(example)
    doc = _apply_json(code=1, capsys=capsys)
    assert _actions(doc) == [("docker/Dockerfile.cpu", "blocked")]
    assert not (example / ".dockerfiles").exists()
    assert _main("apply", "--format", "github") == 1
    (note,) = _annotations(capsys.readouterr().out)
    assert note.startswith(f"::error file={DEPS_PATCH},line={line},")


def test_apply_github_check_annotates_each_copy_out_of_date(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _main("apply", "--check", "--format", "github") == 1
    (note,) = _annotations(capsys.readouterr().out)
    assert note.startswith(f"::error file={COPY},line=1,") and "title=PKP003" in note
    assert _main("apply", "--format", "github") == 0
    out = capsys.readouterr().out
    assert out == f"wrote {COPY}\n"
    copy = example / COPY
    lines = copy.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[9] = "# edited by hand\n"
    copy.write_text("".join(lines), encoding="utf-8")
    assert _main("apply", "--check", "--format", "github") == 1
    (note,) = _annotations(capsys.readouterr().out)
    assert note.startswith(f"::error file={COPY},line=10,") and "title=PKP002" in note


def test_apply_output_file_in_a_missing_folder_writes_nothing(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _main("apply", "--format", "json", "--output-file", "nope/apply.json") == 2
    assert "--output-file: the folder" in capsys.readouterr().err
    assert not (example / ".dockerfiles").exists()
    assert _main("apply", "--output-file", "apply.txt") == 0
    assert capsys.readouterr().out == ""
    assert (example / "apply.txt").read_text(encoding="utf-8") == f"wrote {COPY}\n"


# -- build ----------------------------------------------------------------------------


def test_build_json_output_file(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _main("build", "--format", "json") == 0
    printed = json.loads(capsys.readouterr().out)
    assert _main("build", "--format", "json", "--output-file", "build.json") == 0
    assert capsys.readouterr().out == ""
    assert json.loads((example / "build.json").read_text(encoding="utf-8")) == printed
    assert printed["schema"] == "patchkit/build/v1"


# -- errors that stop a command, under --format github --------------------------------

BAD_PATCH = """\
id: bad
summary: a patch of a kind that does not exist
why: to make every command stop on it
files: [docker/Dockerfile.cpu]
transform:
  kind: no-such-kind
"""


@pytest.mark.parametrize("command", ["status", "apply", "check"])
def test_a_bad_patch_file_is_annotated_at_its_line(
    example: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    (example / "patches" / "zz-bad.yaml").write_text(BAD_PATCH, encoding="utf-8")
    assert _main(command, "--format", "github") == 2
    captured = capsys.readouterr()
    notes = [n for n in _annotations(captured.out) if n.startswith("::error")]
    assert notes and all(n.startswith("::error file=patches/zz-bad.yaml,line=6,") for n in notes)
    assert "no-such-kind" in notes[0]
    assert _main(command) == 2  # text: on stderr only
    assert _annotations(capsys.readouterr().out) == []


@pytest.mark.parametrize(
    "command", [["status"], ["apply"], ["check"], ["lint", "upstream"]], ids=lambda c: c[0]
)
def test_a_usage_error_is_annotated_under_format_github(
    example: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    assert _main(*command, "--format", "github", "--no-such-flag") == 2
    captured = capsys.readouterr()
    assert "unrecognized arguments: --no-such-flag" in captured.err
    assert _annotations(captured.out) == [
        f"::error title=patchkit {command[0]}::unrecognized arguments: --no-such-flag"
    ]
    assert _main(*command, "--format=github", "--no-such-flag") == 2
    assert len(_annotations(capsys.readouterr().out)) == 1
    assert _main(*command, "--no-such-flag") == 2
    assert capsys.readouterr().out == ""


def test_a_permission_error_is_annotated_at_its_file(
    example: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import patchkit.series

    def refuse(folder: object) -> object:
        raise PermissionError(13, "Permission denied", "patches")

    monkeypatch.setattr(patchkit.series, "load_series", refuse)
    assert _main("status", "--format", "github") == 2
    captured = capsys.readouterr()
    assert "patches: cannot be read (Permission denied)" in captured.err
    (note,) = _annotations(captured.out)
    assert note.startswith("::error file=patches,title=patchkit status::cannot be read")


def test_an_output_file_in_a_missing_folder_stops_lint_fix_before_it_writes(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dockerfile = example / "upstream/docker/Dockerfile.cpu"
    before = dockerfile.read_bytes()
    assert (
        _main("lint", "--fix", "--format", "json", "--output-file", "no/l.json", str(dockerfile))
        == 2
    )
    assert "--output-file: the folder" in capsys.readouterr().err
    assert dockerfile.read_bytes() == before
    # the same run with a folder that exists fixes the file and reports in l.json
    assert (
        _main("lint", "--fix", "--format", "json", "--output-file", "l.json", str(dockerfile)) < 2
    )
    assert dockerfile.read_bytes() != before
    assert json.loads((example / "l.json").read_text(encoding="utf-8"))["fixed"] > 0
