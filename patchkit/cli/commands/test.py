"""`patchkit test`: Run the worked examples of patch files."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, TextIO

from patchkit.cli.commands import command_help

if TYPE_CHECKING:
    from patchkit._fs import StagedWrite
    from patchkit.cli.test_output import Result
    from patchkit.update_examples import Update

NAME = "test"
HELP = command_help(NAME)
DESCRIPTION = (
    HELP + ".\n\n"
    "Each example runs its patch alone: 'before' must become 'after' (in the state the\n"
    "example names, if any), and 'after' must come back unchanged. A failing example says\n"
    "which state was expected and which the transform found, with its reason. Placeholder\n"
    "text (TODO, FIXME, XXX, TBD) left in a summary, why, example name or parameter fails\n"
    "too. PATCH is a patch id in --patches or a path to a patch file; with none, every\n"
    "patch of --patches runs.\n\n"
    "--update rewrites the 'after' block of each failing example with what the transform\n"
    "makes (only where it found the state the example expects, never a drifted one),\n"
    "touching nothing else of the file; every file is written atomically, all or none.\n\n"
    "exit codes: 0 all examples pass (after --update: all pass now); 1 an example failed\n"
    "or placeholder text was found; 2 bad input; 3 internal error."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from patchkit.cli.options import add_output_options, add_verbosity_options

    parser.add_argument(
        "patch", nargs="*", metavar="PATCH", help="patch ids or patch files (default: all)"
    )
    parser.add_argument(
        "--patches",
        metavar="DIR",
        default=None,
        help="the patch folder (default: the configured patches, else patches)",
    )
    parser.add_argument(
        "--update",
        action="store_true",
        help="rewrite the 'after' blocks of failing examples from the transform",
    )
    add_output_options(parser, ("text", "json", "junit"))
    add_verbosity_options(
        parser,
        quiet="the failing examples and placeholder text, no ok lines and no summary (text format)",
        verbose="the configuration file and the patch folder",
    )


def run(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from patchkit.cli.options import configured_patches, info
    from patchkit.cli.test_output import Result, render_json, render_junit, render_text
    from patchkit.series import load_patch, load_series

    args.patches = configured_patches(args)
    info(f"patch folder: {args.patches}")
    files = [p for p in args.patch if p.endswith((".yaml", ".yml")) and Path(p).is_file()]
    ids = [p for p in args.patch if p not in files]
    patches = [load_patch(p) for p in files]
    if ids or not args.patch:
        series = load_series(args.patches)
        unknown = [i for i in ids if series.get(i) is None]
        if unknown:
            from patchkit.cli.options import unknown_patches_error

            raise unknown_patches_error(unknown, args.patches, series)
        patches += [p for p in series.patches if not ids or p.id in ids]
    results = [Result.of(p) for p in patches]
    if args.update:
        results = _update(results, sys.stderr)
    from patchkit.cli.output import report_stream

    with report_stream(args.output_file) as out:
        if args.format == "json":
            render_json(results, out)
        elif args.format == "junit":
            out.write(render_junit(results))
        else:
            render_text(results, out, quiet=args.quiet)
    return 1 if any(r.failed for r in results) else 0


def _update(results: list[Result], err: TextIO) -> list[Result]:
    """Rewrite the failing examples' 'after' blocks, all files or none; the results run again."""
    from patchkit._fs import digest, stage_write
    from patchkit.cli.test_output import Result as _Result
    from patchkit.series import parse_patch
    from patchkit.update_examples import updated_text

    staged: list[tuple[Result, Update, StagedWrite]] = []
    notes = []
    try:
        for r in results:
            update = updated_text(r.patch, r.outcomes)
            for index, why in update.refused:
                notes.append(f"not updated: {r.patch.id} example {index + 1}: {why}")
            if update.rewritten:
                write = stage_write(
                    r.patch.path, update.text, expected_digest=digest(r.patch.source)
                )
                staged.append((r, update, write))
        for _, _, write in staged:
            write.commit()
    finally:
        for _, _, write in staged:
            write.discard()
    for r, update, _ in staged:
        shown = ", ".join(str(i + 1) for i in update.rewritten)
        notes.append(f"updated: {r.patch.path}: 'after' of example(s) {shown}")
    for note in notes:
        err.write(note + "\n")
    rewritten = {id(r): parse_patch(u.text, r.patch.path) for r, u, _ in staged}
    return [_Result.of(rewritten.get(id(r), r.patch)) for r in results]
