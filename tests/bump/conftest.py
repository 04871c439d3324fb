"""A StartOS-shaped downstream git repo with a real upstream submodule tagged v0.33.0, v0.34.0
and v0.35.0 (which renames the wheel stage, so two patches drift).

``downstream(convention)`` builds it in ``tmp_path/pkg`` with the submodule ``vllm`` at
v0.33.0 and returns the repo root. ``convention``: ``current`` (``versions/current.ts``
exports ``current``, rewritten in place) or ``per-release`` (one file per release, named
by the graph's ``current: v_0_33_0_2``).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def git(cwd: Path, *args: str) -> str:
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
        "PATH": "/usr/bin:/bin:/usr/local/bin",
        "HOME": str(cwd),
    }
    done = subprocess.run(
        ["git", "-c", "protocol.file.allow=always", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


PYPROJECT = """\
[project]
name = "vllm-startos"
version = "0"

[tool.patchkit]
upstream = "vllm"
describe_match = "v[0-9]*"
patches = "patches"
out = ".dockerfiles"
"""

MANIFEST = """\
import { setupManifest } from '@start9labs/start-sdk'

const VLLM_VERSION = '0.33.0'

export const manifest = setupManifest({
  id: 'vllm',
  title: 'vLLM',
  images: {
    cpu: {
      source: {
        dockerBuild: {
          workdir: './vllm',
          dockerfile: './.dockerfiles/docker/Dockerfile.cpu',
          buildArgs: { VLLM_VERSION },
        },
      },
      arch: ['x86_64'],
    },
    nvidia: {
      source: { dockerTag: 'vllm/vllm-openai:v0.33.0' },
      arch: ['x86_64'],
    },
  },
})
"""

CURRENT_TS = """\
import { VersionInfo, IMPOSSIBLE } from '@start9labs/start-sdk'

export const current = VersionInfo.of({
  version: '0.33.0:2',
  releaseNotes: 'Update vLLM to 0.33.0',
  migrations: {
    up: async ({ effects }) => {},
    down: IMPOSSIBLE,
  },
})
"""

CURRENT_INDEX = """\
import { VersionGraph } from '@start9labs/start-sdk'
import { current } from './current'

export const versionGraph = VersionGraph.of({
  current,
  other: [],
})
"""

RELEASE_TS = """\
import { VersionInfo, IMPOSSIBLE } from '@start9labs/start-sdk'

export const {name} = VersionInfo.of({
  version: '{version}',
  releaseNotes: 'Update vLLM to {upstream}',
  migrations: {
    up: async ({ effects }) => {},
    down: IMPOSSIBLE,
  },
})
"""

RELEASE_INDEX = """\
import { VersionGraph } from '@start9labs/start-sdk'
import { v_0_32_0_0 } from './v0.32.0.0'
import { v_0_33_0_2 } from './v0.33.0.2'

export const versionGraph = VersionGraph.of({
  current: v_0_33_0_2,
  other: [v_0_32_0_0],
})
"""


def release_ts(name: str, version: str) -> str:
    upstream = version.split(":")[0]
    return (
        RELEASE_TS.replace("{name}", name)
        .replace("{version}", version)
        .replace("{upstream}", upstream)
    )


def _upstream(folder: Path) -> Path:
    docker = folder / "docker"
    docker.mkdir(parents=True)
    text = (EXAMPLES / "upstream" / "docker" / "Dockerfile.cpu").read_text(encoding="utf-8")
    (docker / "Dockerfile.cpu").write_text(text, encoding="utf-8")
    git(folder, "init", "-q", "-b", "main")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "v0.33.0")
    git(folder, "tag", "v0.33.0")
    (docker / "Dockerfile.cpu").write_text(text + "# 0.34.0 release\n", encoding="utf-8")
    git(folder, "commit", "-qam", "v0.34.0")
    git(folder, "tag", "v0.34.0")
    renamed = text.replace("vllm-build", "vllm-wheel") + "# 0.34.0 release\n"
    (docker / "Dockerfile.cpu").write_text(renamed, encoding="utf-8")
    git(folder, "commit", "-qam", "[CPU] Rename the wheel stage")
    git(folder, "tag", "v0.35.0")
    return folder


def write_tree(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the repo except git's own, by relative path."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
        and ".git" not in p.relative_to(root).parts[:1]
        and not str(p.relative_to(root)).startswith("vllm/")
    }


def make_downstream(tmp_path: Path, convention: str) -> Path:
    """The downstream repo in ``tmp_path/pkg`` (see the module docstring)."""
    upstream = _upstream(tmp_path / "vllm-upstream")
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    files = {
        "pyproject.toml": PYPROJECT,
        "startos/manifest/index.ts": MANIFEST,
        ".gitignore": ".dockerfiles/\n",
    }
    if convention == "current":
        files["startos/versions/current.ts"] = CURRENT_TS
        files["startos/versions/index.ts"] = CURRENT_INDEX
    else:
        files["startos/versions/v0.32.0.0.ts"] = release_ts("v_0_32_0_0", "0.32.0:0")
        files["startos/versions/v0.33.0.2.ts"] = release_ts("v_0_33_0_2", "0.33.0:2")
        files["startos/versions/index.ts"] = RELEASE_INDEX
    write_tree(pkg, files)
    shutil.copytree(EXAMPLES / "patches", pkg / "patches")
    git(pkg, "init", "-q", "-b", "main")
    git(pkg, "submodule", "add", "-q", str(upstream), "vllm")
    git(pkg / "vllm", "checkout", "-q", "v0.33.0")
    git(pkg, "add", "-A")
    git(pkg, "commit", "-q", "-m", "package at 0.33.0")
    return pkg


@pytest.fixture
def downstream(tmp_path: Path) -> Callable[[str], Path]:
    return lambda convention: make_downstream(tmp_path, convention)


@pytest.fixture
def move_submodule() -> Callable[[Path, str], None]:
    """What the bump script does before ``patchkit bump``: move the submodule to a tag."""

    def move(pkg: Path, tag: str) -> None:
        git(pkg / "vllm", "checkout", "-q", tag)

    return move
