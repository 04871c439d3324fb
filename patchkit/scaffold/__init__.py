"""Scaffold a patch file from the real upstream tree: ``patchkit new``.

A new patch starts green: its ``files`` entry is a Dockerfile that exists in
the upstream tree, its parameters name things that are really there (a cache
mount without an id, the stage that builds the package, a ``RUN`` that bind
mounts another stage), its ``upstream`` range starts at the upstream version
the tree has, and its worked example is an excerpt of the real file (the
stages it changes) with the ``after`` block the transform itself produced.

Every candidate is checked before it is chosen, the way ``status`` and
``test`` will check it: the patch loads, it is ``pending`` on the real file
next to the patches already in the series (no conflict with their edits),
and its example passes. The first candidate that passes, in file order, wins;
none passing is a ``UsageError`` that says why.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from patchkit.errors import PatchkitError, UsageError
from patchkit.scaffold.candidates import CANDIDATES, NOTHING, Candidate, excerpt

if TYPE_CHECKING:
    from packaging.version import Version

    from patchkit.dockerfile import Dockerfile, Stage
    from patchkit.series import Patch, Series

__all__ = ["Scaffolded", "block_scalar", "scaffold_from_tree"]

_DOCKERFILE = re.compile(r"(?:^|[./-])[Dd]ockerfile(?:$|[.-])|\.dockerfile$|^Containerfile")
_SKIP_DIRS = {".git", "node_modules", ".venv", "venv", "__pycache__", ".tox"}


# RUN commands that build the Python project of the context (as the build area reads them)
@dataclass(frozen=True, slots=True)
class Scaffolded:
    """A patch file's text, and what was chosen for it."""

    text: str
    file: str
    stage: str | None
    state_message: str  # what the transform says on the real file (pending)


def scaffold_from_tree(
    name: str,
    kind: str,
    upstream: str | os.PathLike[str],
    *,
    file: str | None = None,
    stage: str | None = None,
    version: Version | None = None,
    series: Series | None = None,
) -> Scaffolded:
    """The text of a new patch ``name`` of ``kind`` for the upstream tree at ``upstream``.

    ``file`` (relative to the upstream root) defaults to the tree's only
    Dockerfile, else the one the series already patches; ``stage`` (a name
    or 0-based index) limits where the transform looks. ``version`` (the
    upstream's) starts the patch's ``upstream`` range; ``series`` (the
    patches already there) must still apply with the new one. Raises
    ``UsageError`` for a bad name, kind, file or stage, or when the file has
    nothing this kind would change.
    """
    from patchkit._fs import read_source
    from patchkit.dockerfile import parse
    from patchkit.series import scaffold_kind

    cls = scaffold_kind(name, kind)
    root = Path(upstream)
    if not root.is_dir():
        raise UsageError(f"the upstream tree {root} is not a folder; pass --upstream DIR")
    rel = _choose_file(root, file, series)
    text = read_source(root / rel)
    tree = parse(text, path=str(root / rel))
    if not tree.stages:
        raise UsageError(f"{root / rel} has no FROM: not a Dockerfile patchkit can patch")
    chosen = _stages(tree, stage, root / rel)
    others = _selected(series, version, rel)
    tried: list[str] = []
    for cand in CANDIDATES[cls.kind](tree, chosen, stage is not None, root):
        result = _try(cand, name, kind, rel, version, text, others, tried)
        if result is not None:
            return result
    where = f"{rel}" + (f" stage {stage!r}" if stage is not None else "")
    because = "; ".join(tried[:3]) if tried else NOTHING[cls.kind]
    raise UsageError(
        f"nothing in {where} that a new {kind} patch would change ({because}); "
        + ("try another --stage or --file" if stage is not None else "try another --file")
        + ", or another --kind"
    )


# -- file and stage ---------------------------------------------------------------------


def _choose_file(root: Path, file: str | None, series: Series | None) -> str:
    found = _dockerfiles(root)
    if file is not None:
        rel = file[2:] if file.startswith("./") else file
        parts = rel.split("/")
        if os.path.isabs(rel) or ".." in parts or "\\" in rel:
            raise UsageError(
                f"--file {file!r}: give a path inside the upstream tree {root}, with '/' "
                "between folders"
            )
        path = root / rel
        real_root, real = os.path.realpath(root), os.path.realpath(path)
        if os.path.commonpath([real_root, real]) != real_root:
            raise UsageError(
                f"--file {file!r} resolves to {real}, outside the upstream tree {root} "
                "(through a symlink); a patch may only touch files inside it"
            )
        if not path.is_file():
            listing = ", ".join(found[:8]) or "none"
            raise UsageError(
                f"--file {file!r}: no such file in the upstream tree {root} "
                f"(Dockerfiles there: {listing})"
            )
        return rel
    if len(found) == 1:
        return found[0]
    named = sorted({f for p in (series.patches if series else ()) for f in p.files} & set(found))
    if len(named) == 1:
        return named[0]
    if not found:
        raise UsageError(f"no Dockerfile in the upstream tree {root}; pass --file PATH")
    raise UsageError(
        f"the upstream tree {root} has {len(found)} Dockerfiles; pass --file with one of: "
        + ", ".join(found[:12])
        + (" ..." if len(found) > 12 else "")
    )


def _dockerfiles(root: Path) -> list[str]:
    out: list[str] = []
    real_root = os.path.realpath(root)
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
        depth = len(Path(folder).relative_to(root).parts)
        if depth >= 3:
            dirs[:] = []
        for f in sorted(files):
            if _DOCKERFILE.search(f) and not f.endswith((".md", ".txt", ".yaml", ".yml")):
                real = os.path.realpath(Path(folder, f))
                if os.path.commonpath([real_root, real]) == real_root:  # no link out of it
                    out.append(Path(folder, f).relative_to(root).as_posix())
    return out


def _stages(tree: Dockerfile, stage: str | None, path: Path) -> list[Stage]:
    if stage is None:
        return list(tree.stages)
    for st in tree.stages:
        if st.name is not None and st.name.lower() == stage.lower():
            return [st]
    if stage.isdigit() and int(stage) < len(tree.stages):
        return [tree.stages[int(stage)]]
    names = ", ".join(st.name or str(st.index) for st in tree.stages)
    raise UsageError(f"--stage {stage!r}: {path} has no such stage (stages: {names})")


def _selected(series: Series | None, version: Version | None, rel: str) -> list[Patch]:
    """The series' patches that apply to ``rel`` at ``version`` (every one when unknown)."""
    import fnmatch

    if series is None:
        return []
    return [
        p
        for p in series.patches
        if (version is None or p.applies_to(version))
        and any(f == rel or fnmatch.fnmatchcase(rel, f) for f in p.files)
    ]


# -- one candidate --------------------------------------------------------------------


def _try(
    cand: Candidate,
    name: str,
    kind: str,
    rel: str,
    version: Version | None,
    text: str,
    others: list[Patch],
    tried: list[str],
) -> Scaffolded | None:
    from patchkit.engine import apply_to_text, run_examples
    from patchkit.series import parse_patch
    from patchkit.states import PatchState

    spec = f">={version.public}" if version is not None else ""
    try:
        bare = parse_patch(_render(name, kind, rel, spec, cand, None, version), f"{name}.yaml")
        real = apply_to_text(text, [*others, bare], path=rel)
    except PatchkitError as exc:
        tried.append(f"{cand.label}: {exc.render().splitlines()[0]}")
        return None
    state = real.states[-1][1]
    if state.state is not PatchState.PENDING:
        tried.append(f"{cand.label}: {state.state.value} ({state.message})")
        return None
    before = excerpt(cand.stages)
    try:
        after = apply_to_text(before, [bare], path=rel).text
        out = _render(name, kind, rel, spec, cand, (before, after), version)
        patch = parse_patch(out, f"{name}.yaml")
    except PatchkitError as exc:
        tried.append(f"{cand.label}: {exc.render().splitlines()[0]}")
        return None
    ex = patch.examples[0]
    if (ex.before, ex.after) != (before, after) or not all(o.ok for o in run_examples(patch)):
        tried.append(f"{cand.label}: its example cut from the file does not pass alone")
        return None
    return Scaffolded(out, rel, cand.stage_name, state.message)


def _render(
    name: str,
    kind: str,
    rel: str,
    spec: str,
    cand: Candidate,
    example: tuple[str, str] | None,
    version: Version | None,
) -> str:
    at = f" at {version}" if version is not None else ""
    lines = [
        f"# Written by `patchkit new` from {rel}{at}, where it is pending: a real change",
        "# this kind can make there, as a start. Make it yours: the transform's parameters",
        "# to the change you need, summary and why to what it changes and which failure it",
        "# prevents (`patchkit test` fails on TODO or FIXME left there).",
        f"id: {name}",
        f"summary: {_scalar(cand.summary)}",
        "why: >",
        *_folded(cand.why, "  "),
        f"upstream: {_scalar(spec)}"
        + ("" if spec else "  # every version: the upstream version was not known"),
        f"files: [{_scalar(rel)}]",
        "transform:",
        f"  kind: {kind}",
        *_params(cand.params, "  "),
    ]
    if example is not None:
        before, after = example
        lines += [
            "examples:",
            f"  - name: {_scalar('cut from ' + rel + at)}",
            "    state: pending",
            f"    before: {_value(before, '      ')}",
            f"    after: {_value(after, '      ')}",
        ]
    return "\n".join(lines) + "\n"


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(str(value), ensure_ascii=False)


def _params(params: dict[str, object], indent: str) -> list[str]:
    out = []
    for key, value in params.items():
        if isinstance(value, dict):
            out.append(f"{indent}{key}:")
            out += _params(value, indent + "  ")
        elif isinstance(value, (list, tuple)):
            out.append(f"{indent}{key}: [" + ", ".join(_scalar(v) for v in value) + "]")
        else:
            out.append(f"{indent}{key}: {_scalar(value)}")
    return out


def _folded(text: str, indent: str, width: int = 88) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(indent) + len(line) + 1 + len(word) > width:
            lines.append(indent + line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(indent + line)
    return lines


def block_scalar(text: str, indent: str) -> str:
    """``text`` as a YAML value: a literal block (``|``, ``|-`` or ``|+``, its lines
    indented by ``indent``, ending with its own line break) when a block can say it
    exactly, else a double-quoted string (no line break)."""
    body = text.rstrip("\n")
    tail = len(text) - len(body)
    lines = body.split("\n")
    plain = (
        bool(body)
        and not body[0].isspace()
        and "\r" not in body
        and all(c in "\n\t" or c.isprintable() for c in body)
        and all(line == "" or line.strip() for line in lines)
    )
    if not plain:
        return _scalar(text)
    chomp = "-" if tail == 0 else "" if tail == 1 else "+"
    return (
        f"|{chomp}\n"
        + "\n".join(indent + line if line else "" for line in lines)
        + "\n" * max(tail, 1)
    )


def _value(text: str, indent: str) -> str:
    """``block_scalar`` for a line of ``_render`` (which adds the line break itself)."""
    out = block_scalar(text, indent)
    return out[:-1] if out.endswith("\n") else out
