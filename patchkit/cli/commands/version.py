"""`patchkit version`: Validate and convert version strings (ExVer, PEP 440, SemVer)."""

from __future__ import annotations

import argparse

NAME = "version"
HELP = "Validate and convert version strings (ExVer, PEP 440, SemVer)"
DESCRIPTION = HELP + "."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    from patchkit.errors import UsageError

    raise UsageError("patchkit version is not implemented yet")
