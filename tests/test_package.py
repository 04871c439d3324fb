"""The package as a user gets it: `python -m build` on a clean copy of the checkout
(the sdist first, then the wheel built from that sdist), the wheel installed in a
fresh venv with its dependencies from the package index, and patchkit run from
there: `--help`, `rule PKD001`, and the bundled example (`status`, `apply --diff`)
on a copy of examples/ made elsewhere.

The wheel must hold every file of the patchkit/ folder that git tracks, so a file
left out of the package data fails here, not on a user's machine. The sdist holds
the package, its licence and its documents, and no tests (MANIFEST.in says why).

Needs git (the clean copy is what a fresh clone holds: tracked files plus new ones
git does not ignore) and the package index. Uses `build` from this interpreter
(the `test` extra) or else installs it in a venv of its own.
"""

from __future__ import annotations

import email.parser
import importlib.util
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DIST = "patchkit-downstream"  # the distribution; the import package and the command are patchkit
STEM = "patchkit_downstream"  # its file-name form (sdist, wheel, .dist-info)

pytestmark = pytest.mark.slow


def _run(
    argv: list[str | Path], cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=900
    )


def _git_files(*pathspec: str) -> list[str]:
    """Tracked files plus untracked ones git does not ignore: what a commit would give a clone."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    proc = _run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", *pathspec],
        cwd=ROOT,
    )
    if proc.returncode != 0:
        pytest.skip(f"not a git checkout: {proc.stderr.strip()}")
    return sorted({f for f in proc.stdout.split("\0") if f and (ROOT / f).exists()})


def _clean_env() -> dict[str, str]:
    """The environment without this checkout on the import path.

    PYTHONDONTWRITEBYTECODE goes too: with it, setuptools warns that byte-compiling
    is disabled, which is the environment's doing, not the project's.
    """
    drop = {"PYTHONPATH", "PYTHONHOME", "PYTHONDONTWRITEBYTECODE", "PIP_REQUIRE_VIRTUALENV"}
    return {k: v for k, v in os.environ.items() if k not in drop}


def _venv(where: Path) -> Path:
    proc = _run([sys.executable, "-m", "venv", where], env=_clean_env())
    assert proc.returncode == 0, proc.stderr
    return where / "bin"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """(sdist, wheel, build log) from a clean copy of the checkout."""
    base = tmp_path_factory.mktemp("package")
    src = base / "src"
    for name in _git_files():
        target = src / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target, follow_symlinks=False)
    if importlib.util.find_spec("build") is not None:
        python = Path(sys.executable)
    else:
        python = _venv(base / "builder") / "python"
        proc = _run([python, "-m", "pip", "install", "build>=1.2"], env=_clean_env())
        assert proc.returncode == 0, proc.stdout + proc.stderr
    out = base / "dist"
    proc = _run([python, "-m", "build", "--outdir", out, src], env=_clean_env())
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log
    (sdist,) = out.glob(f"{STEM}-*.tar.gz")
    (wheel,) = out.glob(f"{STEM}-*-py3-none-any.whl")
    return sdist, wheel, log


@pytest.fixture(scope="module")
def installed(built: tuple[Path, Path, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin folder of a fresh venv holding the wheel and its dependencies."""
    bin_dir = _venv(tmp_path_factory.mktemp("venv") / "v")
    proc = _run([bin_dir / "python", "-m", "pip", "install", built[1]], env=_clean_env())
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return bin_dir


def test_build_gives_no_warning(built: tuple[Path, Path, str]) -> None:
    # pip's complaint about a find-links folder of this machine's pip config is not ours
    ours = [line for line in built[2].splitlines() if not line.startswith("WARNING: Location ")]
    assert [line for line in ours if "warning" in line.lower()] == []


def test_sdist_holds_the_package_and_its_documents_and_no_tests(
    built: tuple[Path, Path, str],
) -> None:
    with tarfile.open(built[0]) as sdist:
        names = {m.name.partition("/")[2] for m in sdist.getmembers() if m.isfile()}
    package = {n for n in names if n.startswith("patchkit/")}
    assert package == set(_git_files("patchkit"))
    others = {n for n in names - package if not n.startswith(f"{STEM}.egg-info/")}
    assert others == {
        "LICENSE", "MANIFEST.in", "PKG-INFO", "README.md", "UPDATING.md",
        "pyproject.toml", "setup.cfg",
    }  # fmt: skip


def test_wheel_holds_every_file_of_the_package(built: tuple[Path, Path, str]) -> None:
    with zipfile.ZipFile(built[1]) as wheel:
        names = set(wheel.namelist())
    info = {n for n in names if ".dist-info/" in n}
    assert names - info == set(_git_files("patchkit"))
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in info)


def test_wheel_metadata(built: tuple[Path, Path, str]) -> None:
    with zipfile.ZipFile(built[1]) as wheel:
        (path,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
        meta = email.parser.Parser().parsestr(wheel.read(path).decode("utf-8"))
    assert meta["Name"] == DIST
    assert meta["License-Expression"] == "Apache-2.0"
    assert meta.get_all("License-File") == ["LICENSE"]
    assert meta["License"] is None  # the deprecated free-text field is gone
    assert not [c for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    assert meta["Requires-Python"] == ">=3.10"


def test_installed_wheel_runs_help_rule_and_the_bundled_example(
    installed: Path, built: tuple[Path, Path, str], tmp_path: Path
) -> None:
    env = _clean_env()
    env["PATH"] = f"{installed}{os.pathsep}{env.get('PATH', '')}"
    env["NO_COLOR"] = "1"
    patchkit = installed / "patchkit"

    where = _run([installed / "python", "-c", "import patchkit; print(patchkit.__file__)"],
                 cwd=tmp_path, env=env)  # fmt: skip
    assert Path(where.stdout.strip()).is_relative_to(installed.parent), where.stdout + where.stderr

    help_ = _run([patchkit, "--help"], cwd=tmp_path, env=env)
    assert help_.returncode == 0, help_.stderr
    assert help_.stdout.startswith("usage: patchkit ")

    version = _run([patchkit, "--version"], cwd=tmp_path, env=env)
    assert version.stdout.strip() == "patchkit " + built[1].name.split("-")[1]

    # the JSON Schemas are package data, read through importlib.resources
    names = sorted(p.name for p in (ROOT / "patchkit" / "schemas").glob("*.json"))
    load = "from patchkit import schemas; print([schemas.load(n)['$id'] for n in schemas.names()])"
    ids = _run([installed / "python", "-c", load], cwd=tmp_path, env=env)
    assert ids.returncode == 0, ids.stderr
    assert ids.stdout.strip() == str([f"https://patchkit.example/schemas/{n}" for n in names])

    rule = _run([patchkit, "rule", "PKD001"], cwd=tmp_path, env=env)
    assert rule.returncode == 0, rule.stderr
    assert rule.stdout.startswith("# cache-mount-shared-across-platforms (PKD001)")

    # the example copied away from the checkout, links kept as links: it must stand alone
    example = tmp_path / "examples"
    shutil.copytree(
        ROOT / "examples", example, symlinks=True, ignore=shutil.ignore_patterns(".dockerfiles")
    )
    status = _run([patchkit, "status"], cwd=example, env=env)
    assert status.returncode == 0, status.stdout + status.stderr
    assert "upstream version 0.33.0" in status.stdout and "pending" in status.stdout
    diff = _run([patchkit, "apply", "--diff"], cwd=example, env=env)
    assert diff.returncode == 1, diff.stdout + diff.stderr  # changes needed, nothing written
    assert "+++ .dockerfiles/docker/Dockerfile.cpu" in diff.stdout
    assert "id=vllm-cpu-deps-${TARGETARCH}" in diff.stdout
    assert not (example / ".dockerfiles").exists()
