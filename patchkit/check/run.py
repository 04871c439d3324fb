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

    def status() -> tuple[Area, list[BuildInput]]:
        from patchkit.series import load_series

        series = load_series(root / config.patches)
        result = check_status(series, root, upstream, root / config.out, version, strict=strict)
        return Area("status", result.summary, result.diagnostics), patched_inputs(result.plan, root)

    got = _attempt(root, config.patches, status)
    status_area, copies = (_stopped("status", got), []) if isinstance(got, Diagnostic) else got
    read = _attempt(root, "pyproject.toml", lambda: build_file_inputs(config, copies))
    files, file_diags = ([], [read]) if isinstance(read, Diagnostic) else read
    inputs = [*copies, *files]

    manifest = _area(
        "manifest", root, "pyproject.toml", lambda: _areas.manifest_area(config, str(version))
    )
    scm = _area("scm", root, up_label, lambda: _areas.scm_area(upstream, inputs, up_label))
    lint = _area("lint", root, "pyproject.toml", lambda: _areas.lint_area(config, inputs))

    # build_files problems go with the scm area, which reads every kind of build file
    note = " (no patched copies: the series did not load)" if status_area.stopped else ""
    scm = _amend(scm, file_diags, note)
    lint = _amend(lint, (), note)
    return CheckReport(
        root=str(root),
        upstream_version=str(version),
        upstream_version_source=version.source,
        strict=strict,
        areas=(manifest, scm, status_area, lint),
    )


def _amend(area: Area, diagnostics: Sequence[Diagnostic], note: str) -> Area:
    """``area`` with more diagnostics (a ``PKC001`` among them stops it) and a note."""
    from dataclasses import replace

    return replace(
        area,
        summary=area.summary + note,
        diagnostics=(*area.diagnostics, *diagnostics),
        stopped=area.stopped or any(d.code == "PKC001" for d in diagnostics),
    )
