"""Whole-series runs on a small upstream tree: states, output, conflicts, idempotence, writes."""

from __future__ import annotations

import json
import os
import shutil
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar

import pytest

from patchkit import engine
from patchkit.errors import InternalError, SourceError, UsageError, WriteError
from patchkit.series import Series, load_series, parse_patch
from patchkit.states import PatchState
from patchkit.transforms import TRANSFORMS
from patchkit.transforms.base import Analysis, Param, Scaffold, Transform

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOOD = FIXTURES / "series" / "good"
CPU = "docker/Dockerfile.cpu"


def _version(text: str) -> engine.UpstreamVersion:
    return engine.resolve_upstream_version(".", text)


def _series(tmp_path: Path, *patches: str) -> Path:
    folder = tmp_path / "patches"
    folder.mkdir(exist_ok=True)
    for i, text in enumerate(patches):
        (folder / f"{i:02d}.yaml").write_text(text, encoding="utf-8")
    return folder


def _patch(pid: str, transform: str, files: str = f"[{CPU}]", upstream: str = "") -> str:
    body = "".join(f"  {line}\n" for line in transform.strip().splitlines())
    return (
        f"id: {pid}\nsummary: s\nwhy: w\nupstream: '{upstream}'\nfiles: {files}\ntransform:\n{body}"
    )


def _apply_to(out: Path, cli, upstream: Path, patches: Path):  # type: ignore[no-untyped-def]
    """`patchkit apply` of ``patches`` at upstream version 1, writing copies to ``out``."""
    return cli(
        "apply",
        *("--upstream", str(upstream), "--upstream-version", "1"),
        *("--patches", str(patches), "--out", str(out)),
    )


# -- states -----------------------------------------------------------------------


def test_status_reports_one_state_per_patch_and_file(upstream: Path) -> None:
    states = engine.status(load_series(GOOD), upstream, _version("0.10.1"))
    got = [(s.patch, s.file, s.state) for s in states]
    assert got == [
        ("deps-cache-per-arch", CPU, PatchState.PENDING),
        ("wheel-version", CPU, PatchState.PENDING),
        ("commit-in-key", CPU, PatchState.PENDING),
        ("old-only", CPU, PatchState.SKIPPED),
    ]
    skipped = states[-1]
    assert "0.10.1" in skipped.message and "<0.5" in skipped.message


def test_version_outside_range_is_skipped(upstream: Path) -> None:
    states = {
        s.patch: s.state for s in engine.status(load_series(GOOD), upstream, _version("0.9.2"))
    }
    assert states["deps-cache-per-arch"] is PatchState.SKIPPED  # >=0.10
    assert states["commit-in-key"] is PatchState.PENDING  # >=0.9,<2


def test_prerelease_counts_for_selection(upstream: Path) -> None:
    states = {
        s.patch: s.state for s in engine.status(load_series(GOOD), upstream, _version("0.11.0rc1"))
    }
    assert states["deps-cache-per-arch"] is PatchState.PENDING


def test_status_json_shape_through_the_cli(cli, upstream: Path) -> None:  # type: ignore[no-untyped-def]
    done = cli(
        "status",
        "--upstream",
        str(upstream),
        "--upstream-version",
        "0.10.1",
        "--patches",
        str(GOOD),
        "--format",
        "json",
    )
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["schema"] == "patchkit/status/v1"
    assert doc["upstream_version"] == "0.10.1"
    assert [r["state"] for r in doc["results"]] == ["pending", "pending", "pending", "skipped"]
    assert set(doc["results"][0]) >= {"patch", "file", "state", "message"}


def test_missing_file_is_drifted_and_blocks_apply(cli, upstream: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    patches = _series(
        tmp_path,
        _patch("gone", "kind: cache-key-arg\nname: X\nrun: bdist", files="[docker/Dockerfile.old]"),
    )
    done = cli(
        "status", "--upstream", str(upstream), "--upstream-version", "1", "--patches", str(patches)
    )
    assert done.returncode == 1
    assert "drifted" in done.stdout and "docker/Dockerfile.old" in done.stdout
    out = tmp_path / "out"
    done = _apply_to(out, cli, upstream, patches)
    assert done.returncode == 1
    assert "nothing written" in done.stderr and "patchkit rule PKP001" in done.stderr
    assert not out.exists()


# -- apply -----------------------------------------------------------------------


def test_apply_writes_the_expected_copy_and_leaves_upstream_pristine(
    cli,
    upstream: Path,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    before = (upstream / CPU).read_bytes()
    out = tmp_path / ".dockerfiles"
    args = (
        "apply",
        "--upstream",
        str(upstream),
        "--upstream-version",
        "0.10.1",
        "--patches",
        str(GOOD),
        "--out",
        str(out),
    )
    done = cli(*args)
    assert done.returncode == 0, done.stderr
    assert f"wrote {out / CPU}" in done.stdout
    expected = (FIXTURES / "expected" / "0.10.1" / CPU).read_bytes()
    assert (out / CPU).read_bytes() == expected
    assert (upstream / CPU).read_bytes() == before
    # a second run has nothing to do and rewrites nothing
    mtime = (out / CPU).stat().st_mtime_ns
    again = cli(*args)
    assert again.returncode == 0 and "up to date" in again.stdout
    assert (out / CPU).stat().st_mtime_ns == mtime


def test_check_and_diff_write_nothing(cli, upstream: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    sel = (
        "--upstream",
        str(upstream),
        "--upstream-version",
        "0.10.1",
        "--patches",
        str(GOOD),
        "--out",
        str(out),
    )
    check = cli("apply", *sel, "--check")
    assert check.returncode == 1 and "out of date" in check.stderr
    diff = cli("apply", *sel, "--diff")
    assert diff.returncode == 1
    assert "+ARG APP_COMMIT" in diff.stdout
    assert (
        "+    --mount=type=cache,target=/app-workspace/.deps,sharing=locked,"
        "id=deps-${TARGETARCH} \\" in diff.stdout
    )
    assert not out.exists()
    assert cli("apply", *sel).returncode == 0
    assert cli("apply", *sel, "--check").returncode == 0


def test_in_place_patches_upstream_and_keeps_mode(cli, upstream: Path) -> None:  # type: ignore[no-untyped-def]
    os.chmod(upstream / CPU, 0o755)
    sel = ("--upstream", str(upstream), "--upstream-version", "0.10.1", "--patches", str(GOOD))
    assert cli("apply", *sel, "--in-place").returncode == 0
    assert (upstream / CPU).read_bytes() == (FIXTURES / "expected" / "0.10.1" / CPU).read_bytes()
    assert stat.S_IMODE((upstream / CPU).stat().st_mode) == 0o755
    doc = json.loads(cli("status", *sel, "--format", "json").stdout)
    assert [r["state"] for r in doc["results"]] == ["applied", "applied", "applied", "skipped"]


def test_output_copy_keeps_the_upstream_mode(upstream: Path, tmp_path: Path) -> None:
    os.chmod(upstream / CPU, 0o640)
    plan = engine.plan(load_series(GOOD), upstream, _version("0.10.1"), out=tmp_path / "o")
    engine.write_plan(plan)
    assert stat.S_IMODE((tmp_path / "o" / CPU).stat().st_mode) == 0o640


def test_globs_select_files(upstream: Path, tmp_path: Path) -> None:
    shutil.copy(upstream / CPU, upstream / "docker" / "Dockerfile.arm")
    patches = _series(
        tmp_path,
        _patch("g", "kind: cache-key-arg\nname: X\nrun: bdist", files="['docker/Dockerfile.*']"),
    )
    states = engine.status(load_series(patches), upstream, _version("1"))
    assert [s.file for s in states] == ["docker/Dockerfile.arm", CPU]


def test_a_file_named_twice_by_one_patch_counts_once(upstream: Path, tmp_path: Path) -> None:
    patches = _series(
        tmp_path,
        _patch(
            "twice",
            "kind: cache-key-arg\nname: X\nrun: bdist",
            files=f"[{CPU}, 'docker/*.cpu']",
        ),
    )
    for version in ("1", "0"):
        states = engine.status(load_series(patches), upstream, _version(version))
        assert [s.file for s in states] == [CPU]
    patches = _series(
        tmp_path,
        _patch(
            "twice",
            "kind: cache-key-arg\nname: X\nrun: bdist",
            files=f"[{CPU}, 'docker/*.cpu']",
            upstream=">=1",
        ),
    )
    assert len(engine.status(load_series(patches), upstream, _version("0.5"))) == 1


def test_out_folder_inside_upstream_is_refused(upstream: Path) -> None:
    with pytest.raises(UsageError, match="stays pristine"):
        engine.plan(load_series(GOOD), upstream, _version("0.10.1"), out=upstream / ".dockerfiles")


def test_no_upstream_is_a_usage_error(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    done = cli("status", "--patches", str(GOOD))
    assert done.returncode == 2 and "--upstream DIR" in done.stderr


def test_plain_folder_without_version_is_exit_2_saying_how(cli, upstream: Path) -> None:  # type: ignore[no-untyped-def]
    done = cli("status", "--upstream", str(upstream), "--patches", str(GOOD))
    assert done.returncode == 2
    assert "--upstream-version" in done.stderr and "Traceback" not in done.stderr


# -- series interactions ----------------------------------------------------------------


def test_two_patches_on_one_span_is_an_error_before_writing(
    cli,
    upstream: Path,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    patches = _series(
        tmp_path,
        _patch("one", "kind: cache-mount-id\ntarget: /app-workspace/.deps\nid: 'a-${TARGETARCH}'"),
        _patch("two", "kind: cache-mount-id\ntarget: /app-workspace/.deps\nid: 'b-${TARGETARCH}'"),
    )
    out = tmp_path / "out"
    done = _apply_to(out, cli, upstream, patches)
    assert done.returncode == 2, done.stderr
    assert "patches 'one' and 'two' both edit this span" in done.stderr
    assert f"{CPU}:" in done.stderr and "Traceback" not in done.stderr
    assert not out.exists()


def test_identical_edits_from_two_patches_merge(upstream: Path, tmp_path: Path) -> None:
    # both declare ARG TARGETARCH right before the same RUN: one line, not two
    patches = _series(
        tmp_path,
        _patch(
            "arch",
            "kind: cache-mount-id\ntarget: /root/.cache/uv\nstages: [app-test]\n"
            "id: 'uv-${TARGETARCH}'",
        ),
        _patch(
            "key", "kind: cache-key-arg\nname: TARGETARCH\nstage: app-test\nrun: uv pip install"
        ),
    )
    text = (
        "FROM ubuntu:22.04 AS app-test\n"
        "RUN --mount=type=cache,target=/root/.cache/uv uv pip install x\n"
    )
    result = engine.apply_to_text(text, load_series(patches).patches, path=CPU)
    assert result.text == (
        "FROM ubuntu:22.04 AS app-test\nARG TARGETARCH\n"
        "RUN --mount=type=cache,target=/root/.cache/uv,id=uv-${TARGETARCH} uv pip install x\n"
    )
    assert [s.state for _, s in result.states] == [PatchState.PENDING, PatchState.PENDING]


def test_insertions_at_one_point_keep_series_order(upstream: Path, tmp_path: Path) -> None:
    patches = _series(
        tmp_path,
        _patch(
            "b", "kind: cache-key-arg\nname: SECOND_IN_NAME_ORDER\nstage: app-test\nrun: uv pip"
        ),
        _patch("a", "kind: cache-key-arg\nname: FIRST_IN_NAME_ORDER\nstage: app-test\nrun: uv pip"),
    )
    text = (upstream / CPU).read_text(encoding="utf-8")
    out = engine.apply_to_text(text, load_series(patches).patches, path=CPU).text
    assert "ARG SECOND_IN_NAME_ORDER\nARG FIRST_IN_NAME_ORDER\nRUN" in out  # 00.yaml, then 01.yaml


class _Appends(Transform):
    """A broken transform: it appends ``line`` to the file (``once``: unless it is there)."""

    kind: ClassVar[str]
    line: ClassVar[str]
    once: ClassVar[bool]
    summary: ClassVar[str] = "broken on purpose"
    doc: ClassVar[str] = ""
    params: ClassVar[tuple[Param, ...]] = ()
    scaffold: ClassVar[Scaffold] = Scaffold({}, "", "")

    @classmethod
    def from_params(cls, params: Mapping[str, object]) -> _Appends:
        return cls()

    def analyze(self, tree):  # type: ignore[no-untyped-def]
        from patchkit.dockerfile.edit import Edit

        if self.once and self.line in tree.text:
            return Analysis(PatchState.APPLIED, "done", ())
        end = len(tree.text)
        return Analysis(PatchState.PENDING, "more", (Edit(end, end, self.line),))


class _Greedy(_Appends):
    """It always wants to append one more line: not idempotent."""

    kind = "greedy"
    line = "LABEL more=1\n"
    once = False


def test_a_patch_that_is_not_idempotent_is_an_internal_error_naming_it(tmp_path: Path) -> None:
    patch = parse_patch(
        _patch("greedy-one", "kind: greedy"), "g.yaml", registry=(*TRANSFORMS, _Greedy)
    )
    with pytest.raises(InternalError) as info:
        engine.apply_to_text("FROM scratch\n", [patch], path="Dockerfile")
    assert "greedy-one" in str(info.value) and "not idempotent" in str(info.value)
    assert info.value.exit_code == 3


def test_a_symlink_out_of_the_tree_is_refused_at_its_files_entry(
    cli,
    upstream: Path,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "Dockerfile").write_text("FROM scratch\nRUN setup.py bdist\n", encoding="utf-8")
    os.symlink(outside / "Dockerfile", upstream / "docker" / "Dockerfile.link")
    patches = _series(
        tmp_path,
        _patch(
            "link", "kind: cache-key-arg\nname: X\nrun: bdist", files="[docker/Dockerfile.link]"
        ),
    )
    out = tmp_path / "out"
    done = _apply_to(out, cli, upstream, patches)
    assert done.returncode == 2, done.stderr
    assert "00.yaml:5:9: files[0]: 'docker/Dockerfile.link' resolves to" in done.stderr
    assert "outside the upstream tree" in done.stderr
    assert not out.exists()
    assert (outside / "Dockerfile").read_text(
        encoding="utf-8"
    ) == "FROM scratch\nRUN setup.py bdist\n"


def test_symlinked_folder_out_of_the_tree_is_refused_for_globs(
    upstream: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "Dockerfile.x").write_text("FROM scratch\n", encoding="utf-8")
    os.symlink(outside, upstream / "linked")
    patches = _series(
        tmp_path,
        _patch("glob", "kind: cache-key-arg\nname: X\nrun: bdist", files="['linked/Dockerfile.*']"),
    )
    with pytest.raises(SourceError, match="outside the upstream tree"):
        engine.status(load_series(patches), upstream, _version("1"))


# -- atomic writes ---------------------------------------------------------------------


def _two_file_tree(upstream: Path, tmp_path: Path) -> Series:
    shutil.copy(upstream / CPU, upstream / "docker" / "Dockerfile.arm")
    patches = _series(
        tmp_path,
        _patch("k", "kind: cache-key-arg\nname: X\nrun: bdist", files="['docker/Dockerfile.*']"),
    )
    return load_series(patches)


def test_failure_between_writes_leaves_each_target_fully_old_or_new(
    upstream: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    series = _two_file_tree(upstream, tmp_path)
    out = tmp_path / "out"
    old = "FROM scratch\n# an older patched copy\n"
    for rel in ("docker/Dockerfile.arm", CPU):
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(old, encoding="utf-8")
    plan = engine.plan(series, upstream, _version("1"), out=out)
    real = engine.stage_write
    calls: list[Path] = []

    def flaky(path, text, **kw):  # type: ignore[no-untyped-def]
        calls.append(Path(path))
        if len(calls) == 2:
            raise WriteError(f"{path}: injected failure")
        return real(path, text, **kw)

    monkeypatch.setattr(engine, "stage_write", flaky)
    with pytest.raises(WriteError, match="injected"):
        engine.write_plan(plan)
    # every file is staged before any is renamed: a failure leaves all of them old
    assert len(calls) == 2
    for target in calls:
        assert target.read_text(encoding="utf-8") == old
    assert not [p for p in out.rglob("*") if p.name.endswith(".patchkit-tmp")]


def test_target_changed_after_planning_is_not_overwritten(upstream: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    plan = engine.plan(load_series(GOOD), upstream, _version("0.10.1"), out=out)
    (out / CPU).parent.mkdir(parents=True)
    (out / CPU).write_text("someone else's\n", encoding="utf-8")
    with pytest.raises(WriteError):
        engine.write_plan(plan)
    assert (out / CPU).read_text(encoding="utf-8") == "someone else's\n"


# -- a patched file BuildKit refuses --------------------------------------------------------


def test_a_patch_whose_text_buildkit_refuses_is_an_error_in_that_patch_file(
    cli,
    upstream: Path,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    patches = _series(
        tmp_path,
        _patch("ok", "kind: insert\nanchor: {keyword: FROM}\ntext: ENV GOOD=1"),
        _patch("no-value", "kind: insert\nanchor: {keyword: FROM}\ntext: ENV ONLY_A_NAME"),
    )
    out = tmp_path / "out"
    done = _apply_to(out, cli, upstream, patches)
    assert done.returncode == 2, done.stderr
    assert "01.yaml:" in done.stderr and "this insert makes docker/Dockerfile.cpu" in done.stderr
    assert "BuildKit refuses before any step runs" in done.stderr
    assert "ENV must have two arguments" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_a_problem_the_upstream_file_already_has_does_not_block_the_patches() -> None:
    text = "FROM scratch\nENV BROKEN\nRUN make\n"
    patch = parse_patch(
        _patch("add", "kind: insert\nanchor: {keyword: RUN}\ntext: ENV GOOD=1"), "a.yaml"
    )
    result = engine.apply_to_text(text, [patch], path="Dockerfile")
    assert result.text == "FROM scratch\nENV BROKEN\nRUN make\nENV GOOD=1\n"


def test_the_same_problem_added_before_the_upstream_one_is_found_at_its_own_line() -> None:
    text = "FROM scratch\nENV BROKEN\nRUN make\n"
    patch = parse_patch(
        _patch("worse", "kind: insert\nanchor: {keyword: FROM}\ntext: ENV ALSO"),
        "w.yaml",
    )
    with pytest.raises(SourceError, match="line 2: ENV must have two arguments"):
        engine.apply_to_text(text, [patch], path="Dockerfile")


class _Cut(Transform):
    """Replaces one exact piece of the text with another, as narrowly as it can."""

    kind: ClassVar[str] = "cut"
    summary: ClassVar[str] = "test transform"
    doc: ClassVar[str] = ""
    params: ClassVar[tuple[Param, ...]] = (
        Param("find", "str", "what", required=True),
        Param("with", "str", "by what", required=True),
    )
    scaffold: ClassVar[Scaffold] = Scaffold({}, "", "")

    def __init__(self, find: str, with_: str) -> None:
        self.find, self.with_ = find, with_

    @classmethod
    def from_params(cls, params: Mapping[str, object]) -> _Cut:
        return cls(str(params["find"]), str(params["with"]))

    def analyze(self, tree):  # type: ignore[no-untyped-def]
        from patchkit.dockerfile.edit import Edit

        at = tree.text.find(self.find)
        if at < 0:
            return Analysis(PatchState.APPLIED, "done", ())
        return Analysis(PatchState.PENDING, "cut", (Edit(at, at + len(self.find), self.with_),))


def test_patches_that_break_the_file_only_together_are_named_together() -> None:
    # Alone, each leaves a valid ENV (`ENV A B=2`: key A, value "B=2"; `ENV A=1`);
    # together they leave `ENV A`, which BuildKit refuses.
    text = "FROM scratch\nENV A=1 B=2\n"
    registry = (*TRANSFORMS, _Cut)
    first = parse_patch(_patch("drop-value", "kind: cut\nfind: 'A=1'\nwith: 'A'"), "1.yaml",
                        registry=registry)  # fmt: skip
    second = parse_patch(_patch("drop-b", "kind: cut\nfind: ' B=2'\nwith: ''"), "2.yaml",
                         registry=registry)  # fmt: skip
    for alone in (first, second):
        assert engine.apply_to_text(text, [alone], path="Dockerfile").changed
    with pytest.raises(UsageError) as info:
        engine.apply_to_text(text, [first, second], path="Dockerfile")
    message = str(info.value)
    assert "drop-value, drop-b together" in message
    assert "line 2: ENV must have two arguments" in message


class _Unterminated(_Appends):
    """A built-in-like transform that opens a heredoc it never closes (a patchkit bug)."""

    kind = "unterminated"
    line = "RUN <<EOF\n"
    once = True


def test_a_built_in_transform_that_breaks_the_file_is_an_internal_error() -> None:
    patch = parse_patch(
        _patch("heredoc", "kind: unterminated"), "h.yaml", registry=(*TRANSFORMS, _Unterminated)
    )
    with pytest.raises(InternalError) as info:
        engine.apply_to_text("FROM scratch\n", [patch], path="Dockerfile")
    assert "'heredoc' (unterminated) makes Dockerfile" in str(info.value)
    assert "unterminated heredoc 'EOF'" in str(info.value)


def test_a_worked_example_buildkit_would_refuse_fails_patchkit_test(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    example = (
        "examples:\n"
        "  - before: |\n      FROM x\n      RUN make\n"
        "    after: |\n      FROM x\n      ENV BAD\n      RUN make\n"
    )
    patches = _series(
        tmp_path,
        _patch("bad-env", "kind: insert\nanchor: {keyword: FROM}\ntext: ENV BAD") + example,
    )
    done = cli("test", "--patches", str(patches))
    assert done.returncode == 1, done.stderr
    assert "FAIL  bad-env example 1: before -> after" in done.stdout
    assert "BuildKit refuses before any step runs (line 2: ENV must have two arguments)" in (
        done.stdout
    )


def test_an_instruction_buildkit_refuses_after_parsing_is_caught_too() -> None:
    # The parser accepts `RUNN make`; BuildKit's instructions.Parse refuses it.
    patch = parse_patch(
        _patch("typo", "kind: insert\nanchor: {keyword: FROM}\ntext: RUNN make"), "t.yaml"
    )
    with pytest.raises(
        SourceError, match=r"\(line 2: unknown instruction: RUNN \(did you mean RUN\?\)\)"
    ):
        engine.apply_to_text("FROM scratch\nRUN make\n", [patch], path="Dockerfile")
