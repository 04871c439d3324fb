"""`patchkit version`: Validate and convert version strings (ExVer, PEP 440, SemVer)."""

from __future__ import annotations

import argparse
import contextlib
import sys
from typing import TextIO

from patchkit.cli.commands import command_help

NAME = "version"
HELP = command_help(NAME)
DESCRIPTION = (
    HELP + ".\n\n"
    "  patchkit version check [--scheme exver|exver-range|emver|pep440|semver|auto] STRING...\n"
    "  patchkit version convert --to exver|pep440 [--from auto|exver|pep440|git-describe] "
    "STRING...\n\n"
    "A lone '-' reads one string per line from stdin (blank lines are skipped). Put '--' before\n"
    "strings that begin with '-'. Exit 1 when any string is invalid or cannot be converted."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from patchkit.cli.options import add_verbosity_options

    add_verbosity_options(
        parser,
        quiet="version check: the invalid strings only; version convert refuses -q "
        "(its --help says why)",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = actions.add_parser(
        "check", help="validate strings", description="Validate version strings."
    )
    check.add_argument(
        "--scheme",
        default="auto",
        choices=("exver", "exver-range", "emver", "pep440", "semver", "auto"),
    )
    convert = actions.add_parser(
        "convert", help="convert strings", description="Convert version strings."
    )
    convert.add_argument("--to", required=True, choices=("exver", "pep440"))
    convert.add_argument(
        "--from", dest="source", default="auto", choices=("auto", "exver", "pep440", "git-describe")
    )
    convert.add_argument(
        "--downstream", default="0", help="ExVer downstream revision to append (default 0)"
    )
    convert.add_argument(
        "--drop-local", action="store_true", help="drop a PEP 440 local label (+...)"
    )
    convert.add_argument(
        "--dev",
        default="refuse",
        choices=("refuse", "suffix"),
        help=".devN -> .dev.N (not order-preserving)",
    )
    convert.add_argument(
        "--post",
        default="refuse",
        choices=("refuse", "release"),
        help="X.postN -> X.0.N (an encoding)",
    )
    convert.add_argument(
        "--date",
        help="build date of a dirty tree, YYYY-MM-DD (default: SOURCE_DATE_EPOCH or today, UTC)",
    )
    convert.add_argument("--commits", type=int, help="commit count when the repository has no tag")
    from patchkit.cli.options import add_output_options

    for sub in (check, convert):
        add_output_options(sub, ("text", "json"))
        sub.add_argument("strings", nargs="+", metavar="STRING")
    add_verbosity_options(
        check,
        quiet="the invalid strings only, with their diagnostics (text format)",
    )
    add_verbosity_options(
        convert,
        no_quiet="convert prints the converted versions you asked for and nothing else "
        "(a string that cannot be converted is reported, and exits 1)",
    )


def _inputs(strings: list[str]) -> list[str]:
    out: list[str] = []
    stdin: list[str] | None = None
    for s in strings:
        if s != "-":
            out.append(s)
            continue
        if stdin is None:  # read once; split on \n only, so other characters reach the checker
            from patchkit._fs import read_stdin

            stdin = [
                line.removesuffix("\r")
                for line in read_stdin(sys.stdin).split("\n")
                if line.strip("\r")
            ]
        out.extend(stdin)
    return out


def _build_date(text: str | None) -> object:
    import datetime
    import os

    from patchkit.errors import UsageError

    if text is not None:
        try:
            return datetime.date.fromisoformat(
                text if "-" in text else f"{text[:4]}-{text[4:6]}-{text[6:]}"
            )
        except ValueError:
            raise UsageError(f"--date: expected YYYY-MM-DD, got {text!r}") from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")  # what setuptools-scm uses for a dirty tree
    if epoch and epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date()
    return datetime.datetime.now(datetime.timezone.utc).date()


def run(args: argparse.Namespace) -> int:
    from patchkit.versions import CheckResult, Conversion, check, convert

    strings = _inputs(args.strings)
    if args.action == "check":
        results: list[CheckResult] | list[Conversion] = [check(s, args.scheme) for s in strings]
    else:
        from patchkit.errors import UsageError
        from patchkit.versions import VersionSyntaxError, parse_version_part

        try:
            parse_version_part(args.downstream)
        except VersionSyntaxError as exc:
            raise UsageError(
                f"--downstream {args.downstream!r} is not an ExVer version: {exc.message}"
            ) from None
        date = _build_date(args.date)
        results = [
            convert(
                s,
                to=args.to,
                source=args.source,
                downstream=args.downstream,
                drop_local=args.drop_local,
                dev=args.dev,
                post=args.post,
                date=date,
                untagged_distance=args.commits,
            )
            for s in strings
        ]
    with _report_stream(args.output_file) as out:
        if args.format == "json":
            from patchkit.cli.output import dump_json  # json only when asked for

            dump_json([r.to_json() for r in results], out)
        else:
            for r in results:
                if not (args.quiet and r.valid):
                    out.write(r.render() + "\n")
    return 1 if any(not r.valid for r in results) else 0


def _report_stream(output_file: str | None) -> contextlib.AbstractContextManager[TextIO]:
    """stdout, or the --output-file stream: the output module only when a file is asked for
    (``version check`` is a light command: it imports neither the output module nor the
    configuration reader)."""
    if output_file is None:
        return contextlib.nullcontext(sys.stdout)
    from patchkit.cli.output import report_stream

    return report_stream(output_file)
