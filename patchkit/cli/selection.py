"""``Selection``: which upstream tree, version and patch folder a command works on.

Built by ``patchkit.cli.options.selection_from_args``; kept apart from
``options`` so that declaring the flags (on every ``patchkit --help``) does
not import dataclasses.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Selection"]


@dataclass(frozen=True, slots=True)
class Selection:
    """Which upstream tree, at which version, and which patch folder."""

    upstream: str
    upstream_version: str | None
    patches: str
    match: str | None = None  # git describe --match glob (None: config, then setuptools-scm's)
