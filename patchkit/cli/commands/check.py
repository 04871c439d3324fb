"""`patchkit check`: Run every check of a downstream repo in one CI step."""

from __future__ import annotations

import argparse

NAME = "check"
HELP = "Run every check of a downstream repo in one CI step"
DESCRIPTION = HELP + "."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    from patchkit.errors import UsageError

    raise UsageError("patchkit check is not implemented yet")
