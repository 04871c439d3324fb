"""patchkit: keep a downstream package's changes to an upstream project honest.

This module imports nothing heavy; the layers live in subpackages:
``patchkit.dockerfile``, ``patchkit.versions``, ``patchkit.scm``,
``patchkit.manifest``, ``patchkit.transforms``, ``patchkit.engine``,
``patchkit.lint``.
"""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
