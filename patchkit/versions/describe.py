"""``git describe`` output -> the PEP 440 version setuptools-scm's default scheme computes.

setuptools-scm runs ``git describe --dirty --tags --long --match *[0-9]*``
(``--abbrev=40`` since 9.0) and formats the result with its default schemes,
``guess-next-dev`` and ``node-and-date``. This module does the same on a
describe string, so a bump script can learn the version a build will get
without running the build. Transcribed from setuptools-scm 10.3.4 /
vcs-versioning 2.6.0 (``_git_parse_describe``, ``tag_to_version``,
``guess_next_dev_version``, ``_bump_dev``, ``_bump_regex``,
``_format_local_with_time``, ``combine_version_with_local_parts``) and checked
against it on real repositories (``tests/versions/fixtures/scm_describe.json``):

==================================  ======================================
describe                            setuptools-scm version
==================================  ======================================
``v0.21.1rc0-0-g0b9f2c8``           ``0.21.1rc0`` (on the tag, clean)
``v0.21.1rc0-132-g0b9f2c8``         ``0.21.1rc1.dev132+g0b9f2c8``
``v0.21.1-3-g0b9f2c8-dirty``        ``0.21.2.dev3+g0b9f2c8.d20260702``
``v0.21.1-0-g0b9f2c8-dirty``        ``0.21.2.dev0+g0b9f2c8.d20260702``
``0b9f2c8`` (no tag, 42 commits)    ``0.1.dev42+g0b9f2c8``
==================================  ======================================

The node is ``g`` plus the hash, cut to 10 characters (setuptools-scm >= 9;
8.x printed git's abbreviation as is, which is the same for the usual 7
hex digits). The date is the build's UTC date (``SOURCE_DATE_EPOCH`` when
set); the library takes it as an argument and the CLI supplies it.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from patchkit.versions.errors import ConversionError

__all__ = ["GitDescribe", "git_describe_to_pep440", "looks_like_git_describe", "parse_git_describe"]

# setuptools-scm's own patterns (vcs_versioning/_backends/_git.py, _config.py).
_DESCRIBE_SUFFIX = re.compile(r"^(?P<tag>.+)-(?P<distance>\d+)-g(?P<node>[0-9a-f]+)$")
_DEFAULT_TAG_REGEX = re.compile(r"^(?:[\w-]+-)?(?P<version>[vV]?\d+(?:\.\d+){0,2}[^\+]*)(?:\+.*)?$")
# What `git describe --always` prints when no tag matches: an abbreviated hash.
_BARE_HASH = re.compile(r"^g?(?P<node>[0-9a-f]{4,40})$")
_NODE_LENGTH = 10
_MAX_LENGTH = 1000  # a describe line is short; refuse anything longer before any regex runs


@dataclass(frozen=True, slots=True)
class GitDescribe:
    """A parsed describe line: ``tag`` is ``None`` when the repository has no tag."""

    tag: str | None
    distance: int
    node: str | None  # "g" + hex, as setuptools-scm keeps it
    dirty: bool


def looks_like_git_describe(text: str) -> bool:
    """True for ``TAG-N-gHASH`` with an optional ``-dirty`` (the long form)."""
    if len(text) > _MAX_LENGTH:
        return False
    core = text[:-6] if text.endswith("-dirty") else text
    return _DESCRIBE_SUFFIX.match(core) is not None


def parse_git_describe(text: str, *, untagged: bool | None = None) -> GitDescribe:
    """Split a describe line the way setuptools-scm does.

    A bare hash (``git describe --always`` in a repository without tags) is
    read as "no tag" when it contains a hex letter or ``untagged`` is true;
    anything else without ``-N-gHASH`` is a tag name (a tagged commit).
    """
    if len(text) > _MAX_LENGTH:
        raise ConversionError("too long for a git describe line", text=text[:40] + "…")
    core, dirty = (text[:-6], True) if text.endswith("-dirty") else (text, False)
    if match := _DESCRIBE_SUFFIX.match(core):
        return GitDescribe(match["tag"], int(match["distance"]), "g" + match["node"], dirty)
    bare = _BARE_HASH.match(core)
    if bare and (untagged or (untagged is None and re.search("[a-f]", bare["node"]))):
        return GitDescribe(None, 0, "g" + bare["node"], dirty)
    return GitDescribe(core, 0, None, dirty)


def _tag_version(tag: str, text: str) -> object:
    from packaging.version import InvalidVersion, Version

    match = _DEFAULT_TAG_REGEX.match(tag)
    if match is None:
        raise ConversionError(
            f"setuptools-scm finds no version in the tag {tag!r} (its default tag_regex needs "
            "an optional 'name-' prefix, then a version)",
            text=text,
        )
    found = match["version"]
    try:
        version = Version(found)
    except InvalidVersion:
        raise ConversionError(
            f"the tag {tag!r} holds {found!r}, which is not a PEP 440 version", text=text
        ) from None
    suffix = match.group(0)[match.end("version") :]
    if suffix:
        try:
            return Version(found + suffix)  # setuptools-scm >= 10 keeps a valid "+local" of the tag
        except InvalidVersion:
            pass
    return version


def _guess_next(version: str, text: str) -> str:
    """setuptools-scm's ``guess_next_version``: drop ``.dev0`` or bump the last number."""
    if ".dev" in version:
        prefix, tail = version.rsplit(".dev", 1)
        if tail != "0":
            raise ConversionError(
                f"setuptools-scm refuses to bump {version}: only a tag ending in .dev0 can "
                "be bumped",
                text=text,
            )
        return prefix
    match = re.match(r"(.*?)(\d+)$", version)
    if match is None:  # cannot happen for a normalised PEP 440 version
        raise ConversionError(f"{version} does not end with a number to bump", text=text)
    return f"{match[1]}{int(match[2]) + 1}"


def git_describe_to_pep440(
    text: str,
    *,
    date: datetime.date | None = None,
    untagged_distance: int | None = None,
) -> str:
    """The version setuptools-scm's default scheme computes for a describe line.

    ``date``: the build date for a dirty tree (required then).
    ``untagged_distance``: the commit count for a repository without tags
    (required then; setuptools-scm counts ``git rev-list HEAD``).

    >>> git_describe_to_pep440("v0.21.1rc0-132-g0b9f2c8")
    '0.21.1rc1.dev132+g0b9f2c8'
    """
    from packaging.version import Version

    d = parse_git_describe(text, untagged=True if untagged_distance is not None else None)
    if d.tag is None:
        if untagged_distance is None:
            raise ConversionError(
                "no tag: setuptools-scm then counts all commits (0.1.devN+gHASH); pass that count "
                "(git rev-list --count HEAD)",
                text=text,
            )
        tag: Version = Version("0.0")
        distance = untagged_distance
    else:
        parsed = _tag_version(d.tag, text)
        assert isinstance(parsed, Version)
        tag, distance = parsed, d.distance
    exact = distance == 0 and not d.dirty
    base = Version(tag.public)
    main = str(base) if exact else f"{_guess_next(str(base), text)}.dev{distance}"
    node = d.node[:_NODE_LENGTH] if d.node else None
    if d.dirty and date is None:
        raise ConversionError(
            "the tree is dirty: setuptools-scm adds the build date (.dYYYYMMDD); pass the date",
            text=text,
        )
    stamp = f"d{date:%Y%m%d}" if d.dirty and date is not None else None
    if exact or node is None:
        local = [stamp] if stamp else []
    else:
        local = [node] + ([stamp] if stamp else [])
    parts: list[str] = []
    for segment in ([*tag.local.split(".")] if tag.local else []) + local:
        if segment and segment not in parts:
            parts.append(segment)
    return main + ("+" + ".".join(parts) if parts else "")
