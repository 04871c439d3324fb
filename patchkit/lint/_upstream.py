"""What an upstream project's build honours, for PKD004, from ``patchkit.scm``.

``patchkit.scm`` reads the upstream's ``setup.py`` and ``pyproject.toml``
statically (never running them) and predicts, per admitted setuptools-scm
major, which pretend-version variable a build reads; this module only turns
that into the ``PretendFacts`` a rule consumes.
"""

from __future__ import annotations

import os
from pathlib import Path

from patchkit.lint.base import PretendFacts

__all__ = ["pretend_facts"]

_PROBE = "9999.0.0.dev7"  # a value no fallback or SCM produces


def pretend_facts(root: Path | str) -> PretendFacts | None:
    """The pretend-version names the build of the project at ``root`` reads.

    ``None`` when the project does not get its version from setuptools-scm.
    Raises ``InputError`` when its setup.py/pyproject.toml cannot be read.
    """
    from patchkit.scm.model import honoured_names, load_upstream, simulate

    up = load_upstream(os.fspath(root))
    if not up.uses_scm:
        return None
    per_major = {m: [c.name for c in honoured_names(up, m)[0] if not c.variant] for m in up.majors}
    first = per_major[up.majors[0]]
    everywhere = [n for n in first if all(n in per_major[m] for m in up.majors)]
    feeders = set(up.feeders)
    # pretend names first (the rename target is the first), then setup.py's own feeders
    honoured = tuple(n for n in everywhere if n not in feeders) + tuple(
        n for n in everywhere if n in feeders
    )

    def not_read(name: str) -> tuple[int, ...]:
        missing = []
        for major in up.majors:
            out = simulate(up, major, {name: _PROBE})
            if out.certain and not (out.ok and out.version == _PROBE):
                missing.append(major)
        return tuple(missing)

    where = (
        up.setup_py.path
        if up.setup_py is not None
        else up.pyproject.path
        if up.pyproject
        else up.root
    )
    majors = ", ".join(str(m) for m in up.majors)
    return PretendFacts(honoured, f"{where}, setuptools-scm {majors}", not_read)
