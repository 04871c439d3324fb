"""Fixtures of the CLI tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of examples/ (without its patched copies) as the working folder."""
    repo = tmp_path / "examples"
    shutil.copytree(ROOT / "examples", repo, ignore=shutil.ignore_patterns(".dockerfiles"))
    monkeypatch.chdir(repo)
    return repo
