"""`patchkit status`: each patch's state per file (pending, applied, upstream, drifted, skipped)."""

from __future__ import annotations

import argparse

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
    "fixed it by its own means (retire the patch); drifted: the anchor is gone (patchkit\n"
    "rule PKP001); skipped: the upstream version is outside the patch's range.\n"
    '--format json prints {"schema": "patchkit/status/v1", "upstream_version", "results":\n'
    "[{patch, file, state, message}]}; --format github the table and an annotation at the\n"
    "patch file's anchor line for each drifted patch (PKP001, as check reports it);\n"
    "--format junit one testsuite per patch, a failing testcase per drifted file.\n\n"
    "--range A..B walks the upstream's git history instead and reports, per patch and\n"
    "file, the first commit where the state changes (see docs/guides/upstream.md).\n\n"
    "exit codes: 0 no patch drifted; 1 a patch drifted; 2 bad input; 3 internal error."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_selection_options(parser)
    from patchkit.cli.options import add_output_options

    add_output_options(
        parser,
        ("text", "json", "github", "junit"),
        {
            "github": "the table, then an annotation at the patch file of each drifted patch",
            "junit": "one testsuite per patch, one testcase per file (not with --range)",
        },
    )
    add_range_arguments(parser)
    add_verbosity_options(
        parser,
        quiet="the drifted patches only, no header (text format; with --range, the patches "
        "that end it drifted)",
        verbose="the configuration file, the upstream version and its source",
    )


def run(args: argparse.Namespace, config: object | None = None) -> int:
    from patchkit import engine
    from patchkit.cli.output import report_stream
    from patchkit.cli.state_formats import render_status
    from patchkit.errors import UsageError
    from patchkit.series import load_series
    from patchkit.states import PatchState

    if config is None:
        config = load_cli_config()
    sel = selection_from_args(args, config)
    if args.range:
        from patchkit.cli.range_output import run_range

        if args.format not in ("text", "json"):
            raise UsageError(
                f"--range prints text or json, not {args.format}: drop --format {args.format} "
                "or --range"
            )
        with report_stream(args.output_file) as stream:
            return run_range(args, sel.upstream, sel.patches, sel.match, stream)
    series = load_series(sel.patches)
    version = upstream_version_for(args, sel, config)
    with report_stream(args.output_file) as stream:
        states = engine.status(series, sel.upstream, version)
        render_status(
            states,
            version,
            args.format,
            stream,
            series=series,
            upstream=sel.upstream,
            quiet=args.quiet,
        )
    return 1 if any(s.state is PatchState.DRIFTED for s in states) else 0
