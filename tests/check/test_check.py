"""``patchkit check``: areas, exit codes, the status area's view of the copies, and the flags.

Each test starts from a copy of the fixture downstream (``repo_factory``)
and changes one thing; expected codes and places are written by hand.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

Run = Callable[..., tuple[int, dict[str, object]]]
COPY = "patched/docker/Dockerfile.cpu"


def diags(doc: dict[str, object], severity: str | None = None) -> list[tuple[object, ...]]:
    found = doc["diagnostics"]
    assert isinstance(found, list)
    return sorted(
        (d["code"], d["path"], d["line"], d["col"])
        for d in found
        if severity is None or d["severity"] == severity
    )


def areas(doc: dict[str, object]) -> dict[str, str]:
    return {a["name"]: a["status"] for a in doc["areas"]}  # type: ignore[union-attr,index]


def tree_digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


# -- the JSON document ----------------------------------------------------------------------


def test_json_document(repo_factory: Callable[..., Path], check_json: Run) -> None:
    repo = repo_factory()
    # the build no longer passes VLLM_VERSION: the one warning (PKS007) of this document
    script = repo / "build.sh"
    script.write_text(
        "".join(x for x in script.read_text().splitlines(keepends=True) if "VLLM_VERSION=" not in x)
    )
    code, doc = check_json(repo)
    assert code == 0
    assert list(doc) == [
        "schema",
        "root",
        "upstream_version",
        "upstream_version_source",
        "strict",
        "exit_code",
        "areas",
        "diagnostics",
    ]
    assert doc["schema"] == "patchkit/check/v1"
    assert doc["upstream_version"] == "0.21.1rc0"
    assert doc["upstream_version_source"] == "config"
    assert doc["strict"] is False and doc["exit_code"] == 0
    for area in doc["areas"]:  # type: ignore[union-attr]
        assert set(area) == {"name", "status", "summary", "errors", "warnings"}
    (warning,) = doc["diagnostics"]  # type: ignore[misc]
    assert set(warning) == {
        "code", "severity", "message", "path", "line", "col", "end_line", "end_col", "fix"
    }  # fmt: skip


def test_nothing_is_written(repo_factory: Callable[..., Path], check_json: Run) -> None:
    repo = repo_factory()
    (repo / COPY).unlink()  # a missing copy stays missing
    before = tree_digest(repo)
    check_json(repo)
    check_json(repo, "--check")
    assert tree_digest(repo) == before


# -- status: the series and the copies ---------------------------------------------------------


def test_a_copy_not_written_is_a_warning_and_an_error_with_check(
    repo_factory: Callable[..., Path], check_json: Run
) -> None:
    repo = repo_factory()
    (repo / COPY).unlink()
    code, doc = check_json(repo)
    assert code == 0
    assert ("PKP003", COPY, 1, 1) in diags(doc, "warning")
    code, doc = check_json(repo, "--check")
    assert code == 1 and doc["strict"] is True
    assert diags(doc, "error") == [("PKP003", COPY, 1, 1)]


def test_a_stale_copy_names_its_first_differing_line_and_the_pending_patches(
    repo_factory: Callable[..., Path], check_json: Run
) -> None:
    repo = repo_factory()
    copy = repo / COPY
    lines = copy.read_text(encoding="utf-8").splitlines(keepends=True)
    # the copy as it was before the per-arch id patch: line 15 is ARG TARGETARCH
    assert lines[14] == "ARG TARGETARCH\n"
    del lines[14]
    lines[16] = lines[16].replace(",id=vllm-cpu-deps-${TARGETARCH}", "")
    copy.write_text("".join(lines), encoding="utf-8")
    code, doc = check_json(repo)
    assert code == 1
    assert diags(doc, "error") == [("PKP002", COPY, 15, 1)]
    (stale,) = [d for d in doc["diagnostics"] if d["code"] == "PKP002"]  # type: ignore[union-attr]
    assert "pending on it: deps-cache-per-arch" in stale["message"]  # type: ignore[index]


def test_a_file_upstream_removed_drifts_every_patch_at_its_files_entry(
    repo_factory: Callable[..., Path], check_json: Run
) -> None:
    repo = repo_factory()
    (repo / "vllm/docker/Dockerfile.cpu").unlink()
    code, doc = check_json(repo)
    assert code == 1
    assert diags(doc, "error") == [
        ("PKP001", "patches/10-deps-cache-per-arch.yaml", 7, 9),
        ("PKP001", "patches/20-scm-pretend-version.yaml", 8, 9),
        ("PKP001", "patches/30-commit-in-key.yaml", 7, 9),
    ]


def test_a_patch_upstream_made_redundant_is_a_warning(
    repo_factory: Callable[..., Path], check_json: Run
) -> None:
    repo = repo_factory()
    dockerfile = repo / "vllm/docker/Dockerfile.cpu"
    text = dockerfile.read_text(encoding="utf-8")
    text = text.replace(
        "FROM base AS vllm-build\n", "FROM base AS vllm-build\nARG TARGETARCH\n"
    ).replace("target=/workspace/.deps \\", "target=/workspace/.deps,id=deps-${TARGETARCH} \\")
    dockerfile.write_text(text, encoding="utf-8")
    (repo / COPY).unlink()
    code, doc = check_json(repo)
    assert code == 0
    assert ("PKP004", "patches/10-deps-cache-per-arch.yaml", 1, 5) in diags(doc, "warning")


def test_a_bad_patch_file_stops_its_area_only(
    repo_factory: Callable[..., Path], check_json: Run
) -> None:
    repo = repo_factory()
    (repo / "patches/20-scm-pretend-version.yaml").write_text(
        "id: scm-pretend-version\nsummary: [unclosed\n", encoding="utf-8"
    )
    code, doc = check_json(repo)
    assert code == 2
    assert areas(doc) == {"build": "ok", "manifest": "ok", "scm": "ok", "status": "error", "lint": "ok"}
    (error,) = diags(doc, "error")
    assert error[:2] == ("PKC001", "patches/20-scm-pretend-version.yaml")


# -- the upstream version ------------------------------------------------------------------------


def test_the_flag_wins_and_says_so(repo_factory: Callable[..., Path], check_json: Run) -> None:
    repo = repo_factory()
    code, doc = check_json(repo, "--upstream-version", "0.21.1")
    assert doc["upstream_version"] == "0.21.1"
    assert doc["upstream_version_source"] == "--upstream-version"
    # the manifests still say 0.21.1rc0: the current version and both image-tag constants disagree
    assert code == 1
    assert [d[:2] for d in diags(doc, "error")] == [
        ("PKM003", ".github/workflows/build.yml"),
        ("PKM003", "startos/utils.ts"),
        ("PKM006", "startos/versions/v_0_21_1_rc0_0.ts"),
    ]


def test_the_version_from_git_describe(repo_factory: Callable[..., Path], check_json: Run) -> None:
    repo = repo_factory()
    pyproject = repo / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8").replace('upstream_version = "0.21.1rc0"\n', ""),
        encoding="utf-8",
    )
    upstream = repo / "vllm"
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "v"], ["tag", "v0.21.1rc0"]):
        subprocess.run([*git, *args], cwd=upstream, check=True, capture_output=True)
    code, doc = check_json(repo)
    assert code == 0, doc
    assert doc["upstream_version"] == "0.21.1rc0"
    assert str(doc["upstream_version_source"]).startswith("git describe")


def test_no_upstream_folder_is_exit_2(
    repo_factory: Callable[..., Path], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    from patchkit.cli.main import main

    monkeypatch.chdir(repo_factory())
    assert main(["check", "--format", "json", "--upstream", "missing"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "the upstream tree missing does not exist" in captured.err
    assert "git submodule update --init" in captured.err


def test_an_unknown_config_key_is_exit_2_with_its_place(
    repo_factory: Callable[..., Path], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    from patchkit.cli.main import main

    repo = repo_factory()
    pyproject = repo / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8").replace("builder =", "buidler ="), encoding="utf-8"
    )
    monkeypatch.chdir(repo)
    assert main(["check"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "pyproject.toml:13:1: unknown key 'buidler' in [tool.patchkit]" in captured.err
    assert "did you mean 'builder'?" in captured.err


# -- build files -------------------------------------------------------------------------------


def test_build_files_are_linted_and_checked(
    repo_factory: Callable[..., Path], check_json: Run
) -> None:
    repo = repo_factory()
    (repo / "Dockerfile").write_text(
        "FROM python:3.12 AS app\n"
        "RUN --mount=type=cache,target=/app/node_modules npm ci\n"
        "ENV SETUPTOOLS_SCM_PRETEND_VERSION_FOR_VLLM=0.21.1rc0\n",
        encoding="utf-8",
    )
    (repo / "NOTES.md").write_text("notes\n", encoding="utf-8")
    code, doc = check_json(repo, "--build-file", "Dockerfile,NOTES.md,build.sh,missing/*.sh")
    assert code == 1
    assert diags(doc, "error") == [("PKD001", "Dockerfile", 2, 5), ("PKS001", "Dockerfile", 3, 5)]
    assert ("PKC003", "NOTES.md", 1, 1) in diags(doc, "warning")
    # the entry came from the command line, not from pyproject.toml (issue 18 item 5)
    assert ("PKC002", "--build-file", 1, 1) in diags(doc, "warning")


def test_a_build_files_entry_that_matches_nothing_points_at_the_entry(
    repo_factory: Callable[..., Path], check_json: Run
) -> None:
    repo = repo_factory()
    pyproject = repo / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8").replace('"build.sh", ', '"biuld.sh", '),
        encoding="utf-8",
    )
    code, doc = check_json(repo)
    assert code == 0
    assert ("PKC002", "pyproject.toml", 16, 16) in diags(doc, "warning")


# -- where paths are shown from ---------------------------------------------------------------


def test_paths_read_from_the_current_folder(
    repo_factory: Callable[..., Path], check_json: Run
) -> None:
    repo = repo_factory("image-tag")
    code, doc = check_json(repo.parent, "repo")
    assert code == 1
    assert diags(doc, "error") == [("PKM003", "repo/startos/utils.ts", 2, 30)]


def test_python_dash_m_patchkit(
    repo_factory: Callable[..., Path], cli: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    repo = repo_factory("migration-newer")
    done = cli("check", "--quiet", cwd=repo)
    assert done.returncode == 1
    assert done.stdout.startswith("startos/versions/v_0_21_1_rc0_0.ts:10:8: PKM002 ")
    assert json.loads(cli("check", "--format", "json", cwd=repo).stdout)["exit_code"] == 1


def test_a_malformed_build_file_stops_the_areas_that_read_it(
    repo_factory: Callable[..., Path], check_json: Run
) -> None:
    repo = repo_factory()
    (repo / ".github/workflows/build.yml").write_text("jobs: [unclosed\n", encoding="utf-8")
    code, doc = check_json(repo)
    assert code == 2
    # the workflow is both a manifest and a build file
    assert areas(doc) == {"build": "ok", "manifest": "error", "scm": "error", "status": "ok", "lint": "ok"}
    assert {d[:2] for d in diags(doc, "error")} == {("PKC001", ".github/workflows/build.yml")}


def test_scm_is_skipped_for_an_upstream_that_is_no_python_project(
    repo_factory: Callable[..., Path], check_json: Run
) -> None:
    repo = repo_factory()
    (repo / "vllm/setup.py").unlink()
    (repo / "vllm/pyproject.toml").unlink()
    code, doc = check_json(repo)
    assert code == 0
    assert areas(doc)["scm"] == "skipped"
    assert diags(doc) == []


def test_an_unknown_lint_code_stops_the_lint_area(
    repo_factory: Callable[..., Path], check_json: Run
) -> None:
    code, doc = check_json(repo_factory(), "--select", "PKD999")
    assert code == 2
    assert areas(doc)["lint"] == "error"


def test_the_lint_table_decides_lints_platforms_and_builder(
    repo_factory: Callable[..., Path], check_json: Run
) -> None:
    repo = repo_factory()
    with (repo / "pyproject.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[tool.patchkit.lint]\nbuilder = "buildah"\nplatforms = ["linux/amd64"]\n')
    code, doc = check_json(repo)
    (lint,) = [a for a in doc["areas"] if a["name"] == "lint"]  # type: ignore[union-attr,index]
    assert "for linux/amd64 on buildah" in lint["summary"]  # type: ignore[index]
    # buildah leaves the wheel's bind mount (line 23 of the copy, 19 upstream) out of the
    # consumer's cache key; the finding is reported on the upstream line (issue 20)
    assert code == 1
    assert diags(doc, "error") == [("PKD002", "vllm/docker/Dockerfile.cpu", 19, 5)]


def test_a_build_file_that_is_a_patched_copy_is_read_once_from_memory(
    repo_factory: Callable[..., Path], check_json: Run
) -> None:
    repo = repo_factory()
    (repo / COPY).write_text("FROM scratch\n", encoding="utf-8")  # stale on disk
    code, doc = check_json(repo, "--build-file", COPY)
    # the copy on disk is out of date (PKP002); scm and lint judge the series' text once
    # (build.sh passes VLLM_VERSION, so its ARG without default raises no PKS007)
    assert code == 1
    assert diags(doc) == [("PKP002", COPY, 1, 1)]


def test_an_empty_folder_is_bad_input_not_a_green_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A CI working-directory typo used to pass: every area 'ok' or 'skipped', exit 0."""
    from patchkit.cli.main import main

    (tmp_path / ".git").mkdir()
    (tmp_path / "README.md").write_text("not a package\n")
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 2
    assert "nothing to check in " in capsys.readouterr().err
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\n")
    assert main(["check"]) == 0  # one Dockerfile is something to lint
