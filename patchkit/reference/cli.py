"""``cli_reference()``: the command line, read from the real argument parser."""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Iterator

from patchkit.reference._markdown import anchor, code, inline, table

__all__ = ["cli_reference", "command_parsers", "option_names"]

_WIDTH = 100  # usage lines are wrapped at this width, whatever the terminal


def command_parsers(
    parser: argparse.ArgumentParser | None = None,
) -> Iterator[tuple[str, argparse.ArgumentParser, str]]:
    """(``patchkit scm check``, its parser, its one-line help) for every command and subcommand,
    in ``--help`` order, depth first."""
    if parser is None:
        from patchkit.cli.main import build_parser

        parser = build_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help or "" for a in action._choices_actions}
            for name, sub in action.choices.items():
                yield sub.prog, sub, helps.get(name, "")
                yield from command_parsers(sub)


def option_names(parser: argparse.ArgumentParser) -> list[str]:
    """Every option string (``--format``) and positional name (``CODE``) of ``parser``."""
    return [name for action in _arguments(parser) for name in _names(action)]


def _arguments(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    return [
        a
        for a in parser._actions
        if not isinstance(a, (argparse._HelpAction, argparse._SubParsersAction))
    ]


def _names(action: argparse.Action) -> list[str]:
    if action.option_strings:
        return list(action.option_strings)
    return [action.metavar if isinstance(action.metavar, str) else action.dest]


def _usage(parser: argparse.ArgumentParser) -> str:
    formatter = argparse.HelpFormatter(parser.prog, width=_WIDTH)
    formatter.add_usage(parser.usage, parser._actions, parser._mutually_exclusive_groups)
    return formatter.format_help().strip()


def _description(text: str | None) -> str:
    """Paragraphs as prose; a paragraph of indented lines (a synopsis) as a code block."""
    out = []
    for para in textwrap.dedent(text or "").strip("\n").split("\n\n"):
        lines = para.splitlines()
        if any(line.startswith("  ") for line in lines):
            out.append("```text\n" + textwrap.dedent(para) + "\n```")
        else:
            out.append(inline(para))
    return "\n\n".join(out)


def _help(parser: argparse.ArgumentParser, action: argparse.Action) -> str:
    if not action.help or action.help == argparse.SUPPRESS:
        return ""
    formatter = argparse.HelpFormatter(parser.prog)
    return inline(formatter._expand_help(action))


def _default(action: argparse.Action) -> str:
    value = action.default
    if value is None or value is argparse.SUPPRESS or isinstance(action.const, bool):
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(code(str(v)) for v in value) if value else ""
    return code(str(value))


def _option(action: argparse.Action) -> str:
    names = _names(action)
    if not action.option_strings:
        return code(names[0])
    metavar = ""
    if action.nargs != 0:
        metavar = action.metavar if isinstance(action.metavar, str) else action.dest.upper()
        if action.choices is not None and action.metavar is None:
            metavar = ""
    return ", ".join(code(f"{n} {metavar}".strip()) for n in names)


def _rows(parser: argparse.ArgumentParser, actions: list[argparse.Action]) -> list[list[str]]:
    rows = []
    for action in actions:
        choices = ", ".join(code(str(c)) for c in action.choices or ())
        if isinstance(action, argparse._AppendAction):
            repeat = "repeatable"
            help_text = _help(parser, action).removesuffix("; repeatable")
            help_text += ("; " if help_text else "") + repeat
        else:
            help_text = _help(parser, action)
        rows.append([_option(action), choices, _default(action), help_text])
    return rows


def _command_section(
    prog: str, parser: argparse.ArgumentParser, summary: str, common: set[str]
) -> str:
    level = "##" if prog.count(" ") == 1 else "###"
    out = [f"{level} {code(prog)}\n", inline(summary) + "\n" if summary else ""]
    out.append(f"```text\n{_usage(parser)}\n```\n")
    paragraphs = textwrap.dedent(parser.description or "").strip("\n").split("\n\n")
    if paragraphs[0].rstrip(".") == summary.rstrip("."):
        paragraphs = paragraphs[1:]  # the summary again
    described = _description("\n\n".join(paragraphs))
    if described:
        out.append(described + "\n")
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    for group in parser._action_groups:
        actions = [
            a
            for a in group._group_actions
            if a in _arguments(parser) and not set(_names(a)) <= common
        ]
        if not actions:
            continue
        title = (group.title or "arguments").capitalize()
        out.append(
            f"{title}:\n\n"
            + table(["argument", "choices", "default", "what it does"], _rows(parser, actions))
        )
    if subs:
        names = ", ".join(
            f"[{code(sub.prog)}](#{anchor(sub.prog)})" for sub in subs[0].choices.values()
        )
        out.append(f"Subcommands: {names}.\n")
    if parser._actions and common & set(option_names(parser)):
        out.append("Also takes the [options every command takes](#options-every-command-takes).\n")
    if parser.epilog:
        out.append(inline(parser.epilog) + "\n")
    return "\n".join(part for part in out if part)


def cli_reference() -> str:
    """The CLI reference page: the program's options, then one section per command."""
    from patchkit.cli.main import build_parser

    parser = build_parser()
    common_actions = [a for a in _arguments(parser) if a.option_strings != ["--version"]]
    common = {n for a in common_actions for n in _names(a)}
    top = _description(parser.description)
    commands = list(command_parsers(parser))
    index = table(
        ["command", "what it does"],
        [[f"[{code(prog)}](#{anchor(prog)})", inline(h)] for prog, _, h in commands],
    )
    parts = [
        "# Command-line reference\n",
        "Generated from patchkit's argument parser (`patchkit COMMAND --help` prints the same).\n",
        top + "\n",
        f"```text\n{_usage(parser)}\n```\n",
        index,
        "## Options every command takes\n",
        "Before or after the command name.\n",
        table(["argument", "choices", "default", "what it does"], _rows(parser, common_actions)),
        inline(parser.epilog or "") + "\n",
    ]
    for prog, sub, summary in commands:
        parts.append(_command_section(prog, sub, summary, common))
    return "\n".join(parts)
