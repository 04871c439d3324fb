"""`patchkit lint`: Lint Dockerfiles for BuildKit cache hazards and version wiring."""

from __future__ import annotations

import argparse

NAME = "lint"
HELP = "Lint Dockerfiles for BuildKit cache hazards and version wiring"
DESCRIPTION = HELP + "."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    from patchkit.errors import UsageError

    raise UsageError("patchkit lint is not implemented yet")
