"""Manifest scanning: version strings where downstream packages keep them, with exact places.

One finder module per file kind, each yielding ``LocatedVersion`` (a string
and where it is) or ``Unreadable`` (where one should be, and why patchkit could
not read it):

- ``startos_ts``: StartOS TypeScript version files (``VersionInfo.of``, the
  keys of ``migrations.other``, ``.satisfies(...)``, constants such as
  ``VLLM_VERSION``, the version graph's ``current``), on patchkit's one
  TypeScript reader (``patchkit.typescript``); ``startos_graph`` says which
  version is current, per variant;
- ``yaml_files``: top-level ``version:`` of YAML manifests (a StartOS 0.3.x
  ``manifest.yaml`` is EmVer) and ``env:`` entries of workflows (ruamel.yaml);
- ``pyproject``: ``project.version`` (tomlkit);
- ``dockerfile``: ARG/ENV defaults whose names look like versions.

``scan.scan(config)`` runs them as ``[tool.patchkit]`` says; ``check`` holds
the validations and cross-checks (codes PKM001 to PKM012); ``images`` holds
the build's image tags, build args and Dockerfile FROM/ARG against the current
version (PKM013).
"""

from __future__ import annotations

from patchkit.manifest.located import ItemKind, LocatedVersion, Unreadable

__all__ = ["ItemKind", "LocatedVersion", "Unreadable"]
