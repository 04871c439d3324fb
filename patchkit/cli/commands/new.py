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


#: Longest patch name: the file is NAME.yaml, and while it is written a temporary
#: ``.NAME.yaml.<pid>.<random>.patchkit-tmp`` beside it must fit in 255 bytes too.
MAX_NAME = 100


def run(args: argparse.Namespace) -> int:
    import contextlib
    from pathlib import Path

    from patchkit._fs import atomic_write_text
    from patchkit.cli.options import configured_patches
    from patchkit.errors import UsageError, WriteError
    from patchkit.series import scaffold_patch

    if len(args.name.encode("utf-8")) > MAX_NAME:
        raise UsageError(
            f"patch name {args.name[:40]}... is {len(args.name)} characters; use at most "
            f"{MAX_NAME} (it becomes the id and the file name)"
        )
    args.patches = configured_patches(args)
    text = scaffold_patch(args.name, args.kind)
    folder = Path(args.patches)
    path = folder / f"{args.name}.yaml"
    if path.exists() or path.is_symlink():
        raise UsageError(f"{path} already exists; choose another NAME or edit that file")
    created = [p for p in (folder, *folder.parents) if not p.exists()]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(
            f"{folder}: cannot create the patch folder ({exc.strerror or exc}); nothing was "
            "written. Choose another --patches folder"
        ) from exc
    try:
        atomic_write_text(path, text)
    except BaseException:
        for made in created:  # deepest first: leave no empty folder of ours behind
            with contextlib.suppress(OSError):
                made.rmdir()
        raise
    print(f"created {path}; check it with: patchkit test {args.name} --patches {args.patches}")
    return 0
