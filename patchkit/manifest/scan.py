"""Run the finders over a downstream repo, as its ``[tool.patchkit]`` says.

``scan(config)`` expands every ``manifests`` entry (a repo-relative glob),
reads each file exactly (UTF-8, CRLF kept), hands it to the finder for its
kind and stamps each result with the entry's kind and scheme. A file listed
by two entries is read once per entry. ``check_manifests(config)`` is scan
plus ``check.check_items``: the whole manifest part of ``patchkit check``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from patchkit.config import Config, ManifestSpec
from patchkit.diagnostics import Diagnostic
from patchkit.manifest._glob import expand
from patchkit.manifest.located import LocatedVersion, Unreadable

if TYPE_CHECKING:
    from patchkit.manifest.crosscheck import CurrentVersion
    from patchkit.typescript import Sources

__all__ = ["ScanResult", "check_manifests", "find_in_text", "scan", "scheme_for"]

Item = LocatedVersion | Unreadable


@dataclass(frozen=True, slots=True)
class ScanResult:
    """What a scan found: the items in file order, the files read, and PKM012 for empty globs.

    ``currents``: the current version per variant as the StartOS version graph
    names it (``startos_graph``); None when the files hold no version graph.
    """

    items: tuple[Item, ...]
    files: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...]
    currents: tuple[CurrentVersion, ...] | None = None


def _names(version_constants: Sequence[str]) -> tuple[str, ...]:
    from patchkit.manifest.startos_ts import DEFAULT_CONSTANT_NAMES

    return tuple(dict.fromkeys((*DEFAULT_CONSTANT_NAMES, *version_constants)))


def find_in_text(
    text: str,
    path: str,
    kind: str,
    *,
    scheme: str = "",
    version_constants: Sequence[str] = (),
    sources: Sources | None = None,
) -> list[Item]:
    """The items of one file of ``kind`` (``startos-ts``, ``yaml``, ``pyproject``, ``dockerfile``).

    ``sources``: the repo's TypeScript modules, so that a StartOS file's imports
    are followed. Raises ``SourceError`` when a YAML or TOML file does not parse.
    """
    names = _names(version_constants)
    found: Iterable[Item]
    if kind == "startos-ts":
        from patchkit.manifest import startos_ts

        found = startos_ts.find_versions(text, path, constant_names=names, sources=sources)
    elif kind == "yaml":
        from patchkit.manifest import yaml_files

        found = yaml_files.find_versions(text, path, env_names=names)
    elif kind == "pyproject":
        from patchkit.manifest import pyproject

        found = pyproject.find_versions(text, path)
    elif kind == "dockerfile":
        from patchkit.manifest import dockerfile

        found = dockerfile.find_versions(text, path, names=names)
    else:
        raise ValueError(f"unknown manifest kind {kind!r}")
    return [replace(item, file_kind=kind, scheme=scheme) for item in found]


def scheme_for(spec: ManifestSpec, rel: str) -> str:
    """The scheme of file ``rel`` of entry ``spec``: a StartOS 0.3.x ``manifest.yaml`` is EmVer
    unless the entry names a scheme."""
    import posixpath

    if (
        spec.kind == "yaml"
        and not spec.scheme_given
        and posixpath.basename(rel) in ("manifest.yaml", "manifest.yml")
    ):
        return "emver"
    return spec.scheme


def scan(config: Config) -> ScanResult:
    """Find the version strings of every file the config's ``manifests`` name."""
    from patchkit._fs import read_source
    from patchkit.typescript import Sources

    items: list[Item] = []
    files: list[str] = []
    diagnostics: list[Diagnostic] = []
    sources = Sources(config.root)
    ts_files: list[str] = []
    for index, spec in enumerate(config.manifests):
        matched = expand(config.root, spec.path)
        if not matched:
            # a default that finds nothing (a StartOS 0.3.x package has no startos/*.ts)
            # is no mistake of the repo's; only a configured entry is worth a warning
            if config.is_set("manifests"):
                diagnostics.append(_no_files(config, index, spec))
            continue
        for rel in matched:
            text = read_source(config.resolve(rel))
            files.append(rel)
            items.extend(
                find_in_text(
                    text,
                    rel,
                    spec.kind,
                    scheme=scheme_for(spec, rel),
                    version_constants=config.version_constants,
                    sources=sources if spec.kind == "startos-ts" else None,
                )
            )
            if spec.kind == "startos-ts":
                ts_files.append(rel)
    return ScanResult(
        tuple(items),
        tuple(dict.fromkeys(files)),
        tuple(diagnostics),
        _graph_currents(sources, list(dict.fromkeys(ts_files)), items),
    )


def _graph_currents(
    sources: Sources, files: list[str], items: list[Item]
) -> tuple[CurrentVersion, ...] | None:
    """The version graph's current versions, or None (no graph, or one patchkit cannot read)."""
    from patchkit.manifest.crosscheck import CurrentVersion
    from patchkit.manifest.startos_graph import read_graph_currents

    if not files:
        return None
    got = read_graph_currents(sources, files, items)
    if got is None or not got[0]:
        return None
    return tuple(CurrentVersion(c.item, c.how, c.variant, c.default_variant) for c in got[0])


def _no_files(config: Config, index: int, spec: ManifestSpec) -> Diagnostic:
    from patchkit.manifest.codes import code

    path, line, col = "--manifest", 1, 1  # a flag: there is no file to point at
    if config.source is not None and "manifests" in config.explicit:
        from patchkit._fs import read_source
        from patchkit._source import SourceText
        from patchkit._toml_spans import find_span

        text = read_source(config.source)
        base = () if config.source.name == "patchkit.toml" else ("tool", "patchkit")
        span = find_span(text, (*base, "manifests", index))
        if span is not None:
            line, col = SourceText(text).line_col(span.value_start)
        path = config.source.name if config.source.parent == config.root else str(config.source)
    return Diagnostic(
        code="PKM012",
        message=f"manifests entry {spec.path!r} ({spec.kind}) matches no file",
        path=path,
        line=line,
        col=col,
        severity=code("PKM012").severity,
    )


def check_manifests(config: Config, *, upstream_version: str | None = None) -> list[Diagnostic]:
    """Scan and check: every manifest diagnostic for the repo ``config`` describes.

    ``upstream_version`` (PEP 440) overrides ``config.upstream_version``; with
    neither, the cross-checks against the upstream version are skipped (the
    others still run).
    """
    from patchkit.manifest.check import check_items

    result = scan(config)
    diagnostics = list(result.diagnostics)
    diagnostics.extend(
        check_items(
            result.items,
            upstream_version=upstream_version or config.upstream_version,
            version_constants=config.version_constants,
            version_file_pattern=config.version_file_pattern,
            currents=result.currents,
        )
    )
    return sorted(diagnostics, key=Diagnostic.sort_key)
