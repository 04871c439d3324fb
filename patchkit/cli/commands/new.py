"""`patchkit new`: Scaffold a new patch file with a worked example."""

from __future__ import annotations

import argparse

NAME = "new"
HELP = "Scaffold a new patch file with a worked example"
DESCRIPTION = (
    HELP + ".\n\n"
    "Writes PATCHES/NAME.yaml for the given transform kind, with its parameters and a\n"
    "worked example that passes 'patchkit test NAME'; edit files, upstream, the\n"
    "parameters and the example to fit. Never overwrites a file."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", metavar="NAME", help="the patch id (also the file name)")
    parser.add_argument(
        "--kind", required=True, help="the transform kind (see the README for the list)"
    )
    parser.add_argument(
        "--patches",
        metavar="DIR",
        default=None,
        help="the patch folder (default: the configured patches, else patches)",
    )


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from patchkit._fs import atomic_write_text
    from patchkit.errors import UsageError
    from patchkit.series import scaffold_patch

    from patchkit.cli.options import configured_patches

    args.patches = configured_patches(args)
    text = scaffold_patch(args.name, args.kind)
    path = Path(args.patches) / f"{args.name}.yaml"
    if path.exists() or path.is_symlink():
        raise UsageError(f"{path} already exists; choose another NAME or edit that file")
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, text)
    print(f"created {path}; check it with: patchkit test {args.name} --patches {args.patches}")
    return 0
