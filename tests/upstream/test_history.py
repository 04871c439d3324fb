"""`status --range`: patch states along real throwaway git histories (no checkout involved)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from patchkit.upstream.git import GitError

SERIES = Path(__file__).parent / "fixtures" / "range-series"
CPU = "docker/Dockerfile.cpu"

BASE = """\
FROM ubuntu:22.04 AS base
RUN apt-get update -y

FROM base AS {stage}
WORKDIR /vllm-workspace
RUN --mount=type=cache,target=/vllm-workspace/.deps,sharing=locked{mount_extra} \\
    python3 setup.py bdist_wheel --dist-dir=dist
"""


def dockerfile(stage: str = "vllm-build", mount_extra: str = "", arg: bool = False) -> str:
    text = BASE.format(stage=stage, mount_extra=mount_extra)
    if arg:
        text = text.replace(
            "WORKDIR /vllm-workspace\n", "WORKDIR /vllm-workspace\nARG TARGETARCH\n"
        )
    return text


@pytest.fixture
def history(sandbox):
    """v0.15.0 .. fixed upstream (id) .. stage renamed: one change per patch state."""
    up = sandbox()
    ids = {}
    ids["c0"] = up.commit("initial", files={CPU: dockerfile()}, README="x\n")
    up.tag("v0.15.0")
    ids["c1"] = up.commit("docs only", README="y\n")
    ids["c2"] = up.commit("release 0.16", README="z\n")
    up.tag("v0.16.0")
    ids["c3"] = up.commit(
        "cpu: per-arch deps cache",
        files={CPU: dockerfile(mount_extra=",id=deps-${TARGETARCH}", arg=True)},
    )
    ids["c4"] = up.commit(
        "cpu: rename the build stage",
        files={
            CPU: dockerfile(stage="wheel-build", mount_extra=",id=deps-${TARGETARCH}", arg=True)
        },
    )
    return up, ids


def _load():
    from patchkit.series import load_series

    return load_series(SERIES)


def test_first_commit_of_each_state_change(history):
    from patchkit.upstream.history import status_over_range

    up, ids = history
    before_status = up.git("status", "--porcelain")
    result = status_over_range(_load(), up.root, "v0.15.0..HEAD", match="v[0-9]*")
    assert result.commits == 4
    assert result.start == ids["c0"] and result.end == ids["c4"]
    assert (result.start_version, result.fork_point) == ("0.15.0", None)
    tracks = {t.patch: t for t in result.tracks}

    deps = tracks["deps-id"]
    assert deps.initial.name == "skipped"
    assert [(c.commit, c.before.name, c.after.name) for c in deps.changes] == [
        (ids["c2"], "skipped", "pending"),
        (ids["c3"], "pending", "upstream"),
    ]
    assert deps.changes[0].version == "0.16.0"
    assert deps.changes[1].subject == "cpu: per-arch deps cache"
    assert deps.changes[1].version.startswith("0.16.1.dev1+g")

    wheel = tracks["wheel-version"]
    assert wheel.initial.name == "pending"
    assert wheel.first_change is not None
    assert (wheel.first_change.commit, wheel.first_change.after.name) == (ids["c4"], "drifted")
    assert "vllm-build" in wheel.first_change.after.message
    # nothing was checked out or modified
    assert up.git("rev-parse", "HEAD") == ids["c4"]
    assert up.git("status", "--porcelain") == before_status


def test_start_off_the_first_parent_line(sandbox):
    """vLLM tags releases on release branches: A is then not on B's first-parent line."""
    from patchkit.upstream.history import status_over_range

    up = sandbox()
    fork = up.commit("main", files={CPU: dockerfile()})
    up.tag("v0.16.0rc0")
    up.git("checkout", "-q", "-b", "releases/v0.16")
    fixed = dockerfile().replace(
        "WORKDIR /vllm-workspace\n",
        "WORKDIR /vllm-workspace\nENV SETUPTOOLS_SCM_PRETEND_VERSION=0.16.0\n",
    )
    up.commit("release-only: pin the version", files={CPU: fixed})
    up.tag("v0.16.0")
    up.git("checkout", "-q", "main")
    first = up.commit("main work", README="1\n")
    up.commit("more", README="2\n")
    up.tag("v0.17.0")
    result = status_over_range(_load(), up.root, "v0.16.0..v0.17.0", match="v[0-9]*")
    assert result.fork_point == fork
    wheel = next(t for t in result.tracks if t.patch == "wheel-version")
    assert wheel.initial.name == "upstream"  # the release branch carried its own pretend version
    assert [(c.commit, c.after.name) for c in wheel.changes] == [(first, "pending")]
    assert wheel.changes[0].version.startswith(
        "0.16.0rc1.dev1+g"
    )  # main's version, from main's tag
    deps = next(t for t in result.tracks if t.patch == "deps-id")
    assert deps.initial.name == "pending"  # 0.16.0 is in range
    assert [c.after.name for c in deps.changes] == [
        "skipped",
        "pending",
    ]  # 0.16.0rc1.dev1, then 0.17.0


def test_deleted_file_is_drifted(sandbox):
    from patchkit.upstream.history import status_over_range

    up = sandbox()
    up.commit("one", files={CPU: dockerfile()})
    up.tag("v0.16.0")
    up.git("rm", "-q", "docker/Dockerfile.cpu")
    gone = up.commit("move the docker folder", files={"docker2/Dockerfile.cpu": dockerfile()})
    result = status_over_range(_load(), up.root, "v0.16.0..HEAD")
    for track in result.tracks:
        assert [(c.commit, c.after.name) for c in track.changes] == [(gone, "drifted")]
        assert "no file matches" in track.final.message


def test_same_blob_is_parsed_once_however_many_commits(sandbox, monkeypatch):
    from patchkit import dockerfile as dockerfile_module
    from patchkit.upstream.history import status_over_range

    up = sandbox()
    up.commit("one", files={CPU: dockerfile()})
    up.tag("v0.16.0")
    for i in range(20):
        up.commit(f"c{i}", README=f"{i}\n")
    calls = []
    real = dockerfile_module.parse
    # count parses of the upstream file (cache-mount-id also re-reads the one RUN it edits)
    monkeypatch.setattr(
        dockerfile_module,
        "parse",
        lambda *a, **k: (k.get("path") == CPU and calls.append(1)) or real(*a, **k),
    )
    result = status_over_range(_load(), up.root, "v0.16.0..HEAD")
    assert result.commits == 20 and all(not t.changes for t in result.tracks)
    assert len(calls) == 1


def test_errors_are_clear(sandbox, tmp_path: Path):
    from patchkit.upstream.history import status_over_range

    up = sandbox()
    up.commit("one", files={CPU: dockerfile()})
    up.commit("two")
    with pytest.raises(GitError, match="no tag matching"):
        status_over_range(_load(), up.root, "HEAD~1..HEAD")
    up.tag("v1.0.0")
    with pytest.raises(GitError, match="names no commit"):
        status_over_range(_load(), up.root, "v9.9.9..HEAD")
    with pytest.raises(GitError, match=r"A\.\.B"):
        status_over_range(_load(), up.root, "v1.0.0")
    clone = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{up.root}", str(clone)],
        check=True,
        env=up.env(),
    )
    with pytest.raises(GitError, match="shallow"):
        status_over_range(_load(), clone, "HEAD~1..HEAD")


def test_cli_range_json(history, cli):
    up, ids = history
    proc = cli(
        "status",
        "--upstream",
        str(up.root),
        "--patches",
        str(SERIES),
        "--range",
        "v0.15.0..HEAD",
        "--match",
        "v[0-9]*",
        "--format",
        "json",
    )
    assert proc.returncode == 1, proc.stderr  # a patch ends drifted
    doc = json.loads(proc.stdout)
    assert doc["schema"] == "patchkit/status-range/v1"
    assert doc["commits"] == 4
    by_patch = {r["patch"]: r for r in doc["results"]}
    assert by_patch["deps-id"]["first_change"]["commit"] == ids["c2"]
    assert by_patch["deps-id"]["final"]["state"] == "upstream"
    assert by_patch["wheel-version"]["first_change"]["state"] == "drifted"


def test_cli_range_text(history, cli):
    up, ids = history
    proc = cli(
        "status", "--upstream", str(up.root), "--patches", str(SERIES), "--range", "v0.15.0..HEAD"
    )
    assert proc.returncode == 1, proc.stderr
    assert f"{ids['c3'][:10]} 0.16.1.dev1" in proc.stdout
    assert "pending -> upstream" in proc.stdout
    assert "cpu: rename the build stage" in proc.stdout
    # each patch's first line has its file in one column, as status prints its table
    heads = [ln for ln in proc.stdout.splitlines()[1:] if not ln.startswith(("  ", "note:"))]
    assert len(heads) > 1
    assert len({ln.index("Dockerfile") for ln in heads}) == 1, heads


def test_a_reversed_range_is_refused_not_reported_with_the_wrong_labels(history, cli):
    # issue 21, item 12: NEW..OLD was exit 0, OLD's commit labelled with NEW's version
    from patchkit.upstream.history import status_over_range

    up, _ids = history
    with pytest.raises(GitError, match="is an ancestor of") as info:
        status_over_range(_load(), up.root, "HEAD..v0.15.0", match="v[0-9]*")
    assert "--range v0.15.0..HEAD" in info.value.render()
    proc = cli(
        "status", "--upstream", str(up.root), "--patches", str(SERIES), "--range", "HEAD..v0.15.0",
        timeout=120,
    )  # fmt: skip
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "a range runs from the older commit to the newer one" in proc.stderr
    assert "hint: --range v0.15.0..HEAD" in proc.stderr and "Traceback" not in proc.stderr


def test_an_empty_range_of_one_commit_still_reports_its_states(history):
    from patchkit.upstream.history import status_over_range

    up, ids = history
    result = status_over_range(_load(), up.root, "v0.16.0..v0.16.0", match="v[0-9]*")
    assert result.commits == 0 and result.start == result.end == ids["c2"]
    assert result.end_version == result.start_version == "0.16.0"
