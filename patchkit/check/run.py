"""Run every area of ``patchkit check`` over one downstream repo, as its configuration says.

Order of work (and why):

1. **The upstream version**, once, the way the engine decides it: the flag
   (``Config.upstream_version`` after overrides), else the configuration,
   else ``git describe`` of the upstream tree. Every area judges against
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

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from patchkit.check.report import Area, CheckReport
from patchkit.diagnostics import Diagnostic

if TYPE_CHECKING:
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


def _guarded(name: str, root: Path, fallback: str, work: Callable[[], Area]) -> Area:
    from patchkit.errors import InternalError, PatchkitError

    try:
        return work()
    except InternalError:
        raise
    except PatchkitError as exc:
        diagnostic = _input_error(exc, root, fallback)
        return Area(name, f"stopped: {diagnostic.message}", (diagnostic,), stopped=True)


def run_check(
    config: Config, *, strict: bool = False, upstream_version: str | None = None
) -> CheckReport:
    """Check the downstream repo ``config`` describes; returns every area's result.

    ``upstream_version`` (the ``--upstream-version`` flag) wins over the
    configuration and git, and is reported as coming from the flag.
    ``strict`` makes a patched copy that is not written yet an error
    (PKP003), for repos that commit their copies. Raises ``UsageError``/``ConfigError``
    when the upstream tree or its version cannot be found (nothing can be
    checked then).
    """
    from patchkit import engine
    from patchkit.check import _areas
    from patchkit.check._status import check_status, rel_to
    from patchkit.check.inputs import build_file_inputs, patched_inputs

    root = config.root
    # check only reads: a patch folder linked from elsewhere (examples/patches) is fine
    upstream = root / config.upstream
    up_label = rel_to(root, upstream)
    if not upstream.is_dir():
        from patchkit.errors import UsageError

        raise UsageError(
            f"the upstream tree {up_label} does not exist under {root}; set upstream in "
            "[tool.patchkit] or pass --upstream DIR (a submodule that is not checked out: "
            "git submodule update --init)"
        )
    version = engine.resolve_upstream_version(upstream, upstream_version, config)

    copies: list[BuildInput] = []
    status_note = ""

    def status() -> Area:
        nonlocal status_note
        from patchkit.series import load_series

        series = load_series(root / config.patches)
        result = check_status(series, root, upstream, root / config.out, version, strict=strict)
        copies.extend(patched_inputs(result.plan, root))
        return Area("status", result.summary, result.diagnostics)

    status_area = _guarded("status", root, config.patches, status)
    if status_area.stopped:
        status_note = " (no patched copies: the series did not load)"

    extra: list[BuildInput] = []
    extra_diags: list[Diagnostic] = []

    def read_build_files() -> Area:
        found, diags = build_file_inputs(config, copies)
        extra.extend(found)
        extra_diags.extend(diags)
        return Area("check", "")

    files_area = _guarded("check", root, "pyproject.toml", read_build_files)
    inputs = [*copies, *extra]

    manifest = _guarded(
        "manifest", root, "pyproject.toml", lambda: _areas.manifest_area(config, str(version))
    )
    scm = _guarded("scm", root, up_label, lambda: _areas.scm_area(upstream, inputs, up_label))
    lint = _guarded("lint", root, "pyproject.toml", lambda: _areas.lint_area(config, inputs))

    # build_files problems belong to the areas that read those files
    if extra_diags or files_area.stopped:
        lint = _with(lint, (*files_area.diagnostics, *extra_diags), files_area.stopped)
    if status_note:
        scm = _with(scm, (), False, status_note)
        lint = _with(lint, (), False, status_note)
    return CheckReport(
        root=str(root),
        upstream_version=str(version),
        upstream_version_source=version.source,
        strict=strict,
        areas=(manifest, scm, status_area, lint),
    )


def _with(area: Area, diagnostics: tuple[Diagnostic, ...], stopped: bool, note: str = "") -> Area:
    from dataclasses import replace

    return replace(
        area,
        summary=area.summary + note,
        diagnostics=(*area.diagnostics, *diagnostics),
        stopped=area.stopped or stopped,
    )
