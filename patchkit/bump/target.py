"""``REF|VERSION``: the new upstream version a bump moves to, as the command line names it."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from patchkit.engine import UpstreamVersion

__all__ = ["resolve_target"]


def resolve_target(
    upstream: str, target: str, describe_match: str | None, match: str | None
) -> UpstreamVersion:
    """``target`` as a git ref of the ``upstream`` checkout, else as a PEP 440 version.

    A ref must name the commit the checkout is at: bump reads the checked-out tree and
    never moves it (the submodule bump script moves it first), so a ref elsewhere is a
    ``UsageError`` naming the ``git checkout`` to run. The version is then read from git
    as setuptools-scm would (``describe_match``/``match``: the tag glob), whatever a
    configured ``upstream_version`` says. A target that is no ref is taken as the
    version, given (``upstream`` may be empty: a package without an upstream tree).
    """
    from types import SimpleNamespace

    from packaging.version import InvalidVersion, Version

    from patchkit import engine
    from patchkit.errors import UsageError
    from patchkit.upstream.git import GitError, GitRepo

    repo: GitRepo | None = None
    if upstream:
        try:
            repo = GitRepo.open(upstream)
        except GitError:
            repo = None
    commit = repo.resolve(target) if repo is not None else None
    if repo is not None and commit is not None:
        head = repo.head()
        if commit != head:
            raise UsageError(
                f"the upstream {upstream} is checked out at {(head or '?')[:12]}, not at "
                f"{target} ({commit[:12]}); bump reads the checked-out tree and never moves "
                f"it: move it first (git -C {upstream} checkout {target}), then run bump again"
            )
        only_match = SimpleNamespace(describe_match=describe_match)
        return engine.resolve_upstream_version(upstream, None, only_match, match=match)
    try:
        Version(target)
    except InvalidVersion:
        where = f"a git ref of {upstream}" if repo is not None else "a git ref"
        raise UsageError(
            f"{target!r} is neither {where} nor a PEP 440 version; give the tag the upstream "
            "is checked out at (v0.34.0) or the version (0.34.0)"
        ) from None
    given = engine.resolve_upstream_version(upstream or ".", target)
    return replace(given, source="given as VERSION")
