"""PKM013: the places a build names the upstream version, against the current version.

An image tag is now the most common place a StartOS package keeps its
upstream version (``vllm/vllm-openai:${VLLM_VERSION}``). The build model
(``patchkit.build``) says what each image pulls or builds; this check holds
against the upstream part of the current version (of the same variant):

- each prebuilt image's tag (``source.dockerTag``);
- each version-like build arg of a source build (``buildArgs``), and image
  references passed as build args (``'cloudflare/cloudflared:' + VERSION``);
- the ``FROM`` images and version ``ARG`` defaults of the Dockerfile a build uses.

Only the places that carry the package's own upstream are judged: an image
whose repository names the package id (``vaultwarden/server`` for
``vaultwarden``), or the only image; a build arg or ``ARG`` whose name does
(``OPENCLAW_VERSION`` for ``openclaw``). Helper images (``postgres:16``) are
left alone. Tags are compared by the StartOS SDK's equality, reading a
variant suffix (``-alpine``, ``-apache``) and an image maker's rebuild
(``1.5.3.3`` for ``1.5.3``) as the same release
(``patchkit.versions.upstream``). A tag that names an upstream commit
(``nightly-<sha>``) is held against the commit the upstream submodule is
pinned to, when there is one; a tag with no version in it (``latest``,
``b9994``) is not judged.

Each finding names both places: the tag (or the constant it is built from,
where the fix goes) and the current version.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from patchkit.diagnostics import Diagnostic
from patchkit.manifest.codes import code

if TYPE_CHECKING:
    from patchkit.build.model import Build, BuildModel
    from patchkit.manifest.crosscheck import CurrentVersion
    from patchkit.typescript import Origin

__all__ = ["BuildPlace", "build_version_places", "check_build_versions", "image_tag", "package_id"]

_VERSION_NAME = re.compile(r"(?i)version|_tag$|^tag$|image")
_SHA = re.compile(r"(?:^|-)[0-9a-f]{12,40}$")


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def image_tag(reference: str) -> tuple[str, str] | None:
    """``(repository, tag)`` of an image reference, None when it has no tag.

    >>> image_tag("ghcr.io/immich-app/immich-server:v3.1.0@sha256:ab")
    ('immich-app/immich-server', 'v3.1.0')
    """
    ref = reference.split("@", 1)[0]
    name, sep, tag = ref.rpartition(":")
    if not sep or "/" in tag or not name:
        return None
    first, slash, rest = name.partition("/")
    if slash and ("." in first or ":" in first or first == "localhost"):
        name = rest  # drop the registry host
    return name, tag


def _names_package(text: str, package: str | None) -> bool:
    return bool(package) and package in _norm(text)  # type: ignore[operator]


def _image_of_package(repository: str, image_id: str, package: str | None) -> bool:
    """An image carries the package's own upstream when its name says so
    (``lightninglabs/lnd`` for ``lnd``), or when the StartOS image is named for the package and
    the repository's owner is (``vaultwarden/server`` as image ``vaultwarden``); a helper from
    the same owner (``btcpayserver/postgres``) is not."""
    if not package:
        return False
    name = _norm(repository.rsplit("/", 1)[-1])
    if package in name or (len(name) >= 5 and name in package):
        return True  # lightninglabs/lnd for lnd; owntracks/recorder for owntracks-recorder
    return _norm(image_id) == package and package in _norm(repository)


def package_id(root: Path, model: BuildModel) -> str | None:
    if model.manifest is None:
        return None
    from patchkit.typescript import Obj, Program, Sources, Str

    manifest = Program(Sources(root)).export(model.manifest, "manifest")
    if not isinstance(manifest, Obj):
        manifest = Program(Sources(root)).export(model.manifest, "default")
    ident = manifest.get("id") if isinstance(manifest, Obj) else None
    if not isinstance(ident, Str):
        return None
    norm = _norm(ident.value.removesuffix("-startos"))
    return norm or None


def _current_for(build: Build, currents: Sequence[CurrentVersion]) -> CurrentVersion | None:
    for c in currents:
        if c.variant is not None and c.variant == build.variant:
            return c
    return next((c for c in currents if c.variant is None or c.default_variant), None)


def _at(origin: Origin | None, fallback: tuple[str, int, int]) -> tuple[str, int, int]:
    return (origin.path, origin.line, origin.col) if origin is not None else fallback


def _finding(
    where: tuple[str, int, int],
    what: str,
    value: str,
    current: CurrentVersion,
    variant: str | None,
) -> Diagnostic | None:
    from patchkit.manifest import _versions as V

    parts = V.exver_parts(current.item.text)
    if parts is not None:
        upstream = parts[1]
    else:
        # an invalid current (PKM001 says why) still says which upstream it means: '0.14.0'
        from patchkit.versions.upstream import read_upstream

        body = (
            current.item.text.split(":", 1)[1]
            if current.item.text.startswith("#")
            else current.item.text
        )
        reading = read_upstream(body.split(":", 1)[0])
        if reading is None or reading.how not in ("as written", "without the v"):
            return None
        upstream = str(reading.part)
    match = V.match_upstream(value, upstream, tag=True)
    if match is None or match.same:
        return None
    item = current.item
    message = (
        f"{what} names upstream {match.reading.part}, but the current version {item.text!r} "
        f"({item.path}:{item.line}:{item.col}) is upstream {upstream}: {match.verdict}"
    )
    return _pkm013(
        message, variant, where, "bump the one that is behind, so the image and the version agree"
    )


def _pkm013(message: str, variant: str | None, where: tuple[str, int, int], fix: str) -> Diagnostic:
    """A PKM013 finding at ``where``, naming the variant it is about."""
    path, line, col = where
    return Diagnostic(
        code="PKM013",
        message=message + (f" [{variant}]" if variant else ""),
        path=path,
        line=line,
        col=col,
        severity=code("PKM013").severity,
        fix=fix,
    )


def _tag_place(build: Build) -> tuple[str, int, int]:
    """Where a tag's version is written: the constant it is built from, else the tag."""
    assert build.tag is not None
    fallback = _at(build.tag.origin, ("startos/manifest.ts", 1, 1))
    tagged = image_tag(build.tag.value)
    if tagged is None:
        return fallback
    for text, origin in build.tag_parts:
        if text and text in tagged[1]:
            return _at(origin, fallback)
    return fallback


@dataclass(frozen=True, slots=True)
class BuildPlace:
    """A place a build names the package's own upstream version.

    ``where``: (path, line, col) where the version is written (the constant a tag is
    built from, when it is); ``what``: the place in words; ``value``: the version text
    there (an image tag, a build arg value, an ARG default); ``current``: the current
    version of the build's variant; ``variant``: the variant named in findings.
    """

    where: tuple[str, int, int]
    what: str
    value: str
    current: CurrentVersion
    variant: str | None
    #: the image reference also pins a digest (``...:1.5.3@sha256:...``)
    pinned: bool = False


def check_build_versions(
    root: Path, model: BuildModel, currents: Sequence[CurrentVersion]
) -> list[Diagnostic]:
    """PKM013 for every image tag, build arg and Dockerfile FROM/ARG of the package's own
    upstream that names another version than the current one (per variant)."""
    out: dict[tuple[object, ...], Diagnostic] = {}
    commits: list[Diagnostic | None] = []
    for place in build_version_places(root, model, currents, commits=commits):
        d = _finding(place.where, place.what, place.value, place.current, place.variant)
        if d is not None:
            # one finding per place and value: variants that build the same image say it once
            key_text = d.message.split(" names upstream ", 1)[-1].split(" [")[0]
            out.setdefault((d.path, d.line, d.col, key_text), d)
    for d in commits:
        if d is not None:
            out.setdefault((d.path, d.line, d.col, d.message), d)
    return list(out.values())


def build_version_places(
    root: Path,
    model: BuildModel,
    currents: Sequence[CurrentVersion],
    *,
    commits: list[Diagnostic | None] | None = None,
) -> list[BuildPlace]:
    """Every image tag, build arg and Dockerfile FROM/ARG that carries the package's own
    upstream version, per build (see the module docstring for which count).

    ``commits`` collects the findings for tags that name an upstream commit
    (``nightly-<sha>``) instead of a version.
    """
    if not currents or not model.builds:
        return []
    package = package_id(root, model)
    startos = [b for b in model.builds if b.source == "startos"]
    images = {b.image for b in startos}
    out: list[BuildPlace] = []
    for build in startos:
        current = _current_for(build, currents)
        if current is None:
            continue
        variant = build.variant if any(c.variant for c in currents) else None
        if build.tag is not None:
            tagged = image_tag(build.tag.value)
            if tagged is None:
                continue
            # the only image is the package's own, unless it is an official library image
            # (nginx, postgres: no owner in its name), which must be named for the package
            only = len(images) == 1 and "/" in tagged[0]
            if not (only or _image_of_package(tagged[0], build.image, package)):
                continue
            sha = _SHA.search(tagged[1])
            if sha is not None:
                if commits is not None:
                    commits.append(
                        _commit_finding(root, model, build, sha.group(0).lstrip("-"), variant)
                    )
                continue
            what = f"{build.label} pulls {build.tag.value} ({build.tag.where()})"
            pinned = "@" in build.tag.value
            out.append(BuildPlace(_tag_place(build), what, tagged[1], current, variant, pinned))
            continue
        for name, fact in build.build_args.items():
            if fact.value is None or not _VERSION_NAME.search(name):
                continue
            ref = image_tag(fact.value) if "/" in fact.value or ":" in fact.value else None
            if ref is not None:
                if not _image_of_package(ref[0], "", package):
                    continue
                value = ref[1]
            elif _names_package(name, package):
                value = fact.value
            else:
                continue
            what = f"{build.label} build arg {name}={fact.value} ({fact.where()})"
            where = _at(fact.origin, ("startos/manifest.ts", 1, 1))
            out.append(BuildPlace(where, what, value, current, variant))
        if build.dockerfile is not None:
            out.extend(_dockerfile_versions(root, build, package, current, variant))
    return out


def _commit_finding(
    root: Path, model: BuildModel, build: Build, sha: str, variant: str | None
) -> Diagnostic | None:
    """A ``nightly-<sha>`` tag against the commit the upstream submodule is pinned to."""
    assert build.tag is not None
    if model.upstream is None or not any(s.path == model.upstream.value for s in model.submodules):
        return None
    from patchkit.upstream.git import GitError, GitRepo

    try:
        pinned = GitRepo(root).gitlink("HEAD", model.upstream.value)
    except GitError:
        return None
    if pinned is None or pinned.startswith(sha) or sha.startswith(pinned):
        return None
    message = (
        f"{build.label} pulls {build.tag.value} ({build.tag.where()}), an image of upstream commit "
        f"{sha[:12]}, but the submodule {model.upstream.value} is pinned to {pinned[:12]}"
    )
    return _pkm013(
        message,
        variant,
        _tag_place(build),
        "move the submodule to the image's commit, or the tag to the submodule's",
    )


def _dockerfile_versions(
    root: Path, build: Build, package: str | None, current: CurrentVersion, variant: str | None
) -> list[BuildPlace]:
    assert build.dockerfile is not None
    path = root / build.dockerfile.value
    if not package or not path.is_file():
        return []
    from patchkit._fs import read_source
    from patchkit._source import SourceText
    from patchkit.dockerfile import parse

    text = read_source(path)
    tree = parse(text, str(path))
    src = SourceText(text)
    rel = build.dockerfile.value
    found: list[BuildPlace] = []
    for ins in tree.instructions:
        if ins.keyword == "FROM" and ins.values:
            ref = image_tag(ins.values[0])
            if ref is None or "$" in ref[1] or not _image_of_package(ref[0], "", package):
                continue
            line, col = src.line_col(ins.args_start)
            what = f"{rel} FROM {ins.values[0]} (line {ins.start_line}), built by {build.label},"
            found.append(BuildPlace((rel, line, col), what, ref[1], current, variant))
        elif ins.keyword == "ARG":
            for pair in ins.pairs:
                if pair.value is None or "$" in pair.value or not _VERSION_NAME.search(pair.key):
                    continue
                if not _names_package(pair.key, package):
                    continue
                line, col = src.line_col(pair.value_start)
                what = f"{rel} ARG {pair.key}={pair.value}, built by {build.label},"
                found.append(BuildPlace((rel, line, col), what, pair.value, current, variant))
    return found
