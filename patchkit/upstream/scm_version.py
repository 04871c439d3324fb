"""The version setuptools-scm computes from ``git describe``, without running setuptools-scm.

setuptools-scm's defaults (``version_scheme = "guess-next-dev"``,
``local_scheme = "node-and-date"``), as vcs-versioning 2.x implements them for
setuptools-scm 10 (what ``setuptools-scm>=8`` resolves to today):

- the tag's version: the default tag regex
  ``^(?:[\\w-]+-)?(?P<version>[vV]?\\d+(?:\\.\\d+){0,2}[^\\+]*)(?:\\+.*)?$`` picks the
  version out of the tag (``v0.21.1rc0`` -> ``0.21.1rc0``, ``release-1.2`` ->
  ``1.2``), which must then parse as PEP 440;
- exactly on the tag with no tracked changes: that version (normalised);
- otherwise *guess next*: a ``.devN`` tag drops its ``.devN`` (N must be 0),
  else the last number of the public version is bumped (``0.33.0`` ->
  ``0.33.1``, ``0.21.1rc0`` -> ``0.21.1rc1``, ``0.10.1.1`` -> ``0.10.1.2``),
  then ``.dev<distance>`` is appended;
- local label: ``+g<node>`` with the node cut to 9 hex digits (10 characters
  with the ``g``) unless the checkout is exactly on the tag, plus
  ``.d<YYYYMMDD>`` (today, UTC, or ``SOURCE_DATE_EPOCH``) when tracked files are
  modified (a modified checkout right on a tag is ``<next>.dev0+g<node>.d<date>``).

setuptools-scm 8.x differs only in the local label (``+g`` + git's default
abbreviation, 7+ hex digits); the public version, which is what patch ranges
and the ExVer use, is the same in 8, 9 and 10 (checked against the real
releases in ``tests/upstream/test_scm_version.py``).

>>> scm_version(Describe("v0.21.1rc0", 2, "47245d29b8932bb76dc9d4ba70fad2af4aaecb27"))
'0.21.1rc1.dev2+g47245d29b'
>>> scm_version(Describe("v0.33.0", 0, "4ba787ec9" + "0" * 31))
'0.33.0'
"""

from __future__ import annotations

import re
from datetime import date

from patchkit.upstream.git import Describe

__all__ = ["DEFAULT_MATCH", "TAG_REGEX", "TagError", "public_part", "scm_version", "tag_version"]

#: setuptools-scm's default ``git describe --match`` glob.
DEFAULT_MATCH = "*[0-9]*"

#: setuptools-scm's default tag regex (vcs_versioning ``DEFAULT_TAG_REGEX``).
TAG_REGEX = re.compile(r"^(?:[\w-]+-)?(?P<version>[vV]?\d+(?:\.\d+){0,2}[^\+]*)(?:\+.*)?$")

# setuptools-scm 10 cuts git nodes to this many characters, "g" included.
_NODE_LENGTH = 10


class TagError(ValueError):
    """A tag that setuptools-scm could not read as a version (it would give up too)."""


def tag_version(tag: str) -> str:
    """The normalised PEP 440 version a tag stands for, as setuptools-scm reads it.

    >>> tag_version("v0.10.1.1"), tag_version("v1.0-rc1"), tag_version("proto-v0.3.0")
    ('0.10.1.1', '1.0rc1', '0.3.0')
    """
    from packaging.version import InvalidVersion, Version

    m = TAG_REGEX.match(tag)
    if m is None:
        raise TagError(f"tag {tag!r} holds no version setuptools-scm can read")
    text = m.group("version")
    try:
        return str(Version(text))
    except InvalidVersion as exc:
        raise TagError(f"tag {tag!r}: {text!r} is not a PEP 440 version") from exc


def _guess_next(version: str) -> str:
    """setuptools-scm's ``guess_next_version`` on a normalised public version."""
    public = version.partition("+")[0]
    if ".dev" in public:
        prefix, tail = public.rsplit(".dev", 1)
        if tail != "0":
            raise TagError(
                f"setuptools-scm cannot bump {version}: a tagged .dev release must end in .dev0"
            )
        return prefix
    m = re.match(r"(.*?)(\d+)$", public)
    if m is None:
        raise TagError(f"setuptools-scm cannot bump {version}: it does not end with a number")
    return f"{m.group(1)}{int(m.group(2)) + 1}"


def scm_version(describe: Describe, today: date | None = None) -> str:
    """The full version (public + local label) setuptools-scm 10 computes for ``describe``.

    ``today`` dates a dirty tree's label; it is required only when
    ``describe.dirty`` (the library never reads the clock itself).
    """
    from packaging.version import Version

    tagged = tag_version(describe.tag)
    if describe.exact:
        return tagged
    if describe.dirty and today is None:
        raise ValueError("a dirty checkout's version needs today's date")
    stamp = f"d{today:%Y%m%d}" if describe.dirty and today is not None else ""
    # Not exact (a distance, or modified files right on the tag): bump, then .devN.
    public = f"{_guess_next(tagged)}.dev{describe.distance}"
    node = ("g" + describe.node)[:_NODE_LENGTH]
    local = node + (f".{stamp}" if stamp else "")
    return str(Version(f"{public}+{local}"))


def public_part(version: str) -> str:
    """The version without its local label (``0.33.1.dev3+g4ba787ec9`` -> ``0.33.1.dev3``)."""
    return version.partition("+")[0]
