"""How ``patchkit check`` prints its report: summary lines, then diagnostics (text, json, github).

The diagnostics go through ``patchkit.cli.output.render_diagnostics`` like
every other command's; this module adds the one line per area before them
and the ``patchkit/check/v1`` fields of the JSON document.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from patchkit.cli.output import render_diagnostics, use_color

if TYPE_CHECKING:
    from patchkit.check.report import CheckReport

__all__ = ["display_prefix", "render_check"]

_TINT = {"ok": "32", "failed": "31", "error": "31", "skipped": "2"}


def display_prefix(directory: str) -> str:
    """What to put in front of repo-relative paths so they read from the current folder."""
    here = Path.cwd().resolve()
    target = Path(directory).resolve()
    if target == here:
        return ""
    try:
        return target.relative_to(here).as_posix()
    except ValueError:
        return os.path.relpath(target, here) if target.anchor == here.anchor else str(target)


def render_check(report: CheckReport, fmt: str, out: TextIO, *, quiet: bool = False) -> None:
    """Print ``report``: one summary line per area, then the diagnostics.

    ``quiet`` keeps only error-severity diagnostics (no summary lines, no
    warnings) in the text and github formats; the JSON document is always whole.
    """
    from patchkit.check.report import SCHEMA

    diagnostics = report.diagnostics
    if fmt == "json":
        render_diagnostics(diagnostics, "json", out, schema=SCHEMA, extra=report.json_fields())
        return
    if not quiet:
        color = fmt == "text" and use_color(out)
        width = max(len(a.name) for a in report.areas)
        for area in report.areas:
            status = f"{area.status:<7}"
            if color:
                status = f"\033[{_TINT[area.status]}m{status}\033[0m"
            out.write(f"{area.name:<{width}}  {status}  {area.summary}{_counts(area)}\n")
    render_diagnostics(diagnostics, fmt, out, quiet=quiet)


def _counts(area: object) -> str:
    errors, warnings = getattr(area, "errors", 0), getattr(area, "warnings", 0)
    parts = []
    if errors:
        parts.append(f"{errors} error" + ("" if errors == 1 else "s"))
    if warnings:
        parts.append(f"{warnings} warning" + ("" if warnings == 1 else "s"))
    return f" [{', '.join(parts)}]" if parts else ""


def markdown_summary(report: CheckReport) -> str:
    """The check as Markdown for ``$GITHUB_STEP_SUMMARY``: a table of areas, then the errors."""
    from patchkit.diagnostics import Severity

    lines = ["## patchkit check", "", "| area | status | summary |", "|---|---|---|"]
    for area in report.areas:
        summary = (area.summary + _counts(area)).replace("|", "\\|")
        lines.append(f"| {area.name} | {area.status} | {summary} |")
    errors = [d for d in report.diagnostics if d.severity is Severity.ERROR]
    if errors:
        lines += ["", "### Errors", ""]
        for d in errors:
            fix = f" — fix: {d.fix}" if d.fix else ""
            lines.append(f"- `{d.path}:{d.line}:{d.col}` **{d.code}** {d.message}{fix}")
    return "\n".join(lines) + "\n\n"
