"""Faults while writing: each one a clear error, no partial output, no temporary files left.

Every fault runs twice: through ``patchkit apply`` as a whole process (the fault
installed in that process by ``faultlib.py``) and through the engine API
(``plan`` then ``write_plan``). The clear error is exit 2 and one line,
``patchkit apply: <file>: <what happened>; <what to do>``, never a traceback.
"No partial output" means the output folder is byte for byte what it was:
every target old, no temporary file, no folder left behind.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from patchkit.errors import WriteError

WHAT_TO_DO = re.compile(
    r"run patchkit again|Make (the folder|it) writable|free some disk space|check the disk"
    r"|Remove the (link|symlink)|choose another output folder"
)
VIA = ["cli", "api"]


def _clear_error(proc: subprocess.CompletedProcess[str], names: str) -> str:
    assert proc.returncode == 2, proc.stderr + proc.stdout
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("patchkit apply: "), lines[0]
    assert names in lines[0], lines[0]
    assert WHAT_TO_DO.search(lines[0]), lines[0]
    return lines[0]


def _run(via, tree, apply_cli, apply_api, monkeypatch, fault, *extra, names: str) -> str:  # type: ignore[no-untyped-def]
    if via == "cli":
        return _clear_error(apply_cli(tree, *extra, fault=fault), names)
    with pytest.raises(WriteError) as info:
        apply_api(tree, *extra, fault=fault, monkeypatch=monkeypatch)
    message = str(info.value)
    assert names in message and WHAT_TO_DO.search(message), message
    return message


@pytest.fixture
def run(tree, apply_cli, apply_api, monkeypatch):  # type: ignore[no-untyped-def]
    def go(via: str, fault: dict[str, object] | None, *extra: str, names: str) -> str:
        return _run(via, tree, apply_cli, apply_api, monkeypatch, fault, *extra, names=names)

    return go


# -- a read-only or unwritable output folder -------------------------------------------------


@pytest.mark.parametrize("via", VIA)
@pytest.mark.parametrize("code", ["EROFS", "EACCES"])
def test_read_only_output_folder(via, code, tree, old_copies, run, snap) -> None:  # type: ignore[no-untyped-def]
    message = run(
        via, {"fail": "mkstemp", "errno": code, "call": 0}, names=str(tree.out / "docker")
    )
    assert "cannot create a file in" in message
    assert snap(tree.out) == old_copies


@pytest.mark.parametrize("via", VIA)
def test_read_only_folder_found_on_the_second_file_writes_nothing(
    via, tree, old_copies, run, snap
) -> None:  # type: ignore[no-untyped-def]
    run(via, {"fail": "mkstemp", "errno": "EROFS", "call": 1}, names="Dockerfile.cpu")
    assert snap(tree.out) == old_copies


@pytest.mark.parametrize("via", VIA)
def test_output_folder_that_cannot_be_created(via, tree, run) -> None:  # type: ignore[no-untyped-def]
    message = run(via, {"fail": "mkdir", "errno": "EACCES", "call": 0}, names=str(tree.out))
    assert "cannot create the folder" in message
    assert not tree.out.exists()


def _unshare_works() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", "mount --bind -o ro / / 2>/dev/null; exit $?"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


def test_a_really_read_only_output_folder(tree, old_copies, apply_cli, snap) -> None:  # type: ignore[no-untyped-def]
    """No injection: the folder is read-only (chmod as a user, a read-only bind mount as root)."""
    if os.geteuid() != 0:
        (tree.out / "docker").chmod(0o555)
        try:
            proc = apply_cli(tree)
        finally:
            (tree.out / "docker").chmod(0o755)
    elif _unshare_works():
        import sys

        env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
        out = str(tree.out)
        proc = subprocess.run(
            ["unshare", "-m", "sh", "-c", 'mount --bind -o ro "$0" "$0" && shift && exec "$@"',
             out, out, sys.executable, "-m", "patchkit", *tree.args()],
            capture_output=True, text=True, env=env, cwd=tree.root, check=False,
        )  # fmt: skip
    else:
        pytest.skip("running as root without mount namespaces: no way to make a folder read-only")
    line = _clear_error(proc, str(tree.out / "docker"))
    assert "Read-only file system" in line or "Permission denied" in line
    assert snap(tree.out) == old_copies


# -- a full disk ----------------------------------------------------------------------------------


@pytest.mark.parametrize("via", VIA)
@pytest.mark.parametrize(("op", "call"), [("write", 0), ("write", 2), ("fsync", 0), ("fsync", 1)])
def test_full_disk(via, op, call, tree, old_copies, run, snap) -> None:  # type: ignore[no-untyped-def]
    message = run(via, {"fail": op, "errno": "ENOSPC", "call": call}, names=str(tree.out))
    assert "No space left on device" in message and "free some disk space" in message
    assert snap(tree.out) == old_copies


@pytest.mark.parametrize("via", VIA)
def test_full_disk_on_a_first_apply_leaves_no_folder(via, tree, run, snap) -> None:  # type: ignore[no-untyped-def]
    run(via, {"fail": "write", "errno": "ENOSPC", "call": 1}, names=str(tree.out))
    assert snap(tree.out) == {}


@pytest.mark.parametrize("via", VIA)
def test_io_error_on_the_rename(via, tree, old_copies, run, snap) -> None:  # type: ignore[no-untyped-def]
    message = run(via, {"fail": "replace", "errno": "EIO", "call": 0}, names=str(tree.out))
    assert "could not be replaced" in message
    assert snap(tree.out) == old_copies


def test_a_rename_failing_after_others_names_what_was_replaced(
    tree, old_copies, apply_cli, snap
) -> None:  # type: ignore[no-untyped-def]
    """The one window left: renames are atomic one by one, not together. Each target is
    still fully old or fully new, and the message says which were replaced."""
    proc = apply_cli(tree, fault={"fail": "replace", "errno": "EIO", "call": 1})
    line = _clear_error(proc, "already replaced before this failure")
    after = snap(tree.out)
    assert not [k for k in after if k.endswith(".patchkit-tmp")]
    replaced = [k for k in after if after[k] != old_copies.get(k)]
    assert len(replaced) == 1 and replaced[0] in line


@pytest.mark.parametrize("op", ["write", "fsync"])
def test_ctrl_c_while_writing(op, tree, old_copies, apply_cli, snap) -> None:  # type: ignore[no-untyped-def]
    proc = apply_cli(tree, fault={"interrupt": op, "call": 1})
    assert proc.returncode == 130, proc.stderr
    assert "Traceback" not in proc.stderr
    assert snap(tree.out) == old_copies


# -- someone else changes a file between plan and write -------------------------------------------


@pytest.mark.parametrize("via", VIA)
def test_target_deleted_between_plan_and_write(via, tree, old_copies, run, snap) -> None:  # type: ignore[no-untyped-def]
    target = tree.out / "docker" / "Dockerfile.cpu"
    message = run(via, {"race": "delete", "path": str(target)}, names=str(target))
    assert "deleted by someone else" in message
    expected = dict(old_copies)
    del expected["docker/Dockerfile.cpu"]
    assert snap(tree.out) == expected


@pytest.mark.parametrize("via", VIA)
def test_target_changed_between_read_and_write(via, tree, old_copies, run, snap) -> None:  # type: ignore[no-untyped-def]
    target = tree.out / "docker" / "Dockerfile.mixed"
    message = run(via, {"race": "modify", "path": str(target)}, names=str(target))
    assert "changed by someone else" in message
    expected = dict(old_copies)
    expected["docker/Dockerfile.mixed"] = (
        old_copies["docker/Dockerfile.mixed"] + b"# someone else's line\n"
    )  # type: ignore[operator]
    assert snap(tree.out) == expected


@pytest.mark.parametrize("via", VIA)
def test_target_created_between_plan_and_write(via, tree, run, snap) -> None:  # type: ignore[no-untyped-def]
    target = tree.out / "docker" / "Dockerfile.arm"
    message = run(via, {"race": "create", "path": str(target)}, names=str(target))
    assert "created by someone else" in message
    assert snap(tree.out) == {"docker": None, "docker/Dockerfile.arm": b"# someone else's file\n"}


@pytest.mark.parametrize("via", VIA)
def test_upstream_file_changed_between_read_and_write(via, tree, old_copies, run, snap) -> None:  # type: ignore[no-untyped-def]
    source = tree.upstream / "docker" / "Dockerfile.arm"
    message = run(via, {"race": "modify", "path": str(source)}, names=str(source))
    assert "upstream file changed" in message
    assert snap(tree.out) == old_copies


@pytest.mark.parametrize("via", VIA)
def test_in_place_file_changed_between_read_and_write(via, tree, run, snap) -> None:  # type: ignore[no-untyped-def]
    source = tree.upstream / "docker" / "Dockerfile.cpu"
    before = snap(tree.upstream)
    message = run(via, {"race": "modify", "path": str(source)}, "--in-place", names=str(source))
    assert "changed by someone else" in message
    before["docker/Dockerfile.cpu"] = before["docker/Dockerfile.cpu"] + b"# someone else's line\n"  # type: ignore[operator]
    assert snap(tree.upstream) == before


# -- symlinked targets ----------------------------------------------------------------------------


@pytest.mark.parametrize("via", VIA)
def test_symlinked_target_is_refused(
    via, tree, old_copies, apply_cli, apply_api, monkeypatch, snap
) -> None:  # type: ignore[no-untyped-def]
    elsewhere = tree.root / "elsewhere"
    elsewhere.write_bytes(b"not patchkit's\n")
    target = tree.out / "docker" / "Dockerfile.cpu"
    target.unlink()
    target.symlink_to(elsewhere)
    before = snap(tree.out)
    if via == "cli":
        _clear_error(apply_cli(tree), f"{target}: is a symlink")
    else:
        with pytest.raises(WriteError, match=r"is a symlink.*Remove the link"):
            apply_api(tree, monkeypatch=monkeypatch)
    assert elsewhere.read_bytes() == b"not patchkit's\n"
    assert snap(tree.out) == before


def test_symlinked_upstream_file_in_place_is_refused(tree, apply_cli, snap) -> None:  # type: ignore[no-untyped-def]
    link = tree.upstream / "docker" / "Dockerfile.cpu"
    real = tree.upstream / "Dockerfile.real"
    link.rename(real)
    link.symlink_to(real)
    before = snap(tree.upstream)
    _clear_error(apply_cli(tree, "--in-place"), f"{link}: is a symlink")
    assert snap(tree.upstream) == before


# -- CRLF and mixed line endings, byte for byte ----------------------------------------------------


def _expected(tree) -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    """The patched files, written out by hand from the upstream bytes."""
    up = {p.name: p.read_bytes() for p in (tree.upstream / "docker").iterdir()}
    deps = b"--mount=type=cache,target=/app-workspace/.deps"
    with_id = deps + b",id=deps-${TARGETARCH}"
    arm = (
        up["Dockerfile.arm"]
        .replace(
            b"# keep this comment  \r\nRUN " + deps,
            b"# keep this comment  \r\nARG TARGETARCH\r\nRUN " + with_id,
        )
        .replace(b"AS app-build\r\n", b"AS app-build\r\nARG APP_COMMIT\r\n")
    )
    cpu = (
        up["Dockerfile.cpu"]
        .replace(
            b"WORKDIR /app-workspace\nRUN " + deps,
            b"WORKDIR /app-workspace\nARG TARGETARCH\nRUN " + with_id,
        )
        .replace(b"AS app-build\n", b"AS app-build\nARG APP_COMMIT\n")
    )
    mixed = (
        up["Dockerfile.mixed"]
        .replace(
            b"WORKDIR /app-workspace\r\nRUN " + deps,
            b"WORKDIR /app-workspace\r\nARG TARGETARCH\r\nRUN " + with_id,
        )
        .replace(b"AS app-build\n", b"AS app-build\nARG APP_COMMIT\n")
    )
    return {"Dockerfile.arm": arm, "Dockerfile.cpu": cpu, "Dockerfile.mixed": mixed}


@pytest.mark.parametrize("via", VIA)
def test_crlf_and_mixed_line_endings_are_kept_byte_for_byte(
    via, tree, apply_cli, apply_api, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    upstream_before = {p.name: p.read_bytes() for p in (tree.upstream / "docker").iterdir()}
    if via == "cli":
        proc = apply_cli(tree)
        assert proc.returncode == 0, proc.stderr
    else:
        apply_api(tree, monkeypatch=monkeypatch)
    expected = _expected(tree)
    for name, data in expected.items():
        assert data != upstream_before[name]  # the patch did change each file
        assert (tree.out / "docker" / name).read_bytes() == data, name
    assert {p.name: p.read_bytes() for p in (tree.upstream / "docker").iterdir()} == upstream_before
    assert b"\r\n" not in expected["Dockerfile.cpu"]
    assert expected["Dockerfile.arm"].count(b"\n") == expected["Dockerfile.arm"].count(b"\r\n")
    # a second apply finds every target up to date and writes nothing
    again = apply_cli(tree)
    assert again.returncode == 0 and "up to date: 3 file(s)" in again.stdout


def test_crlf_in_place(tree, apply_cli) -> None:  # type: ignore[no-untyped-def]
    expected = _expected(tree)
    proc = apply_cli(tree, "--in-place")
    assert proc.returncode == 0, proc.stderr
    for name, data in expected.items():
        assert (tree.upstream / "docker" / name).read_bytes() == data
    assert not [p for p in tree.upstream.rglob("*.patchkit-tmp")]


def test_output_folder_that_is_a_file(tree, apply_cli) -> None:  # type: ignore[no-untyped-def]
    tree.out.write_bytes(b"not a folder\n")
    line = _clear_error(apply_cli(tree), str(tree.out))
    assert "cannot create the folder" in line
    assert tree.out.read_bytes() == b"not a folder\n"


def test_a_target_that_is_a_folder(tree, old_copies, apply_cli, snap) -> None:  # type: ignore[no-untyped-def]
    target = tree.out / "docker" / "Dockerfile.cpu"
    target.unlink()
    target.mkdir()
    before = snap(tree.out)
    proc = apply_cli(tree)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert f"{target}: is a folder" in proc.stderr
    assert snap(tree.out) == before
