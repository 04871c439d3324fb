"""The ```console blocks of the documents: found, split into steps, run, compared.

Shared by test_console_blocks.py (blocks run on examples/) and test_vllm_transcripts.py
(blocks run on a throwaway vllm-startos built from the vLLM corpus). Which test runs a
block is said by an HTML comment on the line just above its fence, ``<!-- OWNER: SPEC -->``:
``cwd`` (or no comment: ``cwd: examples``) belongs to test_console_blocks.py, ``vllm`` to
test_vllm_transcripts.py. Any other comment there is an error, so a block is never
skipped by accident. A fence may be indented (a block inside a list item): the
indentation is not part of the transcript.

A block is a transcript: each ``$ COMMAND`` line is run as a whole process (NO_COLOR=1,
COLUMNS=80, an empty HOME) and what it prints (stdout, then stderr) must be exactly the
lines that follow it, up to the next ``$`` line or the end of the block. ``$ echo $?``
shows the exit code of the command before it. ``| head -N`` or ``| tail -N`` after a
command (``2>&1`` may come first) keeps the first or last N lines of what it printed.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# the comment word -> the test that runs such blocks
OWNERS = {"cwd": "tests/docs/test_console_blocks.py", "vllm": "tests/docs/test_vllm_transcripts.py"}
DEFAULT = ("cwd", "examples")  # a console block with no comment above it

_FENCE = re.compile(r"^(?P<indent>[ ]*)```console[ \t]*\n", re.M)
_COMMENT = re.compile(r"<!--\s*(?P<owner>[A-Za-z][\w-]*):\s*(?P<spec>.*?)\s*-->")
_PIPE = re.compile(r"\s*(?:2>&1\s*)?\|\s*(?P<cmd>head|tail) -(?P<n>[0-9]+)\s*$")


@dataclass(frozen=True)
class Step:
    command: str  # what follows "$ "
    expected: str  # the lines after it, each with its "\n"
    line: int  # 1-based line of the "$" in its file


@dataclass(frozen=True)
class Block:
    path: Path
    line: int  # 1-based line of the ```console fence
    owner: str  # a key of OWNERS
    spec: str  # the comment's text after "OWNER: "
    steps: tuple[Step, ...]

    @property
    def name(self) -> str:
        return f"{shown(self.path)}:{self.line}"


def documents() -> list[Path]:
    """README.md, CONTRIBUTING.md, UPDATING.md and every Markdown page of the docs site."""
    found = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", ROOT / "UPDATING.md"]
    found += sorted((ROOT / "docs").rglob("*.md"))
    return [p for p in found if p.is_file()]


def shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def parse_blocks(path: Path, text: str) -> list[Block]:
    """The console blocks of one Markdown text, split into steps, each with its owner."""
    blocks = []
    for match in _FENCE.finditer(text):
        fence = text.count("\n", 0, match.start()) + 1  # 1-based line of ```console
        indent = match.group("indent")
        above = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1].strip()
        owner, spec = DEFAULT
        if above.startswith("<!--"):
            comment = _COMMENT.fullmatch(above)
            if not comment or comment.group("owner") not in OWNERS:
                raise ValueError(
                    f"{shown(path)}:{fence}: the comment above this console block names no test"
                    f" that runs it ({above}); write <!-- OWNER: ... --> with OWNER one of"
                    f" {', '.join(sorted(OWNERS))}"
                )
            owner, spec = comment.group("owner"), comment.group("spec")
        close = re.compile(rf"^{indent}```[ \t]*$", re.M).search(text, match.end())
        if not close:
            raise ValueError(f"{shown(path)}:{fence}: a console block that is never closed")
        lines = []
        for line in text[match.end() : close.start()].splitlines(keepends=True):
            if line.startswith(indent):
                lines.append(line[len(indent) :])
            elif not line.strip():  # a blank line of an indented block, shorter than the indent
                lines.append(line.lstrip(" "))
            else:
                raise ValueError(f"{shown(path)}:{fence}: a line of the block is less indented")
        if lines and not lines[0].startswith("$ "):
            raise ValueError(f"{shown(path)}:{fence}: a console block starts with a '$ ' line")
        steps = []
        for i, line in enumerate(lines):
            if line.startswith("$ "):
                out = []
                for following in lines[i + 1 :]:
                    if following.startswith("$ "):
                        break
                    out.append(following)
                steps.append(Step(line[2:].rstrip("\n"), "".join(out), fence + 1 + i))
        blocks.append(Block(path, fence, owner, spec, tuple(steps)))
    return blocks


def all_blocks(owner: str, paths: Iterable[Path] | None = None) -> list[Block]:
    """Every console block of the documents that ``owner``'s test runs."""
    found = []
    for path in documents() if paths is None else paths:
        found += parse_blocks(path, path.read_text(encoding="utf-8"))
    return [b for b in found if b.owner == owner]


def env(home: Path) -> dict[str, str]:
    """A small, fixed environment: output must not depend on the caller's."""
    return {
        "PYTHONPATH": str(ROOT),
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "NO_COLOR": "1",
        "COLUMNS": "80",
        "LC_ALL": "C.UTF-8",
    }


def run_block(
    block: Block,
    cwd: Path,
    environ: Mapping[str, str],
    where: str,
    programs: tuple[str, ...] = ("patchkit",),
) -> list[str]:
    """Run a block's steps in ``cwd``; return one message per step whose output differs.

    ``programs``: the commands a step may run (``patchkit`` is ``python -m patchkit`` on
    this checkout; any other is found on PATH). ``where`` names ``cwd`` in the messages.
    """
    problems = []
    last_rc: int | None = None
    for step in block.steps:
        if step.command == "echo $?":
            got = f"{last_rc}\n"
        else:
            command, keep = step.command, None
            pipe = _PIPE.search(command)
            if pipe:
                command, keep = command[: pipe.start()], (pipe.group("cmd"), int(pipe.group("n")))
            argv = shlex.split(command)
            if not argv or argv[0] not in programs:
                problems.append(f"{shown(block.path)}:{step.line}: cannot run '$ {step.command}'")
                continue
            if argv[0] == "patchkit":
                argv = [sys.executable, "-m", "patchkit", *argv[1:]]
            done = subprocess.run(
                argv, cwd=cwd, env=dict(environ), capture_output=True, text=True, timeout=300
            )
            last_rc = done.returncode
            got = done.stdout + done.stderr
            if keep is not None:
                lines = got.splitlines(keepends=True)
                n = keep[1]
                got = "".join(lines[:n] if keep[0] == "head" else lines[max(len(lines) - n, 0) :])
        if got != step.expected:
            problems.append(
                f"{shown(block.path)}:{step.line}: '$ {step.command}' (in {where})"
                f" printed:\n{got}--- but the block shows:\n{step.expected}"
            )
    return problems
