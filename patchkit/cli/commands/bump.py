"""`patchkit bump`: move every version place to a new upstream and write the patched copies."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, TextIO

from patchkit.cli.commands import command_help
from patchkit.cli.options import (
    add_output_options,
    add_selection_options,
    add_verbosity_options,
    load_cli_config,
    selection_from_args,
)

if TYPE_CHECKING:
    from patchkit.bump import BumpPlan
    from patchkit.cli.selection import Selection
    from patchkit.engine import UpstreamVersion

NAME = "bump"
HELP = command_help(NAME)
DESCRIPTION = (
    HELP + ".\n\n"
    "For the submodule bump script: move the submodule first (git -C vllm checkout v0.34.0),\n"
    "then run `patchkit bump`. It reads the upstream version from the submodule's git the\n"
    "way setuptools-scm would (REF: a tag or commit the submodule must be checked out at;\n"
    "bump never moves it; never from the configured or recorded version: the old one), or\n"
    "takes VERSION (a PEP 440 version, v-prefix allowed), which must agree with the\n"
    "checkout's version when git can tell it (a tag not fetched is refused).\n"
    "Then, byte for byte in place:\n"
    "  - the current version (each variant's): its upstream part becomes the new one, the\n"
    "    flavor is kept, the downstream revision goes back to 0. With versions/current.ts\n"
    "    it is rewritten there; where each release has its own file (current: v_1_2_0_0 in\n"
    "    versions/index.ts) a new file named like the others is written, a copy of the\n"
    "    current one (its releaseNotes and migrations stay yours to edit), and the graph\n"
    "    makes it current and moves the old one to other;\n"
    "  - constants (VLLM_VERSION, version_constants, pretend-version values), image tags,\n"
    "    build args and Dockerfile FROM/ARG versions that hold the old upstream version,\n"
    "    in the same spelling (v0.33.0 becomes v0.34.0);\n"
    "  - the patched copies of the patch series on the new upstream (as apply writes them).\n"
    "Nothing is written when a patch drifted or any write would fail: every file is staged\n"
    "beside its target first, then renamed; a kill leaves each file whole.\n\n"
    '--format json prints {"schema": "patchkit/bump/v1", "upstream_version", "version_places":\n'
    '[{path, line, col, place, old, new}], "new_files", "patches": [{patch, file, state,\n'
    'message}], "drifted", "out_of_date_copies", "written"}.\n\n'
    "exit codes: 0 done, or nothing to do; 1 --check/--diff found changes to write, or a\n"
    "patch drifted (nothing written); 2 bad input; 3 internal error."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "target",
        nargs="?",
        metavar="REF|VERSION",
        help="a git ref the upstream submodule is checked out at (default HEAD), or the new "
        "upstream version as a PEP 440 string (0.34.0, v0.34.0)",
    )
    add_selection_options(parser)
    parser.add_argument(
        "--out", metavar="DIR", help="output folder for patched copies (default: .dockerfiles)"
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if the bump would change a file"
    )
    parser.add_argument(
        "--diff",
        action="store_true",
        help="write nothing; print a unified diff of every file the bump would write "
        "(exit as --check)",
    )
    add_output_options(parser, ("text", "json"), {"json": "patchkit/bump/v1"})
    add_verbosity_options(
        parser,
        quiet="the drifted patches and errors; no summary when the bump is written, or when "
        "--check finds nothing to change",
    )


def run(args: argparse.Namespace, config: object | None = None) -> int:
    from pathlib import Path

    from patchkit import engine
    from patchkit.bump import NewVersion, plan_bump
    from patchkit.cli.output import report_stream
    from patchkit.config import find_config
    from patchkit.series import load_series

    if config is None:
        config = load_cli_config()
    sel = _selection(args, config)
    version = _version(args, sel, config)
    patch_plan = None
    if sel.upstream and (_patches_given(args, config) or Path(sel.patches).is_dir()):
        series = load_series(sel.patches)
        copies = args.out or getattr(config, "out", None) or engine.DEFAULT_OUT
        patch_plan = engine.plan(series, sel.upstream, version, out=copies)
    the_plan = plan_bump(find_config(Path.cwd()), NewVersion.of(version), patch_plan)
    with report_stream(args.output_file) as stream:
        return _bump(args, the_plan, stream)


def _bump(args: argparse.Namespace, the_plan: BumpPlan, out: TextIO) -> int:
    """Preview or write ``the_plan``; the summary, JSON or diffs go to ``out``."""
    from patchkit.bump import write_bump
    from patchkit.bump.plan import sweep
    from patchkit.bump.report import render_diffs

    preview = args.check or args.diff
    if args.diff:
        render_diffs(the_plan, out)
    if the_plan.drifted:
        if args.format == "json" or not args.diff:
            _report(args, the_plan, None, out, preview=True)
        for s in the_plan.patches.drifted if the_plan.patches else ():
            sys.stderr.write(f"drifted: {s.patch} on {s.file}: {s.message}\n")
        sys.stderr.write(
            "nothing written: fix or retire the drifted patches (patchkit rule PKP001), then bump "
            "again\n"
        )
        return 1
    if preview:
        if args.format == "json" or not (args.diff or (args.quiet and not the_plan.changed)):
            _report(args, the_plan, None, out, preview=True)
        return 1 if the_plan.changed else 0
    swept = sweep(the_plan)
    if swept:
        sys.stderr.write(
            f"removed {len(swept)} temporary file(s) left by an interrupted patchkit run: "
            + ", ".join(map(str, swept))
            + "\n"
        )
    written = write_bump(the_plan)
    if args.format == "json" or not args.quiet:
        _report(args, the_plan, written, out, preview=False)
    return 0


def _patches_given(args: argparse.Namespace, config: object | None) -> bool:
    return bool(getattr(args, "patches", None) or getattr(config, "patches", None))


def _selection(args: argparse.Namespace, config: object | None) -> Selection:
    """The selection, where a package without an upstream tree (no submodule) is one whose
    version is given as VERSION: only its version places are bumped."""
    from patchkit.cli.selection import Selection
    from patchkit.errors import UsageError

    if args.upstream or getattr(config, "upstream", None):
        return selection_from_args(args, config)
    if args.target is None and not args.upstream_version:
        raise UsageError(
            "no upstream tree to read the version from: give the new version "
            "(patchkit bump 0.34.0), or the upstream checkout with --upstream DIR"
        )
    return Selection(upstream="", upstream_version=None, patches="", match=None)


def _report(
    args: argparse.Namespace,
    the_plan: BumpPlan,
    written: list[str] | None,
    out: TextIO,
    *,
    preview: bool,
) -> None:
    from patchkit.bump.report import render_json, render_text

    if args.format == "json":
        render_json(the_plan, out, written=written)
    else:
        render_text(the_plan, out, written=written, preview=preview)


def _version(args: argparse.Namespace, sel: Selection, config: object | None) -> UpstreamVersion:
    """The new upstream version: REF (checked out) or VERSION (--upstream-version is the same),
    else the checkout's own, from git (never the configured or recorded one: the old)."""
    from patchkit.bump.target import resolve_target
    from patchkit.cli.options import info_upstream_version
    from patchkit.errors import UsageError

    target = args.target
    if args.upstream_version:
        if target is not None:
            raise UsageError(
                f"give the new upstream version once: {target!r} or --upstream-version, not both"
            )
        target = args.upstream_version
    version = resolve_target(
        sel.upstream, target, getattr(config, "describe_match", None), sel.match
    )
    info_upstream_version(version, version.source)
    return version
