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

from typing import TYPE_CHECKING

# ``check`` is imported at once: it is what ``patchkit version check`` runs, and the
# function must shadow the submodule of the same name (importing a submodule sets the
# package attribute of its name, so a lazily published ``check`` could lose to it).
# ``convert`` has the same clash and is imported at once for the same reason.
from patchkit.versions.check import SCHEMES, check, check_exver, check_exver_range, validate
from patchkit.versions.convert import (
    Conversion,
    convert,
    exver_to_pep440,
    pep440_to_exver,
    pep440_to_exver_part,
)

if TYPE_CHECKING:
    from patchkit.versions._exver_model import ExVer, ExVerPart
    from patchkit.versions._range_model import VersionRange
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

# Where each other public name lives. The package imports such a module only when one
# of its names is first used (PEP 562), so `patchkit version check` does not load the
# git-describe, PEP 440, SemVer, suggestion or SDK-ordering code it does not need.
_HOME = {
    "CheckResult": "patchkit.versions.result",
    "ConversionError": "patchkit.versions.errors",
    "ExVer": "patchkit.versions._exver_model",
    "ExVerPart": "patchkit.versions._exver_model",
    "GitDescribe": "patchkit.versions.describe",
    "OrderingHazard": "patchkit.versions.sdk",
    "VersionRange": "patchkit.versions._range_model",
    "VersionSyntaxError": "patchkit.versions.errors",
    "check_pep440": "patchkit.versions.pep440",
    "check_semver": "patchkit.versions.semver",
    "git_describe_to_pep440": "patchkit.versions.describe",
    "parse_exver": "patchkit.versions.exver",
    "parse_git_describe": "patchkit.versions.describe",
    "parse_range": "patchkit.versions.exver",
    "parse_version_part": "patchkit.versions.exver",
    "sdk_compare": "patchkit.versions.sdk",
    "sdk_ordering_hazards": "patchkit.versions.sdk",
    "sdk_satisfied_by": "patchkit.versions.sdk",
    "suggest_exver": "patchkit.versions.suggest",
}

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


def __getattr__(name: str) -> object:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(module), name)
    globals()[name] = value  # later lookups find it without calling __getattr__
    return value
