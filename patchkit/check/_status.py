"""The ``status`` area: the patch series on the upstream, and the copies the build uses.

Two questions, both answered without writing anything:

1. **Does every selected patch still fit the upstream?** The engine plans
   the series on the pristine upstream files exactly as ``patchkit apply``
   would (conflicts and idempotence verified). ``drifted`` is an error
   (PKP001, at the patch file's anchor field); ``upstream`` is a warning
   (PKP004: the patch can be retired); transform warnings are PKP005.
   ``pending`` on the upstream is normal: the upstream tree stays pristine,
   the changes live in the copies.
2. **Is each patched copy in the output folder what the series makes?**
   This is what "pending" means for a build: a copy that lacks a change. A
   copy that exists and differs (content or mode, exactly as ``apply
   --check`` decides) is an error (PKP002, at its first differing line, with
   the patches pending on it). A copy that is not there yet is PKP003: a
   warning, since a repo that writes its copies in the build step has none
   before it; with ``strict`` (``patchkit check --check``, for repos that
   commit their copies) it is an error. Copies of a file with a drifted
   patch are not judged: the drift is the thing to fix.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from patchkit.diagnostics import Diagnostic, Severity
from patchkit.states import FileState, PatchState

if TYPE_CHECKING:
    from patchkit.engine import Plan, PlannedFile, UpstreamVersion
    from patchkit.series import Patch, Series

__all__ = [
    "StatusResult",
    "check_status",
    "copy_diagnostics",
    "first_difference",
    "state_diagnostics",
]

#: Transform parameters that say where a patch anchors, most specific first.
_ANCHOR_FIELDS = ("anchor", "target", "run", "from", "stages", "stage", "dist", "arg")


@dataclass(frozen=True, slots=True)
class StatusResult:
    """The plan (whose copies the scm and lint areas read), its diagnostics, and counts."""

    plan: Plan
    diagnostics: tuple[Diagnostic, ...]
    summary: str


def rel_to(root: Path, path: str | os.PathLike[str]) -> str:
    """``path`` relative to ``root`` with ``/`` (unchanged when it is not under ``root``)."""
    p = Path(path)
    try:
        return p.relative_to(root).as_posix()
    except ValueError:
        try:
            return Path(os.path.relpath(p, root)).as_posix()
        except ValueError:  # another drive (Windows)
            return p.as_posix()


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def first_difference(a: str, b: str) -> int:
    """The 1-based number of the first line where ``a`` and ``b`` differ (line endings count)."""
    la, lb = a.splitlines(keepends=True), b.splitlines(keepends=True)
    for i, (x, y) in enumerate(zip(la, lb, strict=False)):
        if x != y:
            return i + 1
    return min(len(la), len(lb)) + 1


def _patch_place(patch: Patch, root: Path, field: str) -> tuple[str, int, int]:
    from patchkit._source import SourceText

    offset, _ = patch.locations.get(field, (0, 1))
    line, col = SourceText(patch.source).line_col(min(offset, len(patch.source)))
    return rel_to(root, patch.path), line, col


def _anchor_field(patch: Patch, state: FileState, upstream: Path) -> str:
    if state.file in patch.files and not (upstream / state.file).exists():
        return f"files[{patch.files.index(state.file)}]"
    for name in _ANCHOR_FIELDS:
        if f"transform.{name}" in patch.locations:
            return f"transform.{name}"
    return "transform"


def state_diagnostics(
    series: Series, states: Sequence[FileState], root: Path, upstream: Path, up_label: str
) -> list[Diagnostic]:
    """PKP001 (drifted, at the patch file's anchor field), PKP004 (upstream) and PKP005
    (transform warnings), with patch file paths relative to ``root``; ``check`` and the
    machine formats of ``status`` and ``apply`` report states through this."""
    out: list[Diagnostic] = []
    for s in states:
        patch = series.get(s.patch)
        if patch is None:  # pragma: no cover - the engine only reports patches of the series
            continue
        if s.state is PatchState.DRIFTED:
            path, line, col = _patch_place(patch, root, _anchor_field(patch, s, upstream))
            out.append(
                Diagnostic(
                    "PKP001",
                    f"patch {patch.id!r} drifted on {up_label}/{s.file}: {s.message}",
                    path,
                    line,
                    col,
                    fix="find the upstream change (patchkit status --range OLD..NEW), then adapt "
                    "the patch's anchor or retire the patch (patchkit rule PKP001)",
                )
            )
        elif s.state is PatchState.UPSTREAM:
            path, line, col = _patch_place(patch, root, "id")
            out.append(
                Diagnostic(
                    "PKP004",
                    f"upstream already does what patch {patch.id!r} does on {up_label}/{s.file}: "
                    f"{s.message}",
                    path,
                    line,
                    col,
                    Severity.WARNING,
                    fix="retire the patch (delete it, or narrow its upstream range)",
                )
            )
        for warning in s.warnings:
            path, line, col = _patch_place(patch, root, "transform")
            out.append(
                Diagnostic(
                    "PKP005",
                    f"patch {patch.id!r} on {up_label}/{s.file}: {warning}",
                    path,
                    line,
                    col,
                    Severity.WARNING,
                )
            )
    return out


def _pending_on_copy(series: Series, states: Sequence[FileState], f: PlannedFile) -> list[str]:
    """The selected patches that are still pending on the copy's own text."""
    from patchkit.engine import apply_to_text
    from patchkit.errors import PatchkitError

    selected: list[Patch] = []
    for s in states:
        patch = series.get(s.patch)
        if s.file == f.rel and s.state is not PatchState.SKIPPED and patch is not None:
            selected.append(patch)
    if f.target_text is None or not selected:
        return []
    try:
        result = apply_to_text(f.target_text, selected, path=f.rel, verify=False)
    except PatchkitError:
        return []
    return [p.id for p, st in result.states if st.state is PatchState.PENDING]


def copy_diagnostics(
    series: Series, the_plan: Plan, root: Path, strict: bool
) -> tuple[list[Diagnostic], dict[str, int]]:
    """PKP002 (a copy out of date, at its first differing line) and PKP003 (not written;
    an error when ``strict``), and the copies counted by what they are."""
    from patchkit.engine import check_targets

    drifted_files = {s.file for s in the_plan.drifted}
    stale = {id(f) for f in check_targets(the_plan)}
    counts = {"up to date": 0, "out of date": 0, "not written": 0, "not judged (drifted)": 0}
    out: list[Diagnostic] = []
    for f in the_plan.files:
        if f.rel in drifted_files:
            counts["not judged (drifted)"] += 1
            continue
        target = rel_to(root, f.target)
        if id(f) not in stale:
            counts["up to date"] += 1
        elif f.target_text is None:
            counts["not written"] += 1
            out.append(
                Diagnostic(
                    "PKP003",
                    f"the patched copy of {f.rel} is not written yet",
                    target,
                    1,
                    1,
                    Severity.ERROR if strict else Severity.WARNING,
                    fix="run patchkit apply",
                )
            )
        else:
            counts["out of date"] += 1
            pending = _pending_on_copy(series, the_plan.states, f)
            if f.target_text == f.new:
                what = "its file mode differs from the upstream file's"
                line = 1
            else:
                line = first_difference(f.target_text, f.new)
                what = f"it differs from what the series makes of upstream {the_plan.upstream} "
                what += f"from line {line} on"
                if pending:
                    what += f"; pending on it: {', '.join(pending)}"
            out.append(
                Diagnostic(
                    "PKP002",
                    f"the patched copy is out of date: {what}",
                    target,
                    line,
                    1,
                    fix="run patchkit apply (patchkit apply --diff shows the change)",
                )
            )
    return out, counts


def check_status(
    series: Series,
    root: Path,
    upstream: Path,
    out: Path,
    version: UpstreamVersion,
    *,
    strict: bool = False,
) -> StatusResult:
    """Plan ``series`` on ``upstream`` with copies in ``out``; diagnostics for the build's view.

    Raises what ``engine.plan`` raises for bad input (``PatchConflict``,
    ``UsageError``, ``InternalError`` for a transform that is not idempotent).
    """
    from patchkit import engine

    the_plan = engine.plan(series, upstream, version, out=out)
    up_label = rel_to(root, upstream)
    diagnostics = state_diagnostics(series, the_plan.states, root, upstream, up_label)
    copy_diags, counts = copy_diagnostics(series, the_plan, root, strict)
    diagnostics.extend(copy_diags)

    tally: dict[str, int] = {}
    for s in the_plan.states:
        tally[s.state.value] = tally.get(s.state.value, 0) + 1
    states = ", ".join(
        f"{tally[st.value]} {st.value}" + (" on the upstream" if st is PatchState.PENDING else "")
        for st in PatchState
        if st.value in tally
    )
    copies = ", ".join(f"{n} {what}" for what, n in counts.items() if n)
    summary = (
        f"upstream {the_plan.upstream} ({the_plan.upstream.source}): "
        f"{_plural(len(series.patches), 'patch', 'patches')} on "
        f"{_plural(len(the_plan.files), 'file')}"
        + (f" ({states})" if states else "")
        + f"; copies in {rel_to(root, out)}/: {copies or 'none'}"
    )
    return StatusResult(the_plan, tuple(diagnostics), summary)
