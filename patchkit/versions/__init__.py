"""Version strings: StartOS ExVer (exactly as the StartOS SDK reads it), PEP 440, SemVer.

This is the API the ``patchkit version`` command calls. It imports neither
``packaging`` nor ``semver`` until a PEP 440 or SemVer function runs.

Check a string (never raises; the result says what is wrong, where, and how to fix it)::

    >>> from patchkit.versions import check
    >>> r = check("0.21.1-rc0:0", "exver")
    >>> r.valid, r.span.start, r.suggestion
    (False, 9, '0.21.1-rc.0:0')

Parse and compare (raises ``VersionSyntaxError``, a ``ValueError``)::

    >>> from patchkit.versions import ExVer
    >>> ExVer.parse("0.21.1-rc.0:0") < ExVer.parse("0.21.1:0")
    True

Convert::

    >>> from patchkit.versions import git_describe_to_pep440, pep440_to_exver
    >>> git_describe_to_pep440("v0.21.1rc0-132-g0b9f2c8")
    '0.21.1rc1.dev132+g0b9f2c8'
    >>> str(pep440_to_exver("0.21.1rc0"))
    '0.21.1-rc.0:0'
"""

from __future__ import annotations

from patchkit.versions._exver_model import ExVer, ExVerPart
from patchkit.versions._range_model import VersionRange
from patchkit.versions.check import SCHEMES, check, check_exver, check_exver_range, validate
from patchkit.versions.convert import (
    Conversion,
    convert,
    exver_to_pep440,
    pep440_to_exver,
    pep440_to_exver_part,
)
from patchkit.versions.describe import GitDescribe, git_describe_to_pep440, parse_git_describe
from patchkit.versions.errors import ConversionError, VersionSyntaxError
from patchkit.versions.exver import parse_exver, parse_range, parse_version_part
from patchkit.versions.pep440 import check_pep440
from patchkit.versions.result import CheckResult
from patchkit.versions.sdk import (
    OrderingHazard,
    sdk_compare,
    sdk_ordering_hazards,
    sdk_satisfied_by,
)
from patchkit.versions.semver import check_semver
from patchkit.versions.suggest import suggest_exver

__all__ = [
    "SCHEMES",
    "CheckResult",
    "Conversion",
    "ConversionError",
    "ExVer",
    "ExVerPart",
    "GitDescribe",
    "OrderingHazard",
    "VersionRange",
    "VersionSyntaxError",
    "check",
    "check_exver",
    "check_exver_range",
    "check_pep440",
    "check_semver",
    "convert",
    "exver_to_pep440",
    "git_describe_to_pep440",
    "parse_exver",
    "parse_git_describe",
    "parse_range",
    "parse_version_part",
    "pep440_to_exver",
    "pep440_to_exver_part",
    "sdk_compare",
    "sdk_ordering_hazards",
    "sdk_satisfied_by",
    "suggest_exver",
    "validate",
]


def __dir__() -> list[str]:
    return list(__all__)
