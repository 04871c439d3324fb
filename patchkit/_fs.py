"""File I/O at the boundary: exact reads and atomic writes.

Reads keep every byte (CRLF, BOM, tabs): files are decoded as UTF-8 without
newline translation, and text that is not UTF-8 is refused with the byte
offset of the first bad byte. Writes go to a temporary file in the target's
folder, are fsynced, take the target's mode, and replace it with one rename,
so a reader (or a crash) sees the old file or the new one, never a mix.

Hostile input (issue 21): only regular files are read, at most
``MAX_INPUT_BYTES`` each (a FIFO blocks and ``/dev/zero`` never ends); a folder
that cannot be listed is an ``InputError`` naming it, never a silent gap; and a
temporary file carries its writer's pid, so no glob mistakes it for a target and
a later run can remove the ones a killed writer left (``sweep_temporaries``).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import stat
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO, TypeVar

from patchkit.errors import InputError, WriteError

__all__ = [
    "MAX_INPUT_BYTES",
    "TMP_SUFFIX",
    "StagedWrite",
    "access_error",
    "atomic_write_text",
    "commit_all",
    "decode_source",
    "digest",
    "is_regular_file",
    "is_temporary",
    "list_folder",
    "read_bytes",
    "read_source",
    "read_stdin",
    "stage_write",
    "sweep_temporaries",
    "walk_error",
]


def decode_source(data: bytes, path: str | None = None) -> str:
    """Decode UTF-8 exactly (a BOM stays in the text as U+FEFF)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not valid UTF-8 at byte offset {exc.start} (byte 0x{data[exc.start]:02x}); "
            "patchkit reads Dockerfiles, setup.py, TOML and YAML as UTF-8",
            path,
        ) from exc


#: The most patchkit reads from one file or from stdin. A Dockerfile is kilobytes (vLLM's
#: Dockerfile.cpu repeated 1,000 times is 3.5 MB); a bigger input is a mistake, such as a
#: link to /dev/zero or a log file, that would otherwise be read until memory ran out.
MAX_INPUT_BYTES = 16 * 1024 * 1024


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """A regular file's bytes, or ``InputError`` naming the file and why it cannot be read.

    Only regular files are read (symlinks are followed to one): a FIFO would block
    for ever and a device (``/dev/zero``) never ends, so both are refused, as is a
    file over ``MAX_INPUT_BYTES``. The file is opened non-blocking, so even opening
    a FIFO that no one writes returns at once.
    """
    p = os.fspath(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(p, flags)
    except FileNotFoundError as exc:
        raise InputError("no such file", p) from exc
    except IsADirectoryError as exc:
        raise InputError("is a folder, expected a file", p) from exc
    except PermissionError as exc:
        raise InputError("permission denied while reading", p) from exc
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", p) from exc
    try:
        _check_regular(os.fstat(fd).st_mode, p)
    except BaseException:
        os.close(fd)
        raise
    with open(fd, "rb", closefd=True) as fh:
        try:
            data = fh.read(MAX_INPUT_BYTES + 1)
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror or exc}", p) from exc
    return _check_size(data, p)


def read_stdin(stream: TextIO, label: str = "<stdin>") -> str:
    """The text of ``stream`` (the CLI passes ``sys.stdin``) read as bytes and decoded like a
    file: UTF-8 exactly, whatever the locale says, at most ``MAX_INPUT_BYTES``.

    Reading ``sys.stdin`` as text would depend on the locale: a strict UTF-8 locale
    raises on a bad byte, C.UTF-8 lets it through as a lone surrogate.
    """
    buffer: BinaryIO | None = getattr(stream, "buffer", None)
    if buffer is None:  # already text (a StringIO in tests)
        text = stream.read(MAX_INPUT_BYTES + 1)
        _check_size(text, label)
        return text
    return decode_source(_check_size(buffer.read(MAX_INPUT_BYTES + 1), label), label)


def list_folder(path: str | os.PathLike[str]) -> list[Path]:
    """The entries of a folder, or ``InputError`` naming it when it cannot be listed.

    ``Path.iterdir`` raises a bare ``PermissionError``, and ``Path.glob`` and
    ``os.walk`` skip an unreadable folder without a word (so a patch target in
    it would look deleted upstream): readers list folders through here.
    """
    p = Path(path)
    try:
        return list(p.iterdir())
    except FileNotFoundError as exc:
        raise InputError("no such folder", str(p)) from exc
    except NotADirectoryError as exc:
        raise InputError("is not a folder", str(p)) from exc
    except OSError as exc:
        raise InputError(
            f"cannot list this folder ({exc.strerror or exc}); patchkit needs to read it: "
            "give read and search (r-x) permission, or run as a user who has it",
            str(p),
        ) from exc


def walk_error(exc: OSError) -> None:
    """``os.walk(..., onerror=walk_error)``: an unreadable folder is an error, not a gap."""
    raise access_error(exc) from exc


def access_error(exc: OSError) -> InputError:
    """The ``InputError`` for a file or folder the system would not let patchkit read
    (``PermissionError`` from a ``stat`` or a listing), naming it."""
    return InputError(
        f"cannot be read ({exc.strerror or exc}); patchkit needs to read it: give read "
        "(and, for a folder, search) permission, or run as a user who has it",
        exc.filename if isinstance(exc.filename, str) else None,
    )


def is_regular_file(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is (or links to) a regular file: not a FIFO, device, socket or folder."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def _check_regular(mode: int, path: str) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise InputError("is a folder, expected a file", path)
    kind = (
        "a FIFO (named pipe)"
        if stat.S_ISFIFO(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "not a regular file"
    )
    raise InputError(
        f"is {kind}; patchkit reads only regular files (a pipe or a device may never end). "
        "Give the path of the file itself",
        path,
    )


_Data = TypeVar("_Data", bytes, str)


def _check_size(data: _Data, label: str) -> _Data:
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(
            f"is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MiB, the most patchkit reads "
            "from one input; is it really a Dockerfile, patch or manifest? Give the right file",
            label,
        )
    return data


def read_source(path: str | os.PathLike[str]) -> str:
    """Read a text file byte-exactly, or raise ``InputError`` naming the file and the problem."""
    return decode_source(read_bytes(path), os.fspath(path))


def digest(text: str) -> str:
    """A content fingerprint used to detect a file changed between read and write."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def atomic_write_text(
    path: str | os.PathLike[str],
    text: str,
    *,
    expected_digest: str | None = None,
    mode: int | None = None,
) -> None:
    """Replace ``path`` with ``text`` atomically, keeping the existing file mode.

    ``expected_digest``: when given, the file must still hold the content it had
    when it was read (``digest`` of that text); if someone changed it since, the
    write is refused with ``WriteError`` and the file is left alone. Symlinks are
    refused: replacing one would break the link or write outside the tree.
    """
    stage_write(path, text, expected_digest=expected_digest, mode=mode).commit()


#: Every temporary file patchkit writes is ``.<target name>.<pid>.<random><TMP_SUFFIX>``.
TMP_SUFFIX = ".patchkit-tmp"


def is_temporary(name: str) -> bool:
    """Whether a file name is one of patchkit's temporary files (never a patch target)."""
    return name.startswith(".") and name.endswith(TMP_SUFFIX)


def sweep_temporaries(folders: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Remove the temporary files in ``folders`` that a killed patchkit left behind.

    A file counts as left behind when the process whose pid its name carries is
    gone; a live writer's file (another patchkit running now) is left alone, as
    are names without a pid. Returns the files removed; a folder that cannot be
    listed, or a file that cannot be removed, is skipped (the write that follows
    reports any real problem with the folder).
    """
    removed: list[Path] = []
    for folder in dict.fromkeys(Path(f) for f in folders):
        try:
            names = [e.name for e in os.scandir(folder) if is_temporary(e.name)]
        except OSError:
            continue
        for name in sorted(names):
            pid = _writer_pid(name)
            if pid is None or _alive(pid):
                continue
            try:
                os.unlink(folder / name)
            except OSError:
                continue  # removed by someone else meanwhile, or not ours to remove
            removed.append(folder / name)
    return removed


def _writer_pid(name: str) -> int | None:
    parts = name[: -len(TMP_SUFFIX)].rsplit(".", 2)
    return int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else None


def _alive(pid: int) -> bool:
    if pid == os.getpid() or os.name == "nt":
        return True  # on Windows os.kill(pid, 0) would terminate the process: never probe
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, owned by someone else (EPERM)
    return True


@dataclass(slots=True)
class StagedWrite:
    """New content written and fsynced to a temporary file beside its target, not yet in place.

    ``commit`` puts it in place with one rename (after checking once more that
    the target is as it was read); ``discard`` removes the temporary file. A
    writer of several files stages them all first, so that a full disk or a
    read-only folder is found before any target changes.
    """

    path: Path
    tmp: Path | None
    expected_digest: str | None
    expect_absent: bool = False
    committed: bool = False

    def commit(self) -> None:
        """Rename the temporary file over the target; ``WriteError`` (and discard) on failure."""
        if self.tmp is None:
            raise ValueError(f"{self.path}: this staged write was already committed or discarded")
        try:
            _check_target(self.path, self.expected_digest, self.expect_absent)
            os.replace(self.tmp, self.path)
        except WriteError:
            self.discard()
            raise
        except OSError as exc:
            self.discard()
            raise WriteError(
                f"{self.path}: could not be replaced ({exc.strerror or exc}); it was left as it "
                "was; check the disk and run patchkit again"
            ) from exc
        self.tmp = None
        self.committed = True

    def discard(self) -> None:
        """Remove the temporary file (nothing happens once committed or discarded)."""
        if self.tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.tmp)
            self.tmp = None


def commit_all(staged: Sequence[StagedWrite]) -> None:
    """Rename every staged write into place, in order, then remove what is left of them.

    Stage every file first (``stage_write``), so that a full disk or a read-only
    folder is found before any target changes; a failure here, in the renames
    themselves, says which targets were already replaced.
    """
    done: list[Path] = []
    try:
        for write in staged:
            write.commit()
            done.append(write.path)
    except WriteError as exc:
        if done:
            names = ", ".join(str(d) for d in done)
            raise WriteError(f"{exc}; already replaced before this failure: {names}") from exc
        raise
    finally:
        for write in staged:
            write.discard()


def stage_write(
    path: str | os.PathLike[str],
    text: str,
    *,
    expected_digest: str | None = None,
    mode: int | None = None,
    expect_absent: bool = False,
) -> StagedWrite:
    """Write ``text`` to a temporary file beside ``path`` (fsynced, with the target's mode).

    The checks of ``atomic_write_text`` run now and again at ``commit``;
    ``expect_absent`` refuses a target that exists. On any failure (a full
    disk, a read-only folder, Ctrl-C) the temporary file is removed before the
    error propagates, so nothing is left behind.
    """
    p = Path(path)
    _check_target(p, expected_digest, expect_absent)
    if mode is None:
        try:
            mode = stat.S_IMODE(p.stat().st_mode)
        except FileNotFoundError:
            mode = 0o644
    folder = p.parent if str(p.parent) else Path(".")
    try:
        # the pid in the name lets a later run tell a live writer's file from debris
        fd, tmp = tempfile.mkstemp(
            prefix=f".{p.name}.{os.getpid()}.", suffix=TMP_SUFFIX, dir=folder
        )
    except OSError as exc:
        raise WriteError(
            f"{p}: cannot create a file in {folder} ({exc.strerror or exc}); nothing was "
            "written. Make the folder writable, or choose another output folder (--out)"
        ) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
    except BaseException as exc:  # Ctrl-C too: never leave the temporary file behind
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            hint = (
                "free some disk space and run it again"
                if exc.errno in (errno.ENOSPC, errno.EDQUOT)
                else "check the disk and run it again"
            )
            raise WriteError(
                f"{p}: writing failed ({exc.strerror or exc}); nothing was written, {hint}"
            ) from exc
        raise
    return StagedWrite(p, Path(tmp), expected_digest, expect_absent)


def _check_target(p: Path, expected_digest: str | None, expect_absent: bool) -> None:
    """Refuse a symlink, and a target that is no longer what was read (or that appeared)."""
    if p.is_symlink():
        raise WriteError(
            f"{p}: is a symlink; patchkit does not write through symlinks. Remove the link "
            "(patchkit then writes a regular file) or choose another output folder"
        )
    rerun = "nothing was written; run patchkit again to plan from the current files"
    if expect_absent and p.exists():
        raise WriteError(f"{p}: was created by someone else since patchkit looked; {rerun}")
    if expected_digest is None:
        return
    if not p.exists():
        raise WriteError(f"{p}: was deleted by someone else since patchkit read it; {rerun}")
    try:
        data = read_bytes(p)  # a regular file still (a FIFO put there would block)
    except InputError as exc:
        raise WriteError(
            f"{p}: cannot be read again before writing ({exc.message}); {rerun}"
        ) from exc
    if hashlib.sha256(data).hexdigest() != expected_digest:
        raise WriteError(f"{p}: was changed by someone else since patchkit read it; {rerun}")
