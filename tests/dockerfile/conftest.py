"""Shared helpers for the Dockerfile tree tests."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
ROUNDTRIP = sorted((FIXTURES / "roundtrip").glob("*.Dockerfile"))


def read_exact(path: Path) -> str:
    """A fixture's text with every byte kept (CRLF, BOM, tabs)."""
    return path.read_bytes().decode("utf-8")


@pytest.fixture
def fixture_text():
    def load(name: str) -> str:
        return read_exact(FIXTURES / "roundtrip" / name)

    return load
