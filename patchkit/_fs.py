"""File I/O at the boundary: exact reads and atomic writes.

Reads keep every byte (CRLF, BOM, tabs): files are decoded as UTF-8 without
newline translation, and text that is not UTF-8 is refused with the byte
offset of the first bad byte. Writes go to a temporary file in the target's
folder, are fsynced, take the target's mode, and replace it with one rename,
so a reader (or a crash) sees the old file or the new one, never a mix.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tempfile
from pathlib import Path

from patchkit.errors import InputError, WriteError

__all__ = ["atomic_write_text", "decode_source", "digest", "read_source"]


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


def read_source(path: str | os.PathLike[str]) -> str:
    """Read a text file byte-exactly, or raise ``InputError`` naming the file and the problem."""
    p = os.fspath(path)
    try:
        data = Path(p).read_bytes()
    except FileNotFoundError as exc:
        raise InputError("no such file", p) from exc
    except IsADirectoryError as exc:
        raise InputError("is a folder, expected a file", p) from exc
    except PermissionError as exc:
        raise InputError("permission denied while reading", p) from exc
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", p) from exc
    return decode_source(data, p)


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
    p = Path(path)
    if p.is_symlink():
        raise WriteError(f"{p}: is a symlink; patchkit does not write through symlinks")
    if expected_digest is not None:
        try:
            current = read_source(p)
        except InputError as exc:
            raise WriteError(f"{p}: changed since it was read ({exc.message})") from exc
        if digest(current) != expected_digest:
            raise WriteError(f"{p}: changed by someone else since it was read; nothing written")
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
            f"{p}: cannot create a temporary file in {folder}: {exc.strerror}"
        ) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, p)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise WriteError(
            f"{p}: write failed ({exc.strerror or exc}); the file was left as it was"
        ) from exc
