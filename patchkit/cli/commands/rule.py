"""`patchkit rule`: Explain one lint rule."""

from __future__ import annotations

import argparse

NAME = "rule"
HELP = "Explain one lint rule"
DESCRIPTION = HELP + "."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    from patchkit.errors import UsageError

    raise UsageError("patchkit rule is not implemented yet")
