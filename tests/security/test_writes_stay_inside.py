"""patchkit writes only inside the output folder (or, with --in-place, the upstream tree).

Each test snapshots the whole temporary folder (everything outside the output
folder, symlinks included) before the run and compares it after: patch files
naming ``../`` or absolute paths, symlinked folders or files inside the
upstream pointing outside, symlinked folders inside the output folder, an
output folder that resolves into the upstream tree.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

OUTSIDE = b"FROM outside\nRUN --mount=type=cache,target=/app-workspace/.deps make deps\n"


def _patch(files: str) -> str:
    return (
        "id: p\nsummary: s\nwhy: w\n"
        f"files: {files}\n"
        "transform:\n  kind: cache-mount-id\n  target: /app-workspace/.deps\n"
        '  id: "deps-${TARGETARCH}"\n'
    )


def _apply(hostile, cli_in, *extra: str):  # type: ignore[no-untyped-def]
    return cli_in(
        "apply", "--upstream", str(hostile.upstream), "--patches", str(hostile.patches),
        "--upstream-version", "1.0", *extra, cwd=hostile.downstream,
    )  # fmt: skip


@pytest.fixture
def outside(hostile) -> Path:  # type: ignore[no-untyped-def]
    """A folder beside the downstream repo holding a Dockerfile patchkit must never touch."""
    folder = hostile.root / "outside"
    (folder / "docker").mkdir(parents=True)
    (folder / "docker" / "Dockerfile.cpu").write_bytes(OUTSIDE)
    (folder / "Dockerfile").write_bytes(OUTSIDE)
    return folder


@pytest.mark.parametrize(
    "files",
    [
        "['../outside/Dockerfile']",
        "['docker/../../../outside/Dockerfile']",
        "['../*/Dockerfile']",
        "['/OUTSIDE/Dockerfile']",
        "['C:/x/Dockerfile']",
        "['docker\\\\..\\\\..\\\\outside\\\\Dockerfile']",
        "['**/Dockerfile']",
    ],
)
@pytest.mark.parametrize("where", ["--out", "--in-place"])
def test_files_entries_cannot_leave_the_upstream_tree(
    files, where, hostile, outside, cli_in, snapshot_tree
) -> None:  # type: ignore[no-untyped-def]
    (hostile.patches / "10-deps.yaml").write_text(
        _patch(files.replace("/OUTSIDE", str(outside))), encoding="utf-8"
    )
    before = snapshot_tree(hostile.root)
    extra = ["--out", str(hostile.root / "out")] if where == "--out" else ["--in-place"]
    proc = _apply(hostile, cli_in, *extra)
    assert proc.returncode == 2, proc.stderr
    assert "10-deps.yaml:4:" in proc.stderr and "Traceback" not in proc.stderr
    assert snapshot_tree(hostile.root) == before


@pytest.mark.parametrize("where", ["--out", "--in-place"])
@pytest.mark.parametrize("link", ["folder", "file"])
def test_symlinks_in_the_upstream_pointing_outside_are_refused(
    link, where, hostile, outside, cli_in, snapshot_tree
) -> None:  # type: ignore[no-untyped-def]
    docker = hostile.upstream / "docker"
    if link == "folder":
        shutil.rmtree(docker)
        docker.symlink_to(outside / "docker")
        files = "['docker/Dockerfile.cpu']"
    else:
        (docker / "Dockerfile.cpu").unlink()
        (docker / "Dockerfile.cpu").symlink_to(outside / "Dockerfile")
        files = "['docker/*']"
    (hostile.patches / "10-deps.yaml").write_text(_patch(files), encoding="utf-8")
    before = snapshot_tree(hostile.root)
    extra = ["--out", str(hostile.root / "out")] if where == "--out" else ["--in-place"]
    proc = _apply(hostile, cli_in, *extra)
    assert proc.returncode == 2, proc.stderr
    assert "outside the upstream tree" in proc.stderr
    assert snapshot_tree(hostile.root) == before


def test_a_symlinked_folder_inside_the_output_folder_is_refused(
    hostile, outside, cli_in, snapshot_tree
) -> None:  # type: ignore[no-untyped-def]
    out = hostile.root / "out"
    out.mkdir()
    (out / "docker").symlink_to(outside / "docker")
    before = snapshot_tree(hostile.root)
    proc = _apply(hostile, cli_in, "--out", str(out))
    assert proc.returncode == 2, proc.stderr
    assert "outside" in proc.stderr and "through a symlink" in proc.stderr
    assert "Remove the symlink" in proc.stderr
    assert snapshot_tree(hostile.root) == before
    assert (outside / "docker" / "Dockerfile.cpu").read_bytes() == OUTSIDE


def test_an_output_folder_resolving_into_the_upstream_is_refused(
    hostile, cli_in, snapshot_tree
) -> None:  # type: ignore[no-untyped-def]
    out = hostile.downstream / ".dockerfiles"
    out.symlink_to(hostile.upstream)
    before = snapshot_tree(hostile.root)
    proc = _apply(hostile, cli_in, "--out", str(out))
    assert proc.returncode == 2, proc.stderr
    assert "inside the upstream tree" in proc.stderr
    assert snapshot_tree(hostile.root) == before


def test_an_output_folder_that_is_a_symlink_gets_the_writes_and_nothing_else_changes(
    hostile, cli_in, snapshot_tree
) -> None:  # type: ignore[no-untyped-def]
    """The folder the user names may itself be a link (e.g. to a cache disk): the
    patched copies land in its target, and nothing outside it changes."""
    real = hostile.root / "real-out"
    real.mkdir()
    link = hostile.downstream / ".dockerfiles"
    link.symlink_to(real)
    before = snapshot_tree(hostile.root)
    proc = _apply(hostile, cli_in, "--out", str(link))
    assert proc.returncode == 0, proc.stderr
    after = snapshot_tree(hostile.root)
    changed = {k for k in set(before) ^ set(after)} | {
        k for k in before if k in after and before[k] != after[k]
    }
    assert changed == {"real-out/docker", "real-out/docker/Dockerfile.cpu"}


@pytest.mark.parametrize("name", ["../x", "../../patches/x", "/tmp/x", "a/b", "..", "X"])
def test_new_patch_names_cannot_leave_the_patch_folder(
    name, hostile, cli_in, snapshot_tree
) -> None:  # type: ignore[no-untyped-def]
    before = snapshot_tree(hostile.root)
    proc = cli_in("new", name, "--kind", "insert", "--patches", str(hostile.patches),
                  cwd=hostile.downstream)  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert snapshot_tree(hostile.root) == before
