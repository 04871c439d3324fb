"""`patchkit check`: Run every check of a downstream repo in one CI step."""

from __future__ import annotations

import argparse

from patchkit.cli.commands import command_help

NAME = "check"
HELP = command_help(NAME)
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
    "  build     what the repo builds, read from its manifest and build files (PKB;\n"
    "            see patchkit build)\n"
    "One line per area, then the diagnostics. Nothing is written.\n"
    '--format json prints {"schema": "patchkit/check/v1", "root", "upstream_version",\n'
    '"upstream_version_source", "strict", "exit_code", "areas": [{name, status, summary,\n'
    'errors, warnings}], "diagnostics": [...]}. --format sarif prints SARIF 2.1.0 (upload it\n'
    "with github/codeql-action/upload-sarif), --format junit a JUnit XML report;\n"
    "--output-file PATH writes the report to a file instead of stdout.\n\n"
    "exit codes: 0 no errors; 1 an error finding; 2 bad input or configuration; 3 internal error."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from patchkit.cli.options import add_output_options, add_verbosity_options
    from patchkit.config_keys import add_config_arguments

    parser.add_argument(
        "dir", nargs="?", default=".", metavar="DIR", help="the downstream repo root (default: .)"
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="also fail when a patched copy is not written yet (for repos that commit them)",
    )
    add_output_options(
        parser,
        ("text", "json", "github", "sarif", "junit"),
        {
            "github": "and a Markdown summary in $GITHUB_STEP_SUMMARY when set",
            "junit": "one testsuite per area",
        },
    )
    add_verbosity_options(
        parser,
        quiet="the error diagnostics, no area lines and no warnings (text and github formats)",
        verbose="the configuration file, the upstream version and its source",
    )
    add_config_arguments(parser)


def run(args: argparse.Namespace) -> int:
    import os

    from patchkit.check import run_check
    from patchkit.cli.check_output import display_prefix, render_check
    from patchkit.cli.options import info_config, info_upstream_version
    from patchkit.cli.output import report_stream
    from patchkit.config import apply_overrides, find_config

    config = apply_overrides(find_config(args.dir), args)
    info_config(config)
    report = run_check(config, strict=args.check, upstream_version=args.config_upstream_version)
    if report.upstream_version is not None:
        info_upstream_version(report.upstream_version, report.upstream_version_source)
    shown = report.rebased(display_prefix(args.dir))
    with report_stream(args.output_file) as out:
        if args.format == "sarif":
            from patchkit.cli.output import dump_json
            from patchkit.cli.sarif import sarif_document

            dump_json(sarif_document(shown.diagnostics), out)
        elif args.format == "junit":
            from patchkit.cli.junit import junit_xml

            groups = [
                (
                    a.name,
                    a.summary,
                    [d for d in shown.diagnostics if _area_of(d.code) == a.name],
                    a.skipped,
                )
                for a in shown.areas
            ]
            out.write(junit_xml("patchkit check", groups))
        else:
            render_check(shown, args.format, out, quiet=args.quiet)
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if args.format == "github" and summary_file:
        from patchkit.cli.check_output import markdown_summary

        with open(summary_file, "a", encoding="utf-8") as fh:
            fh.write(markdown_summary(shown))
    return report.exit_code


def _area_of(code: str) -> str:
    from patchkit.check.codes import area_of

    return area_of(code)
