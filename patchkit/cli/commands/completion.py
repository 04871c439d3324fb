"""`patchkit completion`: Print a shell completion script."""

from __future__ import annotations

import argparse

from patchkit.cli.commands import command_help

NAME = "completion"
HELP = command_help(NAME)
DESCRIPTION = (
    HELP + ".\n\n"
    "The script is generated from patchkit's own argument parsers (shtab), so it\n"
    "completes every command and flag of this version. Install it once:\n"
    "  bash:  patchkit completion bash > ~/.local/share/bash-completion/completions/patchkit\n"
    '  zsh:   patchkit completion zsh > "${fpath[1]}/_patchkit"\n'
    "  tcsh:  patchkit completion tcsh > ~/.patchkit.completion.csh  (then source it)\n\n"
    "exit codes: 0 printed; 2 unknown shell."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from patchkit.cli.options import add_verbosity_options

    parser.add_argument("shell", choices=("bash", "zsh", "tcsh"), help="the shell")
    add_verbosity_options(
        parser,
        no_quiet="completion prints the script you asked for and nothing else",
    )


def run(args: argparse.Namespace) -> int:
    import sys

    import shtab

    from patchkit.cli.main import build_parser

    sys.stdout.write(shtab.complete(build_parser(), shell=args.shell))
    return 0
