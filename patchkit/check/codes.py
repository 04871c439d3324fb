"""The codes ``patchkit check`` adds to its layers' codes. A published code is never reused.

The layers keep their own ranges (``PKM`` manifest, ``PKS`` scm, ``PKD``
lint); ``check`` adds ``PKP`` for the patch series as the build sees it, and
``PKC`` for the run itself. The area a diagnostic belongs to is its prefix
(``AREA_OF_PREFIX``), which is how the JSON document stays flat.
"""

from __future__ import annotations

from dataclasses import dataclass

from patchkit.diagnostics import Severity

__all__ = ["AREA_OF_PREFIX", "CODES", "Code", "area_of", "code"]


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    name: str
    severity: Severity
    summary: str


CODES: tuple[Code, ...] = (
    Code(
        "PKC001",
        "input-error",
        Severity.ERROR,
        "a file an area needs could not be read or is malformed; the area stopped (exit 2)",
    ),
    Code(
        "PKC002",
        "build-file-missing",
        Severity.WARNING,
        "a build_files entry matches no file",
    ),
    Code(
        "PKC003",
        "build-file-kind",
        Severity.WARNING,
        "a build_files entry names a file neither scm nor lint reads",
    ),
    Code(
        "PKB001",
        "pristine-file-built",
        Severity.ERROR,
        "a build uses the pristine upstream Dockerfile that the patch series rewrites",
    ),
    Code(
        "PKB002",
        "no-pretend-version",
        Severity.ERROR,
        "a source build without usable git metadata (a submodule, .git ignored) of a "
        "setuptools-scm upstream sets no honoured pretend-version variable",
    ),
    Code(
        "PKB003",
        "built-file-missing",
        Severity.WARNING,
        "the Dockerfile a build uses does not exist (generated: which target or script writes it)",
    ),
    Code(
        "PKB004",
        "build-not-read",
        Severity.INFO,
        "a part of the build description (manifest, workflow, bake file) could not be read statically",
    ),
    Code(
        "PKB005",
        "upstream-unusable",
        Severity.WARNING,
        "the upstream tree is not checked out, or its version cannot be told from git",
    ),
    Code(
        "PKB006",
        "pretend-arg-version",
        Severity.ERROR,
        "a build arg that feeds a pretend-version variable holds another version than the upstream",
    ),
    Code(
        "PKP001",
        "patch-drifted",
        Severity.ERROR,
        "a selected patch no longer finds its anchor (or its file) in the upstream tree",
    ),
    Code(
        "PKP002",
        "copy-out-of-date",
        Severity.ERROR,
        "a patched copy in the output folder differs from what the series makes of the upstream",
    ),
    Code(
        "PKP003",
        "copy-not-written",
        Severity.WARNING,
        "a patched copy is not in the output folder yet (an error with --check)",
    ),
    Code(
        "PKP004",
        "patch-upstream",
        Severity.WARNING,
        "upstream already does what a patch does, by its own means: retire the patch",
    ),
    Code(
        "PKP005",
        "patch-warning",
        Severity.WARNING,
        "a transform's warning about the file it patches",
    ),
)

#: Which area of ``patchkit check`` each code prefix belongs to.
AREA_OF_PREFIX: tuple[tuple[str, str], ...] = (
    ("PKM", "manifest"),
    ("PKS", "scm"),
    ("PKP", "status"),
    ("PKD", "lint"),
    ("PKB", "build"),
    ("PKC", "check"),
)


def code(name: str) -> Code:
    """The row for ``name``; ``KeyError`` for an unknown code (a bug of ours)."""
    for row in CODES:
        if row.code == name:
            return row
    raise KeyError(name)


def area_of(diagnostic_code: str) -> str:
    """The area a diagnostic code belongs to (``check`` for codes of no known layer)."""
    for prefix, area in AREA_OF_PREFIX:
        if diagnostic_code.startswith(prefix):
            return area
    return "check"
