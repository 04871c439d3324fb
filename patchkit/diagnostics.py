"""Located findings shared by every checker (scm, lint, check, manifest).

A ``Diagnostic`` is a result, not an error: commands count error-severity
diagnostics to decide exit code 1. Renderers live in ``patchkit.cli.output``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

__all__ = ["Code", "Diagnostic", "Severity"]


class Severity(str, Enum):
    """How much a finding matters. Only ``ERROR`` changes the exit code."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding at ``path:line:col`` (1-based), with a code such as ``PKD001``.

    ``message`` says what happens and why in one sentence; ``fix`` says what
    to do (a fix title, or the corrected text) when one is known.
    """

    code: str
    message: str
    path: str
    line: int
    col: int
    severity: Severity = Severity.ERROR
    end_line: int | None = None
    end_col: int | None = None
    fix: str | None = None

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.col, self.code)

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "end_line": self.end_line,
            "end_col": self.end_col,
            "fix": self.fix,
        }


@dataclass(frozen=True, slots=True)
class Code:
    """One row of a layer's code table: what ``patchkit rule CODE`` and the docs say of it.

    ``summary`` is one line (SARIF's ``shortDescription``, ``patchkit rules``);
    ``detail`` says more: what exactly is reported, where, and what to do.
    Lint rules keep theirs in the rule's docstring (``patchkit.lint.docs``).
    """

    code: str
    name: str
    severity: Severity
    summary: str
    detail: str = ""
