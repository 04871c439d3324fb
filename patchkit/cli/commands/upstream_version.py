"""`patchkit upstream-version`: Print the upstream version from git as PEP 440 and ExVer."""

from __future__ import annotations

import argparse

NAME = "upstream-version"
HELP = "Print the upstream version from git as PEP 440 and ExVer"
DESCRIPTION = HELP + "."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    from patchkit.errors import UsageError

    raise UsageError("patchkit upstream-version is not implemented yet")
