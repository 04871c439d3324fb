"""Command-line options shared by the commands that select patches (apply, status).

``add_selection_options`` declares ``--upstream``, ``--upstream-version``,
``--match`` and ``--patches`` once, so every command spells and documents them the same way;
``selection_from_args`` resolves them (flags first, then the optional
``[tool.patchkit]`` configuration object, then defaults). Only argparse is
imported here: the CLI must start without the heavy layers.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from patchkit.cli.selection import Selection
    from patchkit.engine import UpstreamVersion

__all__ = [
    "DEFAULT_PATCHES",
    "Selection",
    "add_list_option",
    "add_output_options",
    "add_selection_options",
    "add_verbosity_options",
    "configured_patches",
    "info",
    "info_config",
    "info_upstream_version",
    "load_cli_config",
    "note",
    "recorded_finder",
    "selection_from_args",
    "set_verbosity",
    "unknown_patches_error",
    "upstream_version_for",
]

DEFAULT_PATCHES = "patches"


def __getattr__(name: str) -> object:
    # ``Selection`` lives in its own module so that importing this one (which every
    # ``patchkit --help`` does) does not import dataclasses.
    if name == "Selection":
        from patchkit.cli.selection import Selection

        return Selection
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_FORMAT_HELP = {
    "text": "text (default)",
    "json": "json",
    "github": "github (workflow annotations)",
    "sarif": "sarif (SARIF 2.1.0, for code scanning)",
    "junit": "junit (JUnit XML)",
}


def add_output_options(
    parser: argparse.ArgumentParser, formats: Sequence[str], notes: dict[str, str] | None = None
) -> None:
    """``--format`` (among ``formats``) and ``--output-file``, spelled alike on every command.

    ``notes``: a command's own words about a format (check's step summary...).
    """
    notes = notes or {}
    parts = [_FORMAT_HELP[f] + (f", {notes[f]}" if f in notes else "") for f in formats]
    parser.add_argument("--format", choices=tuple(formats), default="text", help="; ".join(parts))
    parser.add_argument(
        "--output-file",
        metavar="PATH",
        help="write the report there (atomically) instead of to stdout",
    )


QUIET_MEANING = "print only what fails the command (nothing when it succeeds)"
VERBOSE_MEANING = (
    "also say, on stderr, where the inputs came from and why (the configuration file read, "
    "the upstream version's source, notes) and how long the command took"
)


def add_verbosity_options(
    parser: argparse.ArgumentParser,
    *,
    quiet: str | None = None,
    no_quiet: str | None = None,
    verbose: str | None = None,
) -> None:
    """``-q/--quiet`` and ``-v/--verbose``, with one meaning on every command.

    -q prints only what fails the command: its errors and failing findings, nothing
    when it succeeds (machine formats, json/sarif/junit, stay whole). ``quiet`` says
    what that leaves for this command. A command whose output *is* the answer (a
    version, a tree, a rule) refuses -q instead: ``no_quiet`` says why, and ``main``
    exits 2 with it. -v adds, on stderr, where the inputs came from (``info``) and the
    time taken; ``verbose`` names what this command adds. Give exactly one of ``quiet``
    and ``no_quiet``. Declared with SUPPRESS defaults, so that the flags may stand
    before or after the command name (``patchkit -v check``); ``main`` sets
    ``args.quiet`` and ``args.verbose`` for every command.
    """
    if (quiet is None) == (no_quiet is None):
        raise ValueError("add_verbosity_options: give exactly one of quiet= and no_quiet=")
    q_help = f"{QUIET_MEANING}: {quiet}" if quiet else f"refused: {no_quiet}"
    v_help = VERBOSE_MEANING + (f"; here: {verbose}" if verbose else "")
    parser.add_argument(
        "-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help=q_help
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help=v_help
    )
    if no_quiet:
        parser.set_defaults(_no_quiet=no_quiet)


_verbose = False
_quiet = False


def set_verbosity(verbose: bool, quiet: bool = False) -> None:
    """Turn ``info`` on (-v) and ``note`` off (-q); ``main`` sets both per command."""
    global _verbose, _quiet
    _verbose, _quiet = verbose, quiet


def note(message: str) -> None:
    """A ``note:`` line on stderr (how something was decided), unless -q."""
    if not _quiet:
        sys.stderr.write(f"note: {message}\n")


def info(message: str) -> None:
    """With -v, one line on stderr saying where an input came from or why; else nothing."""
    if _verbose:
        sys.stderr.write(f"info: {message}\n")


def info_config(config: object) -> None:
    """With -v: which configuration file was read (``Config.source``), or that none was."""
    source, root = getattr(config, "source", None), getattr(config, "root", None)
    if source is not None:
        info(f"configuration: {source}; paths relative to {root}")
    else:
        info(
            f"configuration: none found up to the repository root {root}: "
            "every setting at its default"
        )


def info_upstream_version(version: object, source: object) -> None:
    """With -v: the upstream version patches are selected by, and where it came from."""
    info(f"upstream version: {version} (from {source})")


def add_list_option(
    parser: argparse.ArgumentParser | argparse._ArgumentGroup,
    flag: str,
    *,
    metavar: str,
    help: str,
    dest: str | None = None,
) -> None:
    """A list option that takes ``--x A,B``, ``--x A --x B`` or both (``split_list``).

    The value is a list of the items in order, or None when the flag is absent (so a
    configured list applies). The help says both spellings.
    """
    from patchkit.config_keys import ListAction

    kwargs: dict[str, object] = {"dest": dest} if dest else {}
    parser.add_argument(
        flag,
        action=ListAction,
        metavar=metavar,
        default=None,
        help=f"{help} (comma-separated, or repeat the flag)",
        **kwargs,  # type: ignore[arg-type]
    )


def add_selection_options(parser: argparse.ArgumentParser) -> None:
    """Add the flags that choose the upstream tree, its version and the patch series."""
    group = parser.add_argument_group("selection")
    group.add_argument(
        "--upstream",
        metavar="DIR",
        help="the pristine upstream tree (for example the vllm submodule); required "
        "unless [tool.patchkit] sets upstream",
    )
    group.add_argument(
        "--upstream-version",
        metavar="VERSION",
        help="the upstream's PEP 440 version (default: git describe of --upstream, "
        "the way setuptools-scm computes it)",
    )
    group.add_argument(
        "--match",
        metavar="GLOB",
        help="tags git describe may use for the upstream's version, as its setup.py passes "
        "them (vLLM: 'v[0-9]*', which skips its crates' proto-v* tags); default: "
        "[tool.patchkit] describe_match, else setuptools-scm's '*[0-9]*'",
    )
    group.add_argument(
        "--patches",
        metavar="DIR",
        help="the folder of patch files (*.yaml), applied in name order "
        f"(default: {DEFAULT_PATCHES})",
    )


def selection_from_args(args: argparse.Namespace, config: object | None = None) -> Selection:
    """Flags first, then ``config`` attributes (``upstream``, ``upstream_version``, ``patches``)."""
    from patchkit.cli.selection import Selection
    from patchkit.errors import UsageError

    def pick(name: str) -> str | None:
        value = getattr(args, name, None)
        if value is None and config is not None:
            value = getattr(config, name, None)
        return None if value is None else str(value)

    upstream = pick("upstream")
    if not upstream:
        raise UsageError(
            "no upstream tree given: pass --upstream DIR (the pristine upstream checkout, "
            "for example the vllm submodule)"
        )
    return Selection(
        upstream=upstream,
        upstream_version=pick("upstream_version"),
        patches=pick("patches") or DEFAULT_PATCHES,
        match=pick("match") or pick("describe_match"),
    )


def configured_patches(args: argparse.Namespace) -> str:
    """``--patches``, else the configured patches folder, else ``patches``."""
    if getattr(args, "patches", None):
        return str(args.patches)
    config = load_cli_config()
    return str(getattr(config, "patches", None) or DEFAULT_PATCHES)


def load_cli_config() -> object | None:
    """The configuration that applies in the working folder, as the patch commands use it.

    Found the way ``check`` finds it (``patchkit.config.find_config``: the
    nearest ``patchkit.toml`` or ``[tool.patchkit]`` walking up to the
    repository root), with its paths made relative to the working folder.
    ``upstream`` is the configured one, else the repo's only git submodule.
    None when neither a configuration nor a single submodule says anything,
    so flags and built-in defaults decide.
    """
    import os
    from pathlib import Path
    from types import SimpleNamespace

    from patchkit.build.gitmodules import read_gitmodules
    from patchkit.config import find_config

    cfg = find_config(Path.cwd())
    info_config(cfg)

    def here(rel: str) -> str:
        return os.path.relpath(cfg.root / rel, Path.cwd())

    values: dict[str, object] = {}
    if cfg.source is not None:
        for key in ("patches", "out"):
            if cfg.is_set(key):
                values[key] = here(getattr(cfg, key))
        for key in ("upstream_version", "describe_match"):
            values[key] = getattr(cfg, key)
    if cfg.is_set("upstream"):
        values["upstream"] = here(cfg.upstream)
    else:
        submodules = read_gitmodules(cfg.root)
        if len(submodules) == 1:
            values["upstream"] = here(submodules[0].path)
    return SimpleNamespace(**values) if values or cfg.source is not None else None


def upstream_version_for(
    args: argparse.Namespace, sel: Selection, config: object | None
) -> UpstreamVersion:
    """The upstream version apply, status and new use: flag, config, git, else the recorded one.

    ``engine.resolve_upstream_version`` with the version the downstream's builds record
    as the fallback; its note (why git could not tell) goes to stderr.
    """
    from patchkit import engine

    version = engine.resolve_upstream_version(
        sel.upstream,
        getattr(args, "upstream_version", None),
        config,
        match=sel.match,
        recorded=recorded_finder(sel.upstream, sel.patches),  # type: ignore[arg-type]
    )
    if version.note:
        note(version.note)
    info_upstream_version(version, version.source)
    return version


def unknown_patches_error(ids: Sequence[str], folder: str, series: object) -> Exception:
    """The UsageError for patch ids that are not in the series (apply --patch, test ID)."""
    from patchkit.errors import UsageError

    known = ", ".join(p.id for p in series.patches) or "none"  # type: ignore[attr-defined]
    return UsageError(f"no patch {', '.join(map(repr, ids))} in {folder} (patches: {known})")


def recorded_finder(upstream: str, patches: str | None = None) -> object:
    """A callable giving the upstream version the downstream's builds record (or None),
    for ``engine.resolve_upstream_version(recorded=...)`` when git cannot tell it.

    Only for the upstream tree the build model knows: a version recorded for the
    repo's submodule says nothing about another folder given with ``--upstream``.
    """

    def find() -> object | None:
        import os
        from pathlib import Path

        from patchkit.build.discover import discover_build
        from patchkit.config import find_config
        from patchkit.errors import PatchkitError
        from patchkit.upstream.recorded import recorded_version

        try:
            cfg = find_config(Path.cwd())
            model = discover_build(cfg)
        except PatchkitError:
            return None  # a build that cannot be read records nothing; git's error stands
        if model.upstream is None:
            return None
        known = os.path.realpath(cfg.root / model.upstream.value)
        if known != os.path.realpath(upstream):
            return None
        return recorded_version(cfg, model, patches_dir=patches)

    return find
