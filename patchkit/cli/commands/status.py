"""`patchkit status`: Report each patch's state per file: pending, applied, upstream, drifted, skipped."""

from __future__ import annotations

import argparse

NAME = "status"
HELP = "Report each patch's state per file: pending, applied, upstream, drifted, skipped"
DESCRIPTION = HELP + "."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    from patchkit.errors import UsageError

    raise UsageError("patchkit status is not implemented yet")
