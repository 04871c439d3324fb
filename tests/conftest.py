"""Shared fixtures. Inputs and expected outputs are files next to the tests.

``snapshot``: compare text with a checked-in file; set PATCHKIT_UPDATE_SNAPSHOTS=1
to (re)write the file instead, then review the diff before committing.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture
def snapshot() -> Callable[[Path, str], None]:
    def check(path: Path, actual: str) -> None:
        if os.environ.get("PATCHKIT_UPDATE_SNAPSHOTS") == "1" or not path.exists():
            if not os.environ.get("PATCHKIT_UPDATE_SNAPSHOTS") and os.environ.get("CI"):
                pytest.fail(f"missing snapshot {path} (set PATCHKIT_UPDATE_SNAPSHOTS=1 locally)")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8", newline="")
            return
        expected = path.read_text(encoding="utf-8", newline="")
        assert actual == expected, f"snapshot {path} differs (PATCHKIT_UPDATE_SNAPSHOTS=1 rewrites it)"

    return check
