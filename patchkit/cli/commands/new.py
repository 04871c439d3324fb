"""`patchkit new`: Scaffold a new patch file with a worked example."""

from __future__ import annotations

import argparse

NAME = "new"
HELP = "Scaffold a new patch file with a worked example"
DESCRIPTION = HELP + "."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    from patchkit.errors import UsageError

    raise UsageError("patchkit new is not implemented yet")
