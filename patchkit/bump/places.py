"""The version places a bump rewrites, each as a byte-local edit computed without writing.

Three kinds, all found by the manifest layer (``patchkit.manifest``):

- **the current version** of each variant (the version graph's ``current``, else the one
  version file; ``scan`` and ``find_current``): its upstream part becomes the new
  upstream's ExVer (``crosscheck.current_target``: PKM006's fix), the flavor is kept and
  the downstream revision goes back to 0;
- **constants** (``const VLLM_VERSION = 'v0.33.0'``, a Dockerfile ``ARG`` default, a
  workflow ``env:``) whose name is a configured ``version_constants`` glob, names the
  package (``VLLM_VERSION`` for ``vllm``) or is a setuptools-scm pretend-version variable;
- **build places** (``images.build_version_places``: PKM013's image tags, build args,
  Dockerfile ``FROM`` and ``ARG`` defaults of the package's own upstream).

A constant or a build place is rewritten only when the version written there *is* the
old upstream version (the current version's upstream part, by the StartOS SDK's
equality), and it keeps its spelling: ``v0.33.0`` becomes ``v0.34.0``, ``1.27.2-alpine``
becomes ``1.28.0-alpine``, a PEP 440 ``0.21.1rc0`` stays PEP 440. A value that only
resembles the old version (an image maker's rebuild ``1.5.3.3`` of ``1.5.3``, a tag
labelled ``-beta`` on one side only) is left alone and named in ``skipped``: the
maintainer decides.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from patchkit.engine import UpstreamVersion
    from patchkit.manifest.crosscheck import CurrentVersion
    from patchkit.versions._exver_model import ExVerPart

__all__ = ["Edit", "NewVersion", "respell"]


@dataclass(frozen=True, slots=True)
class NewVersion:
    """The upstream version a bump moves to, in each spelling a place may need.

    ``pep440``: the PEP 440 version (``0.34.0``, ``0.21.2b0``); ``written``: the version as
    the upstream writes it, without a ``v`` (the tag ``v0.21.2-beta`` gives
    ``0.21.2-beta``; with no tag, the PEP 440 text); ``tag``: the tag or value as given
    (None between tags); ``source``: where it came from, in words.
    """

    pep440: str
    written: str
    tag: str | None
    source: str

    @classmethod
    def of(cls, version: UpstreamVersion) -> NewVersion:
        """From the version ``engine.resolve_upstream_version`` decided."""
        as_written = version.tag or str(version.version)
        if as_written[:1] in "vV" and as_written[1:2].isdigit():
            as_written = as_written[1:]
        return cls(str(version.version), as_written, version.tag, version.source)


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``old`` at ``[start, end)`` (character offsets) of the repo file ``path``.

    ``line``/``col`` (1-based) name the place in messages; ``what`` says which place
    it is (``the current version (VARIANT=nvidia)``, ``const VLLM_VERSION``).
    """

    path: str
    start: int
    end: int
    old: str
    new: str
    what: str
    line: int = 0
    col: int = 0


# a git commit id (short or whole), as image makers append it to a release tag
_BUILD_ID = re.compile(r"(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{7,40}")


def respell(value: str, olds: Sequence[ExVerPart], new: NewVersion) -> str | None:
    """``value`` with the old upstream version in it replaced by the new one, spelled alike;
    None when the version written in ``value`` is not exactly one of ``olds``.

    >>> from patchkit.versions.exver import parse_version_part as p
    >>> n = NewVersion("0.34.0", "0.34.0", "v0.34.0", "")
    >>> respell("v0.33.0", [p("0.33.0")], n), respell("0.33-alpine", [p("0.33.0")], n)
    ('v0.34.0', '0.34.0-alpine')
    >>> respell("1.5.3.3", [p("1.5.3")], n) is None
    True
    >>> respell("0.33.0+cu121", [p("0.33.0")], n)
    '0.34.0+cu121'
    >>> respell("0.33.0-de8a3de15", [p("0.33.0")], n) is None  # the old build's commit
    True
    """
    from patchkit.versions.upstream import match_upstream, read_upstream

    prefix = value[:1] if value[:1] in "vV" and value[1:2].isdigit() else ""
    body = value[len(prefix) :]
    for old in olds:
        # as an image tag: a variant suffix (-alpine) is kept, the version before it changes
        match = match_upstream(value, old, tag=True)
        if match is None or not match.same:
            continue
        suffix = match.reading.suffix
        if suffix and not body.endswith(suffix):
            continue
        version_text = body[: len(body) - len(suffix)] if suffix else body
        sep = len(version_text) - len(version_text.rstrip("+-_."))
        if sep:  # the separator before the suffix is the suffix's (0.33.0+cu121)
            version_text, suffix = version_text[:-sep], version_text[-sep:] + suffix
        if _BUILD_ID.fullmatch(suffix.lstrip("+-_.")):
            # a commit id names the old release's build: the new release's tag carries its own
            # (searxng:2026.6.12-de8a3de15), so keeping it would name an image that does not exist
            continue
        exact = read_upstream(version_text)
        if exact is None or exact.suffix or exact.part != old:
            continue  # the same release spelled otherwise (a rebuild 1.5.3.3 of 1.5.3)
        spelled = new.pep440 if exact.how.startswith("PEP 440") else new.written
        return prefix + spelled + suffix
    return None


def current_edits(currents: Sequence[CurrentVersion], new: NewVersion) -> list[Edit]:
    """The current version of each variant, moved to ``new`` (flavor kept, revision 0)."""
    from patchkit.errors import InputError
    from patchkit.manifest.crosscheck import current_target

    out: list[Edit] = []
    for c in currents:
        target = current_target(c.item.text, new.pep440, new.tag)
        where = f"{c.item.path}:{c.item.line}:{c.item.col}"
        if target is None:
            # a bump that leaves the current version behind is no bump: refuse, write nothing
            raise InputError(
                f"{where}: the current version {c.item.text!r} is not a valid ExVer, so bump "
                "cannot tell which part is the upstream's: fix it first (`patchkit check` "
                "says how, PKM001), then bump again"
            )
        if target.same:
            continue
        if target.text is None:
            raise InputError(f"{where}: {target.why}: give a version that has one")
        item = c.item
        if item.end <= item.start:
            continue  # a current the graph names but the scan did not locate: nothing to edit
        what = "the current version" + (f" ({c.variant})" if c.variant else "")
        out.append(
            Edit(
                item.path,
                item.start,
                item.end,
                item.raw or item.text,
                target.text,
                what,
                item.line,
                item.col,
            )
        )
    return out


def old_parts(currents: Sequence[CurrentVersion]) -> list[ExVerPart]:
    """The upstream parts the current versions say (the version being left)."""
    from patchkit.versions.exver import ExVer

    out: list[ExVerPart] = []
    for c in currents:
        try:
            part = ExVer.parse(c.item.text).upstream
        except Exception:  # an invalid current (PKM001): it names no version to leave
            continue
        if part not in out:
            out.append(part)
    return out
