"""`patchkit check`: Run every check of a downstream repo in one CI step."""

from __future__ import annotations

import argparse

NAME = "check"
HELP = "Run every check of a downstream repo in one CI step"
DESCRIPTION = (
    HELP + ".\n\n"
    "DIR is the downstream repo root (default: the current folder); its [tool.patchkit]\n"
    "names the upstream tree, the patches, the output folder, the manifests and the\n"
    "platforms (every key is also a flag below). Areas, against one upstream version:\n"
    "  manifest  version strings validated and cross-checked (PKM)\n"
    "  scm       pretend-version variables of the patched Dockerfiles and build_files\n"
    "            against what the upstream build reads (PKS)\n"
    "  status    the patch series on the upstream (drifted: error), and the patched\n"
    "            copies in the output folder (out of date: error; not written: a\n"
    "            warning, an error with --check) (PKP)\n"
    "  lint      every Dockerfile the build uses (PKD)\n"
    "One line per area, then the diagnostics. Nothing is written.\n"
    '--format json prints {"schema": "patchkit/check/v1", "root", "upstream_version",\n'
    '"upstream_version_source", "strict", "exit_code", "areas": [{name, status, summary,\n'
    'errors, warnings}], "diagnostics": [...]}.\n\n'
    "exit codes: 0 no errors; 1 an error finding; 2 bad input or configuration; 3 internal error."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from patchkit.config import add_config_arguments

    parser.add_argument(
        "dir", nargs="?", default=".", metavar="DIR", help="the downstream repo root (default: .)"
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="also fail when a patched copy is not written yet (for repos that commit them)",
    )
    parser.add_argument("--format", choices=("text", "json", "github"), default="text")
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="print only errors (text and github formats)"
    )
    add_config_arguments(parser)


def run(args: argparse.Namespace) -> int:
    import sys

    from patchkit.check import run_check
    from patchkit.cli.check_output import display_prefix, render_check
    from patchkit.config import apply_overrides, find_config

    config = apply_overrides(find_config(args.dir), args)
    report = run_check(config, strict=args.check, upstream_version=args.config_upstream_version)
    render_check(
        report.rebased(display_prefix(args.dir)), args.format, sys.stdout, quiet=args.quiet
    )
    return report.exit_code
