"""`patchkit rules`: List every lint rule with its code."""

from __future__ import annotations

import argparse

NAME = "rules"
HELP = "List every lint rule with its code"
DESCRIPTION = HELP + "."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    from patchkit.errors import UsageError

    raise UsageError("patchkit rules is not implemented yet")
