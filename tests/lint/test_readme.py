"""The README's lint section shows real output: every `$ patchkit ...` block in it
is rerun here and must print exactly what the README says (stdout, then stderr)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("<!-- section: lint -->")
    return text[start : text.index("<!-- section:", start + 1)]


def _commands() -> list[tuple[str, str]]:
    out = []
    for block in re.findall(r"```console\n(.*?)```", _section(), flags=re.S):
        parts = re.split(r"^\$ ", block, flags=re.M)
        for part in parts[1:]:
            command, _, expected = part.partition("\n")
            out.append((command, expected))
    return out


def test_readme_lint_examples_are_real(cli) -> None:
    commands = _commands()
    assert len(commands) >= 5
    last_rc = None
    env = {"NO_COLOR": "1", "COLUMNS": "80"}
    for command, expected in commands:
        if command == "echo $?":
            assert expected.strip() == str(last_rc)
            continue
        argv = shlex.split(command.split("|")[0])
        assert argv[0] == "patchkit"
        proc = cli(*argv[1:], cwd=ROOT, env=env)
        shown = proc.stdout + proc.stderr
        if "| head -" in command:
            n = int(command.rsplit("-", 1)[1])
            shown = "".join(shown.splitlines(keepends=True)[:n])
        assert shown.rstrip("\n") == expected.rstrip("\n"), command
        last_rc = proc.returncode
