"""Fixtures for the fault tests: a private upstream tree, its patches, and a faulty launcher.

``apply_cli(tree, *args, fault=...)`` runs ``patchkit apply`` as a whole process
on this checkout's code; with ``fault`` the process first installs that fault
(``faultlib.py``: a failing write, fsync, rename, temporary file or folder, a
Ctrl-C, or someone else's change between plan and write).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
FIXTURES = HERE / "fixtures"

LAUNCHER = """
import json, os, sys
sys.path.insert(0, {here!r})
import faultlib
faultlib.install(json.loads(os.environ["PATCHKIT_TEST_FAULT"]))
from patchkit.cli.main import main
raise SystemExit(main(sys.argv[1:]))
"""


@dataclass
class Tree:
    """A private copy of the fixture upstream, its patches, and the output folder."""

    root: Path
    upstream: Path
    patches: Path
    out: Path

    def args(self, *extra: str) -> list[str]:
        return [
            "apply",
            "--upstream", str(self.upstream),
            "--patches", str(self.patches),
            "--upstream-version", "1.0",
            *([] if "--in-place" in extra else ["--out", str(self.out)]),
            *extra,
        ]  # fmt: skip


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file (hidden ones too) and folder under ``folder``: path -> bytes (None: folder)."""
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): None if p.is_dir() else p.read_bytes()
        for p in sorted(folder.rglob("*"))
    }


@pytest.fixture
def tree(tmp_path: Path) -> Tree:
    upstream = tmp_path / "upstream"
    shutil.copytree(FIXTURES / "upstream", upstream)
    patches = tmp_path / "patches"
    shutil.copytree(FIXTURES / "patches", patches)
    return Tree(tmp_path, upstream, patches, tmp_path / "out")


@pytest.fixture
def old_copies(tree: Tree) -> dict[str, bytes | None]:
    """An output folder holding an older patched copy of every target; returns its snapshot."""
    for src in sorted((tree.upstream / "docker").iterdir()):
        target = tree.out / "docker" / src.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"FROM scratch\n# an older patched copy of " + src.name.encode() + b"\n")
    return snapshot(tree.out)


def run_apply(
    tree: Tree, *extra: str, fault: dict[str, object] | None = None
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("NO_COLOR", None)
    if fault is None:
        cmd = [sys.executable, "-m", "patchkit", *tree.args(*extra)]
    else:
        env["PATCHKIT_TEST_FAULT"] = json.dumps(fault)
        cmd = [sys.executable, "-c", LAUNCHER.format(here=str(HERE)), *tree.args(*extra)]
    return subprocess.run(
        cmd, cwd=tree.root, capture_output=True, text=True, env=env, timeout=300, check=False
    )


@pytest.fixture
def apply_cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    return run_apply


def run_faulty(*args: str, cwd: Path, fault: dict[str, object]) -> subprocess.CompletedProcess[str]:
    """Any ``patchkit ARGS`` as a whole process with ``fault`` installed first."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["PATCHKIT_TEST_FAULT"] = json.dumps(fault)
    cmd = [sys.executable, "-c", LAUNCHER.format(here=str(HERE)), *args]
    return subprocess.run(
        cmd, cwd=cwd, capture_output=True, text=True, env=env, timeout=300, check=False
    )


@pytest.fixture
def faulty_cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    """``faulty_cli(*args, cwd=..., fault={...})``: see ``faultlib.py`` for the faults."""
    return run_faulty


@pytest.fixture
def snap() -> Callable[[Path], dict[str, bytes | None]]:
    return snapshot


def run_apply_api(
    tree: Tree, *extra: str, fault: dict[str, object] | None = None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same run through the engine API, in this process (the fault undone after the test)."""
    from patchkit import engine
    from patchkit.series import load_series

    series = load_series(tree.patches)
    version = engine.resolve_upstream_version(tree.upstream, "1.0")
    in_place = "--in-place" in extra
    the_plan = engine.plan(series, tree.upstream, version, out=tree.out, in_place=in_place)
    if fault is not None:
        sys.path.insert(0, str(HERE))
        try:
            import faultlib
        finally:
            sys.path.remove(str(HERE))
        faultlib.install(fault, monkeypatch.setattr)
    engine.write_plan(the_plan)


@pytest.fixture
def apply_api():  # type: ignore[no-untyped-def]
    return run_apply_api
