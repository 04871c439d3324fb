"""Run a patch series over an upstream tree: states, edits, idempotence, atomic writes.

The pipeline, in the order it runs:

1. **Version.** The upstream version comes from ``--upstream-version``, else
   the configuration, else ``git describe`` of the upstream folder turned
   into PEP 440 the way setuptools-scm would (``v0.10.1-3-gabc`` ->
   ``0.10.2.dev3+gabc``). A plain folder with no git and no version given is
   an error that says how to give one.
2. **Selection.** A patch whose ``upstream`` specifier does not contain that
   version is ``skipped`` (pre-releases count).
3. **Plan, per file.** Every selected patch computes its edits against the
   *original* text of the file. Identical edits from two patches merge;
   whole lines inserted at one point go in series order, those that follow
   the instruction before the point (``insert_after``) ahead of those that
   lead into the instruction after it; two different
   edits over one span (or two insertions inside one line, such as two
   mount options) are a :class:`PatchConflict`, raised before anything is
   written.
4. **Verify.** The patched text is parsed again. Anything BuildKit would
   refuse in it before running a step that the upstream file did not have
   (``ENV`` without a value, an unterminated heredoc, an unknown instruction:
   ``patchkit.dockerfile.refusals``) stops the run, naming the patch that
   does it (or the patches, when only their edits together do). Then the
   whole series runs on it: every patch must come back with no edit, else an
   ``InternalError`` names the patch that is not idempotent.
5. **Write.** Only when every planned file got this far: each target is
   staged (``patchkit._fs.stage_write``: a temporary file beside it, fsynced,
   with the upstream file's mode), then all staged files are renamed into
   place, into an output folder (the upstream tree stays pristine) or in
   place. A write that fails leaves every target as it was.

A patch that is ``drifted`` on a file blocks the write too: a copy missing a
change it needs would rebuild the very failure the patch exists to prevent.
"""

from __future__ import annotations

import bisect
import contextlib
import itertools
import os
import re
import stat
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from patchkit._fs import (
    StagedWrite,
    commit_all,
    digest,
    is_regular_file,
    is_temporary,
    list_folder,
    read_bytes,
    read_source,
    stage_write,
    sweep_temporaries,
)
from patchkit.errors import InputError, InternalError, SourceError, UsageError, WriteError
from patchkit.states import FileState, PatchState
from patchkit.transforms._regex import patch_analysis
from patchkit.transforms.base import AFTER_PREVIOUS

if TYPE_CHECKING:
    from packaging.version import Version

    from patchkit.dockerfile import Dockerfile, ParseProblem
    from patchkit.dockerfile.edit import Edit
    from patchkit.series import Patch, Series
    from patchkit.upstream.recorded import RecordedVersion

__all__ = [
    "DEFAULT_OUT",
    "ExampleOutcome",
    "LineOrigin",
    "PatchConflict",
    "Plan",
    "PlannedFile",
    "TextResult",
    "UpstreamVersion",
    "apply_to_text",
    "check_targets",
    "line_origins",
    "plan",
    "resolve_upstream_version",
    "run_examples",
    "stage_plan",
    "status",
    "sweep",
    "unstage",
    "write_plan",
]

#: Where patched copies go unless told otherwise (relative to the working folder).
DEFAULT_OUT = ".dockerfiles"

_GLOB = re.compile(r"[*?\[]")


# -- the upstream version -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UpstreamVersion:
    """The upstream version patches are selected by, and where it came from."""

    version: Version
    source: str  # "--upstream-version", "config", "git describe: <output>", or a recorded arg
    # the version as the upstream writes it: the git tag when the commit is exactly at one
    # (v0.21.2-beta), or the value as given (flag, config); None for a version between tags
    tag: str | None = None
    #: what the user should know about how it was decided (git could not tell it, and how
    #: to make it able to), printed as a note by the commands
    note: str | None = None

    def __str__(self) -> str:
        return str(self.version)


def resolve_upstream_version(
    upstream: str | os.PathLike[str],
    explicit: str | None = None,
    config: object | None = None,
    *,
    match: str | None = None,
    recorded: Callable[[], RecordedVersion | None] | None = None,
) -> UpstreamVersion:
    """Decide the upstream version: ``explicit``, then ``config.upstream_version``, then git,
    then the version the downstream records (``recorded()``, when given).

    ``config`` is any object with optional ``upstream_version`` and
    ``describe_match`` attributes (the ``[tool.patchkit]`` settings). From git,
    the version is the one setuptools-scm computes
    (:func:`patchkit.upstream.version.read_upstream_version`), with the tags
    restricted by ``match`` (else ``config.describe_match``, else
    setuptools-scm's default glob). Raises ``UsageError`` when the value given
    is not PEP 440, or when git cannot give a version (not a checkout, a
    shallow clone, no matching tag) and nothing records one: the message says
    how to give one. A recorded version (a build arg of the manifest that feeds
    the pretend-version variable, :mod:`patchkit.upstream.recorded`) is named
    in the result's source, and its note says why git could not tell and how
    to fix that.
    """
    from packaging.version import InvalidVersion, Version

    for value, source in (
        (explicit, "--upstream-version"),
        (getattr(config, "upstream_version", None), "config"),
    ):
        if value:
            try:
                # the value as written is kept: 0.21.2-beta is what a package follows, not 0.21.2b0
                return UpstreamVersion(Version(value), source, value)
            except InvalidVersion as exc:
                raise UsageError(
                    f"upstream version {value!r} (from {source}) is not a PEP 440 version; "
                    "write it like 0.10.1, 0.11.0rc1 or 0.10.2.dev3"
                ) from exc
    from patchkit.upstream.git import GitError
    from patchkit.upstream.scm_version import DEFAULT_MATCH
    from patchkit.upstream.version import read_upstream_version

    folder = Path(upstream)
    glob = match or getattr(config, "describe_match", None) or DEFAULT_MATCH
    try:
        found = read_upstream_version(folder, match=glob)
    except GitError as exc:
        why = exc.message + (f"; fix: {exc.hint}" if exc.hint else "")
        got = recorded() if recorded is not None else None
        if got is not None:
            return UpstreamVersion(
                got.version,
                f"{got.arg}={got.value} recorded at {got.where}",
                tag=got.value,
                note=f"git cannot tell the version of {folder}: {why}; using the version the "
                f"build records: {got.describe()}",
            )
        raise _no_version(folder, why) from exc
    d = found.describe
    described = f"{d.tag}-{d.distance}-g{d.node[:10]}" + ("-dirty" if d.dirty else "")
    return UpstreamVersion(
        Version(found.pep440),
        f"git describe --match {glob!r}: {described}",
        d.tag if d.distance == 0 and not d.dirty else None,
    )


def _no_version(folder: Path, why: str) -> UsageError:
    return UsageError(
        f"cannot tell the upstream version of {folder}: {why}. Give it with "
        "--upstream-version VERSION (for example --upstream-version 0.10.1), "
        "or set upstream_version in [tool.patchkit] of pyproject.toml, or pass it to the "
        "build as a build arg that feeds SETUPTOOLS_SCM_PRETEND_VERSION (the StartOS "
        "manifest's buildArgs), which patchkit then reads"
    )


# -- applying to one text -------------------------------------------------------


class PatchConflict(SourceError):
    """Two patches edit one span of a file differently; found before anything is written."""


@dataclass(frozen=True, slots=True)
class TextResult:
    """The outcome of a series on one file's text: the new text and one state per patch."""

    text: str
    states: tuple[tuple[Patch, FileState], ...]
    #: the merged edits spliced into the original text, in text order: (start, end,
    #: the new text as pieces, each with the patch that wrote it)
    edits: tuple[tuple[int, int, tuple[tuple[Patch, str], ...]], ...] = ()

    @property
    def changed(self) -> bool:
        return any(s.state is PatchState.PENDING for _, s in self.states)


def apply_to_text(
    text: str,
    patches: Sequence[Patch],
    *,
    path: str | None = None,
    verify: bool = True,
) -> TextResult:
    """Run ``patches`` (all selected: no version check here) over one file's ``text``.

    Raises :class:`PatchConflict` when two patches edit one span, and
    ``InternalError`` when ``verify`` finds a patch that would change its own
    output again.
    """
    from patchkit.dockerfile import parse

    tree = parse(text, path=path)
    result, edits = _apply_edits(tree, patches, path)
    if verify and result.text != text:
        _verify_idempotent(result.text, patches, path, before=tree, edits=edits)
    return result


def _apply_edits(
    tree: Dockerfile, patches: Sequence[Patch], path: str | None
) -> tuple[TextResult, list[tuple[int, int, str]]]:
    """The series on a parsed file, unverified: the result and the merged edits it spliced."""
    label = path or "<text>"
    states: list[tuple[Patch, FileState]] = []
    tagged: list[tuple[int, Patch, Edit]] = []
    for order, patch in enumerate(patches):
        result = patch_analysis(patch, tree, label)
        states.append(
            (patch, FileState(patch.id, label, result.state, result.message, result.warnings))
        )
        tagged.extend((order, patch, e) for e in result.edits)
    edits, owners = _merge(tree.text, label, tagged)
    owned = tuple((a, b, tuple(o)) for (a, b, _), o in zip(edits, owners, strict=True))
    return TextResult(_splice(tree.text, edits), tuple(states), owned), edits


#: Kinds whose edits are text written in the patch file; a non-idempotent result is
#: then the patch's error (exit 2, located), not patchkit's (exit 3).
_PATCH_TEXT_KINDS = ("insert", "replace")


def _verify_idempotent(
    text: str,
    patches: Sequence[Patch],
    path: str | None,
    *,
    before: Dockerfile,
    edits: list[tuple[int, int, str]],
) -> None:
    from patchkit.dockerfile import parse

    tree = parse(text, path=path)
    if str(tree) != text:
        raise InternalError(
            f"{path or '<text>'}: the Dockerfile tree does not round-trip the patched text"
        )
    broken = _new_problems(before, tree, edits)
    if broken:
        raise _refused_by_buildkit(before, patches, path, broken[0])
    for patch in patches:
        again = patch_analysis(patch, tree, path or "<text>")
        if again.edits:
            first = min(again.edits, key=lambda e: e.start)
            line, col = tree.line_col(first.start)
            if patch.kind in _PATCH_TEXT_KINDS:
                # the edit is text the patch file wrote (a regex and its replacement,
                # lines to insert): the patch is what needs fixing, not patchkit
                raise patch.error(
                    "transform",
                    f"this {patch.kind} is not idempotent on {path or '<text>'}: applied to "
                    f"its own output it changes line {line}:{col} again "
                    f"({again.state.value}: {again.message})",
                    "make the result hold no new match of the anchor or of find, and "
                    "check it with a worked example (patchkit test)",
                )
            raise InternalError(
                f"patch {patch.id!r} ({patch.kind}) is not idempotent on {path or '<text>'}: "
                f"run on its own output it still wants to change line {line}:{col} "
                f"({again.state.value}: {again.message})"
            )


def _new_problems(
    before: Dockerfile, after: Dockerfile, edits: list[tuple[int, int, str]]
) -> list[ParseProblem]:
    """What BuildKit would refuse in ``after`` and not in ``before`` (``refusals``).

    A problem of ``before`` is carried through the edits to where it starts in
    ``after``: an inserted line moves it down, and an edit inside the
    instruction that has it (an id added to the mount of a RUN with a ``--mout``
    typo, or with a heredoc it never closes) changes its text, yet it is the
    upstream's problem, not the patch's. A problem whose start an edit replaced
    is matched by message and text instead.
    """
    from patchkit.dockerfile import refusals

    by_start: Counter[tuple[str, int]] = Counter()
    by_text: Counter[tuple[str, str]] = Counter()
    move = _mover(edits)
    for p in refusals(before):
        moved = move(p.start)
        if moved is None:
            by_text[(p.message, before.text[p.start : p.end])] += 1
        else:
            by_start[(p.message, moved)] += 1
    new = []
    for problem in refusals(after):
        at = (problem.message, problem.start)
        same = (problem.message, after.text[problem.start : problem.end])
        if by_start[at]:
            by_start[at] -= 1
        elif by_text[same]:
            by_text[same] -= 1
        else:
            new.append(problem)
    return new


def _mover(edits: list[tuple[int, int, str]]) -> Callable[[int], int | None]:
    """A function giving where an offset of the original text is after the (sorted,
    disjoint) ``edits``, or None when an edit replaced the character there; text
    inserted at an offset goes before it. Each lookup is a bisection, so a file
    with many problems and many edits stays linear."""
    starts = [start for start, _, _ in edits]
    shifts = list(
        itertools.accumulate((len(new) - (end - start) for start, end, new in edits), initial=0)
    )

    def moved(offset: int) -> int | None:
        i = bisect.bisect_right(starts, offset)
        if i and edits[i - 1][0] <= offset < edits[i - 1][1]:
            return None
        return offset + shifts[i]

    return moved


def _refused_by_buildkit(
    before: Dockerfile, patches: Sequence[Patch], path: str | None, problem: ParseProblem
) -> Exception:
    """The error for a series whose output BuildKit refuses: the patch that does
    it alone (its own text to fix, or patchkit's bug), else the patches together."""
    from patchkit.dockerfile import parse

    label = path or "<text>"
    what = f"line {problem.line}: {problem.message}"
    culprits, changed = [], []
    for patch in patches:
        alone, edits = _apply_edits(before, [patch], path)
        if alone.changed:
            changed.append(patch.id)
        if alone.text != before.text and _new_problems(before, parse(alone.text, path=path), edits):
            culprits.append(patch)
    if len(culprits) == 1:
        patch = culprits[0]
        if patch.kind in _PATCH_TEXT_KINDS:
            return patch.error(
                "transform",
                f"this {patch.kind} makes {label} a file BuildKit refuses before any step "
                f"runs ({what})",
                "fix the text the patch writes (`patchkit test` runs its worked examples)",
            )
        return InternalError(
            f"patch {patch.id!r} ({patch.kind}) makes {label} a file BuildKit refuses "
            f"before any step runs ({what})"
        )
    return UsageError(
        f"{label}: each patch alone is fine, but {', '.join(changed)} together make a file "
        f"BuildKit refuses before any step runs ({what}). Their edits meet at that "
        "line: change one so that the other's text still parses"
    )


def _merge(
    text: str, label: str, tagged: list[tuple[int, Patch, Edit]]
) -> tuple[list[tuple[int, int, str]], list[list[tuple[Patch, str]]]]:
    """Order the edits of all patches, merge duplicates and insertions, refuse overlaps.

    Returns the edits and, for each, its text in pieces with the patch that wrote each."""
    # identical edits (same span, same text) merge, whoever asked for them
    unique: dict[tuple[int, int, str], tuple[int, int, int, Patch]] = {}
    for seq, (order, patch, e) in enumerate(tagged):
        # at one point, lines that follow the previous instruction go first,
        # lines that lead into the next one last, so both stay adjacent
        side = 0 if e.reason == AFTER_PREVIOUS else 1
        unique.setdefault((e.start, e.end, e.text), (side, order, seq, patch))
    items = sorted(unique.items(), key=lambda kv: (kv[0][0], kv[0][1], *kv[1][:3]))
    out: list[tuple[int, int, str]] = []
    owners: list[list[tuple[Patch, str]]] = []
    for (start, end, new), (*_, patch) in items:
        if out:
            p_start, p_end, p_text = out[-1]
            if start == end == p_start == p_end and _whole_lines(text, start, p_text, new):
                # two inserted lines at one point: series order, then emission order
                out[-1] = (p_start, p_end, p_text + new)
                owners[-1].append((patch, new))
                continue
            if start == end == p_start == p_end:
                # two insertions inside one line (e.g. two mount options): ambiguous
                raise _conflict(
                    text, label, owners[-1][-1][0], patch, (p_start, p_end), (start, end)
                )
            if start < p_end or (start == end and p_start < start < p_end):
                raise _conflict(
                    text, label, owners[-1][-1][0], patch, (p_start, p_end), (start, end)
                )
        out.append((start, end, new))
        owners.append([(patch, new)])
    return out, owners


@dataclass(frozen=True, slots=True)
class LineOrigin:
    """Where one line of a patched text comes from: a patch wrote (part of) it, or it is
    the upstream file's line ``line`` unchanged."""

    patch: Patch | None
    line: int  # the upstream line (patch None), else the line of the patch file's transform

    @property
    def written(self) -> bool:
        return self.patch is not None


def line_origins(
    original: str, edits: Sequence[tuple[int, int, tuple[tuple[Patch, str], ...]]]
) -> list[LineOrigin]:
    """For each line of the patched text (``edits`` spliced into ``original``), its origin.

    A line holding any character a patch wrote (an inserted line, a mount option added
    inside one) or from which a patch removed text is that patch's; any other line is
    the upstream line it was, whose number may differ when lines were inserted above it.
    """
    import bisect

    # segments of the new text: (new start, new end, patch or None, original start)
    segments: list[tuple[int, int, Patch | None, int]] = []
    new_pos = orig_pos = 0
    for start, end, pieces in edits:
        segments.append((new_pos, new_pos + start - orig_pos, None, orig_pos))
        new_pos += start - orig_pos
        if not any(piece for _, piece in pieces):
            segments.append((new_pos, new_pos, pieces[0][0], start))  # a removal
        for patch, piece in pieces:
            segments.append((new_pos, new_pos + len(piece), patch, start))
            new_pos += len(piece)
        orig_pos = end
    segments.append((new_pos, new_pos + len(original) - orig_pos, None, orig_pos))
    orig_starts = [0] + [i + 1 for i, c in enumerate(original) if c == "\n"]
    new_text = _rebuild(original, edits)
    origins: list[LineOrigin] = []
    line_start = seg_i = 0
    while line_start < len(new_text):
        nl = new_text.find("\n", line_start)
        content_end = len(new_text) if nl < 0 else nl
        line_end = content_end if nl < 0 else nl + 1
        # segments wholly before this line are done with
        while seg_i < len(segments) and segments[seg_i][1] < line_start:
            seg_i += 1
        owner: Patch | None = None
        first_orig: int | None = None
        j = seg_i
        while j < len(segments) and segments[j][0] <= content_end:
            s_start, s_end, who, o_start = segments[j]
            if s_end > s_start:
                touches = s_start < line_end and s_end > line_start
            else:  # a removal marks the line it happened inside
                touches = line_start < s_start <= content_end
            if touches and who is not None and owner is None:
                owner = who
            elif touches and who is None and first_orig is None:
                first_orig = o_start + max(line_start - s_start, 0)
            j += 1
        if owner is not None:
            origins.append(LineOrigin(owner, _transform_line(owner)))
        else:
            at = first_orig if first_orig is not None else 0
            origins.append(LineOrigin(None, bisect.bisect_right(orig_starts, at)))
        line_start = line_end
    return origins


def _rebuild(original: str, edits: Sequence[tuple[int, int, tuple[tuple[Patch, str], ...]]]) -> str:
    return _splice(original, [(a, b, "".join(p for _, p in pieces)) for a, b, pieces in edits])


def _transform_line(patch: Patch) -> int:
    """The line of a patch file that says what the patch writes (its text, else its kind)."""
    for name in ("transform.text", "transform.with", "transform.kind", "transform"):
        if name in patch.locations:
            return patch.source.count("\n", 0, patch.locations[name][0]) + 1
    return 1


def _whole_lines(text: str, at: int, *inserted: str) -> bool:
    """Whether every insertion at ``at`` adds whole lines (so their order is all that matters)."""
    if at == len(text) and text and not text.endswith("\n"):
        return all(t.startswith(("\n", "\r\n")) for t in inserted)
    return (at == 0 or text[at - 1] == "\n") and all(t.endswith("\n") for t in inserted)


def _conflict(
    text: str, label: str, a: Patch, b: Patch, span_a: tuple[int, int], span_b: tuple[int, int]
) -> PatchConflict:
    who = (
        f"patches {a.id!r} and {b.id!r} both edit"
        if a.id != b.id
        else f"patch {a.id!r} edits twice"
    )
    start = max(span_a[0], span_b[0])
    return PatchConflict(
        f"{who} this span with different text; they cannot both apply",
        path=label,
        text=text,
        offset=start,
        end=max(min(span_a[1], span_b[1]), start + 1),
        suggestion="merge the two patches into one, or narrow one anchor so they touch "
        "different instructions",
    )


def _splice(text: str, edits: list[tuple[int, int, str]]) -> str:
    parts: list[str] = []
    pos = 0
    for start, end, new in edits:
        parts.append(text[pos:start])
        parts.append(new)
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


# -- files of the upstream tree -------------------------------------------------


def _resolve_files(patch: Patch, root: Path) -> list[tuple[str, Path | None]]:
    """``(relative path, file)`` for each ``files`` entry; file is None when nothing matches.

    Raises ``SourceError`` at the entry when a match leaves the upstream tree
    (a symlink pointing outside it).
    """
    real_root = os.path.realpath(root)
    found: list[tuple[str, Path | None]] = []
    for i, pattern in enumerate(patch.files):
        _check_listable(root, pattern)
        if _GLOB.search(pattern):
            matches = sorted(
                p for p in root.glob(pattern) if p.is_file() and not is_temporary(p.name)
            )
        else:
            candidate = root / pattern
            matches = [candidate] if candidate.exists() or candidate.is_symlink() else []
        if not matches:
            found.append((pattern, None))
            continue
        for match in matches:
            rel = match.relative_to(root).as_posix()
            real = os.path.realpath(match)
            if os.path.commonpath([real_root, real]) != real_root:
                raise patch.error(
                    f"files[{i}]",
                    f"{rel!r} resolves to {real}, outside the upstream tree {root} "
                    "(through a symlink); patches may only touch files inside it",
                )
            if not match.is_file():
                raise patch.error(f"files[{i}]", f"{rel!r} is not a file")
            found.append((rel, match))
    return found


def _check_listable(root: Path, pattern: str) -> None:
    """List the folders on the way to ``pattern``'s files: one that cannot be read is an
    error naming it (``Path.glob`` would skip it silently, and a file in it would look
    removed upstream, i.e. drifted)."""
    folder = root
    list_folder(folder)
    for part in pattern.split("/")[:-1]:
        if _GLOB.search(part) or part in ("", "."):
            break
        folder = folder / part
        if folder.is_symlink() or not folder.is_dir():
            break  # missing (drifted) or a link (checked where it resolves to)
        list_folder(folder)


@dataclass(frozen=True, slots=True)
class PlannedFile:
    """One target: the upstream file, where its patched copy goes, and both texts."""

    rel: str
    source: Path
    target: Path
    original: str
    new: str
    mode: int
    target_digest: str | None  # digest of the target when planned; None if it did not exist
    target_text: str | None
    root: Path | None = None  # the folder every write must stay inside (output or upstream)
    edits: tuple[tuple[int, int, tuple[tuple[Patch, str], ...]], ...] = ()  # TextResult.edits

    @property
    def up_to_date(self) -> bool:
        """Whether the target already holds exactly the new text."""
        return self.target_text == self.new


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything ``apply`` will write, computed and verified before the first write."""

    upstream: UpstreamVersion
    states: tuple[FileState, ...]
    files: tuple[PlannedFile, ...]

    @property
    def drifted(self) -> tuple[FileState, ...]:
        return tuple(s for s in self.states if s.state is PatchState.DRIFTED)


def status(
    series: Series, upstream: str | os.PathLike[str], version: UpstreamVersion
) -> list[FileState]:
    """One state per patch and file, computed on the upstream files as they are."""
    return list(plan(series, upstream, version, out=None, in_place=False, verify=False).states)


def plan(
    series: Series,
    upstream: str | os.PathLike[str],
    version: UpstreamVersion,
    *,
    out: str | os.PathLike[str] | None = DEFAULT_OUT,
    in_place: bool = False,
    verify: bool = True,
) -> Plan:
    """Compute (and verify) what applying ``series`` to ``upstream`` writes; write nothing.

    ``out`` is the output folder (None: plan states only); ``in_place``
    targets the upstream files themselves.
    """
    root = Path(upstream)
    if not root.is_dir():
        raise UsageError(f"the upstream folder {root} does not exist; give it with --upstream DIR")
    out_root = None if in_place or out is None else Path(out)
    if out_root is not None:
        _check_out(root, out_root)

    per_file: dict[str, tuple[Path, list[Patch]]] = {}
    states: list[FileState] = []
    skipped: set[tuple[str, str]] = set()
    for patch in series.patches:
        selected = patch.applies_to(version.version)
        for rel, path in _resolve_files(patch, root):
            if path is None:
                if selected:
                    states.append(
                        FileState(
                            patch.id,
                            rel,
                            PatchState.DRIFTED,
                            f"no file matches {rel!r} in the upstream tree; upstream moved or "
                            "removed it (what to do: patchkit rule PKP001)",
                        )
                    )
                else:
                    states.append(_skipped(patch, rel, version))
                continue
            entry = per_file.setdefault(rel, (path, []))
            if any(p is patch for p in entry[1]) or (not selected and (patch.id, rel) in skipped):
                continue  # two `files` entries of one patch name the same file
            if selected:
                entry[1].append(patch)
            else:
                skipped.add((patch.id, rel))
                states.append(_skipped(patch, rel, version))

    files: list[PlannedFile] = []
    for rel, (path, patches) in per_file.items():
        original = read_source(path)
        result = apply_to_text(original, patches, path=rel, verify=verify)
        states.extend(s for _, s in result.states)
        if in_place:
            target = path
        elif out_root is not None:
            target = out_root / rel
        else:
            continue
        root_of_target = root if in_place else out_root
        if root_of_target is not None:
            _check_inside(root_of_target, target)
        target_text = _read_target(target)
        files.append(
            PlannedFile(
                rel=rel,
                source=path,
                target=target,
                original=original,
                new=result.text,
                mode=stat.S_IMODE(path.stat().st_mode),
                target_digest=None if target_text is None else digest(target_text),
                target_text=target_text,
                root=root_of_target,
                edits=result.edits,
            )
        )
    order = {p.id: i for i, p in enumerate(series.patches)}
    states.sort(key=lambda s: (order[s.patch], s.file))
    return Plan(version, tuple(states), tuple(files))


def _skipped(patch: Patch, rel: str, version: UpstreamVersion) -> FileState:
    spec = str(patch.upstream) or "(any)"
    return FileState(
        patch.id,
        rel,
        PatchState.SKIPPED,
        f"upstream {version} is outside this patch's range {spec}",
    )


def _check_out(root: Path, out: Path) -> None:
    real_root, real_out = os.path.realpath(root), os.path.realpath(out)
    if os.path.commonpath([real_root, real_out]) == real_root:
        raise UsageError(
            f"the output folder {out} is inside the upstream tree {root}, which stays pristine; "
            "choose an --out folder outside it, or patch the upstream with --in-place"
        )


def _read_target(target: Path) -> str | None:
    if target.is_symlink():
        raise WriteError(
            f"{target}: is a symlink; patchkit does not write through symlinks. Remove the "
            "link (patchkit then writes a regular file) or choose another output folder"
        )
    if not target.exists():
        return None
    if not target.is_dir() and not is_regular_file(target):
        raise WriteError(
            f"{target}: is a FIFO, device or socket, not a regular file; patchkit replaces only "
            "regular files. Remove it, or choose another output folder (--out)"
        )
    return read_source(target)


def check_targets(the_plan: Plan) -> list[PlannedFile]:
    """The planned files whose target does not yet hold the patched text."""
    return [f for f in the_plan.files if not f.up_to_date or _mode_differs(f)]


def _mode_differs(f: PlannedFile) -> bool:
    try:
        return stat.S_IMODE(f.target.stat().st_mode) != f.mode
    except OSError:
        return True


def write_plan(the_plan: Plan) -> list[PlannedFile]:
    """Write every out-of-date target atomically; returns the files written.

    Refuses (``WriteError``, nothing written) while any patch is drifted. The
    write has two phases: first every new text goes to a temporary file beside
    its target (fsynced), after checking that no upstream file or target changed
    since it was planned and that no target folder leads out of the output
    folder through a symlink; only when all of that succeeded does each
    temporary file replace its target with one rename. A full disk, a
    read-only folder or a file changed by someone else therefore leaves every
    target as it was and no temporary file behind; an interruption during the
    renames leaves each target fully old or fully new.
    """
    created: list[Path] = []
    staged: list[StagedWrite] = []
    try:
        todo = stage_plan(the_plan, staged, created)
        commit_all(staged)
    finally:
        unstage(staged, created)
    return todo


def stage_plan(the_plan: Plan, staged: list[StagedWrite], created: list[Path]) -> list[PlannedFile]:
    """The first phase of ``write_plan``: stage every out-of-date target (appended to
    ``staged``), creating missing folders (appended to ``created``); returns those files.

    For a caller that writes other files in the same all-or-nothing step (``bump``):
    it stages its own files too, then ``commit_all`` and, whatever happened, ``unstage``.
    """
    if the_plan.drifted:
        names = ", ".join(f"{s.patch} on {s.file}" for s in the_plan.drifted)
        raise WriteError(
            f"nothing written: drifted patches ({names}); what to do: patchkit rule PKP001"
        )
    todo = check_targets(the_plan)
    for f in todo:
        _check_source_unchanged(f)
    for f in todo:
        _make_folder(f, created)
        staged.append(
            stage_write(
                f.target,
                f.new,
                expected_digest=f.target_digest,
                mode=f.mode,
                expect_absent=f.target_digest is None,
            )
        )
    return todo


def unstage(staged: Sequence[StagedWrite], created: Sequence[Path]) -> None:
    """Remove what staging left: temporary files not renamed, and, when nothing was
    committed, the folders staging created."""
    for write in staged:
        write.discard()
    if not any(write.committed for write in staged):
        for folder in reversed(created):
            with contextlib.suppress(OSError):
                folder.rmdir()


def sweep(the_plan: Plan) -> list[Path]:
    """Remove the temporary files a killed patchkit left in the folders this plan writes
    to (``patchkit._fs.sweep_temporaries``); returns them, for the CLI to say so once."""
    return sweep_temporaries(f.target.parent for f in the_plan.files)


def _check_source_unchanged(f: PlannedFile) -> None:
    if f.source == f.target:
        return  # in place: the target's digest check covers it
    try:
        current = read_bytes(f.source)
    except InputError as exc:
        raise WriteError(
            f"{f.source}: cannot be read again before writing ({exc.message}); nothing was "
            "written; run patchkit again"
        ) from exc
    if current != f.original.encode("utf-8"):
        raise WriteError(
            f"{f.source}: the upstream file changed since patchkit read it; nothing was "
            "written; run patchkit again to plan from the current files"
        )


def _make_folder(f: PlannedFile, created: list[Path]) -> None:
    """Create the target's folder (remembering what was created) inside its root, or refuse."""
    missing = [p for p in (f.target.parent, *f.target.parent.parents) if not p.exists()]
    try:
        f.target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(
            f"{f.target}: cannot create the folder {f.target.parent} ({exc.strerror or exc}); "
            "nothing was written. Make it writable, or choose another output folder (--out)"
        ) from exc
    created.extend(reversed(missing))
    if f.root is not None:
        _check_inside(f.root, f.target)


def _check_inside(root: Path, target: Path) -> None:
    """Refuse a target whose folder leads out of ``root`` through a symlink."""
    folder = target.parent
    while not folder.exists():
        if folder in (root, folder.parent):
            return  # nothing on disk yet that could lead anywhere
        folder = folder.parent
    real_root, real = os.path.realpath(root), os.path.realpath(folder)
    if os.path.commonpath([real_root, real]) != real_root:
        raise WriteError(
            f"{target}: its folder leads to {real}, outside {root}, through a symlink; "
            "patchkit writes only inside the output folder. Remove the symlink"
        )


# -- worked examples ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExampleOutcome:
    """One check of one worked example: ``before -> after`` or ``after -> after``.

    ``expected`` says which state the check wanted and why (the example names it, or
    ``before`` and ``after`` differ or not); ``found`` and ``reason`` are the state the
    transform reported and its message (None when the run raised an error, in
    ``detail``); ``got`` is the text the transform made, which ``test --update``
    writes into ``after``.
    """

    patch: str
    index: int
    name: str | None
    check: str
    ok: bool
    detail: str = ""
    expected: str = ""
    found: PatchState | None = None
    reason: str = ""
    got: str | None = None
    line: int = 0

    @property
    def label(self) -> str:
        return f"{self.patch} example {self.index + 1}" + (f" ({self.name})" if self.name else "")


def run_examples(patch: Patch) -> list[ExampleOutcome]:
    """Run ``patch`` alone on each example: ``before`` must become ``after`` (in the state the
    example names, if it names one), and ``after`` must come back unchanged."""
    from patchkit.errors import PatchkitError

    outcomes: list[ExampleOutcome] = []
    for i, ex in enumerate(patch.examples):
        path = f"{patch.path}:{ex.line}"
        for check, text, want in (
            ("before -> after", ex.before, ex.after),
            ("after -> after", ex.after, ex.after),
        ):
            expected = _expected_state(ex, check)
            try:
                result = apply_to_text(text, [patch], path=path)
            except PatchkitError as exc:
                outcomes.append(
                    ExampleOutcome(
                        patch.id, i, ex.name, check, False, exc.render(), expected, line=ex.line
                    )
                )
                continue
            state = result.states[0][1]
            problems = []
            if result.text != want:
                problems.append(_diff(want, result.text, "expected", "got").rstrip("\n"))
            if check == "before -> after" and ex.state is not None and state.state is not ex.state:
                problems.append(f"expected state {ex.state.value}, got {state.state.value}")
            if check == "after -> after" and state.state is PatchState.PENDING:
                problems.append("'after' is still pending: the transform would change it again")
            if problems:
                problems.append(f"expected: {expected}")
                problems.append(f"found:    {state.state.value}, because {state.message}")
            outcomes.append(
                ExampleOutcome(
                    patch.id,
                    i,
                    ex.name,
                    check,
                    not problems,
                    "\n".join(problems) or state.state.value,
                    expected,
                    state.state,
                    state.message,
                    result.text,
                    ex.line,
                )
            )
    return outcomes


def _expected_state(ex: object, check: str) -> str:
    state = getattr(ex, "state", None)
    if check == "after -> after":
        return "no change on 'after' (applied or upstream)"
    if state is not None:
        return f"{state.value} (the example names it)"
    if getattr(ex, "before", None) == getattr(ex, "after", None):
        return "no change (applied, upstream or drifted: 'before' and 'after' are the same)"
    return "pending ('before' and 'after' differ)"


def _diff(a: str, b: str, name_a: str, name_b: str) -> str:
    import difflib

    def lines(text: str) -> list[str]:
        out = text.splitlines(keepends=True)
        if out and not out[-1].endswith("\n"):
            out[-1] += "\n\\ No newline at end of file\n"
        return out

    return "".join(difflib.unified_diff(lines(a), lines(b), fromfile=name_a, tofile=name_b))
