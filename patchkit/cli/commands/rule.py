"""`patchkit rule`: Explain one diagnostic code."""

from __future__ import annotations

import argparse

from patchkit.cli.commands import command_help

NAME = "rule"
HELP = command_help(NAME)
DESCRIPTION = (
    HELP + ": a lint rule's what, why, example and fix (e.g. `patchkit rule PKD001`), or what "
    "a code of check's other areas reports (`patchkit rule PKM001`)."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("code", metavar="CODE", help="a code such as PKD001 or PKM001")
    from patchkit.cli.options import add_verbosity_options

    parser.add_argument("--format", choices=("text", "json"), default="text")
    add_verbosity_options(
        parser,
        no_quiet="rule prints the explanation you asked for and nothing else",
    )


def run(args: argparse.Namespace) -> int:
    import sys

    from patchkit.cli.catalog import code_rows, explain
    from patchkit.cli.output import dump_json

    text = explain(args.code)
    if args.format == "json":
        row = next(r for r in code_rows() if r["code"] == args.code.strip().upper())
        dump_json({"schema": "patchkit/rule/v1", **row, "explanation": text})
        return 0
    sys.stdout.write(text)
    return 0
