"""`patchkit init`: Set a downstream repo up for patchkit."""

from __future__ import annotations

import argparse

from patchkit.cli.commands import command_help

NAME = "init"
HELP = command_help(NAME)
DESCRIPTION = (
    HELP + ".\n\n"
    "Reads the build the way check does (patchkit build shows it) and writes nothing\n"
    "it discovered: a configuration only for what it could not tell (the upstream\n"
    "tree among several submodules) or what you pass as flags, in patchkit.toml (or\n"
    "[tool.patchkit] of an existing pyproject.toml that has the table), and the\n"
    "patched-copies folder into .gitignore. Then prints the next commands.\n"
    "--diff prints the changes and writes nothing.\n\n"
    "exit codes: 0 done (or nothing to do); 1 with --diff/--check when there are\n"
    "changes; 2 bad input or configuration; 3 internal error."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from patchkit.cli.options import add_verbosity_options

    parser.add_argument(
        "dir", nargs="?", default=".", metavar="DIR", help="the downstream repo root (default: .)"
    )
    parser.add_argument(
        "--upstream", metavar="DIR", help="the upstream tree, when discovery cannot tell"
    )
    parser.add_argument(
        "--patches", metavar="DIR", help="the folder of patch files (default: patches)"
    )
    parser.add_argument(
        "--out", metavar="DIR", help="where patched copies go (default: .dockerfiles)"
    )
    parser.add_argument("--diff", action="store_true", help="print the changes; write nothing")
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if init would change files"
    )
    add_verbosity_options(
        parser,
        quiet="no found/to do/wrote/next lines; with --diff, the diff",
        verbose="the configuration file read",
    )


def run(args: argparse.Namespace) -> int:
    import difflib
    import sys
    from dataclasses import replace

    from patchkit.build.discover import discover_build
    from patchkit.cli.options import info_config
    from patchkit.config import find_config
    from patchkit.init import plan_init, write_init

    config = find_config(args.dir)
    info_config(config)
    settings = {k: getattr(args, k) for k in ("upstream", "patches", "out") if getattr(args, k)}
    if "out" in settings:
        config = replace(config, out=settings["out"])
    model = discover_build(config)
    plan = plan_init(config, model, settings)

    def say(line: str) -> None:
        if not args.quiet:
            print(line)

    for line in plan.found:
        say(f"found {line}")
    for line in plan.todo:
        say(f"to do: {line}")
    if args.diff or args.check:
        for path, (old, new) in plan.writes.items():
            if args.diff:
                sys.stdout.writelines(
                    difflib.unified_diff(
                        (old or "").splitlines(keepends=True),
                        new.splitlines(keepends=True),
                        f"a/{path.name}",
                        f"b/{path.name}",
                    )
                )
        return 1 if plan.writes else 0
    for path in write_init(plan):
        say(f"wrote {path}")
    if not plan.writes:
        say("nothing to write: patchkit reads this repo as it is")
    say("next: patchkit build   (what the repo builds)")
    say("      patchkit check   (the CI step)")
    say("      patchkit new --kind KIND NAME   (a first patch; see patchkit new --help)")
    return 0
