"""UPDATING.md's and docs/guides/bump.md's outputs on vLLM's real Dockerfile are real.

Those documents show a bump of a throwaway vllm-startos whose submodule holds vLLM's
real files (tests/docs/vllm_downstream.py builds it from ``$PATCHKIT_CORPUS``). Each of
their ```console blocks marked ``<!-- vllm: STATE -->`` is replayed on a fresh build of
that package, put in STATE first, the way tests/docs/transcripts.py says (the commands'
output compared exactly; NO_COLOR=1, COLUMNS=80). A step may run ``patchkit`` or ``git``.

STATE is a comma-separated list of moves made in order on the package as built (at
``0.32.0:1``, its submodule at ``v0.32.0``)::

    at TAG            git -C vllm checkout TAG, git add vllm             (UPDATING.md, 1)
    bumped to TAG     at TAG, then patchkit bump TAG (exit 0), committed (UPDATING.md, 3, 5)
    ranges capped     the patches UPDATING.md caps below 0.34.0 capped   (UPDATING.md, 6, 7)
    new patches       the two patchkit new of UPDATING.md section 6      (exit 0 each)

Without PATCHKIT_CORPUS the blocks are skipped, except under CI=true, where the corpus is
always built (.ci/setup-tree.sh): there a missing corpus fails.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

from tests.docs import vllm_downstream as vllm
from tests.docs.transcripts import ROOT, Block, all_blocks, env, parse_blocks, run_block

DOCUMENTS = (ROOT / "UPDATING.md", ROOT / "docs/guides/bump.md")
BLOCKS = all_blocks("vllm")
_MOVE = re.compile(r"(?P<move>at|bumped to) (?P<tag>v[0-9][\w.]*)|ranges capped|new patches")


def moves(spec: str) -> list[tuple[str, str]]:
    """A block's STATE as (move, tag) pairs; an unknown move is an error, not a no-op."""
    found = []
    for part in spec.split(","):
        match = _MOVE.fullmatch(part.strip())
        if not match:
            raise ValueError(f"unknown move {part.strip()!r} in '<!-- vllm: {spec} -->'")
        found.append((match.group("move") or match.group(0), match.group("tag") or ""))
    return found


def _environ(home: Path) -> dict[str, str]:
    return {**vllm.git_env(home), **env(home)}


def _patchkit(package: Path, environ: Mapping[str, str], *argv: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "patchkit", *argv],
        cwd=package,
        env=dict(environ),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"patchkit {' '.join(argv)}: {done.stdout}{done.stderr}"


def prepare(spec: str, upstream: Path, tmp: Path) -> Path:
    """A fresh package in ``tmp``, put in the state ``spec`` names."""
    package = vllm.build_package(upstream, tmp / "vllm-startos")
    environ = _environ(tmp)
    for move, tag in moves(spec):
        if move == "at":
            vllm.move_submodule(package, tag)
        elif move == "bumped to":
            vllm.move_submodule(package, tag)
            _patchkit(package, environ, "bump", "-q", tag)
            vllm.commit(package, f"Update vLLM to {tag.removeprefix('v')}")
        elif move == "ranges capped":
            vllm.cap_ranges(package)
        else:
            for argv in vllm.NEW_PATCHES:
                _patchkit(package, environ, "new", *argv)
    return package


@pytest.fixture(scope="module")
def upstream(tmp_path_factory: pytest.TempPathFactory) -> Path:
    releases = vllm.corpus()
    if releases is None:
        why = "PATCHKIT_CORPUS is unset: the vLLM outputs of UPDATING.md and bump.md need it"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{why} (CI builds it: .ci/setup-tree.sh)")
        pytest.skip(why)
    return vllm.build_upstream(releases, tmp_path_factory.mktemp("vllm") / "vllm-up")


def replay(block: Block, upstream: Path, tmp: Path) -> list[str]:
    package = prepare(block.spec, upstream, tmp)
    return run_block(block, package, _environ(tmp), "vllm-startos", ("patchkit", "git"))


def test_the_documents_mark_their_vllm_outputs() -> None:
    """The blocks are there to replay: UPDATING.md's 11 transcripts and bump.md's 3."""
    per_document = {path: [b for b in BLOCKS if b.path == path] for path in DOCUMENTS}
    assert [len(found) for found in per_document.values()] == [11, 3]
    for block in BLOCKS:
        assert block.steps, f"{block.name}: an empty console block"
        moves(block.spec)


def test_the_moves_are_the_documents() -> None:
    """``ranges capped`` and ``new patches`` do what UPDATING.md tells the reader to do."""
    text = (ROOT / "UPDATING.md").read_text(encoding="utf-8")
    for name in ("cpu-scm-pretend-version", "cpu-deps-cache-per-arch"):
        assert f"# patches/{name}.yaml" in text
        assert f'upstream: "{vllm.CAPPED[name]}"' in text
    assert vllm.CAPPED["cpu-wheel-checksum"].endswith(",<0.34.0")
    assert "`cpu-wheel-checksum` gets the same treatment (`<0.34.0`" in text
    for argv in vllm.NEW_PATCHES:
        assert f"patchkit new {' '.join(argv)}" in text


@pytest.mark.corpus
@pytest.mark.parametrize("block", BLOCKS, ids=[b.name for b in BLOCKS])
def test_vllm_block(block: Block, upstream: Path, tmp_path: Path) -> None:
    problems = replay(block, upstream, tmp_path)
    assert not problems, "\n\n".join(problems)


@pytest.mark.corpus
def test_a_mutated_block_fails(upstream: Path, tmp_path: Path) -> None:
    shown = " 01b31f882061847efc9927452b7d72ac861c9afd vllm (v0.33.0)\n"
    text = f"<!-- vllm: at v0.33.0 -->\n```console\n$ git submodule status\n{shown}```\n"
    (block,) = parse_blocks(tmp_path / "page.md", text)
    assert replay(block, upstream, tmp_path / "fresh") == []
    mutated = shown.replace("(v0.33.0)", "(v0.32.0)")
    (block,) = parse_blocks(tmp_path / "page.md", text.replace(shown, mutated))
    (problem,) = replay(block, upstream, tmp_path / "mutated")
    assert problem == (
        f"{tmp_path / 'page.md'}:3: '$ git submodule status' (in vllm-startos) printed:\n"
        f"{shown}--- but the block shows:\n{mutated}"
    )


def test_an_unknown_move_is_an_error() -> None:
    assert moves("bumped to v0.33.0, at v0.34.0") == [("bumped to", "v0.33.0"), ("at", "v0.34.0")]
    with pytest.raises(ValueError, match=r"unknown move 'bumped v0\.33\.0'"):
        moves("bumped v0.33.0")
