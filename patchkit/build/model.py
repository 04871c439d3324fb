"""The build model: what a downstream repo really builds, each fact with the place it was read.

A ``Build`` is one image build: which Dockerfile, which context, which target
stage, for which platforms, with which build args — or, for a prebuilt image,
which tag it pulls. Builds come from the StartOS manifest (per image, per
variant), a ``docker-bake.hcl``, workflow steps (docker/build-push-action)
and ``docker build`` command lines in workflows, Makefiles and scripts. Every
field is a ``Fact``: the value and its ``Origin`` (file, line, column), or a
default with the rule that supplied it, so a finding can say where patchkit
looked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from patchkit.typescript.values import Origin

__all__ = [
    "ARCH_PLATFORMS",
    "Build",
    "BuildModel",
    "Fact",
    "Origin",
    "Submodule",
    "platform_of_arch",
]

T = TypeVar("T")

#: StartOS ``arch`` names and the ``--platform`` start-cli passes for each
#: (start-os core/src/s9pk/v2/pack.rs: x86_64 → linux/amd64, aarch64 → linux/arm64,
#: anything else → linux/<arch>).
ARCH_PLATFORMS = {"x86_64": "linux/amd64", "aarch64": "linux/arm64", "riscv64": "linux/riscv64"}


def platform_of_arch(arch: str) -> str:
    return ARCH_PLATFORMS.get(arch, f"linux/{arch}")


@dataclass(frozen=True, slots=True)
class Fact(Generic[T]):
    """A value and where it was read. ``default``: the rule that supplied it when nothing said so."""

    value: T
    origin: Origin | None = None
    default: str | None = None

    def where(self) -> str:
        if self.origin is not None:
            return str(self.origin)
        return f"default: {self.default}" if self.default else "?"


@dataclass(frozen=True, slots=True)
class Build:
    """One image build the repo runs.

    ``source``: ``startos`` (a manifest image), ``bake``, ``workflow`` or
    ``command`` (a command line in a Makefile, script or workflow ``run:``).
    ``image``: the StartOS image id (or bake target, step name).
    ``variant``: ``NAME=value`` of the environment variable that selects it,
    None when the manifest has no variants; ``default_variant``: the one
    built when the variable is unset.
    ``dockerfile`` and ``context``: repo-relative paths (None for a prebuilt
    image, ``tag`` then names it). ``target``: the stage built (None: the
    last one). ``build_args``: name → value; None as a value means the
    build passes it from the environment (``{ env: 'NAME' }``) or it could
    not be read (see ``unknowns``).
    ``unknowns``: what could not be read, each with its place.
    """

    source: str
    image: str
    origin: Origin | None
    dockerfile: Fact[str] | None = None
    context: Fact[str] | None = None
    target: Fact[str] | None = None
    platforms: Fact[tuple[str, ...]] = field(default_factory=lambda: Fact(()))
    build_args: Mapping[str, Fact[str | None]] = field(default_factory=dict)
    tag: Fact[str] | None = None
    # the constants a tag's template was built from: (their text, where each is written)
    tag_parts: tuple[tuple[str, Origin | None], ...] = ()
    variant: str | None = None
    default_variant: bool = True
    unknowns: tuple[tuple[str, Origin | None], ...] = ()

    @property
    def label(self) -> str:
        """How findings name this build: ``image vllm`` or ``image vllm (VARIANT=nvidia)``."""
        kind = {"startos": "image", "bake": "bake target", "workflow": "workflow step"}.get(
            self.source, "build"
        )
        text = f"{kind} {self.image}"
        return f"{text} ({self.variant})" if self.variant else text

    @property
    def is_prebuilt(self) -> bool:
        return self.tag is not None and self.dockerfile is None


@dataclass(frozen=True, slots=True)
class Submodule:
    """A ``.gitmodules`` entry: its name, path and url, and the line of its ``path``."""

    name: str
    path: str
    url: str | None
    origin: Origin


@dataclass(frozen=True, slots=True)
class BuildModel:
    """Everything discovered about a repo's builds.

    ``manifest``: the StartOS manifest file read (None: none found);
    ``submodules``: from ``.gitmodules``; ``upstream``: the upstream tree
    (a submodule that a build's context lies in, or the only submodule, or
    the configured one), repo-relative; ``notes``: one-line remarks about
    what discovery saw and did not use, each with a place when it has one.
    """

    root: str
    builds: tuple[Build, ...] = ()
    manifest: str | None = None
    submodules: tuple[Submodule, ...] = ()
    upstream: Fact[str] | None = None
    notes: tuple[tuple[str, Origin | None], ...] = ()

    def builds_of(self, dockerfile: str) -> list[Build]:
        return [
            b for b in self.builds if b.dockerfile is not None and b.dockerfile.value == dockerfile
        ]

    @property
    def dockerfiles(self) -> list[str]:
        """The Dockerfiles the builds use, each once, in order."""
        seen: dict[str, None] = {}
        for b in self.builds:
            if b.dockerfile is not None:
                seen.setdefault(b.dockerfile.value, None)
        return list(seen)
