"""Plan a bump (every file's new text, computed without writing) and write it, all or nothing."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from patchkit.bump.graph import NewFile, release_file
from patchkit.bump.places import Edit, NewVersion, current_edits, old_parts, respell
from patchkit.bump.text import locate, splice

if TYPE_CHECKING:
    from patchkit.build.model import BuildModel
    from patchkit.config import Config
    from patchkit.engine import Plan, PlannedFile
    from patchkit.manifest.crosscheck import CurrentVersion
    from patchkit.manifest.located import LocatedVersion
    from patchkit.manifest.scan import ScanResult
    from patchkit.versions._exver_model import ExVerPart

__all__ = ["BumpPlan", "FileChange", "plan_bump", "plan_versions", "sweep", "write_bump"]


@dataclass(frozen=True, slots=True)
class FileChange:
    """One downstream file the bump writes: ``original`` None when it creates it."""

    path: Path
    rel: str
    original: str | None
    new: str
    mode: int
    edits: tuple[Edit, ...] = ()
    copied_from: str | None = None
    copies_migration: bool = False
    #: holds a current version or the graph naming it: renamed last, so that a bump killed
    #: before then still reads the old current version, and running it again finishes it
    marks_current: bool = False


@dataclass(frozen=True, slots=True)
class BumpPlan:
    """What ``bump`` writes: the version files, the patch plan, and what it left alone."""

    version: NewVersion
    currents: tuple[str, ...]  # the current versions before the bump, as written
    changes: tuple[FileChange, ...]
    patches: Plan | None
    skipped: tuple[str, ...] = ()  # places left alone, each with why
    notes: tuple[str, ...] = field(default=())
    #: the folders of every file read for version places (where a killed bump may have
    #: left temporary files; ``sweep`` removes them)
    folders: tuple[Path, ...] = ()

    @property
    def drifted(self) -> bool:
        return self.patches is not None and bool(self.patches.drifted)

    def stale_copies(self) -> list[PlannedFile]:
        """The patched copies whose target does not hold the patched text yet."""
        from patchkit.engine import check_targets

        return check_targets(self.patches) if self.patches is not None else []

    @property
    def changed(self) -> bool:
        return bool(self.changes) or bool(self.stale_copies())


def _constant_wanted(item: LocatedVersion, config: Config, package: str | None) -> bool:
    from patchkit.manifest._common import is_pretend_name

    if is_pretend_name(item.name) or config.is_version_constant(item.name):
        return True
    norm = "".join(ch for ch in item.name.lower() if ch.isalnum())
    return package is not None and package != "" and package in norm


def plan_versions(
    config: Config,
    scanned: ScanResult,
    currents: Sequence[CurrentVersion],
    model: BuildModel | None,
    new: NewVersion,
) -> tuple[list[FileChange], list[str], list[str]]:
    """The version files' new texts: (changes, places left alone, notes)."""
    from patchkit._fs import read_source
    from patchkit.manifest.located import ItemKind, LocatedVersion
    from patchkit.typescript import Sources

    olds = old_parts(currents)
    edits: list[Edit] = []
    skipped: list[str] = []
    notes: list[str] = []
    new_files: list[NewFile] = []
    markers: set[str] = set()
    sources = Sources(config.root)
    ts_files = [
        it.path
        for it in scanned.items
        if isinstance(it, LocatedVersion) and it.file_kind == "startos-ts"
    ]
    for edit in current_edits(currents, new):
        current = next(
            c for c in currents if c.item.path == edit.path and c.item.start == edit.start
        )
        got = release_file(
            sources,
            list(dict.fromkeys(ts_files)),
            current,
            edit.new,
            exists=lambda rel: _text_or_none(config, rel),
        )
        if isinstance(got, str):
            if got:
                notes.append(f"{edit.path}: rewriting the version in place: {got}")
            edits.append(edit)
        else:
            if got.new_file is not None:
                new_files.append(got.new_file)
            edits.extend(got.graph_edits)
        markers.update(e.path for e in (got.graph_edits if not isinstance(got, str) else [edit]))

    package = None
    if model is not None:
        from patchkit.manifest.images import package_id

        package = package_id(config.root, model)
    pinned: set[tuple[str, int, int]] = set()
    build_edits = []
    if model is not None and currents:
        build_edits = _build_edits(config, model, currents, olds, new, skipped, pinned)

    for item in scanned.items:
        if not (isinstance(item, LocatedVersion) and item.kind == ItemKind.CONSTANT):
            continue
        if not _constant_wanted(item, config, package) or item.raw is not None:
            continue
        if any(
            item.path == p and item.line == ln and c in (item.col, item.col - 1)
            for p, ln, c in pinned
        ):
            continue  # feeds a tag pinned by digest: _build_edits says so
        new_text = respell(item.text, olds, new)
        if new_text is not None and new_text != item.text:
            edits.append(
                Edit(
                    item.path,
                    item.start,
                    item.end,
                    item.text,
                    new_text,
                    f"{item.context}",
                    item.line,
                    item.col,
                )
            )
    edits.extend(build_edits)  # after the constants: a constant is named as one
    configured = _configured_version(config, new)
    if configured is not None:
        edits.append(configured)
    by_path: dict[str, list[Edit]] = {}
    for e in edits:
        kept = by_path.setdefault(e.path, [])
        if any(k.start == e.start and k.end == e.end for k in kept):
            continue  # one place found twice (a constant that also feeds a build arg)
        kept.append(e)
    changes: list[FileChange] = []
    for rel, file_edits in by_path.items():
        path = config.resolve(rel)
        text = read_source(path)
        file_edits = _with_positions(text, file_edits)
        changes.append(
            FileChange(
                path,
                rel,
                text,
                splice(text, file_edits),
                stat.S_IMODE(path.stat().st_mode),
                tuple(file_edits),
                marks_current=rel in markers,
            )
        )
    for nf in new_files:
        source = config.resolve(nf.copied_from)
        changes.append(
            FileChange(
                config.resolve(nf.path),
                nf.path,
                None,
                nf.text,
                stat.S_IMODE(source.stat().st_mode),
                copied_from=nf.copied_from,
                copies_migration=nf.copies_migration,
            )
        )
    return changes, skipped, notes


def _configured_version(config: Config, new: NewVersion) -> Edit | None:
    """``upstream_version`` of ``[tool.patchkit]``, when set in the file: the version apply,
    status and check use before git's, so it moves with the bump (PEP 440)."""
    from packaging.version import InvalidVersion, Version

    from patchkit._fs import read_source
    from patchkit._toml_spans import find_span

    source = config.source
    if source is None or not config.is_set("upstream_version") or not config.upstream_version:
        return None
    try:
        if Version(config.upstream_version) == Version(new.pep440):
            return None
    except InvalidVersion:
        return None
    text = read_source(source)
    base = () if source.name == "patchkit.toml" else ("tool", "patchkit")
    span = find_span(text, (*base, "upstream_version"))
    if span is None:
        return None
    written = text[span.value_start : span.value_end]
    inner = written[1:-1] if written[:1] in "'\"" else written
    if inner != config.upstream_version:
        return None  # escapes or another spelling: not rewritten blindly
    start = span.value_start + (1 if inner is not written else 0)
    rel = os.path.relpath(source, config.root).replace(os.sep, "/")
    what = "upstream_version in [tool.patchkit]"
    return Edit(rel, start, start + len(inner), inner, new.pep440, what)


def _with_positions(text: str, edits: list[Edit]) -> list[Edit]:
    """The edits with their line and column filled in where the finder gave none."""
    from dataclasses import replace

    from patchkit._source import SourceText

    src = SourceText(text)
    out = []
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if not e.line:
            line, col = src.line_col(e.start)
            e = replace(e, line=line, col=col)
        out.append(e)
    return out


def _text_or_none(config: Config, rel: str) -> str | None:
    from patchkit._fs import read_source

    path = config.resolve(rel)
    return read_source(path) if path.exists() else None


def _build_edits(
    config: Config,
    model: BuildModel,
    currents: Sequence[CurrentVersion],
    olds: Sequence[ExVerPart],
    new: NewVersion,
    skipped: list[str],
    pinned: set[tuple[str, int, int]],
) -> list[Edit]:
    """The build places' edits; ``pinned`` gets the places that feed a digest-pinned tag."""
    from patchkit._fs import read_source
    from patchkit.manifest.images import build_version_places
    from patchkit.versions.upstream import match_upstream

    out: list[Edit] = []
    texts: dict[str, str] = {}
    seen: set[tuple[object, ...]] = set()
    for place in build_version_places(config.root, model, currents):
        if (place.where, place.value) in seen:
            continue  # variants that pull one tag: one place
        seen.add((place.where, place.value))
        # the place's words without the place itself (the summary prints it first)
        what = re.sub(r" \([^()]*:\d+:\d+\)$", "", place.what.rstrip(","))
        new_value = respell(place.value, olds, new)
        if place.pinned:
            pinned.add(place.where)
            if new_value is not None:
                where = ":".join(map(str, place.where))
                skipped.append(
                    f"{where}: {what}: pinned by digest; a new tag needs its new digest, "
                    "write both by hand"
                )
                continue
        if new_value is None:
            if any(
                (m := match_upstream(place.value, o, tag=True)) is not None and m.same for o in olds
            ):
                # the same release by the SDK's reading, spelled otherwise (an image maker's
                # rebuild 1.5.3.3 of 1.5.3): what the new one is called is the maintainer's call
                skipped.append(
                    f"{place.where[0]}:{place.where[1]}:{place.where[2]}: {what}: "
                    f"{place.value!r} is the release being left in another spelling; "
                    "write the new one by hand"
                )
            continue
        if new_value == place.value:
            continue
        path, line, col = place.where
        if path not in texts:
            texts[path] = read_source(config.resolve(path))
        at = locate(texts[path], line, col, place.value)
        old, replacement = place.value, new_value
        if at is None and place.value[:1] in "vV" and new_value[:1] == place.value[:1]:
            # a tag built as `v${VERSION}`: the constant holds the version without the v
            old, replacement = place.value[1:], new_value[1:]
            at = locate(texts[path], line, col, old)
        if at is None:
            skipped.append(f"{path}:{line}:{col}: {what}: the value is not written there")
            continue
        out.append(Edit(path, at, at + len(old), old, replacement, what, line, col))
    return out


def plan_bump(
    config: Config,
    new: NewVersion,
    patch_plan: Plan | None,
) -> BumpPlan:
    """Everything a bump to ``new`` writes, computed and checked before any write."""
    from patchkit.build.discover import discover_build
    from patchkit.errors import InputError, PatchkitError
    from patchkit.manifest.check import find_current
    from patchkit.manifest.scan import scan

    scanned = scan(config)
    currents = list(scanned.currents or ())
    if not currents:
        told, _ = find_current(scanned.items)
        currents = [told] if told is not None else []
    try:
        model: BuildModel | None = discover_build(config)
    except PatchkitError:
        model = None
    notes: list[str] = []
    if not currents:
        raise InputError(_no_current(config))
    changes, skipped, more = plan_versions(config, scanned, currents, model, new)
    notes.extend(more)
    notes.extend(_stale_release_notes(changes, currents))
    notes.extend(_development_version(new))
    folders = {config.resolve(rel).parent for rel in scanned.files}
    folders |= {c.path.parent for c in changes}
    if model is not None and model.manifest is not None:
        folders.add(config.resolve(model.manifest).parent)
    return BumpPlan(
        folders=tuple(sorted(folders)),
        version=new,
        currents=tuple(dict.fromkeys(c.item.text for c in currents)),
        changes=tuple(changes),
        patches=patch_plan,
        skipped=tuple(skipped),
        notes=tuple(notes),
    )


def _stale_release_notes(
    changes: Sequence[FileChange], currents: Sequence[CurrentVersion]
) -> list[str]:
    """A note per written version file whose ``releaseNotes`` still name the version being
    left: bump never writes prose, so the maintainer is told where to write it."""
    from patchkit.manifest._versions import exver_parts

    olds = {p[1] for c in currents if (p := exver_parts(c.item.text)) is not None}
    out = []
    for change in changes:
        at = change.new.find("releaseNotes")
        if at < 0:
            continue
        notes = change.new[at : at + 400]  # the property's text: a string or a locale map
        for old in sorted(olds):
            if re.search(rf"(?<![0-9.]){re.escape(old)}(?![0-9])", notes):
                line = change.new.count("\n", 0, at) + 1
                out.append(
                    f"{change.rel}:{line}: the releaseNotes still say {old}: "
                    "write this release's notes"
                )
                break
    return out


def _development_version(new: NewVersion) -> list[str]:
    """A note when the version is not a release: the checkout is past its tag."""
    from packaging.version import InvalidVersion, Version

    try:
        v = Version(new.pep440)
    except InvalidVersion:
        return []
    if not (v.is_devrelease or v.local):
        return []
    return [
        f"{new.pep440} is a development version ({new.source}): the upstream is not on a "
        "release tag; check out the release tag first unless this is meant"
    ]


def _no_current(config: Config) -> str:
    """Why there is nothing to bump: the places searched, and what a StartOS 0.3 repo is."""
    message = (
        f"no current version found under {_shown(config.root)}: bump moves the version the "
        "StartOS version graph names current (startos/versions/, or the manifests "
        "[tool.patchkit] lists), and reads every other version place from it"
    )
    if config.resolve("manifest.yaml").is_file() or config.resolve("manifest.yml").is_file():
        message += (
            "; this repo has a manifest.yaml (a StartOS 0.3 package): its EmVer `version:` "
            "is not rewritten by bump, edit it by hand (`patchkit check` validates it)"
        )
    return message


def sweep(the_plan: BumpPlan) -> list[Path]:
    """Remove the temporary files a killed patchkit left beside the files this bump writes
    (version files and patched copies); returns them, for the CLI to say so."""
    from patchkit import engine
    from patchkit._fs import sweep_temporaries

    swept = sweep_temporaries(the_plan.folders)
    if the_plan.patches is not None:
        swept += engine.sweep(the_plan.patches)
    return swept


def write_bump(the_plan: BumpPlan) -> list[str]:
    """Write every version file and every out-of-date patched copy: all or nothing.

    Each new text goes to a temporary file beside its target first (fsynced, with the
    target's mode), after checking that no file changed since it was read; only when
    every file is staged does each rename into place. A failure before the renames
    writes nothing and leaves no temporary file; a kill between renames leaves each
    file whole, old or new (the next run finishes the job). Refuses while a patch
    is drifted. Returns the paths written, as shown.
    """
    from patchkit import engine
    from patchkit._fs import StagedWrite, commit_all, digest, stage_write
    from patchkit.errors import WriteError

    if the_plan.drifted:
        raise WriteError("nothing written: a patch drifted")
    staged: list[StagedWrite] = []
    created: list[Path] = []
    written: list[str] = []
    try:
        if the_plan.patches is not None:
            todo = engine.stage_plan(the_plan.patches, staged, created)
            written.extend(str(f.target) for f in todo)
        # the files that name the current version go last (see FileChange.marks_current)
        for change in sorted(the_plan.changes, key=lambda c: c.marks_current):
            staged.append(
                stage_write(
                    change.path,
                    change.new,
                    expected_digest=None if change.original is None else digest(change.original),
                    mode=change.mode,
                    expect_absent=change.original is None,
                )
            )
            written.append(_shown(change.path))
        commit_all(staged)
    finally:
        engine.unstage(staged, created)
    return written


def _shown(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)
