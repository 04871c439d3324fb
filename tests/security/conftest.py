"""A hostile upstream tree: every file that Python could import or run leaves a marker.

``hostile`` builds, under ``tmp_path``:

- ``upstream/``: a Dockerfile the patches apply to, plus a ``setup.py`` whose top
  level writes a marker (and calls ``os.system``), an in-tree build backend, a
  ``conftest.py``, ``sitecustomize.py``/``usercustomize.py``, a ``.pth`` file,
  and modules named like the ones patchkit imports (``argparse``, ``tomlkit``,
  ``ruamel``, ``packaging``, ``libcst``, ``semver``, ``patchkit``) so that any
  import from the upstream folder is seen;
- ``downstream/patches/``: a patch series for the upstream Dockerfile;
- ``markers/``: empty; a file appears there when upstream code ran.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

DOCKERFILE = """\
FROM ubuntu:22.04 AS base
WORKDIR /app-workspace
RUN --mount=type=cache,target=/app-workspace/.deps make deps

FROM base AS app-build
COPY . .
RUN python3 setup.py bdist_wheel --dist-dir=dist
"""

PATCH = """\
id: deps-cache-per-arch
summary: Give the .deps cache mount a per-architecture id
why: x86 and arm builds otherwise share the cache and the arm build fails.
files: [docker/Dockerfile.cpu]
transform:
  kind: cache-mount-id
  target: /app-workspace/.deps
  id: "deps-${TARGETARCH}"
examples:
  - before: |
      FROM ubuntu:22.04 AS base
      RUN --mount=type=cache,target=/app-workspace/.deps make deps
    after: |
      FROM ubuntu:22.04 AS base
      ARG TARGETARCH
      RUN --mount=type=cache,target=/app-workspace/.deps,id=deps-${TARGETARCH} make deps
"""

# Module files (path -> the name its marker gets). Each one, if imported or run, writes it.
HOSTILE_MODULES = (
    "setup.py", "conftest.py", "sitecustomize.py", "usercustomize.py", "argparse.py",
    "tomlkit.py", "libcst.py", "semver.py", "ruamel/__init__.py", "ruamel/yaml/__init__.py",
    "packaging/__init__.py", "build_backend.py", "vllm/__init__.py",
    "vllm/version.py", "_version.py", "docker/conftest.py",
)  # fmt: skip


@dataclass
class Hostile:
    root: Path
    upstream: Path
    downstream: Path
    patches: Path
    markers: Path

    def ran(self) -> list[str]:
        """The markers written so far: the upstream files that were imported or run."""
        return sorted(p.name for p in self.markers.iterdir())


def _marker_code(markers: Path, name: str) -> str:
    target = markers / name.replace("/", "_")
    return f"import os\nopen({str(target)!r}, 'w').close()\nos.system('touch {target}.system')\n"


@pytest.fixture
def hostile(tmp_path: Path) -> Hostile:
    markers = tmp_path / "markers"
    markers.mkdir()
    upstream = tmp_path / "downstream" / "upstream"
    (upstream / "docker").mkdir(parents=True)
    (upstream / "docker" / "Dockerfile.cpu").write_text(DOCKERFILE, encoding="utf-8")
    for rel in HOSTILE_MODULES:
        path = upstream / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_marker_code(markers, rel), encoding="utf-8")
    (upstream / "setup.py").write_text(
        _marker_code(markers, "setup.py") + "from setuptools import setup\nimport setuptools_scm\n"
        "setup(name='app', version=setuptools_scm.get_version())\n",
        encoding="utf-8",
    )
    (upstream / "zz-hostile.pth").write_text(
        f"import os; open({str(markers / 'pth')!r}, 'w').close()\n", encoding="utf-8"
    )
    (upstream / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools", "setuptools-scm"]\n'
        'build-backend = "build_backend"\nbackend-path = ["."]\n\n'
        '[project]\nname = "app"\ndynamic = ["version"]\n\n[tool.setuptools_scm]\n',
        encoding="utf-8",
    )
    downstream = tmp_path / "downstream"
    patches = downstream / "patches"
    patches.mkdir()
    (patches / "10-deps.yaml").write_text(PATCH, encoding="utf-8")
    return Hostile(tmp_path, upstream, downstream, patches, markers)


def run_cli(*args: str, cwd: Path, launcher: str = "module") -> subprocess.CompletedProcess[str]:
    """Run patchkit as ``python -m patchkit`` (``module``) or as its console script does
    (``script``: a file in a bin folder calling ``console_main``)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    env.pop("NO_COLOR", None)
    if launcher == "module":
        cmd = [sys.executable, "-m", "patchkit", *args]
    else:
        script = cwd.parent / "bin" / "patchkit"
        script.parent.mkdir(exist_ok=True)
        script.write_text(
            "import sys\nfrom patchkit.cli.main import console_main\nsys.exit(console_main())\n",
            encoding="utf-8",
        )
        cmd = [sys.executable, str(script), *args]
    return subprocess.run(
        cmd, cwd=cwd, capture_output=True, text=True, env=env, timeout=300, check=False
    )


@pytest.fixture
def cli_in():  # type: ignore[no-untyped-def]
    return run_cli


def tree_snapshot(folder: Path) -> dict[str, bytes | str | None]:
    """Every entry under ``folder``: file bytes, symlink target (as text) or None (folder)."""
    out: dict[str, bytes | str | None] = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if p.is_symlink():
            out[rel] = "-> " + os.readlink(p)
        elif p.is_dir():
            out[rel] = None
        else:
            out[rel] = p.read_bytes()
    return out


@pytest.fixture
def snapshot_tree():  # type: ignore[no-untyped-def]
    return tree_snapshot


@pytest.fixture
def copytree():  # type: ignore[no-untyped-def]
    return shutil.copytree
