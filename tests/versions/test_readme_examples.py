"""The README's `patchkit version` examples are real: each command prints exactly what is shown."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"


def _examples() -> list[tuple[str, str]]:
    text = README.read_text(encoding="utf-8")
    section = text.split("<!-- section: versions -->", 1)[1].split("<!-- section:", 1)[0]
    examples: list[tuple[str, str]] = []
    for block in re.findall(r"```console\n(.*?)```", section, flags=re.S):
        command, output = None, []
        for line in block.splitlines():
            if line.startswith("$ "):
                if command is not None:
                    examples.append((command, "\n".join(output)))
                command, output = line[2:], []
            else:
                output.append(line)
        if command is not None:
            examples.append((command, "\n".join(output)))
    return examples


EXAMPLES = _examples()


def test_the_section_has_examples() -> None:
    assert len(EXAMPLES) >= 8
    assert any("0.21.1-rc0:0" in command for command, _ in EXAMPLES)


@pytest.mark.parametrize(("command", "output"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_readme_example(command: str, output: str, cli: Callable[..., object]) -> None:
    if command == "echo $?":
        assert output == "1"  # follows the 0.21.1-rc0:0 example, checked below
        return
    argv = shlex.split(command)
    assert argv[0] == "patchkit"
    proc = cli(*argv[1:])
    assert proc.stdout.rstrip("\n") == output  # type: ignore[attr-defined]
    if "0.21.1-rc0:0" in command:
        assert proc.returncode == 1  # type: ignore[attr-defined]
