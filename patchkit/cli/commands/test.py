"""`patchkit test`: Run the worked examples of patch files."""

from __future__ import annotations

import argparse

NAME = "test"
HELP = "Run the worked examples of patch files"
DESCRIPTION = HELP + "."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    from patchkit.errors import UsageError

    raise UsageError("patchkit test is not implemented yet")
