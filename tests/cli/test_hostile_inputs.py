"""Inputs that are not what they seem: FIFOs, devices, huge files, unreadable folders,
bytes that are not UTF-8 on stdin, links out of a linted folder (issue 21, items 6, 7,
8 and 13). Each is exit 2 with a message naming the path, within a timeout (a FIFO
used to block for ever, /dev/zero to eat memory), never exit 3 or a traceback.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from patchkit import _fs

ROOT = Path(__file__).resolve().parents[2]
ENGINE = ROOT / "tests" / "engine" / "fixtures"
Cli = Callable[..., subprocess.CompletedProcess[str]]
SERIES = ("--upstream", "up", "--upstream-version", "0.10.1", "--patches", "patches")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """An upstream tree and its patches, as a downstream repo holds them."""
    shutil.copytree(ENGINE / "upstream", tmp_path / "up")
    shutil.copytree(ENGINE / "series" / "good", tmp_path / "patches")
    return tmp_path


def _refused(done: subprocess.CompletedProcess[str], path: str, *words: str) -> None:
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    said = done.stderr + done.stdout  # `check` reports on stdout, the others on stderr
    assert path in said, said
    for word in words:
        assert word in said, said


# -- item 6: FIFOs and devices ----------------------------------------------------------------


@pytest.mark.parametrize("command", ["status", "apply"])
def test_a_fifo_as_a_patch_file_is_refused(cli: Cli, project: Path, command: str) -> None:
    os.mkfifo(project / "patches" / "zz.yaml")
    done = cli(command, *SERIES, cwd=project, timeout=30)
    _refused(done, "patches/zz.yaml", "FIFO", "regular files")


def test_a_fifo_as_the_output_target_is_refused(cli: Cli, project: Path) -> None:
    (project / "out" / "docker").mkdir(parents=True)
    os.mkfifo(project / "out" / "docker" / "Dockerfile.cpu")
    done = cli("apply", *SERIES, "--out", "out", cwd=project, timeout=30)
    _refused(done, "out/docker/Dockerfile.cpu", "FIFO", "Remove it")


def test_a_fifo_as_a_linted_dockerfile_is_refused(cli: Cli, tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "Dockerfile")
    _refused(cli("lint", "Dockerfile", cwd=tmp_path, timeout=30), "Dockerfile", "FIFO")
    (tmp_path / "d").mkdir()
    os.mkfifo(tmp_path / "d" / "Dockerfile")
    _refused(cli("lint", "d", cwd=tmp_path, timeout=30), "d/Dockerfile", "FIFO")


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_a_dockerfile_linked_to_dev_zero_is_refused(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").symlink_to("/dev/zero")
    _refused(cli("lint", "Dockerfile", cwd=tmp_path, timeout=30), "Dockerfile", "a device")


def test_an_input_over_the_size_limit_is_refused(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_fs, "MAX_INPUT_BYTES", 64)
    big = tmp_path / "Dockerfile"
    big.write_bytes(b"FROM a\n" + b"RUN x\n" * 20)
    with pytest.raises(_fs.InputError, match="larger than"):
        _fs.read_source(big)
    with pytest.raises(_fs.InputError, match="larger than"):
        _fs.read_stdin(_Stdin(b"RUN x\n" * 20))


class _Stdin:
    def __init__(self, data: bytes) -> None:
        import io

        self.buffer = io.BytesIO(data)


# -- item 7: folders that cannot be read ----------------------------------------------------


def _without_privileges() -> list[str]:
    """A prefix that runs a command without root's right to read anything (root ignores
    permission bits; with every capability dropped it does not)."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: cannot make a folder unreadable")
    return ["setpriv", "--bounding-set=-all", "--inh-caps=-all"]


def _run_unprivileged(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [*_without_privileges(), sys.executable, "-m", "patchkit", *args],
        cwd=cwd, capture_output=True, text=True, env=env, timeout=60, check=False,
    )  # fmt: skip


@pytest.mark.parametrize("folder", ["patches", "up", "up/docker"])
@pytest.mark.parametrize("command", ["status", "apply", "check"])
def test_an_unreadable_folder_is_exit_2_naming_it(project: Path, folder: str, command: str) -> None:
    (project / folder).chmod(0)
    try:
        done = _run_unprivileged(command, *SERIES, cwd=project)
    finally:
        (project / folder).chmod(0o755)
    _refused(done, folder, "Permission denied")
    assert not (project / ".dockerfiles").exists()


def test_an_unreadable_folder_under_a_linted_one_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "d" / "sub").mkdir(parents=True)
    (tmp_path / "d" / "Dockerfile").write_text("FROM a\n")
    (tmp_path / "d" / "sub" / "Dockerfile").write_text("FROM a\n")
    (tmp_path / "d" / "sub").chmod(0)
    try:
        done = _run_unprivileged("lint", "d", cwd=tmp_path)
    finally:
        (tmp_path / "d" / "sub").chmod(0o755)
    _refused(done, "d/sub", "Permission denied")


# -- item 8: stdin that is not UTF-8 -----------------------------------------------------------


@pytest.mark.parametrize("locale", ["C.UTF-8", "C", None])
@pytest.mark.parametrize("command", [("lint", "-"), ("version", "check", "-")])
def test_non_utf8_stdin_is_exit_2_in_every_locale(
    tmp_path: Path, locale: str | None, command: tuple[str, ...]
) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for name in ("LC_ALL", "LANG", "PYTHONUTF8", "PYTHONIOENCODING"):
        env.pop(name, None)
    if locale is None:  # a strict UTF-8 decoder on stdin, as an en_US.UTF-8 locale gives
        env["PYTHONIOENCODING"] = "utf-8:strict"
    else:
        env["LC_ALL"] = locale
    done = subprocess.run(
        [sys.executable, "-m", "patchkit", *command],
        input=b"FROM a\n1.0\xff\n", capture_output=True, env=env, cwd=tmp_path, timeout=60,
    )  # fmt: skip
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 2, err
    assert "<stdin>: not valid UTF-8 at byte offset 10 (byte 0xff)" in err


def test_stdin_keeps_its_bytes(cli: Cli, tmp_path: Path) -> None:
    done = cli("lint", "--fix", "-", input="FROM a\r\nRUN x\r\n", cwd=tmp_path, timeout=60)
    assert done.returncode == 0, done.stderr


# -- item 13: links out of a linted folder ------------------------------------------------------


def test_lint_refuses_a_link_out_of_the_folder(cli: Cli, tmp_path: Path) -> None:
    outside = tmp_path / "secret"
    outside.write_text("root:x:0:0:root:/root:/bin/bash\n")
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "Dockerfile").write_text("FROM a\n")
    (tmp_path / "d" / "Dockerfile.passwd").symlink_to(outside)
    done = cli("lint", "d", cwd=tmp_path, timeout=60)
    _refused(done, "d/Dockerfile.passwd", "outside the folder d", "through a symlink")
    assert "root:x" not in done.stdout + done.stderr


def test_lint_follows_a_link_that_stays_inside(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "Dockerfile").write_text("FROM a\n")
    (tmp_path / "d" / "Dockerfile.alias").symlink_to("Dockerfile")
    assert cli("lint", "d", cwd=tmp_path, timeout=60).returncode == 0
