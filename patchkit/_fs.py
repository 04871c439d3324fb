"""File I/O at the boundary: exact reads and atomic writes.

Reads keep every byte (CRLF, BOM, tabs): files are decoded as UTF-8 without
newline translation, and text that is not UTF-8 is refused with the byte
offset of the first bad byte. Writes go to a temporary file in the target's
folder, are fsynced, take the target's mode, and replace it with one rename,
so a reader (or a crash) sees the old file or the new one, never a mix.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from patchkit.errors import InputError, WriteError

__all__ = [
    "StagedWrite",
    "atomic_write_text",
    "decode_source",
    "digest",
    "read_bytes",
    "read_source",
    "stage_write",
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


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """A file's bytes, or ``InputError`` naming the file and why it cannot be read."""
    p = os.fspath(path)
    try:
        return Path(p).read_bytes()
    except FileNotFoundError as exc:
        raise InputError("no such file", p) from exc
    except IsADirectoryError as exc:
        raise InputError("is a folder, expected a file", p) from exc
    except PermissionError as exc:
        raise InputError("permission denied while reading", p) from exc
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", p) from exc


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

    def discard(self) -> None:
        """Remove the temporary file (nothing happens once committed or discarded)."""
        if self.tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.tmp)
            self.tmp = None


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
        fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".patchkit-tmp", dir=folder)
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
    try:
        data = p.read_bytes()
    except FileNotFoundError as exc:
        raise WriteError(
            f"{p}: was deleted by someone else since patchkit read it; {rerun}"
        ) from exc
    except OSError as exc:
        raise WriteError(
            f"{p}: cannot be read again before writing ({exc.strerror}); {rerun}"
        ) from exc
    if hashlib.sha256(data).hexdigest() != expected_digest:
        raise WriteError(f"{p}: was changed by someone else since patchkit read it; {rerun}")
