"""What an upstream project's build honours, for PKD004, from ``patchkit.scm``."""

from __future__ import annotations

from pathlib import Path

from patchkit.lint.base import PretendFacts

__all__ = ["pretend_facts"]


def pretend_facts(root: Path) -> PretendFacts | None:
    """The pretend-version names the build of the project at ``root`` reads (None: unknown)."""
    return None
