"""The upstream checkout: its version from git, and its history.

- ``git``: a read-only git runner (describe, rev-list, ls-tree, cat-file) on the
  upstream folder, with errors that say what is wrong and how to fix it.
- ``version``: the upstream version the way setuptools-scm computes it from tags
  and distance, as PEP 440 and as the ExVer upstream part.
- ``history``: each patch's state along a range of upstream commits, read from
  git objects without checking anything out.

Nothing here writes to the repository or runs upstream code.
"""

from __future__ import annotations

__all__: list[str] = []
