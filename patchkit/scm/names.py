"""The grammar of setuptools-scm's environment variable names, per major release.

A pretend-version variable is ``<PREFIX>_<SETTING>`` (generic) or
``<PREFIX>_<SETTING>_FOR_<SUFFIX>`` (for one distribution), where ``PREFIX`` is
``SETUPTOOLS_SCM`` (every release) or ``VCS_VERSIONING`` (10.x only) and
``SETTING`` is ``PRETEND_VERSION`` or ``PRETEND_METADATA`` (9.x and later).

How the ``SUFFIX`` is computed from a distribution name changed twice
(measured in ``research/setuptools-scm.md``, "Dist-name normalisation"):

* 7.x: ``dist_name.upper()``, nothing else (``My.Pkg`` -> ``MY.PKG``);
* 8.x to 10.x: runs of ``-``, ``_``, ``.`` collapse to one ``_``, then upper case
  (``My.Pkg`` -> ``MY_PKG``).

9.x and 10.x also accept *variant spellings* when the exact name is absent:
any suffix whose canonical form (PEP 503) equals the distribution's, with a
logged warning. Those are matched with :func:`is_variant_suffix`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "GENERIC",
    "MAJORS",
    "METADATA",
    "PREFIXES",
    "SETTINGS",
    "SS",
    "VERSION",
    "VV",
    "ParsedName",
    "canonical_dist",
    "dist_suffix",
    "env_name",
    "is_pretend_name",
    "is_variant_suffix",
    "parse_name",
]

#: The setuptools-scm majors patchkit knows the rules of.
MAJORS: tuple[int, ...] = (7, 8, 9, 10)

SS = "SETUPTOOLS_SCM"
VV = "VCS_VERSIONING"
PREFIXES: tuple[str, ...] = (SS, VV)
VERSION = "PRETEND_VERSION"
METADATA = "PRETEND_METADATA"
SETTINGS: tuple[str, ...] = (VERSION, METADATA)
GENERIC = f"{SS}_{VERSION}"

_NAME_RE = re.compile(
    r"^(?P<prefix>SETUPTOOLS_SCM|VCS_VERSIONING)_(?P<setting>PRETEND_VERSION|PRETEND_METADATA)"
    r"(?:_FOR_(?P<suffix>.*))?$"
)
_SEPARATORS = re.compile(r"[-_.]+")


@dataclass(frozen=True, slots=True)
class ParsedName:
    """The parts of a pretend variable name; ``suffix`` is None for a generic name."""

    name: str
    prefix: str
    setting: str
    suffix: str | None

    @property
    def generic(self) -> bool:
        return self.suffix is None


def parse_name(name: str) -> ParsedName | None:
    """Split ``name`` into prefix, setting and ``_FOR_`` suffix, or None if it is not one.

    >>> parse_name("SETUPTOOLS_SCM_PRETEND_VERSION_FOR_VLLM").suffix
    'VLLM'
    """
    m = _NAME_RE.match(name)
    if m is None:
        return None
    return ParsedName(name, m["prefix"], m["setting"], m["suffix"])


def is_pretend_name(name: str) -> bool:
    return _NAME_RE.match(name) is not None


def canonical_dist(dist: str) -> str:
    """PEP 503 canonical form, as ``packaging.utils.canonicalize_name`` computes it."""
    return _SEPARATORS.sub("-", dist).lower()


def dist_suffix(dist: str, major: int) -> str:
    """The exact ``_FOR_<SUFFIX>`` a release looks up first for ``dist``.

    >>> dist_suffix("My.Pkg-name_X", 7), dist_suffix("My.Pkg-name_X", 10)
    ('MY.PKG-NAME_X', 'MY_PKG_NAME_X')
    """
    if major <= 7:
        return dist.upper()
    return _SEPARATORS.sub("_", dist).upper()


def env_name(prefix: str, setting: str, dist: str | None = None, major: int = 10) -> str:
    """``<PREFIX>_<SETTING>`` or ``<PREFIX>_<SETTING>_FOR_<SUFFIX>`` for ``major``."""
    base = f"{prefix}_{setting}"
    return base if dist is None else f"{base}_FOR_{dist_suffix(dist, major)}"


def is_variant_suffix(suffix: str, dist: str) -> bool:
    """True when 9.x/10.x accept ``_FOR_<suffix>`` for ``dist`` as a variant spelling.

    They compare ``canonicalize_name(suffix.lower().replace("_", "-"))`` with the
    canonical distribution name; the exact spelling also satisfies this.
    """
    return bool(suffix) and canonical_dist(suffix.replace("_", "-")) == canonical_dist(dist)
