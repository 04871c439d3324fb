"""The upstream version the downstream already records: a build arg that feeds a pretend-version
variable (issue 20, part 2).

A StartOS package passes the upstream version to its build
(``buildArgs: { VLLM_VERSION }`` in the manifest), where it becomes
``SETUPTOOLS_SCM_PRETEND_VERSION``: that value *is* the version the package
is built as. When git cannot tell the upstream version (a shallow submodule,
a checkout without tags, a plain folder), that recorded value is taken
instead of asking for a fifth hand-kept copy in the configuration, and the
output names the build arg and the place it was read.

A build arg counts when the build passes it with a PEP 440 value and it
feeds a pretend-version variable in the Dockerfile the build uses: in that
file as it is, in the upstream file its patched copy is made from, or
through a patch of kind ``scm-pretend-version`` (``arg: NAME``) that will
write the feeding line. Several builds recording different versions is an
error: patchkit does not choose between them.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from packaging.version import Version

    from patchkit.build.model import BuildModel
    from patchkit.config import Config

__all__ = ["RecordedVersion", "recorded_version"]


@dataclass(frozen=True, slots=True)
class RecordedVersion:
    """A version a build passes as ``arg``, read at ``where``, feeding ``variable``."""

    version: Version
    value: str
    arg: str
    variable: str
    where: str
    build: str

    def describe(self) -> str:
        return f"{self.arg}={self.value} at {self.where}, which becomes {self.variable}"


def recorded_version(
    config: Config, model: BuildModel | None = None, *, patches_dir: str | Path | None = None
) -> RecordedVersion | None:
    """The one upstream version the builds of ``config``'s repo record, or None.

    Raises ``UsageError`` when builds record different versions.
    """
    from patchkit.errors import UsageError

    if model is None:
        from patchkit.build.discover import discover_build

        model = discover_build(config)
    found = _recorded(config, model, patches_dir)
    if not found:
        return None
    if len({r.version for r in found}) > 1:
        listing = "; ".join(f"{r.build}: {r.describe()}" for r in found)
        raise UsageError(
            "the builds record different upstream versions, and git cannot tell which is "
            f"right: {listing}. Make them agree (or give --upstream-version)"
        )
    return found[0]


def _recorded(
    config: Config, model: BuildModel, patches_dir: str | Path | None
) -> list[RecordedVersion]:
    from packaging.version import InvalidVersion, Version

    by_patch = _patch_feeders(config, patches_dir)
    out: list[RecordedVersion] = []
    for build in model.builds:
        if build.dockerfile is None:
            continue
        feeders = {**by_patch, **_file_feeders(config, model, build.dockerfile.value)}
        for arg, fact in build.build_args.items():
            if arg not in feeders or fact.value is None:
                continue
            try:
                version = Version(fact.value)
            except InvalidVersion:
                continue  # not PEP 440: the scm area judges the value (PKS005)
            out.append(
                RecordedVersion(version, fact.value, arg, feeders[arg], fact.where(), build.label)
            )
    return out


def _file_feeders(config: Config, model: BuildModel, dockerfile: str) -> dict[str, str]:
    """Build arg -> the pretend variable it feeds, in the Dockerfile or its upstream original."""
    from patchkit._fs import read_source
    from patchkit.dockerfile import parse
    from patchkit.errors import PatchkitError
    from patchkit.lint._pretend import setters

    root = config.root
    candidates = [root / dockerfile]
    out_dir = posixpath.normpath(config.out)
    upstream = model.upstream.value if model.upstream is not None else None
    if upstream and (dockerfile == out_dir or dockerfile.startswith(out_dir + "/")):
        candidates.append(root / upstream / dockerfile[len(out_dir) + 1 :])
    fed: dict[str, str] = {}
    for path in candidates:
        if not path.is_file():
            continue
        try:
            tree = parse(read_source(path), path=str(path))
        except PatchkitError:
            continue
        for s in setters(tree):
            value = (s.value or "").strip()
            ref = value.lstrip("$").strip("{}")
            if value.startswith("$") and ref.isidentifier():
                fed.setdefault(ref, s.name)
    return fed


def _patch_feeders(config: Config, patches_dir: str | Path | None) -> dict[str, str]:
    """Build args that a ``scm-pretend-version`` patch of the series hands to the variable."""
    from patchkit.errors import PatchkitError
    from patchkit.series import load_series

    folder = Path(patches_dir) if patches_dir is not None else config.root / config.patches
    if not folder.is_dir():
        return {}
    try:
        series = load_series(folder)
    except PatchkitError:
        return {}  # the status area reports a broken series
    return {
        str(p.params["arg"]): "SETUPTOOLS_SCM_PRETEND_VERSION"
        for p in series.patches
        if p.kind == "scm-pretend-version" and p.params.get("arg")
    }
