"""`patchkit new`: Scaffold a new patch file from the real upstream tree."""

from __future__ import annotations

import argparse

from patchkit.cli.commands import command_help
from patchkit.cli.options import add_selection_options, add_verbosity_options

NAME = "new"
HELP = command_help(NAME)
#: Kept equal to patchkit.transforms.TRANSFORMS by a test (--help may not import it).
KINDS = "cache-mount-id, scm-pretend-version, cache-key-arg, bind-mount-cache-key, insert, replace"
DESCRIPTION = (
    HELP + ".\n\n"
    "Writes PATCHES/NAME.yaml: a patch of the given kind on a Dockerfile of the upstream\n"
    "tree, with parameters that name what is really there (a cache mount without an id, the\n"
    "stage that builds the package, a RUN that bind-mounts another stage), an upstream range\n"
    "starting at the upstream's version, and a worked example cut from the real file. It is\n"
    "chosen so that `patchkit status` shows it pending (next to the patches already there)\n"
    "and `patchkit test NAME` passes. Never overwrites a file.\n\n"
    f"kinds: {KINDS}\n\n"
    "exit codes: 0 written; 2 bad input (name, kind, file, stage, or nothing to change)."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", metavar="NAME", help="the patch id (also the file name)")
    parser.add_argument(
        "--kind", required=True, metavar="KIND", help=f"the transform kind: {KINDS}"
    )
    parser.add_argument(
        "--file",
        metavar="PATH",
        help="the Dockerfile, relative to the upstream root (default: its only Dockerfile, "
        "else the one the series patches)",
    )
    parser.add_argument(
        "--stage", metavar="STAGE", help="the stage (name or 0-based index) to change"
    )
    add_selection_options(parser)
    add_verbosity_options(
        parser,
        quiet="nothing when the file is written (errors only)",
        verbose="the configuration file, the upstream version and its source",
    )


def run(args: argparse.Namespace) -> int:
    import contextlib
    from pathlib import Path

    from patchkit._fs import stage_write
    from patchkit.cli.options import (
        load_cli_config,
        note,
        selection_from_args,
        upstream_version_for,
    )
    from patchkit.errors import PatchkitError, UsageError, WriteError
    from patchkit.scaffold import scaffold_from_tree
    from patchkit.series import load_series, scaffold_kind

    scaffold_kind(args.name, args.kind)  # name and kind first: no tree needed to refuse them
    config = load_cli_config()
    sel = selection_from_args(args, config)
    path = Path(sel.patches) / f"{args.name}.yaml"
    if path.exists() or path.is_symlink():
        raise UsageError(f"{path} already exists; choose another NAME or edit that file")
    series = load_series(sel.patches) if Path(sel.patches).is_dir() else None
    if series is not None and series.get(args.name) is not None:
        other = series.get(args.name)
        raise UsageError(f"patch id {args.name!r} is already used by {other.path}")  # type: ignore[union-attr]
    try:
        version = upstream_version_for(args, sel, config)
    except PatchkitError as exc:
        note(f"the new patch applies to every upstream version: {exc}")
        version = None
    made = scaffold_from_tree(
        args.name,
        args.kind,
        sel.upstream,
        file=args.file,
        stage=args.stage,
        version=version.version if version is not None else None,
        series=series,
    )
    folder = path.parent
    created = [p for p in (folder, *folder.parents) if not p.exists()]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(
            f"{folder}: cannot create the patch folder ({exc.strerror or exc}); nothing was "
            "written. Choose another --patches folder"
        ) from exc
    try:
        write = stage_write(path, made.text, expect_absent=True)
        try:
            write.commit()
        finally:
            write.discard()  # nothing once committed; the temporary file when not
    except BaseException:
        for made_dir in created:  # deepest first: leave no empty folder of ours behind
            with contextlib.suppress(OSError):
                made_dir.rmdir()
        raise
    if args.quiet:
        return 0
    where = made.file + (f", stage {made.stage}" if made.stage else "")
    print(f"created {path}: {args.kind} on {where}")
    print(f"  pending: {made.state_message}")
    print("next: make it yours (the transform, summary and why), then run")
    print(f"  patchkit test {args.name}    and    patchkit status")
    return 0
