"""`patchkit lint`: Lint Dockerfiles for BuildKit cache hazards and version wiring."""

from __future__ import annotations

import argparse

from patchkit.cli.commands import command_help

NAME = "lint"
HELP = command_help(NAME)
DESCRIPTION = (
    HELP + ".\n\nRules: `patchkit rules`; one rule explained: `patchkit rule PKD001`.\n"
    "Suppress one finding with `# patchkit: ignore[PKD001]` on or above its instruction.\n"
    "Exit codes: 0 nothing found (or everything fixed), 1 findings remain "
    "(with --diff: or changes would be made), 2 bad input."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from patchkit.cli.options import add_list_option, add_output_options, add_verbosity_options

    parser.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="Dockerfiles, folders to search for Dockerfile*/*.Dockerfile, or - for stdin",
    )
    parser.add_argument(
        "--fix", action="store_true", help="apply safe fixes in place (atomic writes)"
    )
    parser.add_argument(
        "--unsafe-fixes", action="store_true", help="with --fix/--diff, apply unsafe fixes too"
    )
    parser.add_argument(
        "--diff", action="store_true", help="write nothing; print the fixes as a unified diff"
    )
    add_list_option(
        parser, "--select", metavar="CODES", help="codes or prefixes to run (default: all)"
    )
    add_list_option(parser, "--ignore", metavar="CODES", help="codes or prefixes to skip")
    add_list_option(
        parser,
        "--platform",
        metavar="LIST",
        help="platforms the build targets, e.g. linux/amd64,linux/arm64 (PKD001)",
    )
    parser.add_argument(
        "--target",
        metavar="STAGE",
        help="the stage the build targets: only findings in the stages it needs are kept "
        "(what docker build --target builds; check takes it from the build model)",
    )
    parser.add_argument(
        "--builder",
        choices=("buildkit", "buildah"),
        help="the builder whose cache rules apply (default buildkit)",
    )
    parser.add_argument(
        "--package-caches",
        choices=("share", "locked", "per-platform"),
        help="download caches: share (default), locked (PKD008 asks for sharing=locked), "
        "per-platform (PKD001 flags every cache)",
    )
    parser.add_argument(
        "--upstream", metavar="DIR", help="upstream project with setup.py/pyproject.toml (PKD004)"
    )
    add_output_options(
        parser, ("text", "json", "github", "sarif", "junit"), {"junit": "one testsuite per file"}
    )
    add_verbosity_options(
        parser,
        quiet="the findings, every one (each counts for the exit code), without the summary line",
        verbose="the [tool.patchkit.lint] settings read, or that none were found",
    )


def run(args: argparse.Namespace) -> int:
    from patchkit.cli.lint_runner import run_lint

    return run_lint(args)
