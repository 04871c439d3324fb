"""setuptools-scm pretend-version wiring: which variable will the build actually read?

* :mod:`patchkit.scm.setup_py` reads setup.py through :mod:`ast` (``get_version``
  calls, ``setup()``, ``os.environ`` assignments and their guards), with names
  resolved by Python's scoping rules in :mod:`patchkit.scm._pyscope`;
* :mod:`patchkit.scm.pyproject` reads pyproject.toml with tomlkit (name,
  dynamic version, ``[tool.setuptools_scm]``, admitted setuptools-scm majors);
* :mod:`patchkit.scm.honoured` holds the per-major lookup orders;
* :mod:`patchkit.scm.model` combines them into readers per major and predicts
  what a build does with a given environment;
* :mod:`patchkit.scm.setters` finds where Dockerfiles, shell scripts,
  Makefiles and GitHub workflows set those variables;
* :mod:`patchkit.scm.check` turns both into ``PKS`` diagnostics.

Upstream code is parsed, never imported or run. Import the submodules
directly; this package imports nothing heavy.
"""

from __future__ import annotations

__all__: list[str] = []
