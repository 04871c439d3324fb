"""Argument parsing, dispatch and the one error boundary of the command line.

Each command is a module in ``patchkit.cli.commands`` with ``NAME``, ``HELP``,
``DESCRIPTION``, ``add_arguments(parser)`` and ``run(args) -> int``, listed with its
one-line help in ``patchkit.cli.commands.COMMANDS``. The parser is built from that
table; a command's module is imported only when the command is parsed (its options)
or run, and imports its layer inside ``run``, so that ``patchkit --help`` stays fast
(no command module, no configuration reader, no ruamel.yaml, tomlkit, packaging or
semver at start-up).

Exit codes (DESIGN.md): 0 clean; 1 findings or changes needed; 2 usage,
configuration or input errors; 3 an internal error (a bug of ours); 130 on Ctrl-C.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

from patchkit.cli.commands import COMMANDS as _COMMANDS
from patchkit.cli.commands import module_name
from patchkit.cli.options import add_verbosity_options

if TYPE_CHECKING:
    from patchkit.errors import PatchkitError

__all__ = ["build_parser", "console_main", "load_command", "main"]  # and COMMANDS (__getattr__)

BUG_REPORT = "please report it with the command line and the input files"


def __getattr__(name: str) -> object:
    # ``COMMANDS``, every command's module in --help order, imports them all: for tests and
    # tools, never on the way to running one command.
    if name == "COMMANDS":
        return tuple(load_command(command) for command, _ in _COMMANDS)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load_command(command: str) -> ModuleType:
    """The module of ``command`` (imported now, if it was not)."""
    import importlib

    return importlib.import_module(module_name(command))


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with a one-line message naming the command (never a traceback),
    with the nearest command or option for a typo (`patchkit chek`, `bump --chek`)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        message += _did_you_mean(self, message)
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise _UsageExit(self.prog, message)

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        parsed, extras = super().parse_known_args(args, namespace)
        command = getattr(parsed, "command", None)
        if extras and self.prog == "patchkit" and command:
            # a command's unknown option: its own usage and options, not the top-level ones
            sub = next(a for a in self._actions if isinstance(a, _Commands)).parser_for(command)
            sub.error(f"unrecognized arguments: {' '.join(extras)}")
        return parsed, extras


def _did_you_mean(parser: argparse.ArgumentParser, message: str) -> str:
    """`` (did you mean 'check'?)`` for an invalid command or unknown option, else ''."""
    import difflib
    import re

    if (m := re.search(r"invalid choice: '([^']*)'", message)) is not None:
        word, choices = m.group(1), [c for a in parser._actions for c in (a.choices or ())]
    elif (m := re.match(r"unrecognized arguments: (\S+)", message)) is not None:
        word = m.group(1).split("=", 1)[0]
        choices = [o for a in parser._actions for o in a.option_strings if o.startswith("--")]
    else:
        return ""
    close = difflib.get_close_matches(word, [str(c) for c in choices], n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


class _UsageExit(SystemExit):
    """A usage error (exit 2) that remembers its message, for ``--format github``."""

    def __init__(self, prog: str, message: str) -> None:
        super().__init__(2)
        self.command = prog.removeprefix("patchkit").strip()  # "" for the top-level parser
        self.message = message


def _wants_github(argv: Sequence[str]) -> bool:
    """Whether the command line asks for ``--format github`` (read before parsing succeeded)."""
    return "--format=github" in argv or any(
        argv[i] == "--format" and argv[i + 1] == "github" for i in range(len(argv) - 1)
    )


class _Commands(argparse._SubParsersAction):  # type: ignore[type-arg]
    """The COMMAND argument: a command's parser is made, with its options, when it is chosen.

    Until then a command is its name and one-line help (all ``patchkit --help`` shows),
    so parsing ``patchkit check ...`` imports the check module and no other, and
    ``patchkit --help`` makes no parser but the top one (each costs gettext look-ups).
    """

    def add_command(self, name: str, help_text: str) -> None:
        self._choices_actions.append(self._ChoicesPseudoAction(name, (), help_text))
        self._name_parser_map[name] = None  # made by parser_for

    def parser_for(self, name: str) -> argparse.ArgumentParser:
        """The complete parser of command ``name`` (made and filled on first use)."""
        parser = self._name_parser_map[name]
        if parser is None:
            parser = self._parser_class(
                prog=f"{self._prog_prefix} {name}",
                formatter_class=argparse.RawDescriptionHelpFormatter,
            )
            _complete(parser, name)
            self._name_parser_map[name] = parser
        return parser  # type: ignore[no-any-return]

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        if values and values[0] in self._name_parser_map:
            self.parser_for(values[0])
        super().__call__(parser, namespace, values, option_string)


def _complete(parser: argparse.ArgumentParser, command: str) -> None:
    """Give a command's parser its description and options."""
    module = load_command(command)
    parser.description = getattr(module, "DESCRIPTION", module.HELP)
    parser.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show the traceback of an internal error",
    )
    _add_common(parser, argparse.SUPPRESS)
    module.add_arguments(parser)
    parser.set_defaults(_run=module.run)


def build_parser(*, full: bool = True) -> argparse.ArgumentParser:
    """patchkit's argument parser.

    ``full=False`` (what ``main`` uses) leaves each command's options out until that
    command is parsed, so that ``patchkit --help`` imports no command module; the shell
    completion and the tests use the full parser, every option of every command in it.
    """
    from patchkit import __version__

    parser = _Parser(
        prog="patchkit",
        description=(
            "Keep a downstream package's changes to an upstream project honest: "
            "validate version strings, check setuptools-scm pretend-version wiring, "
            "apply versioned idempotent Dockerfile patches, lint BuildKit cache hazards."
        ),
        epilog=(
            "exit codes: 0 clean, 1 findings or changes needed, 2 usage/config/input error, "
            "3 internal error (a bug), 130 interrupted. "
            "Run 'patchkit COMMAND --help' for each command."
        ),
    )
    parser.register("action", "parsers", _Commands)
    parser.add_argument("--version", action="version", version=f"patchkit {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback of an internal error"
    )
    _add_common(parser, None)
    add_verbosity_options(
        parser,
        quiet="each command's --help says what that leaves (some commands refuse it)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    assert isinstance(sub, _Commands)
    for command, help_text in _COMMANDS:
        sub.add_command(command, help_text)
        if full:
            sub.parser_for(command)
    return parser


def _add_common(parser: argparse.ArgumentParser, default: object) -> None:
    """Options every command takes, before or after its name: --config and --color."""
    parser.add_argument(
        "--config",
        metavar="PATH",
        default=default,
        help="the configuration file (patchkit.toml, or a pyproject.toml with [tool.patchkit]) "
        "instead of the one found walking up from the current folder",
    )
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default=default,
        help="colour: auto (a terminal, unless NO_COLOR is set; FORCE_COLOR forces it), "
        "always, never",
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser(full=False)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors
        words = list(sys.argv[1:] if argv is None else argv)
        if isinstance(exc, _UsageExit) and _wants_github(words):
            from patchkit.cli.output import github_error

            names = {name for name, _ in _COMMANDS}
            command = exc.command or next((w for w in words if w in names), "")
            sys.stdout.write(github_error(exc, command))
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    if getattr(args, "_run", None) is None:
        parser.print_help(sys.stderr)
        return 2
    debug = bool(getattr(args, "debug", False))
    from patchkit.cli.options import set_verbosity

    args.quiet = bool(getattr(args, "quiet", False))
    args.verbose = bool(getattr(args, "verbose", False))
    # The configuration reader and the output module are imported only when their flag is
    # given (a command that reads its configuration imports the reader itself): `version
    # check` needs neither, and they cost a third of its start-up.
    config_file, color = getattr(args, "config", None), getattr(args, "color", None)
    if config_file is not None:
        from patchkit.config import use_config_file

        use_config_file(config_file)
    if color not in (None, "auto"):
        from patchkit.cli.output import set_color

        set_color(color)
    set_verbosity(args.verbose, args.quiet)
    # A command builds its trees and keeps them to the end. With the cyclic garbage
    # collector's default thresholds (a collection every 700 new objects, a full one each
    # time the heap grows by a quarter) collecting cost as much as the work on a big
    # Dockerfile (issue 21: vLLM's Dockerfile.cpu 1,000 times, `parse` 6.7 s CPU against
    # 4.3 s without collections). Collect young objects every 100,000 and old ones rarely;
    # garbage cycles that die young are still freed. Restored afterwards for callers of main().
    thresholds = gc.get_threshold()
    gc.set_threshold(100_000, 50, 10)
    try:
        return _run_guarded(args, debug)
    finally:
        gc.set_threshold(*thresholds)
        if config_file is not None:
            use_config_file(None)
        if color not in (None, "auto"):
            set_color("auto")
        set_verbosity(False)


def _run_guarded(args: argparse.Namespace, debug: bool) -> int:
    from patchkit.errors import PatchkitError

    try:
        if getattr(args, "output_file", None) not in (None, "-"):
            from patchkit.cli.output import check_output_folder

            check_output_folder(args.output_file)  # before a command writes anything else
        return _run_timed(args)
    except PatchkitError as exc:
        return _stopped(args, exc, debug)
    except KeyboardInterrupt:
        sys.stderr.write("patchkit: interrupted\n")
        return 130
    except PermissionError as exc:
        # a file or folder the system will not let us read (input, exit 2), wherever a
        # stat or a listing met it; the readers name the common cases themselves
        from patchkit._fs import access_error

        return _stopped(args, access_error(exc), debug)
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): not an error of ours. Point stdout at
        # devnull so the interpreter's final flush does not raise again.
        import os

        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:
        if debug:
            import traceback

            traceback.print_exc()
        sys.stderr.write(
            f"patchkit {args.command}: internal error ({type(exc).__name__}: {exc}); "
            f"this is a bug in patchkit: {BUG_REPORT}"
            + ("" if debug else "; rerun with --debug for the traceback")
            + "\n"
        )
        return 3


def _run_timed(args: argparse.Namespace) -> int:
    """Run the command after -q/-v are checked; with -v, say how long it took."""
    import time

    from patchkit.errors import UsageError

    quiet, verbose = getattr(args, "quiet", False), getattr(args, "verbose", False)
    if quiet and verbose:
        raise UsageError("-q and -v contradict each other: give one")
    if quiet and getattr(args, "_no_quiet", None):
        raise UsageError(f"-q: {args._no_quiet}")
    start = time.perf_counter()
    code = int(args._run(args))
    if verbose:
        elapsed = (time.perf_counter() - start) * 1000
        sys.stderr.write(f"info: patchkit {args.command}: {elapsed:.0f} ms, exit {code}\n")
    return code


def _stopped(args: argparse.Namespace, exc: PatchkitError, debug: bool) -> int:
    """The one report of an error that stopped a command (bad input: exit 2): on stderr,
    and under ``--format github`` also as an ``::error`` annotation (at its file and line
    when it has them), so a workflow run shows it where the problem is."""
    sys.stderr.write(f"patchkit {args.command}: {exc.render()}\n")
    if getattr(args, "format", None) == "github":
        from patchkit.cli.output import github_error

        sys.stdout.write(github_error(exc, args.command))
    if debug:
        import traceback

        traceback.print_exc()
    return exc.exit_code


def console_main() -> None:
    raise SystemExit(main())
