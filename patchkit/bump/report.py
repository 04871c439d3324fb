"""How ``bump`` reports a plan: the text summary, the ``patchkit/bump/v1`` JSON, the diffs."""

from __future__ import annotations

import difflib
import os
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from patchkit.bump.plan import BumpPlan

__all__ = ["SCHEMA", "render_diffs", "render_json", "render_text"]

SCHEMA = "patchkit/bump/v1"


def _shown(path: object) -> str:
    try:
        return os.path.relpath(str(path))
    except ValueError:
        return str(path)


def render_text(plan: BumpPlan, out: TextIO, *, written: list[str] | None, preview: bool) -> None:
    """The summary: the version, each version place changed, each patch's state, the copies."""
    v = plan.version
    if v.written != v.pep440:
        out.write(f"upstream {v.written} (PEP 440 {v.pep440}; {v.source})\n")
    else:
        out.write(f"upstream {v.pep440} ({v.source})\n")
    if plan.currents:
        out.write(f"current version {', '.join(plan.currents)}\n")
    verb = "would change" if preview else "changed"
    places = [(c, e) for c in plan.changes for e in c.edits]
    created = [c for c in plan.changes if c.original is None]
    if not places and not created:
        out.write("version places: up to date\n")
    else:
        out.write(f"version places ({verb}):\n")
        for change, e in places:
            where = f"{_shown(change.path)}:{e.line}:{e.col}" if e.line else _shown(change.path)
            if e.old:
                out.write(f"  {where}: {e.what}: {e.old!r} -> {e.new!r}\n")
            else:
                out.write(f"  {where}: {e.what}: inserted {e.new.strip()!r}\n")
        for change in created:
            out.write(
                f"  {_shown(change.path)}: new version file, a copy of {change.copied_from} "
                "with the new version: its releaseNotes and migrations are that file's, "
                "yours to edit\n"
            )
            if change.copies_migration:
                out.write(
                    f"  warning: {_shown(change.path)} copies the migrations.up of "
                    f"{change.copied_from}: it would run again when a server updates from that "
                    "version; empty it unless this release needs it\n"
                )
    for line in plan.skipped:
        out.write(f"  left alone: {line}\n")
    for note in plan.notes:
        out.write(f"note: {note}\n")
    if plan.patches is not None:
        states = plan.patches.states
        if states:
            out.write("patches:\n")
            w_patch = max(len(s.patch) for s in states)
            w_file = max(len(s.file) for s in states)
            for s in states:
                out.write(
                    f"  {s.patch:<{w_patch}}  {s.file:<{w_file}}  {s.state.value:<8}  {s.message}\n"
                )
        stale = plan.stale_copies()
        if written is None:
            for f in stale:
                out.write(
                    f"  copy {verb.split()[-1] if not preview else 'out of date'}: {f.target}\n"
                )
    if written is not None:
        for path in written:
            out.write(f"wrote {path}\n")
        if not written:
            out.write("nothing to do: every version place and copy is up to date\n")


def render_json(plan: BumpPlan, out: TextIO, *, written: list[str] | None) -> None:
    from patchkit.cli.output import dump_json

    v = plan.version
    doc: dict[str, object] = {
        "schema": SCHEMA,
        "upstream_version": v.pep440,
        "upstream_version_source": v.source,
        "upstream_tag": v.tag,
        "current_versions": list(plan.currents),
        "version_places": [
            {
                "path": _shown(c.path),
                "line": e.line,
                "col": e.col,
                "place": e.what,
                "old": e.old,
                "new": e.new,
            }
            for c in plan.changes
            for e in c.edits
        ],
        "new_files": [
            {
                "path": _shown(c.path),
                "copied_from": c.copied_from,
                "copies_migration": c.copies_migration,
            }
            for c in plan.changes
            if c.original is None
        ],
        "left_alone": list(plan.skipped),
        "notes": list(plan.notes),
        "patches": [s.to_json() for s in plan.patches.states] if plan.patches else [],
        "drifted": plan.drifted,
        "out_of_date_copies": [str(f.target) for f in plan.stale_copies()],
        "written": written,
    }
    dump_json(doc, out)


def render_diffs(plan: BumpPlan, out: TextIO) -> None:
    """A unified diff of every file the bump writes: version files, then patched copies."""
    from patchkit.cli.output import colour_diff

    pairs: list[tuple[str, str, str, str]] = []
    for c in plan.changes:
        name = _shown(c.path)
        pairs.append((c.original or "", c.new, "/dev/null" if c.original is None else name, name))
    for f in plan.stale_copies():
        target = str(f.target)
        old = f.target_text
        pairs.append((old or "", f.new, "/dev/null" if old is None else target, target))
    for old, new, a, b in pairs:
        out.writelines(
            colour_diff(
                difflib.unified_diff(
                    old.splitlines(keepends=True), new.splitlines(keepends=True), a, b
                ),
                out,
            )
        )
