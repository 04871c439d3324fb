"""The README's `scm` section shows real output: every console block is re-run here."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def _blocks() -> list[tuple[str, str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("<!-- section: scm -->", 1)[1].split("<!-- section:", 1)[0]
    out = []
    for block in re.findall(r"```console\n(.*?)```", section, re.S):
        lines = block.splitlines(keepends=True)
        cmd = lines[0][2:].strip()
        shown = [ln for ln in lines[1:] if not ln.startswith("$ echo $?")]
        body = "".join(ln for ln in shown if ln.strip() not in ("1", "0"))
        out.append((cmd, body))
    return out


def test_readme_scm_examples_are_real_output(cli: Callable[..., Any]) -> None:
    blocks = _blocks()
    assert len(blocks) == 2
    for cmd, shown in blocks:
        argv = shlex.split(cmd)
        assert argv[0] == "patchkit"
        r = cli(*argv[1:], cwd=ROOT, env={"NO_COLOR": "1"})
        assert r.stdout + r.stderr == shown, cmd
