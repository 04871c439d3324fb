"""`patchkit apply`: Apply the patch series to the upstream Dockerfiles."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from patchkit.cli.commands import command_help
from patchkit.cli.options import (
    add_list_option,
    add_selection_options,
    add_verbosity_options,
    load_cli_config,
    selection_from_args,
    unknown_patches_error,
    upstream_version_for,
)

if TYPE_CHECKING:
    from patchkit.cli.state_formats import ApplyReport
    from patchkit.engine import Plan

NAME = "apply"
HELP = command_help(NAME)
DESCRIPTION = (
    HELP + ".\n\n"
    "Writes patched copies to --out (default .dockerfiles/; the upstream tree stays\n"
    "pristine) or, with --in-place, over the upstream files. Every file is planned and\n"
    "verified (no two patches on one span; the series run again on its output changes\n"
    "nothing) before the first write, and each write is atomic. A drifted patch blocks\n"
    "the write.\n\n"
    "--diff --patch ID shows what one patch does on its own: the upstream files with\n"
    "only that patch applied.\n\n"
    '--format json prints {"schema": "patchkit/apply/v1", "mode", "exit_code", "results":\n'
    '[{patch, file, state, message}], "files": [{file, source, target, action, diff?}]}\n'
    "(action: written, up to date, out of date, changes, no change, blocked); --format\n"
    "github prints annotations at the patch file of each drifted patch and, with\n"
    "--check/--diff, at each out-of-date copy.\n\n"
    "exit codes: 0 written or up to date; 1 --check/--diff found out-of-date files (with\n"
    "--patch: the patch changes something), or a patch drifted; 2 bad input; 3 internal\n"
    "error."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from patchkit.cli.options import add_output_options

    add_selection_options(parser)
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--out", metavar="DIR", help="output folder for patched copies (default: .dockerfiles)"
    )
    where.add_argument(
        "--in-place", action="store_true", help="patch the upstream files themselves"
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a target is out of date"
    )
    parser.add_argument(
        "--diff",
        action="store_true",
        help="write nothing; print each upstream -> patched diff (exit as --check)",
    )
    add_list_option(
        parser,
        "--patch",
        metavar="ID",
        help="with --diff: show only these patches' effect on the upstream files, applied "
        "alone; exit 1 when it changes something",
    )
    add_verbosity_options(
        parser,
        quiet="drifted patches, out-of-date files, warnings and the --diff asked for; "
        "no wrote/up to date lines",
        verbose="the configuration file, the upstream version and its source",
    )
    add_output_options(
        parser,
        ("text", "json", "github"),
        {
            "json": "patchkit/apply/v1: each file's action and each patch's state",
            "github": "an annotation per drifted patch and, with --check/--diff, per "
            "out-of-date copy",
        },
    )


def run(args: argparse.Namespace, config: object | None = None) -> int:
    from patchkit import engine
    from patchkit.cli.output import report_stream
    from patchkit.errors import UsageError
    from patchkit.series import load_series

    if config is None:
        config = load_cli_config()
    sel = selection_from_args(args, config)
    series = load_series(sel.patches)
    only = getattr(args, "patch", None)
    if only:
        if not args.diff:
            raise UsageError(
                "--patch shows one patch's effect and writes nothing: use it with --diff "
                "(apply writes the whole series)"
            )
        unknown = [i for i in only if series.get(i) is None]
        if unknown:
            raise unknown_patches_error(unknown, sel.patches, series)
        series = type(series)(series.directory, tuple(p for p in series.patches if p.id in only))
    version = upstream_version_for(args, sel, config)
    out = args.out or getattr(config, "out", None) or engine.DEFAULT_OUT
    plan = engine.plan(series, sel.upstream, version, out=out, in_place=args.in_place)
    from patchkit.cli.state_formats import ApplyReport

    with report_stream(args.output_file) as stream:
        report = ApplyReport(args, plan, series, sel.upstream, out, only, stream)
        return report.finish(_apply(args, plan, only, report))


def _apply(
    args: argparse.Namespace, plan: Plan, only: list[str] | None, report: ApplyReport
) -> int:
    """Do what the flags ask; fills ``report.actions``; returns the exit code."""
    from patchkit import engine
    from patchkit.cli.patch_output import render_diff

    for s in plan.states:
        for warning in s.warnings:
            sys.stderr.write(f"warning: {s.patch} on {s.file}: {warning}\n")
    if plan.drifted:
        for s in plan.drifted:
            sys.stderr.write(f"drifted: {s.patch} on {s.file}: {s.message}\n")
        sys.stderr.write(
            "nothing written: fix or retire the drifted patches (patchkit rule PKP001)\n"
        )
        report.set_all("blocked")
        return 1
    text = report.fmt in ("text", "github")
    if only:
        if text:
            render_diff(plan, report.stream, suffix=f" ({', '.join(only)} alone)")
        for f in plan.files:
            report.actions[f.rel] = "changes" if f.new != f.original else "no change"
        changed = any(f.new != f.original for f in plan.files)
        for s in plan.states:
            sys.stderr.write(f"{s.patch} on {s.file}: {s.state.value}: {s.message}\n")
        sys.stderr.write("nothing written (--diff --patch shows one patch's effect alone)\n")
        return 1 if changed else 0
    if args.diff and text:
        render_diff(plan, report.stream)
    if args.check or args.diff:
        stale = engine.check_targets(plan)
        report.set_all("up to date")
        for f in stale:
            report.actions[f.rel] = "out of date"
            sys.stderr.write(f"out of date: {f.target}\n")
        if not stale and not args.quiet:
            sys.stderr.write(f"up to date: {len(plan.files)} file(s) at upstream {plan.upstream}\n")
        return 1 if stale else 0
    swept = engine.sweep(plan)
    if swept:
        sys.stderr.write(
            f"removed {len(swept)} temporary file(s) left by an interrupted patchkit run: "
            + ", ".join(map(str, swept))
            + "\n"
        )
    written = engine.write_plan(plan)
    report.set_all("up to date")
    for f in written:
        report.actions[f.rel] = "written"
        if text and not args.quiet:
            report.stream.write(f"wrote {f.target}\n")
    if not written and text and not args.quiet:
        report.stream.write(f"up to date: {len(plan.files)} file(s) at upstream {plan.upstream}\n")
    return 0
