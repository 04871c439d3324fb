"""Patch states along a range of upstream commits, read from git objects.

``status_over_range(series, DIR, "A..B")`` answers the question a maintainer
has before a bump: *where* between the current upstream (A) and the new one
(B) does each patch stop applying cleanly, or become unnecessary because
upstream fixed the problem itself? For every patch and file it reports the
state at A and each commit in the range where that state changes
(``pending`` -> ``drifted``, ``pending`` -> ``upstream``, ...), with the
commit's version and subject.

How it reads history without checking anything out (one process per kind of
query, never one per commit):

- ``git rev-list --first-parent --reverse A..B``: the commits, oldest first,
  along B's first-parent line (the order a branch was built in; side
  branches are seen through their merge commit);
- ``git describe --tags --long --match GLOB c1 c2 ...`` in batches: each
  commit's setuptools-scm version, which selects patches by their
  ``upstream`` range exactly as ``patchkit status`` does for a checkout;
- ``git ls-tree`` of the commit the walk starts from, then ``git log --raw
  --first-parent``: which blob each file has at each commit;
- ``git cat-file --batch``: the content of each distinct blob, parsed and
  inspected once however many commits share it.

A is usually not on B's first-parent line (vLLM tags releases on release
branches): the walk then starts at the fork point, and the first commit's
state is compared with the state at A, so a change that A's branch carried
shows at the first commit. ``fork_point`` in the result says so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from patchkit.states import PatchState
from patchkit.upstream.git import BlobReader, GitError, GitRepo
from patchkit.upstream.scm_version import DEFAULT_MATCH, scm_version
from patchkit.versions.errors import ConversionError

if TYPE_CHECKING:
    from packaging.version import Version

    from patchkit.dockerfile import Dockerfile
    from patchkit.series import Patch, Series
    from patchkit.states import Inspection

__all__ = ["Change", "Point", "RangeStatus", "Track", "glob_regex", "status_over_range"]

_GLOB_CHARS = re.compile(r"[*?\[]")


@dataclass(frozen=True, slots=True)
class Point:
    """A patch's state on one file at one commit (``state`` None: the file is not there)."""

    state: PatchState | None
    message: str

    @property
    def name(self) -> str:
        return self.state.value if self.state is not None else "absent"


@dataclass(frozen=True, slots=True)
class Change:
    """The state of one patch on one file changed at ``commit``."""

    commit: str
    version: str
    subject: str
    before: Point
    after: Point

    def to_json(self) -> dict[str, object]:
        return {
            "commit": self.commit,
            "version": self.version,
            "subject": self.subject,
            "from": self.before.name,
            "state": self.after.name,
            "message": self.after.message,
        }


@dataclass(frozen=True, slots=True)
class Track:
    """One patch on one file over the range: its state at the start and every change."""

    patch: str
    file: str
    initial: Point
    changes: tuple[Change, ...] = ()

    @property
    def final(self) -> Point:
        return self.changes[-1].after if self.changes else self.initial

    @property
    def first_change(self) -> Change | None:
        return self.changes[0] if self.changes else None

    def to_json(self) -> dict[str, object]:
        first = self.first_change
        return {
            "patch": self.patch,
            "file": self.file,
            "initial": {"state": self.initial.name, "message": self.initial.message},
            "final": {"state": self.final.name, "message": self.final.message},
            "first_change": None if first is None else first.to_json(),
            "changes": [c.to_json() for c in self.changes],
        }


@dataclass(frozen=True, slots=True)
class RangeStatus:
    """Every patch and file over ``start..end`` (commit ids are full)."""

    range: str
    start: str
    end: str
    start_version: str
    end_version: str
    commits: int
    fork_point: str | None
    tracks: tuple[Track, ...] = field(default=())

    def to_json(self) -> dict[str, object]:
        return {
            "range": self.range,
            "start": {"commit": self.start, "version": self.start_version},
            "end": {"commit": self.end, "version": self.end_version},
            "commits": self.commits,
            "first_parent": True,
            "fork_point": self.fork_point,
            "results": [t.to_json() for t in self.tracks],
        }


def glob_regex(pattern: str) -> re.Pattern[str]:
    """A patch ``files`` glob as a regex over upstream-relative POSIX paths.

    The same rules as ``pathlib.Path.glob`` (what ``patchkit apply`` uses on a
    folder): ``*`` and ``?`` stay within one path segment, ``**/`` spans any
    number of folders, ``[...]`` is a character class.

    >>> bool(glob_regex("docker/Dockerfile*").match("docker/Dockerfile.cpu"))
    True
    >>> bool(glob_regex("*/Dockerfile").match("a/b/Dockerfile"))
    False
    >>> bool(glob_regex("**/Dockerfile").match("a/b/Dockerfile"))
    True
    """
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append(r"(?:[^/]+/)*")
            i += 3
        elif pattern.startswith("**", i) and i + 2 == len(pattern):
            out.append(r".*")
            i += 2
        elif pattern[i] == "*":
            out.append(r"[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append(r"[^/]")
            i += 1
        elif pattern[i] == "[":
            close = pattern.find("]", i + 2)
            if close == -1:
                out.append(re.escape("["))
                i += 1
                continue
            body = pattern[i + 1 : close]
            if body.startswith("!"):
                body = "^" + body[1:]
            out.append(f"[{body}]")
            i = close + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


def _targets(patch: Patch, tree: dict[str, str]) -> list[tuple[str, str | None]]:
    """``(file, blob or None)`` for each ``files`` entry of ``patch`` in one commit's tree."""
    found: list[tuple[str, str | None]] = []
    for pattern in patch.files:
        if _GLOB_CHARS.search(pattern):
            rx = glob_regex(pattern)
            matches = sorted(p for p in tree if rx.match(p))
            if not matches:
                found.append((pattern, None))
            found.extend((p, tree[p]) for p in matches)
        else:
            found.append((pattern, tree.get(pattern)))
    return found


class _Inspector:
    """Parse each blob once and inspect each (patch, blob) once."""

    def __init__(self, blobs: BlobReader) -> None:
        self._blobs = blobs
        self._trees: dict[str, Dockerfile] = {}
        self._seen: dict[tuple[str, str], Inspection] = {}

    def inspect(self, patch: Patch, path: str, blob: str) -> Inspection:
        key = (patch.id, blob)
        hit = self._seen.get(key)
        if hit is not None:
            return hit
        tree = self._trees.get(blob)
        if tree is None:
            from patchkit.dockerfile import parse

            text = self._blobs.text(blob)
            if text is None:
                raise GitError(f"blob {blob} of {path} is missing from the repository")
            tree = parse(text, path=path)
            self._trees = {blob: tree}  # history is sequential: keep only the latest tree
        from patchkit.states import Inspection
        from patchkit.transforms._regex import patch_analysis

        found = patch_analysis(patch, tree, path)
        result = Inspection(found.state, found.message, found.warnings)
        self._seen[key] = result
        return result


def _point(
    patch: Patch, path: str, blob: str | None, selected: bool, version: str, inspector: _Inspector
) -> Point:
    if not selected:
        spec = str(patch.upstream) or "(any)"
        return Point(PatchState.SKIPPED, f"upstream {version} is outside this patch's range {spec}")
    if blob is None:
        return Point(
            PatchState.DRIFTED,
            f"no file matches {path!r} in the upstream tree; upstream moved or removed it "
            "(what to do: patchkit rule PKP001)",
        )
    found = inspector.inspect(patch, path, blob)
    return Point(found.state, found.message)


def _versions(repo: GitRepo, commits: Sequence[str], match: str) -> dict[str, tuple[str, Version]]:
    from packaging.version import Version

    out: dict[str, tuple[str, Version]] = {}
    for commit, described in repo.describe_many(list(commits), match=match).items():
        if described is None:
            raise GitError(
                f"commit {commit[:12]} has no tag matching {match!r} behind it, so its version "
                "(which selects the patches) is unknown",
                str(repo.root),
                hint="start the range at a tagged release, or fetch the tags (git fetch --tags)",
            )
        try:
            full = scm_version(described)
        except ConversionError as exc:
            raise GitError(
                f"tag {described.tag!r}: {exc.reason}",
                str(repo.root),
                hint="restrict the tags with --match",
            ) from exc
        out[commit] = (full, Version(full))
    return out


def _split_range(rng: str) -> tuple[str, str]:
    if "..." in rng or rng.count("..") != 1:
        raise GitError(f"--range {rng!r}: write it as A..B (for example v0.32.0..v0.33.0)")
    start, end = rng.split("..")
    return start or "HEAD", end or "HEAD"


def status_over_range(
    series: Series,
    upstream: str | Path,
    rng: str,
    *,
    match: str = DEFAULT_MATCH,
) -> RangeStatus:
    """Each patch's state at A and every change of it along ``A..B`` of the checkout ``upstream``.

    Raises ``GitError`` for a folder that is not a checkout, a shallow clone, a
    bad range, or a commit without a version tag behind it.
    """
    repo = GitRepo.open(upstream)
    a_name, b_name = _split_range(rng)
    if repo.is_shallow():
        raise GitError(
            "is a shallow clone: the history of the range is incomplete",
            str(upstream),
            hint=f"git -C {upstream} fetch --unshallow --tags",
        )
    start, end = repo.resolve(a_name), repo.resolve(b_name)
    for name, commit in ((a_name, start), (b_name, end)):
        if commit is None:
            raise GitError(f"--range {rng!r}: {name!r} names no commit", str(upstream))
    assert start is not None and end is not None
    commits = repo.rev_list(f"{start}..{end}")
    if not commits and start != end:
        # B is behind A: git's A..B is empty, and every state would be A's, labelled B
        raise GitError(
            f"--range {rng!r}: {b_name!r} is an ancestor of {a_name!r}, so the range holds "
            "no commits; a range runs from the older commit to the newer one",
            str(upstream),
            hint=f"--range {b_name}..{a_name}",
        )
    versions = _versions(repo, [start, *commits], match)
    changed = dict(repo.changes(f"{start}..{end}"))

    tracks: dict[tuple[str, str], list[Change]] = {}
    current: dict[tuple[str, str], Point] = {}
    initial: dict[tuple[str, str], Point] = {}
    fork_point: str | None = None
    with repo.blob_reader() as blobs:
        inspector = _Inspector(blobs)

        def evaluate(
            tree: dict[str, str], version: tuple[str, Version]
        ) -> dict[tuple[str, str], Point]:
            points: dict[tuple[str, str], Point] = {}
            for patch in series.patches:
                selected = patch.applies_to(version[1])
                for path, blob in _targets(patch, tree):
                    points[(patch.id, path)] = _point(
                        patch, path, blob, selected, version[0], inspector
                    )
            return points

        initial = evaluate(repo.ls_tree(start), versions[start])
        current = dict(initial)
        tree: dict[str, str] = {}
        if commits:
            parent = repo.resolve(f"{commits[0]}^")
            if parent is not None and parent != start:
                fork_point = parent
            tree = repo.ls_tree(parent) if parent is not None else {}
        for commit in commits:
            for ch in changed.get(commit, ()):
                if ch.blob is None:
                    tree.pop(ch.path, None)
                else:
                    tree[ch.path] = ch.blob
            points = evaluate(tree, versions[commit])
            for key in sorted(set(points) | set(current)):
                now = points.get(key, Point(None, "the patch no longer names this file here"))
                before = current.get(key, Point(None, "not named by the patch at the start"))
                if now.state != before.state:
                    tracks.setdefault(key, []).append(
                        Change(commit, versions[commit][0], repo.subject(commit), before, now)
                    )
                    if key not in initial:
                        initial[key] = before
                current[key] = now

    order = {p.id: i for i, p in enumerate(series.patches)}
    result = tuple(
        Track(pid, path, initial[(pid, path)], tuple(tracks.get((pid, path), ())))
        for pid, path in sorted(initial, key=lambda k: (order.get(k[0], len(order)), k[1]))
    )
    return RangeStatus(
        range=rng,
        start=start,
        end=end,
        start_version=versions[start][0],
        end_version=versions[commits[-1]][0] if commits else versions[start][0],
        commits=len(commits),
        fork_point=fork_point,
        tracks=result,
    )
