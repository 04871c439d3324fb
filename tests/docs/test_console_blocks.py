"""Every ```console block of the README, CONTRIBUTING.md and docs/ is real output.

A block is a transcript: each ``$ patchkit ...`` line is run as a whole process
(``python -m patchkit`` on this checkout, NO_COLOR=1, COLUMNS=80, an empty HOME) and
what it prints (stdout, then stderr) must be exactly the lines that follow it, up to
the next ``$`` line or the end of the block. ``$ echo $?`` shows the exit code of the
command before it. ``$ patchkit ... | head -N`` keeps the first N lines. Nothing else
may follow a ``$``: a block that cannot be run is a block nobody checks.

The folder a block runs in is named by an HTML comment on the line just above it
(relative to the repository root; default ``examples``)::

    <!-- cwd: . -->
    <!-- cwd: examples, in a copy -->

``in a copy`` runs the block in a temporary copy of that folder, for commands that
write (``patchkit new``, ``patchkit apply``). ``in a copy, upstream at TAGS`` also makes
the copy's ``upstream/`` a git checkout (one commit, fixed author and dates, tagged with
each of the blank-separated TAGS; a ``+N`` among them adds N empty commits there) and drops
``upstream_version`` from the copy's pyproject.toml, as a downstream repo with the
upstream as a git submodule has it: then patchkit reads the version from git.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CWD = "examples"

_BLOCK = re.compile(
    r"^(?:<!-- cwd: (?P<cwd>[^,>]+?)(?P<copy>, in a copy(?:, upstream at (?P<tag>[^>]+?))?)?"
    r" -->\n)?```console\n(?P<body>.*?)^```",
    re.M | re.S,
)
_HEAD = re.compile(r"\s*\|\s*head -(?P<n>[0-9]+)\s*$")


@dataclass(frozen=True)
class Step:
    command: str  # what follows "$ "
    expected: str  # the lines after it, each with its "\n"
    line: int  # 1-based line of the "$" in its file


@dataclass(frozen=True)
class Block:
    path: Path
    line: int  # 1-based line of the ```console fence
    cwd: str
    copy: bool
    tag: str | None  # make the copy's upstream/ a git checkout tagged so
    steps: tuple[Step, ...]

    @property
    def name(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def documents() -> list[Path]:
    """README.md, CONTRIBUTING.md and every Markdown page of the docs site."""
    found = [ROOT / "README.md", ROOT / "CONTRIBUTING.md"]
    found += sorted((ROOT / "docs").rglob("*.md"))
    return [p for p in found if p.is_file()]


def parse_blocks(path: Path, text: str) -> list[Block]:
    """The console blocks of one Markdown text, split into steps."""
    blocks = []
    for match in _BLOCK.finditer(text):
        fence = text.count("\n", 0, match.start("body")) - 1  # 0-based line of ```console
        body = match.group("body")
        if body and not body.startswith("$ "):
            raise ValueError(f"{path}:{fence + 1}: a console block starts with a '$ ' line")
        steps = []
        lines = body.splitlines(keepends=True)
        for i, line in enumerate(lines):
            if line.startswith("$ "):
                out = []
                for following in lines[i + 1 :]:
                    if following.startswith("$ "):
                        break
                    out.append(following)
                steps.append(Step(line[2:].rstrip("\n"), "".join(out), fence + 2 + i))
        cwd = (match.group("cwd") or DEFAULT_CWD).strip()
        copy, tag = bool(match.group("copy")), match.group("tag")
        blocks.append(Block(path, fence + 1, cwd, copy, tag, tuple(steps)))
    return blocks


def all_blocks() -> list[Block]:
    return [b for p in documents() for b in parse_blocks(p, p.read_text(encoding="utf-8"))]


def _env(home: Path) -> dict[str, str]:
    """A small, fixed environment: output must not depend on the caller's."""
    return {
        "PYTHONPATH": str(ROOT),
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "NO_COLOR": "1",
        "COLUMNS": "80",
        "LC_ALL": "C.UTF-8",
    }


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def run_block(block: Block, tmp: Path) -> list[str]:
    """Run a block's steps; return one message per step whose output differs."""
    cwd = ROOT / block.cwd
    if block.copy:
        target = tmp / cwd.name
        shutil.copytree(
            cwd, target, ignore=shutil.ignore_patterns(".dockerfiles", "__pycache__", "*.pyc")
        )
        cwd = target
        if block.tag:
            _git_upstream(cwd, block.tag)
    env = _env(tmp)
    problems = []
    last_rc: int | None = None
    for step in block.steps:
        if step.command == "echo $?":
            got = f"{last_rc}\n"
        else:
            command, keep = step.command, None
            head = _HEAD.search(command)
            if head:
                command, keep = command[: head.start()], int(head.group("n"))
            argv = shlex.split(command)
            if not argv or argv[0] != "patchkit":
                problems.append(f"{_shown(block.path)}:{step.line}: cannot run '$ {step.command}'")
                continue
            done = subprocess.run(
                [sys.executable, "-m", "patchkit", *argv[1:]],
                cwd=cwd,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
            )
            last_rc = done.returncode
            got = done.stdout + done.stderr
            if keep is not None:
                got = "".join(got.splitlines(keepends=True)[:keep])
        if got != step.expected:
            problems.append(
                f"{_shown(block.path)}:{step.line}: '$ {step.command}' (in {block.cwd})"
                f" printed:\n{got}--- but the block shows:\n{step.expected}"
            )
    return problems


def _git_upstream(repo: Path, spec: str) -> None:
    """Make ``repo/upstream`` a git checkout as ``spec`` says (``TAG +N TAG``...) and let git,
    not the config, say the upstream version (the same commit ids on every machine: fixed
    author and dates)."""
    when = "2026-12-01T00:00:00+00:00"
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(repo),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "upstream",
        "GIT_AUTHOR_EMAIL": "upstream@example.invalid",
        "GIT_COMMITTER_NAME": "upstream",
        "GIT_COMMITTER_EMAIL": "upstream@example.invalid",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
    }
    up = repo / "upstream"
    steps = [["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "upstream"]]
    for word in spec.split():
        if word.startswith("+"):
            steps += [
                ["commit", "-q", "--allow-empty", "-m", f"work {i}"] for i in range(int(word))
            ]
        else:
            steps.append(["tag", word])
    for argv in steps:
        subprocess.run(["git", *argv], cwd=up, env=env, check=True, capture_output=True)
    config = repo / "pyproject.toml"
    kept = [
        ln
        for ln in config.read_text().splitlines(keepends=True)
        if not ln.startswith("upstream_version")
    ]
    config.write_text("".join(kept))


BLOCKS = all_blocks()


def test_the_readme_shows_real_runs() -> None:
    readme = [b for b in BLOCKS if b.path.name == "README.md"]
    assert len(readme) >= 3, "the README's quickstarts show their output in console blocks"


@pytest.mark.parametrize("block", BLOCKS, ids=[b.name for b in BLOCKS])
def test_console_block(block: Block, tmp_path: Path) -> None:
    assert block.steps, f"{block.name}: an empty console block"
    problems = run_block(block, tmp_path)
    assert not problems, "\n\n".join(problems)


def test_stale_output_fails(tmp_path: Path) -> None:
    doc = tmp_path / "page.md"
    fresh = "$ patchkit version check 0.21.1-rc.0:0\n'0.21.1-rc.0:0': valid ExVer\n"
    stale = "$ patchkit version check 0.21.1-rc.0:0\n'0.21.1-rc.0:0': valid\n"
    (block,) = parse_blocks(doc, f"<!-- cwd: . -->\n```console\n{fresh}```\n")
    assert run_block(block, tmp_path) == []
    (block,) = parse_blocks(doc, f"<!-- cwd: . -->\n```console\n{stale}```\n")
    (problem,) = run_block(block, tmp_path)
    assert f"{doc}:3: '$ patchkit version check 0.21.1-rc.0:0' (in .) printed" in problem


def test_exit_codes_and_head(tmp_path: Path) -> None:
    text = (
        "```console\n"
        "$ patchkit version check 0.21.1-rc0:0 | head -1\n"
        '\'0.21.1-rc0:0\': invalid ExVer at column 10: expected ".", ":" or a letter,'
        ' found "0"; a pre-release identifier is all letters or all digits: write "rc.0",'
        ' not "rc0"\n'
        "$ echo $?\n"
        "0\n"
        "```\n"
    )
    (block,) = parse_blocks(tmp_path / "page.md", text)
    assert block.cwd == DEFAULT_CWD and [s.line for s in block.steps] == [2, 4]
    (problem,) = run_block(block, tmp_path)  # the exit code was 1, the block says 0
    assert "'$ echo $?' (in examples) printed:\n1\n" in problem


def test_a_command_that_is_not_patchkit_is_refused(tmp_path: Path) -> None:
    (block,) = parse_blocks(tmp_path / "p.md", "```console\n$ ls\nREADME.md\n```\n")
    (problem,) = run_block(block, tmp_path)
    assert "cannot run '$ ls'" in problem


def test_python_api_bump_script(tmp_path: Path) -> None:
    """The Python API guide's bump script prints what the guide shows, and exits 0."""
    page = (ROOT / "docs/guides/python-api.md").read_text(encoding="utf-8")
    marker = "<!-- run: bump script, in a copy of examples, upstream at v0.33.0 -->\n```python\n"
    start = page.index(marker) + len(marker)
    script = page[start : page.index("```\n", start)]
    after = page.index("```text\n", start) + len("```text\n")
    shown = page[after : page.index("```\n", after)]
    repo = tmp_path / "examples"
    shutil.copytree(ROOT / "examples", repo, ignore=shutil.ignore_patterns(".dockerfiles"))
    _git_upstream(repo, "v0.33.0")
    (repo / "bump.py").write_text(script, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "bump.py"],
        cwd=repo,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert (done.stdout, done.stderr, done.returncode) == (shown, "", 0)
    assert (repo / ".dockerfiles/docker/Dockerfile.cpu").is_file()
