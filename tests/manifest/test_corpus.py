"""The Dockerfile and pyproject finders over the real vLLM corpus (every blob, every release).

Positions must select exactly the value in the file, and nothing may raise.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from patchkit.manifest import dockerfile, pyproject
from patchkit.manifest.located import LocatedVersion, Unreadable

ROOT = Path(__file__).resolve().parents[2]


def corpus() -> Path:
    named = os.environ.get("PATCHKIT_CORPUS")
    path = Path(named) if named else ROOT.parent / "corpus"
    if not (path / "vllm").is_dir():
        pytest.skip(
            f"no vLLM corpus at {path} (set PATCHKIT_CORPUS; ../shared/tools/corpus/build.sh)"
        )
    return path


@pytest.mark.corpus
@pytest.mark.slow
def test_dockerfile_finder_over_every_blob() -> None:
    root = corpus()
    blobs = sorted((root / "vllm-all-blobs").glob("*.Dockerfile"))
    assert blobs
    located = unreadable = 0
    for blob in blobs:
        text = blob.read_bytes().decode("utf-8")
        for item in dockerfile.find_versions(text, blob.name):
            assert 0 <= item.start <= item.end <= len(text)
            if isinstance(item, LocatedVersion):
                located += 1
                assert text[item.start : item.end] == (
                    item.raw if item.raw is not None else item.text
                )
            else:
                assert isinstance(item, Unreadable)
                unreadable += 1
    assert located > 0


@pytest.mark.corpus
@pytest.mark.slow
def test_pyproject_finder_over_every_release() -> None:
    root = corpus()
    files = sorted((root / "vllm").glob("*/pyproject.toml"))
    assert files
    for path in files:
        items = list(pyproject.find_versions(path.read_text(encoding="utf-8"), str(path)))
        # vLLM computes its version with setuptools-scm: dynamic, never a literal
        assert all(isinstance(i, Unreadable) and "dynamic" in i.reason for i in items), path
