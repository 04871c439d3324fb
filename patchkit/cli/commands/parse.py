"""`patchkit parse`: Print the syntax tree patchkit sees in a Dockerfile."""

from __future__ import annotations

import argparse

NAME = "parse"
HELP = "Print the syntax tree patchkit sees in a Dockerfile"
DESCRIPTION = HELP + "."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    from patchkit.errors import UsageError

    raise UsageError("patchkit parse is not implemented yet")
