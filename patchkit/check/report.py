"""What ``patchkit check`` found: one ``Area`` per part of the check, and the whole ``CheckReport``.

An area is one of ``manifest``, ``scm``, ``status``, ``lint`` (``AREAS``):
a one-line summary of what it looked at, and its diagnostics. Its status:

- ``ok``: no error-severity diagnostic (warnings may be there);
- ``failed``: at least one error-severity diagnostic (exit 1);
- ``error``: an input or configuration error stopped it (``PKC001``, exit 2);
- ``skipped``: nothing to check, and the summary says why.

The exit code of the whole check follows DESIGN.md: 2 when an area stopped
on bad input, else 1 when any error-severity diagnostic exists, else 0.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, replace

from patchkit.diagnostics import Diagnostic, Severity

__all__ = ["AREAS", "SCHEMA", "Area", "CheckReport"]

#: The areas, in the order they are reported.
AREAS = ("build", "manifest", "scm", "status", "lint")

#: The ``schema`` field of ``--format json``; a change of shape bumps the version.
SCHEMA = "patchkit/check/v1"


@dataclass(frozen=True, slots=True)
class Area:
    """One part of the check: its name, a one-line summary, and its findings."""

    name: str
    summary: str
    diagnostics: tuple[Diagnostic, ...] = ()
    stopped: bool = False  # an input error stopped it (its PKC001 is in diagnostics)
    skipped: bool = False

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity is Severity.WARNING)

    @property
    def status(self) -> str:
        if self.stopped:
            return "error"
        if self.errors:
            return "failed"
        if self.skipped:
            return "skipped"
        return "ok"

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "status": self.status,
            "summary": self.summary,
            "errors": self.errors,
            "warnings": self.warnings,
        }


@dataclass(frozen=True, slots=True)
class CheckReport:
    """Every area's result, and the upstream version the run used.

    Paths in diagnostics are relative to the repo root (``root``) unless
    ``rebased`` gave them a prefix.
    """

    root: str
    upstream_version: str | None
    upstream_version_source: str | None
    strict: bool
    areas: tuple[Area, ...]

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        found = [d for a in self.areas for d in a.diagnostics]
        return tuple(sorted(found, key=Diagnostic.sort_key))

    @property
    def exit_code(self) -> int:
        if any(a.stopped for a in self.areas):
            return 2
        return 1 if any(a.errors for a in self.areas) else 0

    def area(self, name: str) -> Area:
        return next(a for a in self.areas if a.name == name)

    def json_fields(self) -> dict[str, object]:
        """Everything of the ``patchkit/check/v1`` document but ``schema`` and ``diagnostics``."""
        return {
            "root": self.root,
            "upstream_version": self.upstream_version,
            "upstream_version_source": self.upstream_version_source,
            "strict": self.strict,
            "exit_code": self.exit_code,
            "areas": [a.to_json() for a in self.areas],
        }

    def rebased(self, prefix: str) -> CheckReport:
        """The same report with ``prefix/`` in front of every relative diagnostic path."""
        if prefix in ("", "."):
            return self

        def move(d: Diagnostic) -> Diagnostic:
            if posixpath.isabs(d.path):
                return d
            return replace(d, path=posixpath.normpath(posixpath.join(prefix, d.path)))

        areas = tuple(
            replace(a, diagnostics=tuple(move(d) for d in a.diagnostics)) for a in self.areas
        )
        return replace(self, areas=areas)
