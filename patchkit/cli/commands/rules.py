"""`patchkit rules`: List every diagnostic code: the lint rules, then the other areas' codes."""

from __future__ import annotations

import argparse

from patchkit.cli.commands import command_help

NAME = "rules"
HELP = command_help(NAME)
DESCRIPTION = HELP + " (code, name, status, fix). Explain one with `patchkit rule CODE`."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from patchkit.cli.options import add_verbosity_options

    parser.add_argument("--format", choices=("text", "json"), default="text")
    add_verbosity_options(
        parser,
        no_quiet="rules prints the rule table you asked for and nothing else",
    )


def run(args: argparse.Namespace) -> int:
    import sys

    from patchkit.cli.catalog import code_rows
    from patchkit.cli.output import dump_json

    rows = code_rows()
    if args.format == "json":
        dump_json({"schema": "patchkit/rules/v1", "rules": rows})
        return 0
    widths = [max(len(str(r[k])) for r in rows) for k in ("code", "name", "status")]
    sys.stdout.write(
        f"{'CODE':<{widths[0]}}  {'NAME':<{widths[1]}}  {'STATUS':<{widths[2]}}  FIX\n"
    )
    for r in rows:
        sys.stdout.write(
            f"{r['code']:<{widths[0]}}  {r['name']:<{widths[1]}}  "
            f"{r['status']:<{widths[2]}}  {r['fix']}\n"
        )
    return 0
