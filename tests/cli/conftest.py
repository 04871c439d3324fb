"""Fixtures of the CLI tests: a copy of examples/ as the working folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _copy_examples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> Path:
    root = tmp_path / name
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns(".dockerfiles"))
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def downstream(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of examples/ (a downstream repo with [tool.patchkit]) as the working folder."""
    root = _copy_examples(tmp_path, monkeypatch, "downstream")
    (root / ".git").mkdir()  # the repository root: the configuration search stops here
    return root


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of examples/ (without its patched copies) as the working folder."""
    return _copy_examples(tmp_path, monkeypatch, "examples")
