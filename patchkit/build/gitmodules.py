"""``.gitmodules``: the submodules of a repo (name, path, url), with the line of each path.

The file is git-config syntax: ``[submodule "name"]`` sections with
``key = value`` lines; ``#`` and ``;`` start comments; values may be quoted.
Only what patchkit needs is read (path and url); a section without a path
is skipped, as git skips it.
"""

from __future__ import annotations

import re
from pathlib import Path

from patchkit.build.model import Origin, Submodule

__all__ = ["read_gitmodules"]

_SECTION = re.compile(r'\s*\[\s*submodule\s+"((?:[^"\\]|\\.)*)"\s*\]\s*(?:[#;].*)?$')
_OTHER_SECTION = re.compile(r"\s*\[")
_KEY = re.compile(r"\s*([A-Za-z][A-Za-z0-9-]*)\s*=\s*(.*?)\s*$")


def _unquote(value: str) -> str:
    value = re.split(r"\s[#;]", value, maxsplit=1)[0].strip() if '"' not in value else value
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return value


def read_gitmodules(root: Path) -> tuple[Submodule, ...]:
    """The submodules ``root/.gitmodules`` declares (none when there is no such file)."""
    from patchkit._fs import read_source

    path = root / ".gitmodules"
    if not path.is_file():
        return ()
    text = read_source(path)
    found: list[Submodule] = []
    name: str | None = None
    entry: dict[str, tuple[str, int]] = {}

    def flush() -> None:
        if name is not None and "path" in entry:
            value, line = entry["path"]
            url = entry.get("url", (None, 0))[0]
            found.append(Submodule(name, value.strip("/"), url, Origin(".gitmodules", line, 1)))

    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", ";")):
            continue
        m = _SECTION.match(line)
        if m:
            flush()
            name, entry = m.group(1), {}
            continue
        if _OTHER_SECTION.match(line):
            flush()
            name, entry = None, {}
            continue
        kv = _KEY.match(line)
        if kv and name is not None:
            entry[kv.group(1).lower()] = (_unquote(kv.group(2)), number)
    flush()
    return tuple(found)
