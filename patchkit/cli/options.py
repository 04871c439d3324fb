"""Command-line options shared by the commands that select patches (apply, status).

``add_selection_options`` declares ``--upstream``, ``--upstream-version``,
``--match`` and ``--patches`` once, so every command spells and documents them the same way;
``selection_from_args`` resolves them (flags first, then the optional
``[tool.patchkit]`` configuration object, then defaults). Only argparse is
imported here: the CLI must start without the heavy layers.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from patchkit.cli.selection import Selection

__all__ = [
    "DEFAULT_PATCHES",
    "Selection",
    "add_selection_options",
    "load_cli_config",
    "selection_from_args",
]

DEFAULT_PATCHES = "patches"


def __getattr__(name: str) -> object:
    # ``Selection`` lives in its own module so that importing this one (which every
    # ``patchkit --help`` does) does not import dataclasses.
    if name == "Selection":
        from patchkit.cli.selection import Selection

        return Selection
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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


def load_cli_config() -> object | None:
    """``[tool.patchkit]`` of ``./pyproject.toml``, or None when the working folder has none.

    The downstream repo's root is the working folder (``cd vllm-startos &&
    patchkit status``); its paths are relative to it. Without the table, flags
    and built-in defaults decide, as if no configuration existed.
    """
    from pathlib import Path

    from patchkit.config import load_config

    cfg = load_config(Path.cwd())
    return cfg if cfg.source is not None else None
