"""Read an input file as text, or fail with a located error (exit 2).

``patchkit._fs.read_source`` names the byte offset of the first non-UTF-8
byte; here that becomes a ``SourceError`` with line and column, and a NUL
byte (a binary file that happens to decode) is refused the same way.
"""

from __future__ import annotations

import os

from patchkit._fs import read_bytes
from patchkit.errors import SourceError

__all__ = ["read_text"]


def read_text(path: str | os.PathLike[str], kind: str = "text file") -> str:
    """The file's exact text; ``SourceError`` for binary content, ``InputError`` if unreadable."""
    p = os.fspath(path)
    data = read_bytes(p)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        head = data[: exc.start].decode("utf-8", "replace")
        shown = head + data[exc.start :].decode("utf-8", "replace")
        raise SourceError(
            f"binary or non-UTF-8 content (byte 0x{data[exc.start]:02x} "
            f"at byte offset {exc.start}); "
            f"expected a UTF-8 {kind}",
            path=p,
            text=shown,
            offset=len(head),
        ) from exc
    nul = text.find("\x00")
    if nul >= 0:
        raise SourceError(
            f"binary content (NUL byte at offset {nul}); expected a {kind}",
            path=p,
            text=text.replace("\x00", "\N{SYMBOL FOR NULL}"),
            offset=nul,
        )
    return text
