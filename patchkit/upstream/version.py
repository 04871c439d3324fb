"""The upstream checkout's version, from git, as setuptools-scm computes it.

``read_upstream_version(DIR)`` answers what a bump script needs after moving
the upstream submodule: the PEP 440 version the upstream build would give
itself (setuptools-scm from tags and distance), its ExVer upstream part, and a
full ExVer to put in the StartOS manifest. It refuses to guess: a shallow
clone (distances would be wrong) or a checkout without a matching tag is an
error with the command that fixes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from patchkit.upstream.git import Describe, GitError, GitRepo
from patchkit.upstream.scm_version import DEFAULT_MATCH, public_part, scm_version

__all__ = ["UpstreamVersion", "read_upstream_version"]


@dataclass(frozen=True, slots=True)
class UpstreamVersion:
    """The upstream version in every spelling a downstream package needs.

    ``pep440`` is setuptools-scm's full answer (``0.33.1.dev3+g4ba787ec9``),
    ``public`` the same without the local label; ``exver_upstream`` is the
    ExVer upstream part of ``public`` and ``exver`` a full ExVer with the given
    downstream revision (``0.33.0:0``).
    """

    root: str
    match: str
    describe: Describe
    pep440: str
    public: str
    exver_upstream: str
    exver: str
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "upstream": self.root,
            "match": self.match,
            "describe": {
                "tag": self.describe.tag,
                "distance": self.describe.distance,
                "commit": self.describe.node,
                "dirty": self.describe.dirty,
            },
            "pep440": self.pep440,
            "public": self.public,
            "exver_upstream": self.exver_upstream,
            "exver": self.exver,
            "notes": list(self.notes),
        }


def read_upstream_version(
    path: str | Path,
    *,
    match: str = DEFAULT_MATCH,
    today: date | None = None,
    revision: int = 0,
) -> UpstreamVersion:
    """Read the version of the git checkout at ``path``.

    ``match`` is the ``git describe --match`` glob the upstream's own build uses
    (vLLM: ``v[0-9]*``, to skip its crates' ``proto-v*`` tags); ``today`` dates a
    modified checkout's label (setuptools-scm uses the current UTC date, or
    ``SOURCE_DATE_EPOCH``; the CLI passes that, and None means now, UTC);
    ``revision`` is the ExVer downstream revision.

    Raises ``GitError`` (exit 2) for a folder that is not a checkout, a shallow
    clone, no matching tag, or a tag that is not a version.
    """
    from patchkit.versions.errors import ConversionError

    repo = GitRepo.open(path)
    shown = str(path)
    if repo.head() is None:
        if repo.head_is_missing():
            raise GitError(
                "the repository is damaged: HEAD names a commit whose object is missing",
                shown,
                hint=f"run git -C {shown} fsck; fetch the upstream again or clone it afresh",
            )
        raise GitError("the checkout has no commits yet", shown)
    describe = repo.describe(match=match)
    shallow = repo.is_shallow()
    pattern = (
        f"the describe pattern is {match!r} (--match, or describe_match in [tool.patchkit]: "
        "the glob the upstream's own build gives git describe)"
    )
    if shallow and (describe is None or describe.distance != 0):
        head = (repo.head() or "")[:12]
        where = (
            f"the nearest tag git sees is {describe.tag}, {describe.distance} commit(s) back "
            "in what was fetched"
            if describe is not None
            else f"no tag matching {match!r} is among the commits fetched"
        )
        raise GitError(
            f"is a shallow clone and HEAD ({head}) is not on a tag matching {match!r}: {where}; "
            "the commits since the last tag are missing, so the distance setuptools-scm "
            f"counts would be wrong ({pattern})",
            shown,
            hint=f"git -C {shown} fetch --unshallow --tags, then run this again",
        )
    if describe is None:
        tags = repo.tags()
        if tags:
            listing = ", ".join(tags[:5]) + (f" and {len(tags) - 5} more" if len(tags) > 5 else "")
            raise GitError(
                f"no tag reachable from HEAD matches {match!r} (tags here: {listing}); " + pattern,
                shown,
                hint=(
                    "pass the glob the upstream's setup.py gives git describe, "
                    "e.g. --match 'v[0-9]*' (or set describe_match), or fetch the release tags: "
                    f"git -C {shown} fetch --tags"
                ),
            )
        raise GitError(
            "the checkout has no tags, so setuptools-scm would fall back to 0.1.devN: "
            "not a real version",
            shown,
            hint=f"git -C {shown} fetch --tags"
            + (" --unshallow" if shallow else "")
            + "; a clone or submodule update without tags has none",
        )
    if describe.dirty and today is None:
        # setuptools-scm dates a modified tree with the current UTC date
        today = datetime.now(timezone.utc).date()
    try:
        full = scm_version(describe, today)
    except ConversionError as exc:
        raise GitError(
            f"tag {describe.tag!r}: {exc.reason}",
            shown,
            hint="restrict git describe to release tags with --match",
        ) from exc
    public = public_part(full)
    notes: list[str] = []
    exver_up = _exver_upstream(public, notes)
    if describe.dirty:
        notes.append("tracked files are modified: the version carries a date label (.dYYYYMMDD)")
    if describe.distance:
        notes.append(
            f"{describe.distance} commit(s) after tag {describe.tag}: a development version, "
            "not a release"
        )
    if full != public:
        notes.append(f"ExVer has no local label: {full.partition('+')[2]!r} is left out of it")
    return UpstreamVersion(
        root=shown,
        match=match,
        describe=describe,
        pep440=full,
        public=public,
        exver_upstream=exver_up,
        exver=f"{exver_up}:{revision}",
        notes=tuple(notes),
    )


def _exver_upstream(public: str, notes: list[str]) -> str:
    """The ExVer upstream part of ``public``: order-preserving when ExVer can say it.

    A development or post release has no order-preserving ExVer form
    (``patchkit.versions.convert``); the nearest usable one is given, and
    ``notes`` gets why and what it costs.
    """
    from patchkit.versions.convert import pep440_to_exver_part
    from patchkit.versions.errors import ConversionError

    try:
        return str(pep440_to_exver_part(public))
    except ConversionError as exc:
        lenient = str(pep440_to_exver_part(public, drop_local=True, dev="suffix", post="release"))
        cost = f" ({exc.suggestion_note})" if exc.suggestion_note else ""
        notes.append(f"ExVer {lenient} is the nearest form{cost}: {exc.reason}")
        return lenient
