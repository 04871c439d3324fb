"""Shared helpers for the fuzz tests: the targets module and the seed inputs of each target.

``targets.py`` (the fuzz targets) and ``run.py`` (the long runner) sit next to
this file; tests get them through fixtures because test modules do not import
each other (``--import-mode=importlib``).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent


def _load(name: str, filename: str) -> ModuleType:
    """A module of this folder, loaded by path (once per process)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, HERE / filename)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def load_targets() -> ModuleType:
    """``targets.py``, loaded by path (once per process)."""
    return _load("_patchkit_fuzz_targets", "targets.py")


def _texts(*folders: Path, pattern: str = "*") -> list[bytes]:
    out = []
    for folder in folders:
        out.extend(p.read_bytes() for p in sorted(folder.rglob(pattern)) if p.is_file())
    return out


def seeds(target: str) -> list[bytes]:
    """Starting inputs for ``target``: our own fixture files, never upstream code.

    Inputs of the text targets get a leading 0 byte (``text_of``: decode as UTF-8).
    """
    if target == "dockerfile":
        texts = _texts(TESTS / "dockerfile" / "fixtures", HERE / "seeds" / "dockerfile")
        texts += _texts(TESTS / "engine" / "fixtures" / "upstream")
        return [b"\0" + t for t in texts]
    if target == "exver":
        lines = (HERE / "seeds" / "exver" / "strings.txt").read_bytes().splitlines()
        return [b"\0" + line for line in lines if line.strip()]
    if target == "patch-file":
        return _texts(
            TESTS / "engine" / "fixtures" / "series",
            TESTS / "engine" / "fixtures" / "malformed",
            HERE / "seeds" / "patch-file",
            pattern="*.yaml",
        )
    if target == "setup-py":
        texts = _texts(TESTS / "scm" / "fixtures", pattern="setup.py")
        texts += _texts(TESTS / "scm" / "fixtures", pattern="pyproject.toml")
        texts += _texts(TESTS / "scm" / "fixtures" / "setup_py", HERE / "seeds" / "setup-py")
        return [b"\0" + t for t in dict.fromkeys(texts)]
    if target == "lint-fix":
        texts = _texts(TESTS / "lint" / "fixtures", pattern="*Dockerfile*")
        texts += _texts(TESTS / "dockerfile" / "fixtures" / "roundtrip")
        # first byte: 0 decodes as UTF-8 for buildkit, 4 the same for buildah (targets.lint_fix)
        return [mode + t for t in dict.fromkeys(texts) for mode in (b"\0", b"\4")]
    if target == "apply-upstream":
        texts = _texts(TESTS.parent / "examples" / "upstream" / "docker")
        texts += _texts(TESTS / "engine" / "fixtures" / "upstream")
        texts += _texts(TESTS / "check" / "fixtures" / "downstream" / "vllm" / "docker")
        texts += _texts(TESTS / "e2e" / "fixtures", pattern="Dockerfile.cpu-shape*")
        # first byte: the upstream version (targets._VERSIONS); second: decode as UTF-8
        return [bytes([v]) + b"\0" + t for t in dict.fromkeys(texts) for v in range(6)]
    raise KeyError(target)


def crashes(target: str) -> list[Path]:
    """Inputs that once broke ``target`` (kept forever as regression inputs)."""
    folder = HERE / "crashes" / target
    return sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []


@pytest.fixture(scope="session")
def fuzz() -> ModuleType:
    return load_targets()


@pytest.fixture(scope="session")
def setup_py_programs():  # type: ignore[no-untyped-def]
    """The hypothesis strategy of setup.py-shaped programs (``setup_py_programs.py``)."""
    return _load("_patchkit_setup_py_programs", "setup_py_programs.py").setup_py_programs


@pytest.fixture(scope="session")
def seed_inputs():  # type: ignore[no-untyped-def]
    return seeds


@pytest.fixture(scope="session")
def crash_inputs():  # type: ignore[no-untyped-def]
    return crashes
