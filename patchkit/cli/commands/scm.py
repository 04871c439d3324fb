"""`patchkit scm`: Explain and check setuptools-scm pretend-version wiring."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from patchkit.cli.commands import command_help

if TYPE_CHECKING:
    from patchkit.scm.model import Upstream

NAME = "scm"
HELP = command_help(NAME)
DESCRIPTION = (
    HELP + ".\n\n"
    "  explain  which pretend-version variables the upstream build honours, per\n"
    "           setuptools-scm major its build requirements admit, and which it ignores\n"
    "  check    find where Dockerfiles, shell scripts, Makefiles and GitHub workflows\n"
    "           set those variables, and report the ones the build will not read\n\n"
    "Upstream code is parsed, never imported or run. Exit codes: 0 clean,\n"
    "1 an error finding, 2 bad input."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from patchkit.cli.options import add_output_options, add_verbosity_options

    add_verbosity_options(
        parser, quiet="scm check: the errors only; scm explain refuses -q (its --help says why)"
    )
    sub = parser.add_subparsers(dest="scm_command", metavar="{explain,check}")
    ex = sub.add_parser("explain", help="print honoured and ignored names per setuptools-scm major")
    ex.add_argument(
        "upstream", nargs="?", metavar="UPSTREAM_DIR", help="the upstream project's root"
    )
    ex.add_argument(
        "--setup-py", metavar="P", help="the upstream setup.py (instead of UPSTREAM_DIR)"
    )
    ex.add_argument(
        "--pyproject", metavar="P", help="the upstream pyproject.toml (instead of UPSTREAM_DIR)"
    )
    ex.add_argument("--format", choices=("text", "json"), default="text")
    add_verbosity_options(
        ex,
        no_quiet="scm explain prints the explanation you asked for and nothing else",
        verbose="the upstream files read",
    )
    ck = sub.add_parser("check", help="report pretend-version variables the build will not read")
    ck.add_argument(
        "paths",
        nargs="+",
        metavar="PATHS",
        help="Dockerfiles, scripts, Makefiles, workflows or folders",
    )
    ck.add_argument(
        "--upstream", metavar="DIR", help="the upstream project's root (setup.py, pyproject.toml)"
    )
    add_output_options(ck, ("text", "json", "github", "sarif", "junit"))
    add_verbosity_options(
        ck,
        quiet="the errors only, no warnings and no summary (text and github formats)",
        verbose="the upstream files read and the files searched",
    )


def run(args: argparse.Namespace) -> int:
    import sys

    from patchkit.cli.options import info
    from patchkit.errors import UsageError

    if args.scm_command == "explain":
        from patchkit.scm.explain import explain_json, explain_text
        from patchkit.scm.model import load_upstream

        if args.upstream and (args.setup_py or args.pyproject):
            raise UsageError("give UPSTREAM_DIR or --setup-py/--pyproject, not both")
        up = load_upstream(args.upstream, setup_py=args.setup_py, pyproject=args.pyproject)
        _info_upstream(up)
        if args.format == "json":
            from patchkit.cli.output import dump_json

            dump_json(explain_json(up))
        else:
            sys.stdout.write(explain_text(up))
        return 0
    if args.scm_command == "check":
        from patchkit.cli.output import count_errors, render_findings, report_stream
        from patchkit.scm.check import check, wanted_names
        from patchkit.scm.model import load_upstream
        from patchkit.scm.setters import find_setters

        upstream = load_upstream(args.upstream) if args.upstream else None
        if upstream is not None:
            _info_upstream(upstream)
        files = find_setters(args.paths, wanted_names(upstream))
        for f in files:
            info(f"read {f.path}: {len(f.setters)} variable(s) set")
        diags = check(upstream, files)
        extra: dict[str, object] = {
            "upstream": upstream.root if upstream else None,
            "majors": list(upstream.majors) if upstream else None,
            "files": len(files),
            "variables": sum(len(f.setters) for f in files),
        }
        with report_stream(args.output_file) as out:
            render_findings(
                diags,
                args.format,
                out,
                name="patchkit scm check",
                files=[f.path for f in files],
                schema="patchkit/scm-check/v1",
                extra=extra,
                quiet=args.quiet,
            )
        if args.format == "text" and not args.quiet:
            n = extra["variables"]
            sys.stderr.write(
                f"{len(diags)} finding(s), {count_errors(diags)} error(s); "
                f"{n} variable(s) in {len(files)} file(s)\n"
            )
        return 1 if count_errors(diags) else 0
    raise UsageError("patchkit scm needs a subcommand: explain or check (see patchkit scm --help)")


def _info_upstream(up: Upstream) -> None:
    """With -v: what was read of the upstream, and where the setuptools-scm majors came from."""
    from patchkit.cli.options import info

    files = (("setup.py", up.setup_py), ("pyproject.toml", up.pyproject))
    read = [name for name, part in files if part is not None]
    info(
        f"upstream {up.root}: read {', '.join(read) or 'no build file'}; "
        f"setuptools-scm majors {list(up.majors)} ({up.majors_source})"
    )
