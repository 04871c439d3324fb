"""The examples in the docstrings of patchkit.versions run and hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "patchkit.versions",
    "patchkit.versions._exver_model",
    "patchkit.versions.check",
    "patchkit.versions.convert",
    "patchkit.versions.describe",
    "patchkit.versions.exver",
    "patchkit.versions.pep440",
    "patchkit.versions.sdk",
    "patchkit.versions.semver",
    "patchkit.versions.suggest",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
