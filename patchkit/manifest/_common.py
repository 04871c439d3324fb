"""Shared pieces of the manifest checks: the diagnostic builder and name rules."""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence

from patchkit.diagnostics import Diagnostic, Severity
from patchkit.manifest.codes import code
from patchkit.manifest.located import LocatedVersion, Unreadable

__all__ = [
    "PRETEND_PREFIXES",
    "Item",
    "diag",
    "is_configured_constant",
    "is_pretend_name",
    "scheme_of",
]

Item = LocatedVersion | Unreadable

#: Variable names setuptools-scm (and vcs-versioning, from 10) read a pretend version from.
PRETEND_PREFIXES = ("SETUPTOOLS_SCM_PRETEND_VERSION", "VCS_VERSIONING_PRETEND_VERSION")
_DEFAULT_SCHEME = {
    "startos-ts": "exver",
    "yaml": "exver",
    "pyproject": "pep440",
    "dockerfile": "pep440",
}


def is_pretend_name(name: str) -> bool:
    """True for ``SETUPTOOLS_SCM_PRETEND_VERSION``, its ``_FOR_<DIST>`` and vcs-versioning forms."""
    return name.startswith(PRETEND_PREFIXES)


def is_configured_constant(name: str, version_constants: Sequence[str]) -> bool:
    """True when ``name`` matches one of the ``version_constants`` globs."""
    return any(fnmatch.fnmatchcase(name, p) for p in version_constants)


def diag(
    name: str,
    item: Item,
    message: str,
    fix: str | None = None,
    *,
    index: int | None = None,
    severity: Severity | None = None,
) -> Diagnostic:
    """A diagnostic with code ``name`` over ``item`` (or from ``text[index]`` of it onwards)."""
    col = item.col
    if index is not None and isinstance(item, LocatedVersion):
        col = item.column_of(index)
    return Diagnostic(
        code=name,
        message=message,
        path=item.path,
        line=item.line,
        col=col,
        severity=severity or code(name).severity,
        end_line=item.end_line or item.line,
        end_col=item.end_col,
        fix=fix,
    )


def scheme_of(item: LocatedVersion | Unreadable) -> str:
    """The scheme an item is validated in: its entry's, else the default of its file kind."""
    return item.scheme or _DEFAULT_SCHEME.get(item.file_kind, "exver")
