"""The parser gives the same tree under every supported CPython on the machine.

The scanning patterns use possessive quantifiers where the interpreter's
``re`` implements them correctly (3.11.5 and later) and plain ones before;
Debian 12's system Python 3.11.2 raised ``SystemError: The span of capturing
group is wrong`` on every file when it was given the possessive form. Each
interpreter found here parses the same texts in a subprocess (``patchkit.dockerfile``
needs only the standard library) and must give what this interpreter gives.
"""

from __future__ import annotations

import glob
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from patchkit.dockerfile import parse

ROOT = Path(__file__).resolve().parents[2]

# Debian 12's /usr/bin/python3 is 3.11.2; pyenv carries the other supported minors.
_CANDIDATES = [
    "/usr/bin/python3",
    *sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.*/bin/python3"))),
]

_TEXTS = [
    "FROM a\nRUN b\n",
    "FROM alpine AS base\n# comment\n\nRUN apk add \\\n  # inside\n  curl \\\n  git\nCOPY . /src\n",
    "# escape=`\nFROM windows\nRUN dir `\n  c:\\\n",
    "FROM a\nRUN <<EOF\necho hi\nEOF\nRUN b \\ \n c\n",
    (ROOT / "examples" / "upstream" / "docker" / "Dockerfile.cpu").read_text(encoding="utf-8"),
]

_PROBE = """
import json, sys
sys.path.insert(0, sys.argv[1])
from patchkit.dockerfile import parse
texts = json.load(sys.stdin)
out = []
for text in texts:
    tree = parse(text)
    out.append([str(tree) == text, [(i.keyword, i.start_line, i.end_line) for i in tree.instructions]])
print(json.dumps(out))
"""


def _version(python: str) -> tuple[int, ...] | None:
    try:
        done = subprocess.run(
            [python, "-c", "import sys; print(*sys.version_info[:3])"],
            capture_output=True, text=True, timeout=30, check=True,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    return tuple(int(p) for p in done.stdout.split())


def _interpreters() -> list[str]:
    seen: dict[tuple[int, ...], str] = {}
    for python in _CANDIDATES:
        version = _version(python) if os.access(python, os.X_OK) else None
        if version and version >= (3, 10) and version not in seen:
            seen[version] = python
    return [seen[v] for v in sorted(seen)]


def _expected() -> list[list[object]]:
    out: list[list[object]] = []
    for text in _TEXTS:
        tree = parse(text)
        out.append(
            [str(tree) == text, [[i.keyword, i.start_line, i.end_line] for i in tree.instructions]]
        )
    return out


@pytest.mark.parametrize(
    "python",
    _interpreters() or [pytest.param(None, marks=pytest.mark.skip("no other interpreter"))],
)
def test_every_interpreter_parses_alike(python: str) -> None:
    done = subprocess.run(
        [python, "-c", _PROBE, str(ROOT)],
        input=json.dumps(_TEXTS), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, f"{python} ({_version(python)}): {done.stderr[-2000:]}"
    assert json.loads(done.stdout) == _expected()


def test_this_interpreter_uses_possessive_quantifiers_only_where_re_is_right() -> None:
    from patchkit.dockerfile import parser

    possessive = "+" in (parser._P or "")
    assert possessive == (sys.version_info >= (3, 11, 5))
