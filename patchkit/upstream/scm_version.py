"""The version setuptools-scm computes for a checkout, from what ``git describe`` said.

The computation itself (setuptools-scm's default ``guess-next-dev`` and
``node-and-date`` schemes, tag regex, node length) is
:func:`patchkit.versions.describe.git_describe_to_pep440`; this module feeds it
a :class:`~patchkit.upstream.git.Describe` read from the checkout.
``tests/upstream/test_scm_version.py`` compares the result with the real
setuptools-scm 10 (full version) and 8/9 (public version) on throwaway
repositories.

>>> scm_version(Describe("v0.21.1rc0", 2, "47245d29b8932bb76dc9d4ba70fad2af4aaecb27"))
'0.21.1rc1.dev2+g47245d29b'
>>> scm_version(Describe("v0.33.0", 0, "4ba787ec9" + "0" * 31))
'0.33.0'
"""

from __future__ import annotations

from datetime import date

from patchkit.upstream.git import Describe

__all__ = ["DEFAULT_MATCH", "public_part", "scm_version"]

#: setuptools-scm's default ``git describe --match`` glob.
DEFAULT_MATCH = "*[0-9]*"


def scm_version(describe: Describe, today: date | None = None) -> str:
    """The full version (public + local label) setuptools-scm 10 computes for ``describe``.

    ``today`` dates a modified checkout's label and is required only when
    ``describe.dirty`` (the library never reads the clock). Raises
    ``patchkit.versions.errors.ConversionError`` for a tag that is no version.
    """
    from patchkit.versions.describe import git_describe_to_pep440

    line = f"{describe.tag}-{describe.distance}-g{describe.node}" + (
        "-dirty" if describe.dirty else ""
    )
    return git_describe_to_pep440(line, date=today)


def public_part(version: str) -> str:
    """The version without its local label (``0.33.1.dev3+g4ba787ec9`` -> ``0.33.1.dev3``)."""
    return version.partition("+")[0]
