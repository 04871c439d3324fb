"""The manifest checker's diagnostic codes (PKM range). A published code is never reused.

Each row: code, short name, default severity, and what it means. README's
manifest section documents the same table.
"""

from __future__ import annotations

from dataclasses import dataclass

from patchkit.diagnostics import Severity

__all__ = ["CODES", "Code", "code"]


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    name: str
    severity: Severity
    summary: str


CODES: tuple[Code, ...] = (
    Code(
        "PKM001",
        "invalid-version",
        Severity.ERROR,
        "a version string is not valid in its scheme (ExVer, PEP 440, SemVer); the fix is "
        "suggested",
    ),
    Code(
        "PKM002",
        "migration-not-older",
        Severity.ERROR,
        "a migrations.other key is not older than the version it migrates to",
    ),
    Code(
        "PKM003",
        "constant-disagrees",
        Severity.ERROR,
        "a version constant that feeds image tags disagrees with the upstream or current version",
    ),
    Code(
        "PKM004",
        "file-name-disagrees",
        Severity.ERROR,
        "a version file's name (or its VersionInfo constant) encodes another version than the "
        "one inside",
    ),
    Code(
        "PKM005",
        "unreadable",
        Severity.WARNING,
        "a version value patchkit cannot read statically (template with ${}, expression, "
        "other file)",
    ),
    Code(
        "PKM006",
        "current-not-upstream",
        Severity.ERROR,
        "the upstream part of the current ExVer differs from the upstream version",
    ),
    Code(
        "PKM007",
        "not-normalized",
        Severity.WARNING,
        "a valid version spelled in a form the tools rewrite (leading zeros, v prefix, ...)",
    ),
    Code(
        "PKM008",
        "pretend-version-disagrees",
        Severity.ERROR,
        "a setuptools-scm pretend-version value differs from the upstream version",
    ),
    Code(
        "PKM009",
        "current-unknown",
        Severity.WARNING,
        "the current version cannot be told (none or several are named current)",
    ),
    Code(
        "PKM010",
        "yaml-not-a-string",
        Severity.ERROR,
        "YAML reads an unquoted version as a number or boolean (1.10 becomes 1.1)",
    ),
    Code(
        "PKM011",
        "exver-order-hazard",
        Severity.WARNING,
        "two versions put a number and a word at the same pre-release position, "
        "where the StartOS SDK 2.0.9 compares them wrongly",
    ),
    Code("PKM012", "no-manifest-files", Severity.WARNING, "a manifests entry matches no file"),
    Code(
        "PKM013",
        "build-version-disagrees",
        Severity.ERROR,
        "an image tag, build arg or Dockerfile FROM/ARG of the package's own upstream names "
        "another version than the current one",
    ),
)

_BY_CODE = {c.code: c for c in CODES}


def code(name: str) -> Code:
    """The row for a code such as ``PKM001``."""
    return _BY_CODE[name]
