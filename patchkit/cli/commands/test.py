"""`patchkit test`: Run the worked examples of patch files."""

from __future__ import annotations

import argparse
import sys

NAME = "test"
HELP = "Run the worked examples of patch files"
DESCRIPTION = (
    HELP + ".\n\n"
    "Each example runs its patch alone: 'before' must become 'after' (in the state the\n"
    "example names, if any), and 'after' must come back unchanged. PATCH is a patch id\n"
    "in --patches or a path to a patch file; with none, every patch of --patches runs.\n\n"
    "exit codes: 0 all examples pass; 1 an example failed; 2 bad input; 3 internal error."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "patch", nargs="*", metavar="PATCH", help="patch ids or patch files (default: all)"
    )
    parser.add_argument(
        "--patches",
        metavar="DIR",
        default=None,
        help="the patch folder (default: the configured patches, else patches)",
    )


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from patchkit.engine import run_examples
    from patchkit.errors import UsageError
    from patchkit.series import load_patch, load_series

    from patchkit.cli.options import configured_patches

    args.patches = configured_patches(args)
    files = [p for p in args.patch if p.endswith((".yaml", ".yml")) and Path(p).is_file()]
    ids = [p for p in args.patch if p not in files]
    patches = [load_patch(p) for p in files]
    if ids or not args.patch:
        series = load_series(args.patches)
        unknown = [i for i in ids if series.get(i) is None]
        if unknown:
            known = ", ".join(p.id for p in series.patches) or "none"
            raise UsageError(
                f"no patch {', '.join(map(repr, unknown))} in {args.patches} (patches: {known})"
            )
        patches += [p for p in series.patches if not ids or p.id in ids]
    failed = total = 0
    for patch in patches:
        if not patch.examples:
            print(f"warn  {patch.id}: no examples")
        for outcome in run_examples(patch):
            total += 1
            failed += not outcome.ok
            print(f"{'ok  ' if outcome.ok else 'FAIL'}  {outcome.label}: {outcome.check}")
            if not outcome.ok:
                sys.stdout.write("".join(f"      {line}\n" for line in outcome.detail.splitlines()))
    print(f"{total} checks, {failed} failed, {len(patches)} patch(es)")
    return 1 if failed else 0
