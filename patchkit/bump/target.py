"""``REF|VERSION``: the new upstream version a bump moves to, as the command line names it."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from patchkit.engine import UpstreamVersion

__all__ = ["resolve_target"]


def resolve_target(
    upstream: str, target: str | None, describe_match: str | None, match: str | None
) -> UpstreamVersion:
    """The version a bump moves to: ``target`` as a git ref of the ``upstream`` checkout,
    else as a PEP 440 version; with no ``target``, the checkout's own version.

    bump reads the checked-out tree and never moves it (the submodule bump script moves
    it first), so a ref elsewhere is a ``UsageError`` naming the ``git checkout`` to run.
    The version is read from git as setuptools-scm would (``describe_match``/``match``:
    the tag glob), never from a configured ``upstream_version`` or the version the build
    records: both hold the version being left. A VERSION that is no ref must agree with
    what git reads, when git can tell (a tag not fetched yet, or a typo, would otherwise
    label one tree with another's version); when git cannot tell (no tags, shallow, a
    plain folder) or there is no upstream tree, the VERSION is taken as given.
    """
    from types import SimpleNamespace

    from packaging.version import InvalidVersion, Version

    from patchkit import engine
    from patchkit.errors import PatchkitError, UsageError
    from patchkit.upstream.git import GitError, GitRepo

    repo: GitRepo | None = None
    if upstream:
        try:
            repo = GitRepo.open(upstream)
        except GitError:
            repo = None
    only_match = SimpleNamespace(describe_match=describe_match)

    def from_git() -> UpstreamVersion:
        return engine.resolve_upstream_version(upstream, None, only_match, match=match)

    if target is None:
        if not upstream:
            raise UsageError(
                "no upstream tree to read the version from: give the new version "
                "(patchkit bump 0.34.0), or the upstream checkout with --upstream DIR"
            )
        try:
            return from_git()
        except PatchkitError as exc:
            raise UsageError(
                f"{exc}; bump does not fall back on the version the package records (that "
                "is the version being left): fix that, or give the new version "
                "(patchkit bump 0.34.0)"
            ) from exc
    commit = repo.resolve(target) if repo is not None else None
    if repo is not None and commit is not None:
        head = repo.head()
        if commit != head:
            raise UsageError(
                f"the upstream {upstream} is checked out at {(head or '?')[:12]}, not at "
                f"{target} ({commit[:12]}); bump reads the checked-out tree and never moves "
                f"it: move it first (git -C {upstream} checkout {target}), then run bump again"
            )
        return from_git()
    try:
        Version(target)
    except InvalidVersion:
        where = f"a git ref of {upstream}" if repo is not None else "a git ref"
        raise UsageError(
            f"{target!r} is neither {where} nor a PEP 440 version; give the tag the upstream "
            f"is checked out at{_head_tag(upstream)} or its version"
        ) from None
    given = replace(
        engine.resolve_upstream_version(upstream or ".", target), source="given as VERSION"
    )
    if repo is None:
        return given
    try:
        read = from_git()
    except PatchkitError:
        return given  # git cannot tell: the maintainer's word is all there is
    if read.version != given.version:
        raise UsageError(
            f"{target!r} is not a ref of {upstream}, and the checkout says its version is "
            f"{read.version} ({read.source}): fetch the tag and check it out first "
            f"(git -C {upstream} fetch --tags && git -C {upstream} checkout {target}), "
            "then run bump again"
        )
    return read


def _head_tag(upstream: str) -> str:
    """`` (v0.33.0)``: the tag at the checkout's HEAD, as an example; empty when none."""
    from patchkit.upstream.git import GitError, GitRepo

    try:
        tags = GitRepo.open(upstream).tags_at("HEAD") if upstream else []
    except GitError:
        return ""
    return f" ({tags[0]})" if tags else ""
