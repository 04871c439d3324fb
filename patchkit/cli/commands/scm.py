"""`patchkit scm`: Explain and check setuptools-scm pretend-version wiring."""

from __future__ import annotations

import argparse

NAME = "scm"
HELP = "Explain and check setuptools-scm pretend-version wiring"
DESCRIPTION = HELP + "."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    from patchkit.errors import UsageError

    raise UsageError("patchkit scm is not implemented yet")
