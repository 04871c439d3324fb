"""Check tests' helpers: a copy of the fixture downstream, with a variant laid over it.

``tests/check/fixtures/downstream/`` is a StartOS-shaped downstream repo
(stand-in upstream under ``vllm/``, a three-patch series, committed patched
copy, version files, workflow, build script) on which ``patchkit check``
passes. ``tests/check/fixtures/variants/<name>/`` holds the files one broken
variant replaces, and ``expected.json``: the one mistake in words, and the
error and warning diagnostics expected, as ``[code, path, line, col]``,
written by hand.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
DOWNSTREAM = FIXTURES / "downstream"
VARIANTS = FIXTURES / "variants"


def make_repo(dest: Path, variant: str | None = None) -> Path:
    """Copy the fixture downstream to ``dest`` and lay ``variant``'s files over it."""
    repo = dest / "repo"
    shutil.copytree(DOWNSTREAM, repo)
    if variant is not None:
        source = VARIANTS / variant
        for path in sorted(source.rglob("*")):
            if path.is_file() and path.name != "expected.json":
                target = repo / path.relative_to(source)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
    return repo


def expected(variant: str) -> dict[str, object]:
    return json.loads((VARIANTS / variant / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture
def repo_factory(tmp_path: Path) -> Callable[[str | None], Path]:
    counter = iter(range(1000))

    def make(variant: str | None = None) -> Path:
        return make_repo(tmp_path / f"r{next(counter)}", variant)

    return make


@pytest.fixture
def check_json(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., tuple[int, dict[str, object]]]:
    """Run ``patchkit check --format json ARGS`` in-process from ``cwd``; (exit code, document)."""
    from patchkit.cli.main import main

    def run(cwd: Path, *args: str) -> tuple[int, dict[str, object]]:
        monkeypatch.chdir(cwd)
        code = main(["check", "--format", "json", *args])
        out = capsys.readouterr().out
        return code, json.loads(out) if out.strip() else {}

    return run


def _found(doc: dict[str, object], severity: str) -> list[list[object]]:
    diags = doc["diagnostics"]
    assert isinstance(diags, list)
    return sorted(
        [d["code"], d["path"], d["line"], d["col"]] for d in diags if d["severity"] == severity
    )


@pytest.fixture
def found() -> Callable[[dict[str, object], str], list[list[object]]]:
    """``found(doc, severity)``: the sorted ``[code, path, line, col]`` of a check JSON doc."""
    return _found
