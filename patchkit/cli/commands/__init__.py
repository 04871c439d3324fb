"""One module per command: NAME, HELP, DESCRIPTION, add_arguments(parser), run(args) -> int.

``COMMANDS`` lists every command with its one-line help, in the order of ``patchkit
--help``: the top-level parser is built from this table alone, and a command's module
(``patchkit.cli.commands.<name with _ for ->``) is imported only when that command is
parsed or run, so ``patchkit --help`` imports none of them. A test keeps each HELP
is the one place of each command's one-line help: a module's ``HELP`` is
``command_help(NAME)``. A new command: its module, and one row here.
"""

from __future__ import annotations

__all__ = ["COMMANDS", "command_help", "module_name"]

COMMANDS: tuple[tuple[str, str], ...] = (
    ("check", "Run every check of a downstream repo in one CI step"),
    (
        "build",
        "Show what the repo builds (the build model check judges), with the source of each fact",
    ),
    (
        "init",
        "Set a downstream repo up: write only what discovery cannot tell, ignore the copies folder",
    ),
    ("apply", "Apply the patch series to the upstream Dockerfiles"),
    ("status", "Report each patch's state per file: pending, applied, upstream, drifted, skipped"),
    (
        "bump",
        "Move the downstream to a new upstream version: version places and patched copies",
    ),
    ("test", "Run the worked examples of patch files"),
    ("new", "Scaffold a new patch file from the real upstream tree"),
    ("upstream-version", "Print the upstream version from git as PEP 440 and ExVer"),
    ("lint", "Lint Dockerfiles for BuildKit cache hazards and version wiring"),
    (
        "rules",
        "List every diagnostic code: lint rules, then the codes of check's other areas",
    ),
    ("rule", "Explain one diagnostic code"),
    ("scm", "Explain and check setuptools-scm pretend-version wiring"),
    ("version", "Validate and convert version strings (ExVer, PEP 440, SemVer)"),
    ("parse", "Print the syntax tree patchkit sees in a Dockerfile"),
    ("completion", "Print the shell completion script for bash, zsh or tcsh"),
)


def command_help(command: str) -> str:
    """The one-line help of ``command``, from the table."""
    return dict(COMMANDS)[command]


def module_name(command: str) -> str:
    """The module that implements ``command``: ``upstream-version`` -> ``...upstream_version``."""
    return "patchkit.cli.commands." + command.replace("-", "_")
