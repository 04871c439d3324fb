"""Run every area of ``patchkit check`` over one downstream repo, as its configuration says.

Order of work (and why):

1. **The upstream version**, once, the way the engine decides it: the flag
   (``run_check(upstream_version=...)``), else ``upstream_version`` in the
   configuration, else ``git describe`` of the upstream tree (restricted by
   ``describe_match``). Every area judges against
   this one version; when it cannot be told, nothing can be checked and the
   error (exit 2) says how to give it.
2. **status**: the patch series planned on the pristine upstream; its
   in-memory copies are the Dockerfiles the build uses.
3. **manifest**, **scm**, **lint**: the version strings; the pretend-version
   variables of the copies and ``build_files``; the lint rules on every
   Dockerfile among them.

An input error inside one area (a patch file that does not load, a workflow
that is not YAML) stops that area only: it becomes a ``PKC001`` diagnostic
at the bad file's place, the other areas still run, and the exit code is 2.
Internal errors (bugs of ours) are not caught here. Nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from patchkit.check.report import Area, CheckReport
from patchkit.diagnostics import Diagnostic
from patchkit.errors import PatchkitError

if TYPE_CHECKING:
    from patchkit.build.model import BuildModel
    from patchkit.check._copies import CopySource
    from patchkit.check.inputs import BuildInput
    from patchkit.config import Config
    from patchkit.errors import PatchkitError

__all__ = ["run_check"]


def _input_error(exc: PatchkitError, root: Path, fallback: str) -> Diagnostic:
    """A ``PKC001`` diagnostic at the place the error names (the repo root when it names none)."""
    from patchkit.check._status import rel_to
    from patchkit.errors import InputError, SourceError

    path, line, col, fix = fallback, 1, 1, None
    message = str(exc)
    if isinstance(exc, SourceError):
        path = rel_to(root, exc.path) if exc.path else fallback
        line, col, message, fix = exc.line, exc.col, exc.message, exc.suggestion
    elif isinstance(exc, InputError):
        path = rel_to(root, exc.path) if exc.path else fallback
        message = exc.message
    return Diagnostic("PKC001", message, path, line, col, fix=fix)


_T = TypeVar("_T")


def _attempt(root: Path, fallback: str, work: Callable[[], _T]) -> _T | Diagnostic:
    """``work()``, or the ``PKC001`` diagnostic for the input error it raised."""
    from patchkit.errors import InternalError, PatchkitError

    try:
        return work()
    except InternalError:
        raise
    except PatchkitError as exc:
        return _input_error(exc, root, fallback)
    except PermissionError as exc:  # a stat in an unreadable folder: the input's, not a bug
        from patchkit._fs import access_error

        return _input_error(access_error(exc), root, fallback)


def _stopped(name: str, diagnostic: Diagnostic) -> Area:
    return Area(name, f"stopped: {diagnostic.message}", (diagnostic,), stopped=True)


def _area(name: str, root: Path, fallback: str, work: Callable[[], Area]) -> Area:
    got = _attempt(root, fallback, work)
    return _stopped(name, got) if isinstance(got, Diagnostic) else got


def run_check(
    config: Config, *, strict: bool = False, upstream_version: str | None = None
) -> CheckReport:
    """Check the downstream repo ``config`` describes; returns every area's result.

    The build model (``patchkit.build``) says what the repo builds: the
    upstream tree (configured, or the submodule a build uses), the
    Dockerfiles with their platforms, target and build args, the prebuilt
    images. ``upstream_version`` (the ``--upstream-version`` flag) wins over
    the configuration and git, and is reported as coming from the flag.
    ``strict`` makes a patched copy that is not written yet an error
    (PKP003), for repos that commit their copies. Raises ``UsageError`` /
    ``ConfigError`` only for what was configured and is wrong (a configured
    upstream tree that does not exist).
    """
    from patchkit import engine
    from patchkit.build.discover import discover_build
    from patchkit.check import _areas
    from patchkit.check._copies import copy_sources, to_sources
    from patchkit.check._status import check_status, rel_to
    from patchkit.check.build_area import plan_builds
    from patchkit.check.inputs import build_file_inputs, patched_inputs
    from patchkit.upstream.recorded import recorded_version

    root = config.root
    model = discover_build(config)
    if _nothing_to_check(config, model):
        from patchkit.errors import UsageError

        # an empty or wrong folder (a CI working-directory typo) must not pass green
        raise UsageError(
            f"nothing to check in {root.resolve()}: no [tool.patchkit] configuration, StartOS manifest, "
            "build, upstream tree, patches/ folder, manifest.yaml or Dockerfile was found; run "
            "patchkit check from the package's root, or give it (patchkit check DIR)"
        )
    upstream_rel = model.upstream.value if model.upstream is not None else None
    if config.is_set("upstream") and not (root / config.upstream).is_dir():
        from patchkit.errors import UsageError

        raise UsageError(
            f"the upstream tree {config.upstream} does not exist under {root}; set upstream in "
            "[tool.patchkit] or pass --upstream DIR (a submodule that is not checked out: "
            "git submodule update --init)"
        )
    upstream = root / upstream_rel if upstream_rel is not None else None
    checked_out = upstream is not None and upstream.is_dir() and any(upstream.iterdir())
    up_label = rel_to(root, upstream) if upstream is not None else "upstream"
    extra: list[Diagnostic] = []
    version = None
    if checked_out:
        assert upstream is not None
        try:
            version = engine.resolve_upstream_version(
                upstream,
                upstream_version,
                config,
                recorded=lambda: recorded_version(config, model),
            )
            if version.note:
                extra.append(_note("PKB005", version.note, model))
        except PatchkitError as exc:
            if config.is_set("upstream") or config.is_set("upstream_version") or upstream_version:
                raise
            extra.append(
                _note("PKB005", f"the upstream version of {up_label}/ cannot be told: {exc}", model)
            )
    elif upstream is not None:
        extra.append(
            _note(
                "PKB005",
                f"the upstream tree {up_label}/ is empty: the submodule is not checked out "
                "(git submodule update --init); the scm and status areas are skipped",
                model,
            )
        )
    patches_dir = root / config.patches
    has_series = patches_dir.is_dir() or config.is_set("patches")

    sources: dict[str, CopySource] = {}

    def status() -> tuple[Area, list[BuildInput], dict[str, str]]:
        from patchkit.series import load_series

        if not has_series:
            return (
                Area(
                    "status", f"no {config.patches}/ folder: no patch series to check", skipped=True
                ),
                [],
                {},
            )
        if upstream is None or not checked_out or version is None:
            why = "no upstream tree" if upstream is None else f"{up_label}/ is not usable"
            return Area("status", f"skipped: {why}", skipped=True), [], {}
        series = load_series(patches_dir)
        result = check_status(series, root, upstream, root / config.out, version, strict=strict)
        rewritten = {rel_to(root, f.source): rel_to(root, f.target) for f in result.plan.files}
        sources.update(copy_sources(result.plan, root))
        return (
            Area("status", result.summary, result.diagnostics),
            patched_inputs(result.plan, root),
            rewritten,
        )

    got = _attempt(root, config.patches, status)
    copies: list[BuildInput]
    rewritten: dict[str, str]
    if isinstance(got, Diagnostic):
        status_area, copies, rewritten = _stopped("status", got), [], {}
    else:
        status_area, copies, rewritten = got
    # an input error that names no file is placed at the configuration, or the repo
    here = rel_to(root, config.source) if config.source is not None else "."
    read = _attempt(root, here, lambda: build_file_inputs(config, copies))
    files, file_diags = ([], [read]) if isinstance(read, Diagnostic) else read
    plan = plan_builds(config, model, copies, rewritten, version)
    build = Area(
        "build", plan.summary, tuple(sorted((*plan.diagnostics, *extra), key=Diagnostic.sort_key))
    )
    if model.builds:
        # judge what the builds use; configured build_files stay checked as before
        known = {j.path for j in plan.lint_jobs}
        scm_inputs = [*plan.scm_inputs, *files]
        lint_extra = [i for i in files if i.kind == "dockerfile" and i.path not in known]
    else:
        scm_inputs = [*copies, *files]
        lint_extra = [i for i in scm_inputs if i.kind == "dockerfile"]

    manifest = _area(
        "manifest",
        root,
        here,
        lambda: _areas.manifest_area(
            config,
            str(version) if version is not None else None,
            getattr(version, "tag", None),
            model,
        ),
    )
    if upstream is not None and checked_out:
        scm = _area(
            "scm",
            root,
            up_label,
            lambda: _areas.scm_area(upstream, scm_inputs, up_label, plan.build_args),
        )
    else:
        scm = Area("scm", "skipped: no upstream tree to read", skipped=True)
    lint = _area("lint", root, here, lambda: _areas.lint_area(config, lint_extra, plan.lint_jobs))

    # build_files problems go with the scm area, which reads every kind of build file
    note = " (no patched copies: the series did not load)" if status_area.stopped else ""
    scm = _amend(scm, file_diags, note)
    lint = _amend(lint, (), note)
    # findings on the generated copies point at the patch or upstream line they come from
    scm, lint = to_sources(scm, sources), to_sources(lint, sources)
    return CheckReport(
        root=str(root),
        upstream_version=str(version) if version is not None else None,
        upstream_version_source=version.source if version is not None else None,
        strict=strict,
        areas=(build, manifest, scm, status_area, lint),
    )


def _note(code: str, message: str, model: object) -> Diagnostic:
    """A warning about the upstream tree, at the place that names it (its .gitmodules entry)."""
    from patchkit.check.build_area import diagnostic_at
    from patchkit.diagnostics import Severity

    upstream = getattr(model, "upstream", None)
    origin = upstream.origin if upstream is not None else None
    return diagnostic_at(code, message, origin, Severity.WARNING, fallback=".gitmodules")


def _amend(area: Area, diagnostics: Sequence[Diagnostic], note: str) -> Area:
    """``area`` with more diagnostics (a ``PKC001`` among them stops it) and a note."""
    from dataclasses import replace

    return replace(
        area,
        summary=area.summary + note,
        diagnostics=(*area.diagnostics, *diagnostics),
        stopped=area.stopped or any(d.code == "PKC001" for d in diagnostics),
    )


def _nothing_to_check(config: Config, model: BuildModel) -> bool:
    """Whether ``config.root`` holds nothing any area reads: no configuration, no build, no
    manifest, no upstream, no patch series, and no Dockerfile or manifest.yaml at its top."""
    root = config.root
    if config.source is not None or model.builds or model.manifest or model.upstream:
        return False
    if model.submodules or (root / config.patches).is_dir():
        return False
    try:
        names = [p.name.lower() for p in root.iterdir()]
    except OSError:
        return False
    return not any(
        "dockerfile" in n
        or n.endswith((".dockerfile", ".containerfile"))
        or n == "containerfile"
        or n in ("manifest.yaml", "manifest.yml", "manifest.json", "startos", "docker")
        for n in names
    )
