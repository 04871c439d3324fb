"""The manifest, scm and lint areas: each turns its layer's findings into one ``Area``.

Each function takes what the orchestrator resolved (configuration, upstream
version, build inputs) and calls the layer's library API; none reads the
environment or the working folder, none writes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from patchkit.check.report import Area

if TYPE_CHECKING:
    from patchkit.build.model import BuildModel
    from patchkit.check.build_area import LintJob
    from patchkit.check.inputs import BuildInput
    from patchkit.config import Config
    from patchkit.scm.check import BuildArgs

__all__ = ["lint_area", "manifest_area", "scm_area"]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def manifest_area(
    config: Config,
    upstream_version: str | None,
    upstream_tag: str | None = None,
    model: BuildModel | None = None,
) -> Area:
    """Scan the ``manifests`` files, validate every version, cross-check them (PKM codes)."""
    from patchkit.diagnostics import Diagnostic
    from patchkit.manifest.check import check_items, find_current
    from patchkit.manifest.located import LocatedVersion
    from patchkit.manifest.scan import scan

    result = scan(config)
    diagnostics = list(result.diagnostics)
    diagnostics.extend(
        check_items(
            result.items,
            upstream_version=upstream_version,
            version_constants=config.version_constants,
            version_file_pattern=config.version_file_pattern,
            upstream_tag=upstream_tag,
            currents=result.currents,
        )
    )
    currents = list(result.currents or ())
    if not currents:
        told, _ = find_current(result.items)
        currents = [told] if told is not None else []
    if model is not None and currents:
        from patchkit.manifest.images import check_build_versions

        diagnostics.extend(check_build_versions(config.root, model, currents))
    found = sum(1 for i in result.items if isinstance(i, LocatedVersion))
    summary = f"{_plural(found, 'version string')} in {_plural(len(result.files), 'file')}"
    if result.currents:
        shown = sorted({(c.item.text, c.variant or "") for c in result.currents})
        summary += "; current " + ", ".join(f"{t} ({v})" if v else t for t, v in shown)
    else:
        current, _ = find_current(result.items)
        if current is not None:
            summary += f"; current {current.item.text}"
        else:
            emver = [
                i
                for i in result.items
                if isinstance(i, LocatedVersion) and i.kind == "version" and i.scheme == "emver"
            ]
            if len(emver) == 1:
                summary += f"; version {emver[0].text} (StartOS 0.3.x, EmVer)"
    if upstream_version is not None:
        summary += f", upstream {upstream_version}"
    return Area("manifest", summary, tuple(sorted(diagnostics, key=Diagnostic.sort_key)))


def scm_area(
    upstream_root: Path,
    inputs: Sequence[BuildInput],
    upstream_label: str,
    build_args: Mapping[str, BuildArgs] | None = None,
) -> Area:
    """Which pretend-version variables the build files set, against what the upstream reads.

    The upstream project is read statically (setup.py, pyproject.toml); an
    upstream with neither is not a setuptools-scm build, and the area is
    skipped.
    """
    from patchkit.scm.check import check, wanted_names
    from patchkit.scm.model import load_upstream
    from patchkit.scm.setters import scan_file

    if (
        not (upstream_root / "setup.py").is_file()
        and not (upstream_root / "pyproject.toml").is_file()
    ):
        return Area(
            "scm",
            f"{upstream_label} has no setup.py or pyproject.toml: not a setuptools-scm build",
            skipped=True,
        )
    up = load_upstream(upstream_root)
    want = wanted_names(up)
    files = [
        scan_file(i.path, i.kind, want, i.text)
        for i in inputs
        if i.kind in ("dockerfile", "shell", "make", "yaml")
    ]
    diagnostics = check(up, files, build_args)
    variables = sum(len(f.setters) for f in files)
    majors = ", ".join(str(m) for m in up.majors)
    summary = (
        f"{_plural(variables, 'pretend-version variable')} in {_plural(len(files), 'file')}; "
        f"setuptools-scm {majors} ({upstream_label})"
    )
    return Area("scm", summary, tuple(diagnostics))


def lint_area(config: Config, inputs: Sequence[BuildInput], jobs: Sequence[LintJob] = ()) -> Area:
    """Lint every Dockerfile the build uses (PKD codes).

    ``jobs`` come from the build model: each Dockerfile with the platforms
    its builds really target and the stage they build (findings in stages
    the target does not need are dropped). ``inputs`` are Dockerfiles no
    build names (configured ``build_files``, or every patched copy when no
    build was found), linted for the configured platforms.

    PKD004 (an unhonoured pretend-version variable) is left to the scm area,
    which reports the same mistake (PKS001) with the per-major reasoning: the
    lint context gets no upstream facts, so PKD004 stays silent here.
    """
    from dataclasses import replace

    from patchkit.diagnostics import Diagnostic
    from patchkit.errors import ConfigError
    from patchkit.lint.base import DEFAULT_CACHE_KEY_ARG, LintContext
    from patchkit.lint.registry import select_codes
    from patchkit.lint.runner import lint_text

    settings = config.lint
    platforms = settings.platforms if settings.platforms is not None else config.platforms
    builder = settings.builder or config.builder
    try:
        context = LintContext(
            platforms=platforms,
            builder=builder,
            package_caches=settings.package_caches or "share",
            cache_key_arg=settings.cache_key_arg or DEFAULT_CACHE_KEY_ARG,
        )
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc
    codes = select_codes(settings.select or None, settings.ignore or None)
    work: list[tuple[str, str, LintContext, tuple[str, ...]]] = [
        (
            j.path,
            j.text,
            replace(context, platforms=j.platforms, target=j.target, built_only=True),
            j.labels,
        )
        for j in jobs
    ]
    work += [(i.path, i.text, context, ()) for i in inputs if i.kind == "dockerfile"]
    diagnostics: dict[tuple[object, ...], Diagnostic] = {}
    suppressed = 0
    shown_platforms: list[str] = []
    for path, text, ctx, labels in work:
        result = lint_text(text, path, ctx, codes)
        suppressed += result.suppressed
        shown_platforms += [p for p in ctx.platforms if p not in shown_platforms]
        for v in result.violations:
            d = v.to_diagnostic(result.tree, path)
            if len(jobs) > 1 and labels:
                d = replace(d, message=f"{d.message} [{', '.join(labels)}]")
            diagnostics.setdefault((d.code, d.path, d.line, d.col, v.message), d)
    files = len({w[0] for w in work})
    summary = (
        f"{_plural(files, 'Dockerfile')} for {', '.join(shown_platforms) or 'any platform'}"
        f" on {builder}; "
        f"{_plural(len(codes), 'rule')}" + (f", {suppressed} suppressed" if suppressed else "")
    )
    return Area("lint", summary, tuple(diagnostics.values()))
