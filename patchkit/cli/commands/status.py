"""`patchkit status`: each patch's state per file (pending, applied, upstream, drifted, skipped)."""

from __future__ import annotations

import argparse
import sys

from patchkit.cli.commands import command_help
from patchkit.cli.options import (
    add_selection_options,
    add_verbosity_options,
    load_cli_config,
    selection_from_args,
    upstream_version_for,
)
from patchkit.cli.range_output import add_range_arguments

NAME = "status"
HELP = command_help(NAME)
DESCRIPTION = (
    HELP + ".\n\n"
    "pending: the change is needed; applied: the file already has it; upstream: upstream\n"
    "fixed it by its own means (retire the patch); drifted: the anchor is gone (see\n"
    "UPDATING.md); skipped: the upstream version is outside the patch's range.\n"
    '--format json prints {"schema": "patchkit/status/v1", "upstream_version", "results":\n'
    "[{patch, file, state, message}]}.\n\n"
    "--range A..B walks the upstream's git history instead and reports, per patch and\n"
    "file, the first commit where the state changes (see docs/guides/upstream.md).\n\n"
    "exit codes: 0 no patch drifted; 1 a patch drifted; 2 bad input; 3 internal error."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_selection_options(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    add_range_arguments(parser)
    add_verbosity_options(
        parser,
        quiet="the drifted patches only, no header (text format; with --range, the patches "
        "that end it drifted)",
        verbose="the configuration file, the upstream version and its source",
    )


def run(args: argparse.Namespace, config: object | None = None) -> int:
    from patchkit import engine
    from patchkit.cli.patch_output import render_states
    from patchkit.series import load_series
    from patchkit.states import PatchState

    if config is None:
        config = load_cli_config()
    sel = selection_from_args(args, config)
    if args.range:
        from patchkit.cli.range_output import run_range

        return run_range(args, sel.upstream, sel.patches, sel.match)
    series = load_series(sel.patches)
    version = upstream_version_for(args, sel, config)
    states = engine.status(series, sel.upstream, version)
    render_states(states, version, args.format, sys.stdout, quiet=args.quiet)
    return 1 if any(s.state is PatchState.DRIFTED for s in states) else 0
