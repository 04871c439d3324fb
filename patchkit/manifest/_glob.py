"""Repo-relative globs: ``*`` and ``?`` stay inside one path segment, ``**`` spans folders.

Used both to expand the ``manifests`` paths and to test ``version_file_pattern``,
so the two always agree. Folders named ``.git`` and ``node_modules`` are never
entered: they hold other projects' files, not the package's own versions.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

from patchkit._fs import is_temporary, walk_error

__all__ = ["expand", "glob_regex", "matches"]

_SKIP_DIRS = frozenset((".git", "node_modules"))


@functools.cache
def glob_regex(pattern: str) -> re.Pattern[str]:
    """A regex for the repo-relative, ``/``-separated ``pattern``."""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:[^/]*/)*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            close = pattern.find("]", i + 1)
            if close == -1:
                out.append(re.escape(c))
                i += 1
            else:
                body = pattern[i + 1 : close]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body.replace(chr(92), chr(92) * 2)}]")
                i = close + 1
        else:
            out.append(re.escape(c))
            i += 1
    return re.compile("".join(out) + r"\Z")


def matches(path: str, pattern: str) -> bool:
    """True when the repo-relative ``path`` matches ``pattern``."""
    return glob_regex(pattern).match(path) is not None


def expand(root: Path, pattern: str) -> list[str]:
    """Repo-relative paths of the files under ``root`` that match ``pattern``, sorted."""
    if not any(ch in pattern for ch in "*?["):
        return [pattern] if (root / pattern).is_file() else []
    regex = glob_regex(pattern)
    # start the walk at the longest folder prefix without wildcards
    fixed = []
    for part in pattern.split("/")[:-1]:
        if any(ch in part for ch in "*?["):
            break
        fixed.append(part)
    base = root.joinpath(*fixed) if fixed else root
    found: list[str] = []
    if not base.is_dir():
        return found
    for folder, dirs, files in os.walk(base, onerror=walk_error):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS)
        rel_folder = Path(folder).relative_to(root).as_posix()
        for name in files:
            rel = name if rel_folder == "." else f"{rel_folder}/{name}"
            if regex.match(rel) and not is_temporary(name):
                found.append(rel)
    return sorted(found)
