"""The throwaway vllm-startos that UPDATING.md's and docs/guides/bump.md's vLLM outputs come from.

Built from the vLLM corpus (``$PATCHKIT_CORPUS/vllm/<version>/``, vLLM's files from its
PyPI sdists: ../shared/tools/corpus/build.sh), never from files kept in this repository:

- ``vllm-up``, the upstream: ``v0.32.0`` and ``v0.33.0`` commit vLLM's real
  ``docker/Dockerfile.cpu``, ``setup.py`` and ``pyproject.toml`` of those releases; then two
  made-up commits, edits made here by code: ``[CPU] Separate the .deps cache per
  architecture`` (the ``.deps`` cache mount gets ``id=deps-${TARGETARCH}`` and stage
  ``vllm-build`` declares ``ARG TARGETARCH``) and ``[CPU] Rename the wheel stage``
  (``vllm-build`` becomes ``vllm-wheel``), tagged ``v0.34.0``.
- ``vllm-startos``, the package: ``vllm-up`` as the submodule ``vllm`` (checked out at
  ``v0.32.0``), this repository's ``patches/*.yaml``, UPDATING.md's ``[tool.patchkit]``,
  and the small StartOS files below, at version ``0.32.0:1``.

Every commit has a fixed author and date, so the commit ids are the same on every
machine (the documents show them: ``v0.33.0`` is ``01b31f8820``).

``python tests/docs/vllm_downstream.py DIR`` builds both into DIR (PATCHKIT_CORPUS set),
to try the documents' commands by hand.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CPU = "docker/Dockerfile.cpu"
RELEASES = ("0.32.0", "0.33.0")  # committed as found in the corpus
UPSTREAM_FILES = (CPU, "setup.py", "pyproject.toml")

# the upstream's own fix of the cache id (the patch cpu-deps-cache-per-arch then says
# "upstream"), and v0.34.0's rename of the wheel stage (two patches then drift)
_DEPS_MOUNT = "--mount=type=cache,target=/vllm-workspace/.deps,sharing=locked"
_DEPS_MOUNT_WITH_ID = (
    "--mount=type=cache,target=/vllm-workspace/.deps,id=deps-${TARGETARCH},sharing=locked"
)
_WHEEL_STAGE = "FROM vllm-src AS vllm-build\n"

MANIFEST = """\
import { setupManifest } from '@start9labs/start-sdk'

const variant = process.env.VARIANT || 'cpu'

// The upstream vLLM release: the cpu variant builds it from the submodule (patched
// copies in .dockerfiles/), the nvidia variant pulls vLLM's release image.
const VLLM_VERSION = '0.32.0'

const imageConfigs = {
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
    source: { dockerTag: 'vllm/vllm-openai:v0.32.0' },
    arch: ['x86_64', 'aarch64'],
    nvidiaContainer: true,
  },
} as const

export const manifest = setupManifest({
  id: 'vllm',
  title: 'vLLM',
  images: {
    vllm: imageConfigs[variant as keyof typeof imageConfigs] ?? imageConfigs.cpu,
  },
})
"""

CURRENT = """\
import { VersionInfo, IMPOSSIBLE } from '@start9labs/start-sdk'

export const current = VersionInfo.of({
  version: '0.32.0:1',
  releaseNotes: 'Update vLLM to 0.32.0',
  migrations: {
    up: async ({ effects }) => {},
    down: IMPOSSIBLE,
  },
})
"""

VERSIONS_INDEX = """\
import { VersionGraph } from '@start9labs/start-sdk'
import { current } from './current'

export const versionGraph = VersionGraph.of({
  current,
  other: [],
})
"""

# UPDATING.md sections 6 and 7: the patches capped below the release that changed their
# shape (or fixed their problem upstream), and the two new patches for the new shape
CAPPED = {
    "cpu-scm-pretend-version": ">=0.8.3rc1,<0.34.0",
    "cpu-wheel-checksum": ">=0.8.3rc1,<0.34.0",
    "cpu-deps-cache-per-arch": ">=0.16.0,<0.34.0",
}
NEW_PATCHES = (
    ("cpu-scm-pretend-version-0.34", "--kind", "scm-pretend-version", "--stage", "vllm-wheel"),
    ("cpu-wheel-checksum-0.34", "--kind", "bind-mount-cache-key", "--stage", "vllm-test"),
)


def git_env(home: Path) -> dict[str, str]:
    """git with no user or system configuration, a fixed author and a fixed date."""
    when = "2026-12-01T00:00:00Z"
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "LC_ALL": "C.UTF-8",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": "demo",
        "GIT_AUTHOR_EMAIL": "demo@example.invalid",
        "GIT_COMMITTER_NAME": "demo",
        "GIT_COMMITTER_EMAIL": "demo@example.invalid",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
    }


def _git(repo: Path, *argv: str) -> str:
    done = subprocess.run(
        ["git", *argv],
        cwd=repo,
        env=git_env(repo.parent),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"git {' '.join(argv)} in {repo}: {done.stderr}")
    return done.stdout


def _edit(path: Path, old: str, new: str, count: int | None = 1) -> None:
    """Replace ``old`` (found ``count`` times, or any number of times) byte for byte."""
    data, was = path.read_bytes(), old.encode()
    if count is not None and data.count(was) != count:
        raise RuntimeError(f"{path}: expected {old!r} {count} time(s), found {data.count(was)}")
    path.write_bytes(data.replace(was, new.encode()))


def corpus() -> Path | None:
    """``$PATCHKIT_CORPUS/vllm``, or None when PATCHKIT_CORPUS is unset."""
    named = os.environ.get("PATCHKIT_CORPUS")
    return Path(named) / "vllm" if named else None


def build_upstream(releases: Path, target: Path) -> Path:
    """``target``: vLLM's history as the documents tell it (see the module's docstring)."""
    target.mkdir(parents=True)
    _git(target, "init", "-q", "-b", "main")
    for version in RELEASES:
        for name in UPSTREAM_FILES:
            source = releases / version / name
            if not source.is_file():
                raise FileNotFoundError(f"{source}: the corpus has no {name} of vLLM {version}")
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target / name)
        _git(target, "add", "-A")
        _git(target, "commit", "-q", "-m", f"v{version}")
        _git(target, "tag", f"v{version}")
    dockerfile = target / CPU
    _edit(dockerfile, _DEPS_MOUNT, _DEPS_MOUNT_WITH_ID)
    _edit(dockerfile, _WHEEL_STAGE, _WHEEL_STAGE + "ARG TARGETARCH\n")
    _git(target, "commit", "-q", "-a", "-m", "[CPU] Separate the .deps cache per architecture")
    _edit(dockerfile, "vllm-build", "vllm-wheel", count=None)
    _git(target, "commit", "-q", "-a", "-m", "[CPU] Rename the wheel stage")
    _git(target, "tag", "v0.34.0")
    return target


def updating_config() -> str:
    """UPDATING.md's ``[tool.patchkit]``: the configuration the document shows is the one used."""
    text = (ROOT / "UPDATING.md").read_text(encoding="utf-8")
    found = re.search(r"^```toml\n(\[tool\.patchkit\]\n.*?)^```", text, re.M | re.S)
    if not found:
        raise RuntimeError("UPDATING.md shows no ```toml block with [tool.patchkit]")
    return found.group(1)


def build_package(upstream: Path, target: Path) -> Path:
    """``target``: the package at 0.32.0:1, its submodule ``vllm`` cloned from ``upstream``."""
    target.mkdir(parents=True)
    _git(target, "init", "-q", "-b", "main")
    _git(
        target, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(upstream), "vllm"
    )
    _git(target / "vllm", "checkout", "-q", "v0.32.0")
    (target / "patches").mkdir()
    for patch in sorted((ROOT / "patches").glob("*.yaml")):
        shutil.copyfile(patch, target / "patches" / patch.name)
    files = {
        "pyproject.toml": updating_config(),
        "startos/manifest/index.ts": MANIFEST,
        "startos/versions/current.ts": CURRENT,
        "startos/versions/index.ts": VERSIONS_INDEX,
        ".gitignore": ".dockerfiles/\n",
    }
    for name, text in files.items():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_text(text, encoding="utf-8")
    _git(target, "add", "-A")
    _git(target, "commit", "-q", "-m", "vllm-startos at 0.32.0:1")
    return target


def move_submodule(package: Path, tag: str) -> None:
    """UPDATING.md section 1: the submodule checked out at ``tag``, and staged."""
    _git(package / "vllm", "checkout", "-q", tag)
    _git(package, "add", "vllm")


def commit(package: Path, message: str) -> None:
    """Everything in the package committed (``.dockerfiles/`` is ignored)."""
    _git(package, "add", "-A")
    _git(package, "commit", "-q", "-m", message)


def cap_ranges(package: Path) -> None:
    """UPDATING.md sections 6 and 7: each patch in CAPPED gets its new ``upstream:`` range."""
    for name, spec in CAPPED.items():
        path = package / "patches" / f"{name}.yaml"
        (line,) = [
            ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.startswith("upstream:")
        ]
        _edit(path, line + "\n", f'upstream: "{spec}"\n')


if __name__ == "__main__":
    releases = corpus()
    if releases is None or len(sys.argv) != 2:
        sys.exit("usage: PATCHKIT_CORPUS=DIR python tests/docs/vllm_downstream.py OUTDIR")
    out = Path(sys.argv[1]).resolve()
    package = build_package(build_upstream(releases, out / "vllm-up"), out / "vllm-startos")
    print(package)
