"""Small text analyses the rules share: variable references, shell commands, refs and URLs.

These read instruction text the way a reviewer would, not the way a shell
would: they are deliberately tolerant (unbalanced quotes, odd spacing), and
every judgement they make ("is this URL pinned?") is documented where a rule
uses it. Nothing here touches the file system.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = [
    "TARGET_VARYING",
    "Command",
    "assigned_names",
    "commands",
    "is_moving_ref",
    "is_pinned_url",
    "variable_refs",
    "words",
]

# The automatic platform ARGs (``patchkit.dockerfile.PLATFORM_ARGS``) whose value differs
# between the platforms of one multi-platform build.
TARGET_VARYING = ("TARGETPLATFORM", "TARGETARCH")

_VAR = re.compile(
    r"\$(?:\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?P<mod>[^}]*)\}|(?P<plain>[A-Za-z_][A-Za-z0-9_]*))"
)


@dataclass(frozen=True, slots=True)
class VarRef:
    """``$NAME`` or ``${NAME...}`` at ``[start, end)`` of the analysed text."""

    name: str
    start: int
    end: int
    modifier: str  # what follows the name inside braces, e.g. ":-default"


def variable_refs(text: str) -> Iterator[VarRef]:
    """Every ``$NAME`` / ``${NAME…}`` in ``text`` not escaped by a backslash."""
    for m in _VAR.finditer(text):
        slashes = 0
        i = m.start() - 1
        while i >= 0 and text[i] == "\\":
            slashes += 1
            i -= 1
        if slashes % 2:
            continue
        name = m.group("braced") or m.group("plain")
        yield VarRef(name, m.start(), m.end(), m.group("mod") or "")


_ASSIGN = re.compile(
    r"(?:^|[\s;&|(`])(?:export\s+|local\s+|declare\s+(?:-\w+\s+)*|readonly\s+)?([A-Za-z_][A-Za-z0-9_]*)="
)
_FOR_READ = re.compile(r"\b(?:for|read(?:\s+-\w+)*)\s+([A-Za-z_][A-Za-z0-9_]*)\b")


def assigned_names(script: str) -> set[str]:
    """Shell variables a script assigns (``X=…``, ``export X=…``, ``for X in``, ``read X``)."""
    names = {m.group(1) for m in _ASSIGN.finditer(script)}
    names.update(m.group(1) for m in _FOR_READ.finditer(script))
    return names


@dataclass(frozen=True, slots=True)
class Command:
    """One simple command of a shell script: its words and where it starts in the script."""

    words: tuple[str, ...]
    start: int
    end: int
    text: str


_SEPARATORS = re.compile(r"&&|\|\||[;|\n]|\$\(|\)|`")


_WORD = re.compile(r"""(?:[^\s'"\\]+|\\.?|'[^']*'?|"(?:\\.|[^"\\])*"?)+""")
_QUOTED = re.compile(r"""'([^']*)'?|"((?:\\.|[^"\\])*)"?|\\(.?)""")


def words(text: str) -> list[str]:
    """Split into shell words: quotes group and are removed, a backslash escapes one character.

    Tolerant: an unterminated quote runs to the end of the text.
    """
    out = []
    for m in _WORD.finditer(text):
        word = m.group(0)
        if "'" in word or '"' in word or "\\" in word:
            word = _QUOTED.sub(lambda q: q.group(1) or q.group(2) or q.group(3) or "", word)
        out.append(word)
    return out


def commands(script: str) -> Iterator[Command]:
    """Simple commands split at ``&&``, ``||``, ``;``, ``|``, newlines and ``$(…)``.

    Leading assignments (``FOO=bar cmd``) and wrappers (``sudo``, ``env``,
    ``time``, ``exec``) are dropped from ``words`` so ``words[0]`` is the program.
    """
    pos = 0
    for m in [*_SEPARATORS.finditer(script), None]:
        end = m.start() if m else len(script)
        chunk = script[pos:end]
        ws = words(chunk)
        while ws and (re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", ws[0]) or ws[0] in _WRAPPERS):
            ws = ws[1:]
        if ws:
            yield Command(tuple(ws), pos, end, chunk)
        pos = m.end() if m else len(script)


_WRAPPERS = {
    "sudo",
    "env",
    "time",
    "exec",
    "nice",
    "nohup",
    "command",
    "then",
    "do",
    "else",
    "!",
    "{",
    "(",
}

_HEX = re.compile(r"[0-9a-fA-F]{7,64}")
_VERSIONISH = re.compile(r"\d+\.\d+")
# v1.2, pgbouncer_1_24_1, VERSION_1_0_2 (not x86_64)
_TAGGISH = re.compile(r"\d+\.\d+|(?<![A-Za-z0-9])\d+_\d+")
_MOVING_SEGMENT = re.compile(
    r"(?:/|=|^)(latest|nightly|master|main|head|develop|trunk|stable|edge|canary)(?:/|\.|$|&|\?|#)",
    re.IGNORECASE,
)


def is_moving_ref(ref: str) -> bool:
    """Does a git ref name a moving target (a branch) rather than a commit or a release tag?

    Pinned: a commit id (7 to 40 hex digits), or a tag carrying a version
    (``v0.8.1``, ``rocm-6.3.1``, ``v2``). Moving: ``HEAD``, anything with a
    ``/`` (``release/2.4`` is a branch), and any other word (``main``,
    ``develop``, ``my-feature``). ``FETCH_HEAD`` is whatever was fetched, so it
    counts as pinned here and the fetch itself is judged instead.
    """
    ref = ref.strip().strip("'\"")
    if ref.startswith("refs/tags/"):
        ref = ref[len("refs/tags/") :]
    upper = ref.upper()
    if upper == "FETCH_HEAD":
        return False
    if upper == "HEAD" or upper.startswith("ORIGIN/") or "/" in ref:
        return True
    if _HEX.fullmatch(ref):
        return False
    return not (_TAGGISH.search(ref) or re.fullmatch(r"v?\d+", ref))


def is_pinned_url(url: str) -> bool:
    """Does a download URL name one fixed artefact?

    Moving: a path segment ``latest`` or ``nightly``, a branch ``main``/
    ``master``/``develop``/``trunk`` of a GitHub, GitLab, Bitbucket or Codeberg
    URL (raw file or archive), or ``refs/heads/``, even when the file name
    carries a version
    (``/releases/latest/download/tool-1.2-amd64`` is whatever the newest
    release calls its file, ``/nightly/2.4/x.tar.gz`` is rebuilt every night).
    Otherwise a version in the file name wins (``/stable/docker-27.1.1.tgz``,
    ``setup_24.x``: one file, or one release series). Otherwise moving: a
    path segment names another moving target (``/stable/``, ``/edge/``...),
    or the URL carries neither a version nor a digest
    (``https://astral.sh/uv/install.sh``, ``https://sh.rustup.rs``). Pinned:
    it carries a version (``/v0.8.1/``, ``-2.47.tar.xz``, ``_1.1-1_``) or a
    commit/digest (7+ hex digits with both a digit and a letter).
    """
    path = url.split("?", 1)[0].split("#", 1)[0]
    if _ALWAYS_MOVING.search(path) or _BRANCH_PATH.search(path) or "refs/heads/" in url:
        return False
    filename = path.rstrip("/").rsplit("/", 1)[-1]
    if _TAGGISH.search(filename) or _SERIES.search(filename) or "/refs/tags/" in path:
        return True  # .../stable/docker-27.1.1.tgz names one file
    if _MOVING_SEGMENT.search(url):
        return False
    if _VERSIONISH.search(url):
        return True
    for m in _HEX.finditer(url):
        h = m.group(0)
        if re.search(r"\d", h) and re.search(r"[a-fA-F]", h):
            return True
    return False


_ALWAYS_MOVING = re.compile(r"/(?:latest|nightly)(?:/|$)", re.IGNORECASE)
# main/master name a branch on a git forge (not Debian's or Alpine's "main" component)
_BRANCH_PATH = re.compile(
    r"^[a-z]+://(?:raw\.githubusercontent\.com/[^/]+/[^/]+|(?:github\.com|gitlab\.com|"
    r"bitbucket\.org|codeberg\.org)/[^/]+/[^/]+(?:/-)?/(?:raw|blob|archive|tree)(?:/refs/heads)?)"
    r"/(?:main|master|develop|trunk|HEAD)(?:[/.]|$)",
    re.IGNORECASE,
)
_SERIES = re.compile(r"\d+\.x\b")


URL = re.compile(r"""(?:https?|ftp)://[^\s"'`|;<>()]+""")
