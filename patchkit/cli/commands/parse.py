"""`patchkit parse`: print the syntax tree patchkit sees in a Dockerfile."""

from __future__ import annotations

import argparse

from patchkit.cli.commands import command_help

NAME = "parse"
HELP = command_help(NAME)
DESCRIPTION = (
    HELP + ": stages (name, base, parent, ARGs in scope), instructions with their "
    "BuildKit line spans, flags, --mount options, heredocs and ENV/ARG pairs.\n\n"
    "exit codes: 0 parsed; 1 parsed, but BuildKit would refuse the file before running "
    "a step: its parser, or its reading of an instruction (unknown instruction, "
    "argument counts, flags; each is listed); 2 the file is missing, unreadable or not "
    "UTF-8."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from patchkit.cli.options import add_verbosity_options

    # Optional for argparse so the CLI's own tests can build `parse` without a file;
    # `run` refuses a missing FILE with exit 2 like any usage error.
    parser.add_argument("file", metavar="FILE", nargs="?", help="the Dockerfile to read")
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text for people (default), json for scripts (schema patchkit/parse/v1)",
    )
    add_verbosity_options(
        parser,
        no_quiet="parse prints the tree you asked for; for the verdict alone use the exit "
        "code (patchkit parse FILE > /dev/null)",
    )


def run(args: argparse.Namespace) -> int:
    import sys

    from patchkit._fs import read_source
    from patchkit.errors import UsageError

    if args.file is None:
        raise UsageError("FILE is required: patchkit parse FILE [--format text|json]")
    from patchkit.dockerfile import parse
    from patchkit.dockerfile.render import render_json, render_text

    text = read_source(args.file)
    tree = parse(text, path=args.file)
    if args.format == "json":
        from patchkit.cli.output import dump_json

        dump_json(render_json(tree), sys.stdout)
    else:
        sys.stdout.write(render_text(tree))
    from patchkit.dockerfile import refusals

    return 1 if refusals(tree) else 0
