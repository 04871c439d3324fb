"""Every Dockerfile the e2e tests use passes a real BuildKit parse.

buildx 0.13 has neither ``build --check`` (0.14+) nor ``--call`` (0.15+); its experimental
``--print outline`` makes the Dockerfile frontend of BuildKit 0.13 parse the file, check
every instruction and its flags (``--mount`` keys included) and plan the target, without
running anything. Base images are replaced by empty named contexts, so it works offline.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import BuildKit

pytestmark = pytest.mark.e2e

FIXTURES = Path(__file__).resolve().parent / "fixtures"
DOCKERFILES = sorted(p.name for p in FIXTURES.glob("Dockerfile*"))


@pytest.mark.parametrize("name", DOCKERFILES)
def test_fixture_dockerfile_parses_on_buildkit(buildkit: BuildKit, name: str) -> None:
    proc = buildkit.parse_check((FIXTURES / name).read_text(encoding="utf-8"))
    assert proc.returncode == 0, proc.stderr
    assert "TARGET:" in proc.stdout  # the outline really came back


def test_parse_check_rejects_what_buildkit_rejects(buildkit: BuildKit) -> None:
    """The check has teeth: a misspelt mount key is an error, with BuildKit's own message."""
    broken = "FROM ubuntu:22.04\nRUN --mount=type=cache,targt=/x true\n"
    proc = buildkit.parse_check(broken)
    assert proc.returncode != 0
    assert "unexpected key 'targt'" in proc.stderr


def test_parse_check_needs_no_registry(buildkit: BuildKit) -> None:
    """Base images are stood in for by empty contexts: no pull, no network."""
    text = (
        "FROM ubuntu:22.04 AS base\nARG TARGETARCH\n"
        "RUN --mount=type=cache,target=/root/.cache,id=c-${TARGETARCH} true\n"
        "FROM python:3.12-slim AS final\nCOPY --from=base /etc/hostname /x\n"
    )
    proc = buildkit.parse_check(text)
    assert proc.returncode == 0, proc.stderr


def test_project_series_output_parses_on_buildkit(
    buildkit: BuildKit,
    apply_series: Callable[[Path, Path], dict[str, str]],
    project_series: Path,
    example_upstream: Path,
) -> None:
    """The project's own series applied to its example upstream tree: every file it writes."""
    upstream = example_upstream
    written = apply_series(upstream, project_series)
    for relpath, text in written.items():
        assert text != (upstream / relpath).read_text(encoding="utf-8"), relpath
        outline = buildkit.parse_check(text)
        assert outline.returncode == 0, f"{relpath}:\n{outline.stderr}"


@pytest.mark.corpus
def test_vllm_cpu_dockerfile_patched_by_patchkit_parses(
    buildkit: BuildKit,
    patch_with_patchkit: Callable[[str, str], str],
    project_patch: Callable[[str, str], str],
) -> None:
    """vLLM 0.33.0's real docker/Dockerfile.cpu, before and after the project's .deps patch."""
    corpus = os.environ.get("PATCHKIT_CORPUS")
    if not corpus:
        pytest.skip("PATCHKIT_CORPUS is not set (the vLLM corpus folder)")
    upstream = Path(corpus) / "vllm" / "0.33.0" / "docker" / "Dockerfile.cpu"
    if not upstream.is_file():
        pytest.skip(f"{upstream} is not in the corpus")
    text = upstream.read_text(encoding="utf-8")
    before = buildkit.parse_check(text)
    assert before.returncode == 0, before.stderr
    deps_patch = project_patch("cache-mount-id", "/vllm-workspace/.deps")
    patched = patch_with_patchkit(text, deps_patch)
    # the id the project's patch asks for (read from the patch, not assumed)
    wanted = re.search(r"^\s+id:\s*(\S+)\s*$", deps_patch, re.M)
    assert wanted, deps_patch
    assert "id=" + wanted.group(1).strip("'\"") in patched
    after = buildkit.parse_check(patched)
    assert after.returncode == 0, after.stderr
