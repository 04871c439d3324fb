"""What BuildKit refuses when it turns parsed instructions into build steps.

BuildKit reads a Dockerfile twice before it runs anything. The parser
(``frontend/dockerfile/parser``) splits it into instructions; its refusals are
``Dockerfile.problems``. Then ``instructions.Parse``
(``frontend/dockerfile/instructions/parse.go``) reads each instruction's
arguments and flags, and fails the build with ``dockerfile parse error on
line N: <message>`` at the first instruction it refuses (``dockerfile2llb``
returns the parser's own errors without that prefix). This module finds
those refusals, per instruction and in BuildKit's order, for moby/buildkit
master (commit 73ed6825, 2026-08):

- an unknown instruction (``RUNN``, with BuildKit's "did you mean RUN?" when an
  instruction is under edit distance 3, as ``util/suggest`` finds it);
- the argument counts each instruction needs (``COPY`` with one argument,
  ``FROM`` with two, ``WORKDIR a b`` is fine: one argument as BuildKit reads it);
- ``FROM ... AS NAME`` with a name that is not ``[a-z][a-z0-9-_.]*``;
- ``ONBUILD ONBUILD``, ``ONBUILD FROM``, ``ONBUILD MAINTAINER``;
- ``HEALTHCHECK NONE`` with arguments, ``HEALTHCHECK CMD`` without a command,
  another type;
- ``ENV``/``LABEL``/``ARG`` with a blank name, ``VOLUME`` with an empty path,
  a heredoc as ``COPY``/``ADD``'s destination;
- an instruction other than ``ARG`` before the first ``FROM`` ("no build stage
  in current context", which BuildKit reports without the "dockerfile parse
  error" prefix);
- the flags of every instruction: unknown (``RUN --mout=...``), given twice,
  without the value they need, a boolean that is not ``true``/``false``.

Files whose ``# syntax=`` names another frontend than ``docker/dockerfile`` are
not judged: that frontend reads the instructions by its own rules.

``RUN``'s flags are those of master: ``--mount``, ``--network``, ``--security``
and ``--device`` (older frontends knew fewer; none knows another). Not checked:
flag values (``--mount`` options, durations, ``--chmod`` modes), ``SHELL``
in shell form (its message differs by platform), and a file of ``ARG``s only
("dockerfile contains no stages to build", an error of the whole file).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from patchkit.dockerfile.nodes import ParseProblem

if TYPE_CHECKING:
    from patchkit.dockerfile.nodes import Dockerfile, Instruction

__all__ = ["KNOWN_INSTRUCTIONS", "instruction_error", "instruction_errors", "refusals"]

#: The keywords ``instructions.Parse`` dispatches on (lower-cased, as it compares them).
KNOWN_INSTRUCTIONS = frozenset(
    (
        "add", "arg", "cmd", "copy", "entrypoint", "env", "expose", "from", "healthcheck",
        "label", "maintainer", "onbuild", "run", "shell", "stopsignal", "user", "volume",
        "workdir",
    )
)  # fmt: skip

_STRING, _STRINGS, _BOOL = "string", "strings", "bool"
# Flags each instruction declares before BFlags.Parse (None: it never parses its flags).
_FLAGS: dict[str, dict[str, str] | None] = {
    "add": {
        "chown": _STRING, "chmod": _STRING, "link": _BOOL, "keep-git-dir": _BOOL,
        "checksum": _STRING, "unpack": _BOOL, "exclude": _STRINGS,
    },
    "copy": {
        "chown": _STRING, "from": _STRING, "chmod": _STRING, "link": _BOOL,
        "exclude": _STRINGS, "parents": _BOOL,
    },
    "from": {"platform": _STRING},
    "healthcheck": {
        "interval": _STRING, "timeout": _STRING, "start-period": _STRING,
        "start-interval": _STRING, "retries": _STRING,
    },
    # declared by parseRun's pre-hooks (commands_run*.go; no build tags at 73ed6825)
    "run": {"mount": _STRINGS, "network": _STRING, "security": _STRING, "device": _STRINGS},
    "arg": None,
    "stopsignal": None,
}  # fmt: skip
_VALID_STAGE_NAME = re.compile(r"[a-z][a-z0-9\-_.]*")
# `# syntax=` images that are BuildKit's Dockerfile frontend (docker/dockerfile:1.7,
# docker.io/docker/dockerfile-upstream:master-labs, ...@sha256:...); any other image is a
# frontend of its own, whose instructions this module cannot judge.
_DOCKERFILE_FRONTEND = re.compile(
    r"(?:[\w.-]+(?::\d+)?/)?docker/dockerfile(?:-upstream)?(?::[\w.-]+)?(?:@sha256:[0-9a-f]{64})?"
)
# parser.reHeredoc: a word that opens a heredoc (MustParseHeredoc), its name in group 1.
_HEREDOC_WORD = re.compile(r"\d*<<-?\s*([^<]*)")


def instruction_errors(
    tree: Dockerfile, problems: list[ParseProblem] | None = None
) -> list[ParseProblem]:
    """Every instruction ``instructions.Parse`` refuses, with BuildKit's message, in order,
    leaving out instructions the parser already refuses (``tree.problems`` covers them;
    pass them as ``problems`` when already at hand, so they are not worked out again).

    BuildKit stops at the first; all are listed, so one run shows every line to fix.
    """
    syntax = tree.directives.get("syntax")
    if syntax is not None and not _DOCKERFILE_FRONTEND.fullmatch(syntax.strip()):
        return []  # another frontend reads the instructions by its own rules
    spans = [(p.start, p.end) for p in (tree.problems if problems is None else problems)]
    out = []
    in_stage = False
    for ins in tree.instructions:
        if any(a < ins.end and ins.start < b for a, b in spans):
            in_stage = in_stage or ins.keyword == "FROM"
            continue
        message = instruction_error(ins)
        if message is None and not in_stage and ins.keyword not in ("ARG", "FROM"):
            # instructions.Parse: only ARG may come before the first FROM (CurrentStage)
            message = "no build stage in current context"
        in_stage = in_stage or ins.keyword == "FROM"
        if message is not None:
            out.append(ParseProblem(message, ins.start_line, ins.start, ins.end))
    return out


def refusals(tree: Dockerfile) -> list[ParseProblem]:
    """Everything that makes BuildKit fail the build before it runs a step: the parser's
    problems, then what ``instructions.Parse`` refuses in the rest, in source order."""
    problems = tree.problems
    return sorted([*problems, *instruction_errors(tree, problems)], key=lambda p: (p.start, p.end))


def instruction_error(ins: Instruction) -> str | None:
    """BuildKit's message for the first thing ``instructions.Parse`` refuses in ``ins``."""
    key = ins.keyword.lower()
    if key not in KNOWN_INSTRUCTIONS:
        message = f"unknown instruction: {ins.keyword_raw}"
        return _with_suggestion(message, ins.keyword_raw, KNOWN_INSTRUCTIONS, case_sensitive=False)
    check = _CHECKS.get(key, _flags_only)
    return check(ins, key, _args(ins))


def _args(ins: Instruction) -> list[str]:
    """``nodeArgs``: the argument nodes; for ONBUILD the trigger keyword, then its own."""
    if ins.keyword == "ONBUILD":
        sub = ins.sub_keyword
        return [] if sub is None else [sub, *ins.values]
    return ins.values


def _flags_error(ins: Instruction, key: str) -> str | None:
    """``BFlags.Parse`` over the instruction's flags (its own table, or none declared)."""
    table = _FLAGS.get(key, {})
    if table is None:
        return None
    used: set[str] = set()
    for flag in ins.flags:
        if flag.name == "" and flag.value is None:
            return None  # a lone `--` ends the flags
        kind = table.get(flag.name)
        if kind is None:
            return _with_suggestion(f"unknown flag: --{flag.name}", flag.name, table)
        if flag.name in used and kind != _STRINGS:
            return f"duplicate flag specified: --{flag.name}"
        used.add(flag.name)
        if kind == _BOOL:
            if flag.value == "":
                return f"missing a value on flag: --{flag.name}"
            if flag.value is not None and flag.value.lower() not in ("true", "false"):
                return f"expecting boolean value for flag --{flag.name}, not: {flag.value}"
        elif flag.value is None:
            return f"missing a value on flag: --{flag.name}"
    return None


def _flags_only(ins: Instruction, key: str, args: list[str]) -> str | None:
    return _flags_error(ins, key)


def _at_least_one(ins: Instruction, key: str, args: list[str]) -> str | None:
    if not args:
        return f"{key.upper()} requires at least one argument"
    return _flags_error(ins, key)


def _exactly_one(ins: Instruction, key: str, args: list[str]) -> str | None:
    if len(args) != 1:
        return f"{key.upper()} requires exactly one argument"
    return _flags_error(ins, key)


def _key_values(ins: Instruction, key: str, args: list[str]) -> str | None:
    error = _flags_error(ins, key)
    if error is not None:
        return error
    if not args:
        return f"{key.upper()} requires at least one argument"
    if any(name == "" for name in args[::2]):
        return f"{key.upper()} names can not be blank"
    return None


def _sources_and_dest(ins: Instruction, key: str, args: list[str]) -> str | None:
    if len(args) < 2:
        return (
            f"{key.upper()} requires at least two arguments, but only one was provided. "
            "Destination could not be determined"
        )
    error = _flags_error(ins, key)
    if error is not None:
        return error
    heredoc = _HEREDOC_WORD.fullmatch(args[-1])
    if heredoc is not None and heredoc.group(1).strip("'\""):
        return f"{key.upper()} cannot accept a heredoc as a destination"
    return None


def _from(ins: Instruction, key: str, args: list[str]) -> str | None:
    if len(args) == 3 and args[1].lower() == "as":
        if not _VALID_STAGE_NAME.fullmatch(args[2].lower()):
            return (
                f"invalid name for build stage: {_go_quote(args[2])}, name can't start with a "
                "number or contain symbols"
            )
    elif len(args) != 1:
        return "FROM requires either one or three arguments"
    return _flags_error(ins, key)


def _onbuild(ins: Instruction, key: str, args: list[str]) -> str | None:
    if not args:
        return "ONBUILD requires at least one argument"
    error = _flags_error(ins, key)
    if error is not None:
        return error
    trigger = args[0].strip().upper()
    if trigger == "ONBUILD":
        return "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"
    if trigger in ("MAINTAINER", "FROM"):
        return f"{trigger} isn't allowed as an ONBUILD trigger"
    return None


def _healthcheck(ins: Instruction, key: str, args: list[str]) -> str | None:
    if not args:
        return "HEALTHCHECK requires at least one argument"
    typ = args[0].upper()
    if typ == "NONE":
        return "HEALTHCHECK NONE takes no arguments" if len(args) > 1 else None
    error = _flags_error(ins, key)
    if error is not None:
        return error
    if typ != "CMD":
        return f"Unknown type {_go_quote(typ)} in HEALTHCHECK (try CMD)"
    if len(args) == 1:  # handleJSONArgs of no arguments: no command
        return "Missing command after HEALTHCHECK CMD"
    return None


def _volume(ins: Instruction, key: str, args: list[str]) -> str | None:
    error = _at_least_one(ins, key, args)
    if error is not None:
        return error
    if any(not a.strip() for a in args):
        return "VOLUME specified can not be an empty string"
    return None


def _arg(ins: Instruction, key: str, args: list[str]) -> str | None:
    error = _at_least_one(ins, key, args)  # ARG never parses its flags (_FLAGS: None)
    if error is not None:
        return error
    if any(a.startswith("=") for a in args):
        return "ARG names can not be blank"
    return None


def _with_suggestion(
    message: str, value: str, options: Iterable[str], *, case_sensitive: bool = True
) -> str:
    """``suggest.WrapError``: `` (did you mean X?)`` for the closest option under edit
    distance 3, in the spelling's case. BuildKit walks a Go map, so between options at the
    same distance it picks any; patchkit picks the first in alphabetical order."""
    val = value if case_sensitive else value.lower()
    best, best_distance = "", 3
    for option in sorted(options):
        opt = option if case_sensitive else option.lower()
        if opt == val:
            return message
        distance = _levenshtein(val, opt)
        if distance < best_distance:
            best, best_distance = opt, distance
    if not best:
        return message
    if not case_sensitive:  # matchCase
        best = (
            best.lower()
            if value == value.lower()
            else best.upper()
            if value == value.upper()
            else best
        )
    return f"{message} (did you mean {best}?)"


def _levenshtein(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def _go_quote(text: str) -> str:
    """Go's ``%q`` for the printable text a Dockerfile word holds."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_CHECKS = {
    "env": _key_values,
    "label": _key_values,
    "maintainer": _exactly_one,
    "add": _sources_and_dest,
    "copy": _sources_and_dest,
    "from": _from,
    "onbuild": _onbuild,
    "workdir": _exactly_one,
    "healthcheck": _healthcheck,
    "expose": _at_least_one,
    "user": _exactly_one,
    "volume": _volume,
    "stopsignal": _exactly_one,
    "arg": _arg,
}
