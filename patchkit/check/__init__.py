"""``patchkit check``: every check of a downstream repo in one CI step.

The downstream repo's ``[tool.patchkit]`` (``patchkit.config``) names the
upstream tree, the patch series, the output folder, the manifest files, the
target platforms and the builder. ``run_check(config)`` runs, against one
upstream version:

- ``manifest``: the version strings of the manifests, validated and
  cross-checked (``patchkit.manifest``, PKM codes);
- ``scm``: the pretend-version variables that the patched Dockerfiles and the
  ``build_files`` set, against what the upstream build reads
  (``patchkit.scm``, PKS codes);
- ``status``: the patch series on the upstream, and the patched copies the
  build uses (PKP codes, ``patchkit.check._status``);
- ``lint``: the lint rules on every Dockerfile the build uses
  (``patchkit.lint``, PKD codes).

It returns a ``CheckReport``; the CLI prints it. Nothing is written.
"""

from __future__ import annotations

from patchkit.check.report import AREAS, SCHEMA, Area, CheckReport
from patchkit.check.run import run_check

__all__ = ["AREAS", "SCHEMA", "Area", "CheckReport", "run_check"]
