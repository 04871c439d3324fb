"""Authoring that starts green (issue 20, part 3): `new` from the real upstream tree, `test`
that explains, refuses placeholders, updates `after:` blocks and reports JUnit / JSON, and
`apply --diff --patch ID`."""

from __future__ import annotations

import json
import shutil
import xml.dom.minidom
from pathlib import Path

import pytest

from patchkit.cli.main import main
from patchkit.transforms import TRANSFORMS

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the bundled example, as the working folder."""
    dest = tmp_path / "examples"
    shutil.copytree(ROOT / "examples", dest, ignore=shutil.ignore_patterns(".dockerfiles"))
    monkeypatch.chdir(dest)
    return dest


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("kind", [t.kind for t in TRANSFORMS])
def test_new_on_the_bundled_example_is_pending_and_its_test_passes(
    example: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "new", f"my-{kind}", "--kind", kind)
    assert code == 0, err
    path = example / "patches" / f"my-{kind}.yaml"  # the configured patches folder
    assert out.startswith(f"created patches/my-{kind}.yaml: {kind} on docker/Dockerfile.cpu")
    text = path.read_text(encoding="utf-8")
    assert 'upstream: ">=0.33.0"' in text and 'files: ["docker/Dockerfile.cpu"]' in text
    from patchkit.series import load_patch, placeholders

    assert not placeholders(load_patch(path))
    code, out, err = run(capsys, "status")
    assert code == 0, err
    row = next(line for line in out.splitlines() if line.startswith(f"my-{kind} "))
    assert row.split()[:3] == [f"my-{kind}", "docker/Dockerfile.cpu", "pending"]
    code, out, _ = run(capsys, "test")
    assert code == 0, out
    assert (
        f"ok    my-{kind} example 1 (cut from docker/Dockerfile.cpu at 0.33.0): before -> after"
        in out
    )
    # its example is cut from the real file: every 'before' line is a line of it
    upstream = (example / "upstream/docker/Dockerfile.cpu").read_text(encoding="utf-8")
    before = load_patch(path).examples[0].before
    assert all(line in upstream.splitlines() for line in before.splitlines() if line)
    # the patched copies still apply with it
    code, _, err = run(capsys, "apply")
    assert code == 0, err


def test_new_help_lists_every_kind(capsys: pytest.CaptureFixture[str]) -> None:
    from patchkit.cli.commands.new import KINDS

    assert ", ".join(t.kind for t in TRANSFORMS) == KINDS
    assert main(["new", "--help"]) == 0
    out = capsys.readouterr().out
    assert "kinds: cache-mount-id, scm-pretend-version" in out
    assert "--file PATH" in out and "--stage STAGE" in out


def test_new_file_and_stage(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        "new",
        "uv-cache",
        "--kind",
        "cache-mount-id",
        "--stage",
        "vllm-build",
        "--file",
        "docker/Dockerfile.cpu",
    )
    assert code == 0, err
    assert "stage vllm-build" in out
    text = (example / "patches/uv-cache.yaml").read_text(encoding="utf-8")
    assert 'target: "/root/.cache/uv"' in text and 'stages: ["vllm-build"]' in text
    code, _, err = run(capsys, "new", "x", "--kind", "insert", "--stage", "nope")
    assert code == 2
    assert "--stage 'nope'" in err and "stages: base-common, base, rust-build-cache" in err
    code, _, err = run(capsys, "new", "x", "--kind", "insert", "--file", "docker/Dockerfile")
    assert code == 2 and "Dockerfiles there: docker/Dockerfile.cpu" in err
    code, _, err = run(capsys, "new", "x", "--kind", "bind-mount-cache-key", "--stage", "base")
    assert code == 2 and "nothing in docker/Dockerfile.cpu stage 'base'" in err
    assert not (example / "patches/x.yaml").exists()


def test_new_refuses_an_id_the_series_uses(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (example / "patches/cpu-wheel-checksum.yaml").rename(example / "patches/other-name.yaml")
    code, _, err = run(capsys, "new", "cpu-wheel-checksum", "--kind", "insert")
    assert code == 2 and "already used by patches/other-name.yaml" in err


def test_new_without_an_upstream_tree_is_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()  # the repository root: configuration is not looked for above
    code, _, err = run(capsys, "new", "x", "--kind", "insert")
    assert code == 2 and "pass --upstream DIR" in err
    assert not list(tmp_path.glob("patches/*"))


PLACEHOLDER = """\
id: with-todo
summary: TODO say what it changes
why: >
  FIXME
files: [docker/Dockerfile.cpu]
transform:
  kind: cache-key-arg
  name: APP_COMMIT
  run: bdist_wheel
"""


def test_test_fails_on_placeholder_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "p.yaml").write_text(PLACEHOLDER, encoding="utf-8")
    code, out, _ = run(capsys, "test", "--patches", str(tmp_path))
    assert code == 1
    assert "FAIL  with-todo: placeholder text" in out
    assert f"{tmp_path}/p.yaml:2:10: summary: placeholder text 'TODO' left in the patch" in out
    assert f"{tmp_path}/p.yaml:4:3: why: placeholder text 'FIXME' left in the patch" in out
    assert out.rstrip().endswith("1 checks, 1 failed, 1 patch(es)")


FAILING = (ROOT / "tests/engine/fixtures/authoring/commit-key.yaml").read_text(encoding="utf-8")


def test_test_explains_a_failing_example(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "p.yaml").write_text(FAILING, encoding="utf-8")
    code, out, _ = run(capsys, "test", "--patches", str(tmp_path))
    assert code == 1
    assert "FAIL  commit-key example 1 (wrong arg name): before -> after" in out
    assert "      -ARG WRONG_NAME\n      +ARG APP_COMMIT" in out
    assert "      expected: pending (the example names it)" in out
    assert (
        "      found:    pending, because declare 'ARG APP_COMMIT' before the RUN at line 2" in out
    )
    assert "FAIL  commit-key example 2 (a RUN the anchor does not match): before -> after" in out
    assert "      expected: pending ('before' and 'after' differ)" in out
    assert "      found:    drifted, because no RUN matching /bdist_wheel/" in out
    assert "ok    commit-key example 3 (right): before -> after" in out
    assert "(patchkit test --update rewrites failing 'after' blocks from the transform)" in out


def test_test_update_rewrites_only_the_failing_after_blocks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(FAILING, encoding="utf-8")
    code, out, err = run(capsys, "test", "--patches", str(tmp_path), "--update")
    assert code == 1  # the drifted example is not written down as expected
    assert f"updated: {path}: 'after' of example(s) 1" in err
    assert "not updated: commit-key example 2: the transform says drifted" in err
    assert "ok    commit-key example 1 (wrong arg name): before -> after" in out
    new = path.read_text(encoding="utf-8")
    # byte-local: only the one line of the first 'after' block changed
    assert new == FAILING.replace("      ARG WRONG_NAME\n", "      ARG APP_COMMIT\n", 1)
    # a second run changes nothing
    code, _, err = run(capsys, "test", "--patches", str(tmp_path), "--update")
    assert path.read_text(encoding="utf-8") == new and "\nupdated:" not in "\n" + err
    assert not [p for p in tmp_path.iterdir() if p.name != "p.yaml"]  # no temporary file


def test_test_update_all_files_or_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from patchkit import _fs
    from patchkit.errors import WriteError

    for name in ("a", "b"):
        (tmp_path / f"{name}.yaml").write_text(
            FAILING.replace("id: commit-key", f"id: {name}"), encoding="utf-8"
        )
    real = _fs.StagedWrite.commit
    calls = []

    def failing_second(self: _fs.StagedWrite) -> None:
        calls.append(self.path)
        if len(calls) == 2:
            raise WriteError(f"{self.path}: disk full")
        real(self)

    monkeypatch.setattr(_fs.StagedWrite, "commit", failing_second)
    code, _, err = run(capsys, "test", "--patches", str(tmp_path), "--update")
    assert code == 2 and "disk full" in err
    assert not [p for p in tmp_path.iterdir() if p.suffix != ".yaml"]


def test_test_json_and_junit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "p.yaml").write_text(FAILING, encoding="utf-8")
    report = tmp_path / "out" / "junit.xml"
    report.parent.mkdir()
    code, out, _ = run(capsys, "test", "--patches", str(tmp_path), "--format", "json")
    assert code == 1
    doc = json.loads(out)
    assert doc["schema"] == "patchkit/test/v1"
    assert (doc["checks"], doc["failed"], doc["patches"]) == (6, 3, 1)
    first = doc["results"][0]
    assert first["ok"] is False and first["found"] == "pending" and first["example"] == 1
    assert first["expected"] == "pending (the example names it)" and first["line"] == 11
    code, out, _ = run(
        capsys,
        "test",
        "--patches",
        str(tmp_path),
        "--format",
        "junit",
        "--output-file",
        str(report),
    )
    assert (code, out) == (1, "")
    dom = xml.dom.minidom.parse(str(report))
    suite = dom.getElementsByTagName("testsuite")[0]
    assert suite.getAttribute("tests") == "6" and suite.getAttribute("failures") == "3"
    cases = dom.getElementsByTagName("testcase")
    assert len(cases) == 6 and len(dom.getElementsByTagName("failure")) == 3
    code, out, _ = run(capsys, "test", "--patches", str(tmp_path), "--format", "junit")
    assert out == report.read_text(encoding="utf-8")


def test_apply_diff_patch_shows_one_patch_alone(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "apply", "--diff", "--patch", "cpu-rust-scm-pretend-version")
    assert code == 1
    assert out.splitlines()[:2] == [
        "--- upstream/docker/Dockerfile.cpu",
        "+++ .dockerfiles/docker/Dockerfile.cpu (cpu-rust-scm-pretend-version alone)",
    ]
    added = [
        line for line in out.splitlines() if line.startswith("+") and not line.startswith("+++")
    ]
    assert added == ["+ARG VLLM_VERSION", "+ENV SETUPTOOLS_SCM_PRETEND_VERSION=${VLLM_VERSION}"]
    assert "cpu-rust-scm-pretend-version on docker/Dockerfile.cpu: pending" in err
    assert not (example / ".dockerfiles").exists()
    code, out, _ = run(capsys, "apply", "--diff", "--patch", "cpu-deps-cache-per-arch-0.9")
    assert (code, out) == (0, "")
    code, _, err = run(capsys, "apply", "--patch", "cpu-wheel-checksum")
    assert code == 2 and "use it with --diff" in err
    code, _, err = run(capsys, "apply", "--diff", "--patch", "nope")
    assert code == 2 and "no patch 'nope'" in err


def test_new_with_a_300_character_name_is_exit_2(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "new", "a" * 300, "--kind", "insert")
    assert code == 2 and "use at most 100" in err and "Traceback" not in err
    assert not [p for p in (example / "patches").iterdir() if p.name.startswith("aaa")]


def test_new_never_reads_a_file_outside_the_upstream_tree(
    example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "secret.Dockerfile"
    outside.write_text("FROM scratch\nRUN --mount=type=cache,target=/x make\n", encoding="utf-8")
    (example / "upstream/docker/Dockerfile.evil").symlink_to(outside)
    code, _, err = run(
        capsys, "new", "x", "--kind", "cache-mount-id", "--file", "docker/Dockerfile.evil"
    )
    assert code == 2 and "outside the upstream tree" in err
    # the default choice does not count the link either: the tree's only Dockerfile is taken
    code, out, err = run(capsys, "new", "x", "--kind", "cache-mount-id")
    assert code == 0, err
    assert "on docker/Dockerfile.cpu" in out


def test_new_that_cannot_write_leaves_no_folder_of_its_own(
    example: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from patchkit import _fs
    from patchkit.errors import WriteError

    def refuse(self: _fs.StagedWrite) -> None:
        raise WriteError(f"{self.path}: disk full")

    monkeypatch.setattr(_fs.StagedWrite, "commit", refuse)
    code, _, err = run(capsys, "new", "x", "--kind", "insert", "--patches", "new/deeper")
    assert code == 2 and "disk full" in err
    assert not (example / "new").exists()
