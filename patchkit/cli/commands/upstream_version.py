"""`patchkit upstream-version`: the upstream version from git, as PEP 440 and ExVer."""

from __future__ import annotations

import argparse

from patchkit.cli.commands import command_help

NAME = "upstream-version"
HELP = command_help(NAME)
DESCRIPTION = """\
Print the version the upstream checkout's own build would give itself: what
setuptools-scm computes from git tags and the distance to them (default
schemes: guess-next-dev, node-and-date), as PEP 440, as the ExVer upstream
part, and as a full ExVer to put in the StartOS manifest.

A shallow clone or a checkout without a matching tag is an error with the
command that fixes it: patchkit never guesses a version.

examples:
  patchkit upstream-version vllm --match 'v[0-9]*'
  patchkit upstream-version vllm --match 'v[0-9]*' --format json | jq -r .pep440
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from patchkit.cli.options import add_verbosity_options

    parser.add_argument(
        "upstream",
        nargs="?",
        metavar="DIR",
        help="the upstream git checkout (a submodule works); "
        "default: [tool.patchkit] upstream, else '.'",
    )
    parser.add_argument(
        "--match",
        metavar="GLOB",
        help="tags git describe may use, as the upstream's build passes them "
        "(vLLM: 'v[0-9]*'); default: [tool.patchkit] describe_match, "
        "else setuptools-scm's '*[0-9]*'",
    )
    parser.add_argument(
        "--revision",
        type=int,
        default=0,
        metavar="N",
        help="the ExVer downstream revision of the suggested version (default: 0)",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    add_verbosity_options(
        parser,
        no_quiet="upstream-version prints the version you asked for; for one value alone "
        "use --format json | jq -r .pep440 (or .exver)",
        verbose="the configuration file, and where the upstream folder and --match came from",
    )


def run(args: argparse.Namespace) -> int:
    import os
    import sys
    from datetime import datetime, timezone

    from patchkit.cli.options import info
    from patchkit.cli.output import dump_json
    from patchkit.errors import UsageError
    from patchkit.upstream.scm_version import DEFAULT_MATCH
    from patchkit.upstream.version import read_upstream_version

    if args.revision < 0:
        raise UsageError("--revision must be 0 or more")
    upstream, match = args.upstream, args.match
    where = {"upstream": "DIR", "match": "--match"}
    if upstream is None or match is None:
        cfg_upstream, cfg_match = _config_defaults()
        if upstream is None:
            upstream, where["upstream"] = (
                (cfg_upstream, "the configuration") if cfg_upstream else (".", "the default")
            )
        if match is None:
            match, where["match"] = (
                (cfg_match, "the configuration's describe_match")
                if cfg_match
                else (DEFAULT_MATCH, "setuptools-scm's default")
            )
    info(f"upstream: {upstream} (from {where['upstream']}); tags: {match} (from {where['match']})")
    # setuptools-scm dates a modified checkout with SOURCE_DATE_EPOCH, else now (UTC).
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = (
        datetime.fromtimestamp(int(epoch), tz=timezone.utc) if epoch else datetime.now(timezone.utc)
    )
    found = read_upstream_version(upstream, match=match, today=now.date(), revision=args.revision)
    if args.format == "json":
        dump_json({"schema": "patchkit/upstream-version/v1", **found.to_json()})
        return 0
    d = found.describe
    described = f"{d.tag}-{d.distance}-g{d.node[:12]}{'-dirty' if d.dirty else ''}"
    out = sys.stdout
    out.write(
        f"upstream:         {found.root} (git describe --match {found.match!r}: {described})\n"
    )
    out.write(f"PEP 440:          {found.pep440}\n")
    out.write(f"ExVer upstream:   {found.exver_upstream}\n")
    out.write(f"suggested ExVer:  {found.exver}\n")
    for note in found.notes:
        out.write(f"note: {note}\n")
    return 0


def _config_defaults() -> tuple[str | None, str | None]:
    """``upstream`` and ``describe_match`` from ``./pyproject.toml``'s ``[tool.patchkit]``."""
    from patchkit.cli.options import load_cli_config

    cfg = load_cli_config()
    return getattr(cfg, "upstream", None), getattr(cfg, "describe_match", None)
