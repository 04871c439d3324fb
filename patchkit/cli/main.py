"""Argument parsing, dispatch and the one error boundary of the command line.

Each command is a module in ``patchkit.cli.commands`` with ``NAME``, ``HELP``,
``DESCRIPTION``, ``add_arguments(parser)`` and ``run(args) -> int``. Command
modules import their layer inside ``run`` so that ``patchkit --help`` stays fast
(no ruamel.yaml, tomlkit, packaging or semver at start-up).

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
from typing import TYPE_CHECKING

from patchkit.cli.commands import (
    apply,
    build,
    check,
    completion,
    init,
    lint,
    new,
    parse,
    rule,
    rules,
    scm,
    status,
    test,
    upstream_version,
    version,
)

if TYPE_CHECKING:
    from patchkit.errors import PatchkitError

__all__ = ["COMMANDS", "build_parser", "console_main", "main"]

# The order here is the order of `patchkit --help`.
COMMANDS: tuple[ModuleType, ...] = (
    check,
    build,
    init,
    apply,
    status,
    test,
    new,
    upstream_version,
    lint,
    rules,
    rule,
    scm,
    version,
    parse,
    completion,
)

BUG_REPORT = "please report it with the command line and the input files"


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with a one-line message naming the command (never a traceback)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise _UsageExit(self.prog, message)


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


def build_parser() -> argparse.ArgumentParser:
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
    parser.add_argument("--version", action="version", version=f"patchkit {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback of an internal error"
    )
    _add_common(parser, None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in COMMANDS:
        p = sub.add_parser(
            module.NAME,
            help=module.HELP,
            description=getattr(module, "DESCRIPTION", module.HELP),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        p.add_argument(
            "--debug",
            action="store_true",
            default=argparse.SUPPRESS,
            help="show the traceback of an internal error",
        )
        _add_common(p, argparse.SUPPRESS)
        module.add_arguments(p)
        p.set_defaults(_run=module.run)
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
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors
        words = list(sys.argv[1:] if argv is None else argv)
        if isinstance(exc, _UsageExit) and _wants_github(words):
            from patchkit.cli.output import github_error

            names = {m.NAME for m in COMMANDS}
            command = exc.command or next((w for w in words if w in names), "")
            sys.stdout.write(github_error(exc, command))
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    if getattr(args, "_run", None) is None:
        parser.print_help(sys.stderr)
        return 2
    debug = bool(getattr(args, "debug", False))
    from patchkit.cli.output import set_color
    from patchkit.config import use_config_file

    use_config_file(getattr(args, "config", None))
    set_color(getattr(args, "color", None) or "auto")
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
        use_config_file(None)
        set_color("auto")


def _run_guarded(args: argparse.Namespace, debug: bool) -> int:
    from patchkit.errors import PatchkitError

    try:
        if getattr(args, "output_file", None) not in (None, "-"):
            from patchkit.cli.output import check_output_folder

            check_output_folder(args.output_file)  # before a command writes anything else
        return int(args._run(args))
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
