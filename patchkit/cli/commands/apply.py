"""`patchkit apply`: Apply the patch series to the upstream Dockerfiles."""

from __future__ import annotations

import argparse

NAME = "apply"
HELP = "Apply the patch series to the upstream Dockerfiles"
DESCRIPTION = HELP + "."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    from patchkit.errors import UsageError

    raise UsageError("patchkit apply is not implemented yet")
