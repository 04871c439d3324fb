"""Findings on patched copies, pointed back at what wrote the line (issue 20, part 4).

The lint and scm areas read the patched copies (``.dockerfiles/...``), which
are generated and usually git-ignored: a finding there lands on no file of a
pull request. Each such finding is moved to its source: a line a patch wrote
(or changed) to the patch file, at the line of its ``transform`` that says
what it writes; an untouched line to the upstream file, at the line it has
there (lines inserted above it move it in the copy). The message names the
copy and its line, so nothing is lost.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from patchkit.check.report import Area
    from patchkit.diagnostics import Diagnostic
    from patchkit.engine import LineOrigin, Plan

__all__ = ["CopySource", "copy_sources", "to_sources"]


@dataclass(frozen=True, slots=True)
class CopySource:
    """One patched copy: its upstream file and each of its lines' origin (repo-relative)."""

    upstream: str
    origins: Sequence[LineOrigin]
    patch_paths: Mapping[str, str]  # patch id -> its file, repo-relative


def copy_sources(the_plan: Plan, root: Path) -> dict[str, CopySource]:
    """Each planned copy (by its repo-relative target) and where its lines come from."""
    from patchkit.check._status import rel_to
    from patchkit.engine import line_origins

    out: dict[str, CopySource] = {}
    for f in the_plan.files:
        origins = line_origins(f.original, f.edits)
        paths = {
            patch.id: rel_to(root, patch.path) for _, _, pieces in f.edits for patch, _ in pieces
        }
        out[rel_to(root, f.target)] = CopySource(rel_to(root, f.source), origins, paths)
    return out


def to_sources(area: Area, copies: Mapping[str, CopySource]) -> Area:
    """``area`` with every finding on a patched copy moved to its patch or upstream line."""
    if not copies or not any(d.path in copies for d in area.diagnostics):
        return area
    moved = tuple(_move(d, copies[d.path]) if d.path in copies else d for d in area.diagnostics)
    return replace(area, diagnostics=tuple(sorted(moved, key=lambda d: d.sort_key())))


def _move(d: Diagnostic, copy: CopySource) -> Diagnostic:
    if not 1 <= d.line <= len(copy.origins):
        return d
    origin = copy.origins[d.line - 1]
    where = f"{d.path}:{d.line}"
    if origin.patch is not None:
        return replace(
            d,
            path=copy.patch_paths.get(origin.patch.id, origin.patch.path),
            line=origin.line,
            col=1,
            end_line=None,
            end_col=None,
            message=f"{d.message} (in the patched copy {where}, written by patch "
            f"{origin.patch.id})",
        )
    end_line, end_col = None, None
    if d.end_line is not None and 1 <= d.end_line <= len(copy.origins):
        end = copy.origins[d.end_line - 1]
        if end.patch is None:
            end_line, end_col = end.line, d.end_col
    return replace(
        d,
        path=copy.upstream,
        line=origin.line,
        end_line=end_line,
        end_col=end_col,
        message=f"{d.message} (in the patched copy {where})",
    )
