"""How apply, status and test print patch states and diffs (text and JSON)."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from patchkit.cli.output import dump_json, use_color

if TYPE_CHECKING:
    from patchkit.engine import Plan, PlannedFile, UpstreamVersion
    from patchkit.states import FileState

__all__ = ["STATUS_SCHEMA", "diff_lines", "render_diff", "render_states"]

STATUS_SCHEMA = "patchkit/status/v1"

_TINT = {"pending": "33", "applied": "32", "upstream": "36", "drifted": "31", "skipped": "2"}


def render_states(
    states: Sequence[FileState],
    version: UpstreamVersion,
    fmt: str,
    out: TextIO,
    *,
    quiet: bool = False,
    plain: bool = False,
) -> None:
    """A table of patch x file x state (text) or the ``patchkit/status/v1`` JSON document.

    ``quiet`` (-q, text only): the drifted rows alone, without the header lines.
    ``plain``: never coloured (the table in front of GitHub annotations).
    """
    if fmt == "json":
        dump_json(
            {
                "schema": STATUS_SCHEMA,
                "upstream_version": str(version),
                "upstream_version_source": version.source,
                "results": [s.to_json() for s in states],
            },
            out,
        )
        return
    if quiet:
        states = [s for s in states if s.state.value == "drifted"]
    else:
        out.write(f"upstream version {version} ({version.source})\n")
    if not states:
        if not quiet:
            out.write("no patches\n")
        return
    color = not plain and use_color(out)
    w_patch = max(len("PATCH"), *(len(s.patch) for s in states))
    w_file = max(len("FILE"), *(len(s.file) for s in states))
    if not quiet:
        out.write(f"{'PATCH':<{w_patch}}  {'FILE':<{w_file}}  {'STATE':<8}  MESSAGE\n")
    for s in states:
        state = f"{s.state.value:<8}"
        if color:
            state = f"\033[{_TINT[s.state.value]}m{state}\033[0m"
        out.write(f"{s.patch:<{w_patch}}  {s.file:<{w_file}}  {state}  {s.message}\n")
        for warning in s.warnings:
            out.write(f"{'':<{w_patch}}  {'':<{w_file}}  warning   {warning}\n")


def diff_lines(f: PlannedFile, suffix: str = "") -> list[str]:
    """The unified diff from an upstream file to its patched text (``suffix`` follows the
    patched file's name)."""
    return list(
        difflib.unified_diff(
            f.original.splitlines(keepends=True),
            f.new.splitlines(keepends=True),
            fromfile=f"{f.source}",
            tofile=f"{f.target}{suffix}",
        )
    )


def render_diff(plan: Plan, out: TextIO, *, suffix: str = "") -> int:
    """Unified diffs from each upstream file to its patched text; returns how many differ.

    ``suffix`` follows the patched file's name (``(cpu-wheel-checksum alone)``)."""
    from patchkit.cli.output import colour_diff

    count = 0
    for f in plan.files:
        if f.new == f.original:
            continue
        count += 1
        out.writelines(colour_diff(diff_lines(f, suffix), out))
    return count
