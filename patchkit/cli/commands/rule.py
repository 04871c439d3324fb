"""`patchkit rule`: Explain one lint rule."""

from __future__ import annotations

import argparse

NAME = "rule"
HELP = "Explain one lint rule"
DESCRIPTION = HELP + ": what it does, why, an example, and its fix (e.g. `patchkit rule PKD001`)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("code", metavar="CODE", help="a rule code such as PKD001")
    from patchkit.cli.options import add_verbosity_options

    parser.add_argument("--format", choices=("text", "json"), default="text")
    add_verbosity_options(
        parser,
        no_quiet="rule prints the explanation you asked for and nothing else",
    )


def run(args: argparse.Namespace) -> int:
    import sys

    from patchkit.cli.output import dump_json
    from patchkit.lint.docs import explain, rule_rows

    text = explain(args.code)
    if args.format == "json":
        row = next(r for r in rule_rows() if r["code"] == args.code.strip().upper())
        dump_json({"schema": "patchkit/rule/v1", **row, "explanation": text})
        return 0
    sys.stdout.write(text)
    return 0
