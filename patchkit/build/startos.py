"""StartOS manifest images → builds: what ``start-cli s9pk pack`` builds or pulls, per variant.

The manifest (``startos/manifest.ts`` or ``startos/manifest/index.ts``,
``export const manifest = setupManifest({...})``) is evaluated statically
with the project's TypeScript reader. Its ``images`` give, per image:

- ``source.dockerBuild { workdir, dockerfile, buildArgs }``: start-cli runs
  ``docker buildx build <workdir> -f <dockerfile> --platform=linux/<arch>
  --build-arg ARCH=<arch> [--build-arg K=V ...]`` from the package root, once
  per arch, without ``--target`` (so the last stage is built). ``workdir``
  defaults to ``.``, ``dockerfile`` to ``<workdir>/Dockerfile``; a build arg
  ``{ env: 'NAME' }`` is taken from start-cli's environment and left out when
  unset (start-os core/src/s9pk/v2/pack.rs, ``ImageSource::load``);
- ``source.dockerTag``: a prebuilt image, pulled per arch;
- ``arch``: defaults to ``['aarch64', 'x86_64']`` (start-sdk ``buildManifest``).

A manifest whose images depend on ``process.env`` (``imageConfigs[variant] ??
imageConfigs.cpu`` with ``const variant = process.env.VARIANT || 'cpu'``) is
evaluated once per value the code compares the variable with or indexes a map
with, and once unset (the default variant); each gives its own builds.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from patchkit.build.model import Build, Fact, Origin, platform_of_arch
from patchkit.typescript import Arr, Obj, Program, Sources, Str, Undefined, Unknown, Value
from patchkit.typescript.variants import evaluate_variants

__all__ = ["MANIFEST_PATHS", "find_manifest", "read_startos_builds"]

#: Where StartOS 0.4 packages keep the manifest, in the order start-cli's template uses.
MANIFEST_PATHS = (
    "startos/manifest.ts",
    "startos/manifest/index.ts",
    "startos/manifest/manifest.ts",
)
_DEFAULT_ARCH = ("aarch64", "x86_64")


def find_manifest(root: Path) -> str | None:
    for rel in MANIFEST_PATHS:
        if (root / rel).is_file():
            return rel
    return None


def _clean(path: str) -> str:
    """A repo-relative path as start-cli's working folder (the package root) sees it."""
    out = posixpath.normpath(path.replace("\\", "/"))
    return "." if out in ("", ".") else out.lstrip("/") if not path.startswith("/") else out


def read_startos_builds(
    root: Path, manifest: str, sources: Sources | None = None
) -> tuple[list[Build], list[tuple[str, Origin | None]]]:
    """Every image build of the manifest, per variant; plus notes on what could not be read."""
    sources = sources or Sources(root)

    def read(program: Program) -> Value:
        value = program.export(manifest, "manifest")
        if isinstance(value, Unknown) and value.reason.startswith("no export"):
            value = program.export(manifest, "default")
        return value

    variants = evaluate_variants(sources, read)
    notes: list[tuple[str, Origin | None]] = []
    value = variants[0].value
    if not isinstance(value, Obj):
        reason = value.reason if isinstance(value, Unknown) else "not an object"
        notes.append((f"the manifest could not be read: {reason}", value.origin))
        return [], notes
    builds = _builds(value, variants[0].label, True)
    seen = {_signature(builds)}
    for variant in variants[1:]:
        if not isinstance(variant.value, Obj):
            continue
        more = _builds(variant.value, variant.label, False)
        if _signature(more) in seen:
            continue  # the same builds as a variant already listed (an unknown key's fallback)
        seen.add(_signature(more))
        builds.extend(more)
    return builds, notes


def _signature(builds: list[Build]) -> tuple[object, ...]:
    return tuple(
        (b.image, b.dockerfile and b.dockerfile.value, b.tag and b.tag.value, b.platforms.value)
        for b in builds
    )


def _builds(manifest: Obj, variant: str | None, is_default: bool) -> list[Build]:
    images = manifest.get("images")
    if not isinstance(images, Obj):
        return []
    return [
        _image_build(image_id, config, variant, is_default)
        for image_id, config in images.props.items()
    ]


def _leaves(value: Str) -> list[Str]:
    """The strings a computed string was built from, innermost first (a constant's literal)."""
    out: list[Str] = []
    for part in value.parts:
        out.extend(_leaves(part) or [part])
    return out


def _text(value: Value | None) -> str | None:
    return value.value if isinstance(value, Str) else None


def _image_build(image_id: str, config: Value, variant: str | None, is_default: bool) -> Build:
    unknowns: list[tuple[str, Origin | None]] = []
    base = Build("startos", image_id, config.origin, variant=variant, default_variant=is_default)
    if not isinstance(config, Obj):
        reason = config.reason if isinstance(config, Unknown) else "not an object"
        return _replace(base, unknowns=((f"image {image_id}: {reason}", config.origin),))
    platforms = _platforms(config.get("arch"), unknowns, image_id)
    source = config.get("source")
    build = _replace(base, platforms=platforms)
    if not isinstance(source, Obj):
        reason = source.reason if isinstance(source, Unknown) else "no source"
        unknowns.append(
            (f"image {image_id}: source: {reason}", source.origin if source else config.origin)
        )
        return _replace(build, unknowns=tuple(unknowns))
    tag = source.get("dockerTag")
    if tag is not None:
        if isinstance(tag, Str):
            return _replace(
                build,
                tag=Fact(tag.value, tag.origin),
                tag_parts=tuple((p.value, p.origin) for p in _leaves(tag)),
                unknowns=tuple(unknowns),
            )
        unknowns.append((f"image {image_id}: dockerTag: {_why(tag)}", tag.origin))
        return _replace(build, unknowns=tuple(unknowns))
    docker_build = source.get("dockerBuild")
    if not isinstance(docker_build, Obj):
        if docker_build is not None:
            unknowns.append(
                (f"image {image_id}: dockerBuild: {_why(docker_build)}", docker_build.origin)
            )
        return _replace(build, unknowns=tuple(unknowns))
    workdir_value = docker_build.get("workdir")
    workdir = (
        Fact(_clean(workdir_value.value), workdir_value.origin)
        if isinstance(workdir_value, Str)
        else Fact(".", None, "start-cli builds in the package root when workdir is not set")
    )
    if workdir_value is not None and not isinstance(workdir_value, (Str, Undefined)):
        unknowns.append((f"image {image_id}: workdir: {_why(workdir_value)}", workdir_value.origin))
    dockerfile_value = docker_build.get("dockerfile")
    if isinstance(dockerfile_value, Str):
        dockerfile = Fact(_clean(dockerfile_value.value), dockerfile_value.origin)
    else:
        if dockerfile_value is not None and not isinstance(dockerfile_value, Undefined):
            unknowns.append(
                (f"image {image_id}: dockerfile: {_why(dockerfile_value)}", dockerfile_value.origin)
            )
        dockerfile = Fact(
            _clean(posixpath.join(workdir.value, "Dockerfile")),
            None,
            "start-cli uses <workdir>/Dockerfile when dockerfile is not set",
        )
    args: dict[str, Fact[str | None]] = {
        "ARCH": Fact(None, None, "start-cli passes --build-arg ARCH=<arch> to every build")
    }
    build_args = docker_build.get("buildArgs")
    if isinstance(build_args, Obj):
        for key, value in build_args.props.items():
            if isinstance(value, Str):
                args[key] = Fact(value.value, value.origin)
            elif isinstance(value, Obj) and isinstance(value.get("env"), Str):
                env_name = _text(value.get("env"))
                args[key] = Fact(
                    None, value.origin, f"from start-cli's environment variable {env_name}"
                )
            else:
                args[key] = Fact(None, value.origin)
                unknowns.append((f"image {image_id}: build arg {key}: {_why(value)}", value.origin))
    elif build_args is not None and not isinstance(build_args, Undefined):
        unknowns.append((f"image {image_id}: buildArgs: {_why(build_args)}", build_args.origin))
    return _replace(
        build,
        dockerfile=dockerfile,
        context=workdir,
        build_args=args,
        unknowns=tuple(unknowns),
    )


def _platforms(
    arch: Value | None, unknowns: list[tuple[str, Origin | None]], image_id: str
) -> Fact[tuple[str, ...]]:
    if arch is None or isinstance(arch, Undefined):
        return Fact(
            tuple(platform_of_arch(a) for a in _DEFAULT_ARCH),
            None,
            "the StartOS SDK builds aarch64 and x86_64 when arch is not set",
        )
    if isinstance(arch, Arr) and all(isinstance(a, Str) for a in arch.items):
        return Fact(tuple(platform_of_arch(a.value) for a in arch.items), arch.origin)  # type: ignore[attr-defined]
    unknowns.append((f"image {image_id}: arch: {_why(arch)}", arch.origin))
    return Fact((), arch.origin)


def _why(value: Value) -> str:
    return (
        value.reason
        if isinstance(value, Unknown)
        else f"a {type(value).__name__.lower()}, not a string"
    )


def _replace(build: Build, **changes: object) -> Build:
    from dataclasses import replace

    return replace(build, **changes)  # type: ignore[arg-type]
