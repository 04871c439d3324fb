"""Every ```console block of README.md, CONTRIBUTING.md and docs/ is real output.

tests/docs/transcripts.py says how a block is read and run (each ``$ patchkit ...``
line run as a whole process, its output compared exactly; ``$ echo $?``; ``| head -N``,
``| tail -N``). Nothing else may follow a ``$``: a block that cannot be run is a block
nobody checks.

This test runs the blocks whose comment on the line just above is ``<!-- cwd: ... -->``,
or that have none. It names the folder a block runs in (relative to the repository
root; default ``examples``)::

    <!-- cwd: . -->
    <!-- cwd: examples, in a copy -->

``in a copy`` runs the block in a temporary copy of that folder, for commands that
write (``patchkit new``, ``patchkit apply``). ``in a copy, upstream at TAGS`` also makes
the copy's ``upstream/`` a git checkout (one commit, fixed author and dates, tagged with
each of the blank-separated TAGS; a ``+N`` among them adds N empty commits there) and drops
``upstream_version`` from the copy's pyproject.toml, as a downstream repo with the
upstream as a git submodule has it: then patchkit reads the version from git.

Blocks marked ``<!-- vllm: ... -->`` (UPDATING.md, docs/guides/bump.md) need vLLM's own
files: tests/docs/test_vllm_transcripts.py runs them. Any other comment above a console
block is an error (transcripts.OWNERS), so no block goes unrun unnoticed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.docs.transcripts import OWNERS, ROOT, Block, all_blocks, env, parse_blocks, run_block

_WHERE = re.compile(r"(?P<cwd>[^,]+?)(?P<copy>, in a copy(?:, upstream at (?P<tag>.+))?)?")


def where(block: Block) -> tuple[str, bool, str | None]:
    """The folder a ``cwd`` block runs in, whether in a copy, and its upstream's tags."""
    found = _WHERE.fullmatch(block.spec)
    if not found:
        raise ValueError(f"{block.name}: cannot read '<!-- cwd: {block.spec} -->'")
    return found.group("cwd").strip(), bool(found.group("copy")), found.group("tag")


def run_console_block(block: Block, tmp: Path) -> list[str]:
    """Run a ``cwd`` block where its comment says; one message per step whose output differs."""
    folder, copy, tag = where(block)
    cwd = ROOT / folder
    if copy:
        target = tmp / cwd.name
        shutil.copytree(
            cwd, target, ignore=shutil.ignore_patterns(".dockerfiles", "__pycache__", "*.pyc")
        )
        cwd = target
        if tag:
            _git_upstream(cwd, tag)
    return run_block(block, cwd, env(tmp), folder)


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


BLOCKS = all_blocks("cwd")


def test_the_readme_shows_real_runs() -> None:
    readme = [b for b in BLOCKS if b.path.name == "README.md"]
    assert len(readme) >= 3, "the README's quickstarts show their output in console blocks"


@pytest.mark.parametrize("block", BLOCKS, ids=[b.name for b in BLOCKS])
def test_console_block(block: Block, tmp_path: Path) -> None:
    assert block.steps, f"{block.name}: an empty console block"
    problems = run_console_block(block, tmp_path)
    assert not problems, "\n\n".join(problems)


def test_stale_output_fails(tmp_path: Path) -> None:
    doc = tmp_path / "page.md"
    fresh = "$ patchkit version check 0.21.1-rc.0:0\n'0.21.1-rc.0:0': valid ExVer\n"
    stale = "$ patchkit version check 0.21.1-rc.0:0\n'0.21.1-rc.0:0': valid\n"
    (block,) = parse_blocks(doc, f"<!-- cwd: . -->\n```console\n{fresh}```\n")
    assert run_console_block(block, tmp_path) == []
    (block,) = parse_blocks(doc, f"<!-- cwd: . -->\n```console\n{stale}```\n")
    (problem,) = run_console_block(block, tmp_path)
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
    assert where(block) == ("examples", False, None) and [s.line for s in block.steps] == [2, 4]
    (problem,) = run_console_block(block, tmp_path)  # the exit code was 1, the block says 0
    assert "'$ echo $?' (in examples) printed:\n1\n" in problem


def test_a_command_that_is_not_patchkit_is_refused(tmp_path: Path) -> None:
    (block,) = parse_blocks(tmp_path / "p.md", "```console\n$ ls\nREADME.md\n```\n")
    (problem,) = run_console_block(block, tmp_path)
    assert "cannot run '$ ls'" in problem


def test_tail_keeps_the_last_lines(tmp_path: Path) -> None:
    command = "$ patchkit version check 0.21.1-rc0:0 2>&1 | tail -1\n"
    right = "  hint: did you mean '0.21.1-rc.0:0'?\n"
    (block,) = parse_blocks(tmp_path / "page.md", f"```console\n{command}{right}```\n")
    assert run_console_block(block, tmp_path) == []
    wrong = "  hint: did you mean '0.21.1-rc0:0'?\n"
    (block,) = parse_blocks(tmp_path / "page.md", f"```console\n{command}{wrong}```\n")
    (problem,) = run_console_block(block, tmp_path)
    assert problem.endswith(f"printed:\n{right}--- but the block shows:\n{wrong}")


def test_blocks_of_another_test_are_left_to_it(tmp_path: Path) -> None:
    text = (
        "   <!-- vllm: at v0.33.0 -->\n"
        "   ```console\n"
        "   $ patchkit status\n"
        "\n"
        "   upstream version 0.33.0\n"
        "   ```\n"
        "```console\n"
        "$ patchkit version check 1.0:0\n"
        "```\n"
    )
    vllm, console = parse_blocks(tmp_path / "page.md", text)
    assert (vllm.owner, vllm.spec, vllm.line) == ("vllm", "at v0.33.0", 2)
    assert vllm.steps[0].expected == "\nupstream version 0.33.0\n"  # the indent is not output
    assert (console.owner, console.spec) == ("cwd", "examples")
    assert set(OWNERS) == {"cwd", "vllm"} and all((ROOT / t).is_file() for t in OWNERS.values())
    names = [b.name for b in BLOCKS]
    assert "UPDATING.md:" not in " ".join(names)  # UPDATING.md is all vLLM's
    assert all(b.owner == "cwd" for b in BLOCKS)


def test_a_comment_no_test_owns_is_an_error(tmp_path: Path) -> None:
    text = "<!-- vlm: at v0.33.0 -->\n```console\n$ patchkit status\n```\n"
    with pytest.raises(ValueError, match=r"page.md:2: the comment above this console block"):
        parse_blocks(tmp_path / "page.md", text)


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
        env=env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert (done.stdout, done.stderr, done.returncode) == (shown, "", 0)
    assert (repo / ".dockerfiles/docker/Dockerfile.cpu").is_file()
