from __future__ import annotations

import shutil
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def downstream(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of examples/ (a downstream repo with [tool.patchkit]) as the working folder."""
    root = tmp_path / "downstream"
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns(".dockerfiles"))
    (root / ".git").mkdir()  # the repository root: the configuration search stops here
    monkeypatch.chdir(root)
    return root
