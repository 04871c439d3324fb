"""`patchkit build`: Show what the repo builds, as patchkit reads it."""

from __future__ import annotations

import argparse

from patchkit.cli.commands import command_help

NAME = "build"
HELP = command_help(NAME)
DESCRIPTION = (
    HELP + ".\n\n"
    "Read from the repo's own files, never run: the StartOS manifest (per image and\n"
    "variant: dockerBuild workdir, dockerfile, buildArgs, or dockerTag; arch),\n"
    ".gitmodules, docker-bake.hcl, workflow steps (docker/build-push-action and\n"
    "docker build in run:), and docker/podman build lines in Makefiles and scripts.\n"
    "Each fact names the file:line:col it came from, or the default that supplied it.\n"
    "[tool.patchkit] (or patchkit.toml) settings override what is discovered.\n"
    '--format json prints {"schema": "patchkit/build/v1", "manifest", "upstream",\n'
    '"submodules", "builds": [...], "notes"}.\n\n'
    "exit codes: 0 shown; 2 bad input or configuration; 3 internal error."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from patchkit.cli.options import add_output_options, add_verbosity_options

    parser.add_argument(
        "dir", nargs="?", default=".", metavar="DIR", help="the downstream repo root (default: .)"
    )
    add_output_options(parser, ("text", "json"))
    add_verbosity_options(
        parser,
        no_quiet="build prints the build model you asked for and nothing else "
        "(use --format json to pick fields)",
        verbose="the configuration file read",
    )


def run(args: argparse.Namespace) -> int:
    from patchkit.build.discover import discover_build
    from patchkit.build.render import model_to_json, render_text
    from patchkit.cli.options import info_config
    from patchkit.cli.output import dump_json, report_stream
    from patchkit.config import find_config

    config = find_config(args.dir)
    info_config(config)
    model = discover_build(config)
    with report_stream(args.output_file) as out:
        if args.format == "json":
            dump_json(model_to_json(model), out)
        else:
            render_text(model, out)
    return 0
