"""`patchkit status --range A..B`: its flags and its output.

The work is :func:`patchkit.upstream.history.status_over_range`; this module
only declares ``--range``/``--match`` for the status command and prints the
result as text or as the ``patchkit/status-range/v1`` JSON document::

    {"schema": "patchkit/status-range/v1", "range": "v0.32.0..v0.33.0",
     "start": {"commit", "version"}, "end": {"commit", "version"}, "commits": 412,
     "first_parent": true, "fork_point": null | "<commit>",
     "results": [{"patch", "file", "initial": {"state", "message"},
                  "final": {"state", "message"},
                  "first_change": null | {"commit", "version", "subject",
                                          "from", "state", "message"},
                  "changes": [...]}]}
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from patchkit.upstream.history import RangeStatus, Track

__all__ = ["RANGE_SCHEMA", "add_range_arguments", "render_range", "run_range"]

RANGE_SCHEMA = "patchkit/status-range/v1"


def add_range_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--range`` (argparse only: the CLI starts light); ``--match`` is in options.py."""
    group = parser.add_argument_group("history")
    group.add_argument(
        "--range",
        metavar="A..B",
        help="walk the upstream git history from A to B (tags or commits) and report, for each "
        "patch and file, the first commit where its state changes; reads git objects, checks "
        "nothing out",
    )


def run_range(
    args: argparse.Namespace,
    upstream: str,
    patches: str,
    match: str | None,
    out: TextIO | None = None,
) -> int:
    """Run ``status --range``; exit 1 when a patch ends the range ``drifted``."""
    from patchkit.errors import UsageError
    from patchkit.series import load_series
    from patchkit.upstream.history import status_over_range
    from patchkit.upstream.scm_version import DEFAULT_MATCH

    if getattr(args, "upstream_version", None):
        raise UsageError(
            "--range reads each commit's version from git tags; --upstream-version does not apply"
        )
    series = load_series(patches)
    result = status_over_range(series, upstream, args.range, match=match or DEFAULT_MATCH)
    render_range(result, args.format, out or sys.stdout, quiet=getattr(args, "quiet", False))
    return 1 if any(t.final.name == "drifted" for t in result.tracks) else 0


def render_range(result: RangeStatus, fmt: str, out: TextIO, *, quiet: bool = False) -> None:
    """Text: one block per patch and file, a line per state change; or the JSON document.

    ``quiet`` (-q, text only): only the blocks of the patches that end the range drifted.
    """
    if fmt == "json":
        from patchkit.cli.output import dump_json

        dump_json({"schema": RANGE_SCHEMA, **result.to_json()}, out)
        return
    if quiet:
        _render_tracks([t for t in result.tracks if t.final.name == "drifted"], out)
        return
    out.write(
        f"upstream {result.range}: {result.commits} commit(s) along the first-parent line, "
        f"{result.start_version} ({result.start[:10]}) -> "
        f"{result.end_version} ({result.end[:10]})\n"
    )
    if result.fork_point:
        out.write(
            f"note: the start is not on the end's first-parent line; the walk starts at the fork "
            f"point {result.fork_point[:10]} and compares its first commit with the start\n"
        )
    if not result.tracks:
        out.write("no patches\n")
        return
    _render_tracks(result.tracks, out)


def _render_tracks(tracks: Sequence[Track], out: TextIO) -> None:
    # patch and file in columns, as status prints them
    w_patch = max((len(t.patch) for t in tracks), default=0)
    w_file = max((len(t.file) for t in tracks), default=0)
    for track in tracks:
        head = f"{track.patch:<{w_patch}}  {track.file:<{w_file}}  {track.initial.name}"
        if not track.changes:
            out.write(f"{head}, unchanged over the range\n")
            continue
        out.write(f"{head} at the start\n")
        for change in track.changes:
            out.write(
                f"  {change.commit[:10]} {change.version}  {change.before.name} -> "
                f"{change.after.name}  {change.subject}\n"
            )
            out.write(f"      {change.after.message}\n")
