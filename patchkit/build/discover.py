"""Discover the build model of a downstream repo from its own files; configuration overrides it.

Read, in this order (each a source of ``Build`` entries):

1. the StartOS manifest (``patchkit.build.startos``), per image and variant;
2. ``docker-bake.hcl`` at the root;
3. ``.github/workflows/*.yml``: build-push-action steps and build commands in ``run:``;
4. ``Makefile`` / ``*.mk`` at the root and shell scripts (``*.sh`` at the root and
   in ``scripts/``), plus ``build_files`` of ``[tool.patchkit]``: build commands.

and ``.gitmodules``. The upstream tree is the configured ``upstream`` when the
configuration sets it; else the submodule that a build's context or Dockerfile
lies in; else the only submodule; else ``upstream`` when that folder exists.

A file that cannot be read becomes a note (with its place), never a stop: the
model is what could be read, and ``patchkit build`` shows what was not.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import TYPE_CHECKING

from patchkit._fs import is_temporary
from patchkit.build.model import Build, BuildModel, Fact, Origin, Submodule

if TYPE_CHECKING:
    from patchkit.config import Config

__all__ = ["discover_build", "file_writers"]

_WORKFLOW_GLOBS = (".github/workflows/*.yml", ".github/workflows/*.yaml")
_MAKE_GLOBS = ("Makefile", "makefile", "GNUmakefile", "*.mk")
_SCRIPT_GLOBS = ("*.sh", "scripts/*.sh", "scripts/*", "build/*.sh")


def _files(root: Path, globs: tuple[str, ...]) -> list[str]:
    seen: dict[str, None] = {}
    for pattern in globs:
        for p in sorted(root.glob(pattern)):
            if p.is_file() and not p.is_symlink() and not is_temporary(p.name):
                seen.setdefault(p.relative_to(root).as_posix(), None)
    return list(seen)


def discover_build(config: Config) -> BuildModel:
    """The build model of the repo at ``config.root``."""
    from patchkit.build.gitmodules import read_gitmodules
    from patchkit.build.startos import find_manifest, read_startos_builds
    from patchkit.errors import PatchkitError

    root = config.root
    notes: list[tuple[str, Origin | None]] = []
    builds: list[Build] = []
    submodules: tuple[Submodule, ...] = ()
    try:
        submodules = read_gitmodules(root)
    except PatchkitError as exc:
        notes.append((f".gitmodules: {exc}", Origin(".gitmodules", 1, 1)))
    manifest = find_manifest(root)
    if manifest is not None:
        try:
            got, more = read_startos_builds(root, manifest)
            builds.extend(got)
            notes.extend(more)
        except PatchkitError as exc:
            notes.append((f"{manifest}: {exc}", Origin(manifest, 1, 1)))
    builds.extend(_other_builds(config, notes))
    upstream = _upstream(config, builds, submodules)
    return BuildModel(
        root=str(root),
        builds=tuple(builds),
        manifest=manifest,
        submodules=submodules,
        upstream=upstream,
        notes=tuple(notes),
    )


def _other_builds(config: Config, notes: list[tuple[str, Origin | None]]) -> list[Build]:
    from patchkit._fs import read_source
    from patchkit.build.ci_files import bake_builds, makefile_builds, script_builds, workflow_builds
    from patchkit.errors import PatchkitError

    root = config.root
    found: list[Build] = []
    if (root / "docker-bake.hcl").is_file():
        try:
            found.extend(bake_builds(root, "docker-bake.hcl"))
        except PatchkitError as exc:
            notes.append((f"docker-bake.hcl: {exc}", Origin("docker-bake.hcl", 1, 1)))
    readers = (
        (_files(root, _WORKFLOW_GLOBS), workflow_builds),
        (_files(root, _MAKE_GLOBS), makefile_builds),
        (_files(root, _SCRIPT_GLOBS), script_builds),
    )
    done: set[str] = set()
    for paths, reader in readers:
        for rel in paths:
            done.add(rel)
            try:
                text = read_source(root / rel)
                if reader is script_builds and not _is_shell(rel, text):
                    continue
                found.extend(reader(rel, text))
            except PatchkitError as exc:
                notes.append((f"{rel}: {exc}", Origin(rel, 1, 1)))
    for pattern in config.build_files:
        from patchkit.manifest._glob import expand

        for rel in expand(root, pattern):
            if rel in done:
                continue
            done.add(rel)
            try:
                text = read_source(config.resolve(rel))
                name = posixpath.basename(rel)
                if name in ("Makefile", "makefile", "GNUmakefile") or name.endswith(".mk"):
                    found.extend(makefile_builds(rel, text))
                elif rel.endswith((".yml", ".yaml")):
                    found.extend(workflow_builds(rel, text))
                elif _is_shell(rel, text):
                    found.extend(script_builds(rel, text))
            except PatchkitError as exc:
                notes.append((f"{rel}: {exc}", Origin(rel, 1, 1)))
    return found


def _is_shell(rel: str, text: str) -> bool:
    if rel.endswith((".sh", ".bash")):
        return True
    first = text.split("\n", 1)[0]
    return first.startswith("#!") and any(s in first for s in ("sh", "bash"))


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _upstream(
    config: Config, builds: list[Build], submodules: tuple[Submodule, ...]
) -> Fact[str] | None:
    if config.is_set("upstream"):
        origin = Origin(_config_name(config), 1, 1) if config.source is not None else None
        return Fact(config.upstream, origin, None if origin else "--upstream")
    for build in builds:
        for fact in (build.context, build.dockerfile):
            if fact is None:
                continue
            for sub in submodules:
                if _inside(fact.value, sub.path):
                    return Fact(sub.path, sub.origin, f"the submodule {build.label} builds from")
    if len(submodules) == 1:
        return Fact(submodules[0].path, submodules[0].origin, "the only submodule")
    if (config.root / config.upstream).is_dir():
        return Fact(config.upstream, None, f"the folder {config.upstream}/ (patchkit's default)")
    return None


def _config_name(config: Config) -> str:
    assert config.source is not None
    try:
        return config.source.relative_to(config.root).as_posix()
    except ValueError:
        return config.source.name


def file_writers(root: Path, path: str) -> list[tuple[str, Origin]]:
    """Makefile targets and scripts that mention ``path`` (or its folder): who generates it.

    Only read, never run. A Makefile target is named by the rule line above
    the recipe that mentions the file; a script by its path.
    """
    from patchkit._fs import read_source
    from patchkit.errors import PatchkitError

    folder = posixpath.dirname(path)
    needles = [path, posixpath.basename(path)] + ([folder] if folder not in ("", ".") else [])
    found: list[tuple[str, Origin]] = []
    for rel in _files(root, _MAKE_GLOBS + _SCRIPT_GLOBS):
        try:
            text = read_source(root / rel)
        except PatchkitError:
            continue
        is_make = rel.endswith(".mk") or posixpath.basename(rel) in (
            "Makefile",
            "makefile",
            "GNUmakefile",
        )
        target = None
        for number, line in enumerate(text.split("\n"), start=1):
            if (
                is_make
                and line
                and not line.startswith(("\t", " ", "#"))
                and ":" in line
                and "=" not in line.split(":")[0]
            ):
                target = line.split(":", 1)[0].strip()
            if any(n and n in line for n in needles) and not line.lstrip().startswith("#"):
                what = (
                    f"make {target} ({rel})"
                    if is_make and target and line.startswith("\t")
                    else rel
                )
                found.append((what, Origin(rel, number, 1)))
                break
    # a script that writes it, then the Makefile target that runs that script
    scripts = [w for w, o in found if not w.startswith("make ")]
    for rel in _files(root, _MAKE_GLOBS):
        try:
            text = read_source(root / rel)
        except PatchkitError:
            continue
        target = None
        for number, line in enumerate(text.split("\n"), start=1):
            if line and not line.startswith(("\t", " ", "#")) and ":" in line:
                target = line.split(":", 1)[0].strip()
            if line.startswith("\t") and target and any(s in line for s in scripts):
                found.insert(0, (f"make {target} ({rel})", Origin(rel, number, 1)))
                break
    return found
