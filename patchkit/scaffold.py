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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from patchkit.errors import PatchkitError, UsageError

if TYPE_CHECKING:
    from packaging.version import Version

    from patchkit.dockerfile import Dockerfile, Instruction, Stage
    from patchkit.series import Patch, Series

__all__ = ["Scaffolded", "block_scalar", "scaffold_from_tree"]

_DOCKERFILE = re.compile(r"(?:^|[./-])[Dd]ockerfile(?:$|[.-])|\.dockerfile$|^Containerfile")
_SKIP_DIRS = {".git", "node_modules", ".venv", "venv", "__pycache__", ".tox"}
# RUN commands that build the Python project of the context (as the build area reads them)
_PACKAGE_BUILD = re.compile(
    r"setup\.py\s+(?:bdist_wheel|bdist|sdist|build|develop|install)\b"
    r"|\bpip3?\s+(?:wheel|install)\s+(?:[^&;|]*\s)?(?:-e\s+)?\.(?:\s|$|\[)"
    r"|\bpython3?\s+-m\s+(?:build|pip\s+(?:wheel|install))"
    r"|\buv\s+(?:build|pip\s+install\s+(?:[^&;|]*\s)?(?:-e\s+)?\.(?:\s|$|\[))"
)


@dataclass(frozen=True, slots=True)
class Scaffolded:
    """A patch file's text, and what was chosen for it."""

    text: str
    file: str
    stage: str | None
    state_message: str  # what the transform says on the real file (pending)


@dataclass(frozen=True, slots=True)
class _Candidate:
    params: dict[str, object]
    stages: tuple[Stage, ...]  # the stages the example is cut from, in file order
    summary: str
    why: str
    label: str  # how the candidate is named when it does not fit
    stage_name: str | None = None


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
    for cand in _CANDIDATES[cls.kind](tree, chosen, stage is not None, root):
        result = _try(cand, name, kind, rel, version, text, others, tried)
        if result is not None:
            return result
    where = f"{rel}" + (f" stage {stage!r}" if stage is not None else "")
    because = "; ".join(tried[:3]) if tried else _NOTHING[cls.kind]
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
    cand: _Candidate,
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
    before = _excerpt(cand.stages)
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


def _excerpt(stages: Sequence[Stage]) -> str:
    """The text of ``stages`` (FROM to last instruction), one blank line between them."""
    parts = []
    for st in stages:
        tree = st.tree
        last = st.instructions[-1] if st.instructions else st.from_instruction
        piece = tree.text[st.from_instruction.line_start : last.end]
        parts.append(piece.replace("\r\n", "\n") + "\n")
    return "\n".join(parts)


def _render(
    name: str,
    kind: str,
    rel: str,
    spec: str,
    cand: _Candidate,
    example: tuple[str, str] | None,
    version: Version | None,
) -> str:
    at = f" at {version}" if version is not None else ""
    lines = [
        f"# Written by `patchkit new` from {rel}{at}, where it is pending.",
        "# Say in summary and why what this patch changes and which failure it prevents",
        "# (`patchkit test` fails on TODO or FIXME left there).",
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


# -- candidates per kind ------------------------------------------------------------------

_Gen = Callable[["Dockerfile", "list[Stage]", bool, Path], Iterator[_Candidate]]


def _label(st: Stage) -> str:
    return st.name if st.name is not None else str(st.index)


def _runs(stages: Sequence[Stage]) -> Iterator[tuple[Stage, Instruction]]:
    for st in stages:
        for instr in st.instructions:
            if instr.keyword == "RUN":
                yield st, instr


def _literal(text: str) -> str:
    """A regex matching ``text`` literally, escaping only what regexes treat specially."""
    return re.sub(r"([.^$*+?{}\[\]\\|()])", r"\\\1", text)


def _cache_mount_id(
    tree: Dockerfile, stages: list[Stage], given: bool, root: Path
) -> Iterator[_Candidate]:
    seen: set[str] = set()
    for st, instr in _runs(stages):
        for m in instr.mounts:
            target = m.target
            if m.type != "cache" or m.has("id") or not target or target in seen:
                continue
            seen.add(target)
            slug = re.sub(r"[^a-z0-9]+", "-", target.rstrip("/").rsplit("/", 1)[-1].lower())
            cache_id = (slug.strip("-") or "cache") + "-${TARGETARCH}"
            params: dict[str, object] = {"target": target, "id": cache_id}
            if given:
                params["stages"] = [_label(st)]
            yield _Candidate(
                params,
                (st,),
                f"Give the {target} cache mount a per-architecture id",
                f"A cache mount without an id is keyed by its target ({target}), so builds for "
                "several platforms on one builder share it and one architecture finds what "
                f"another left there; id={cache_id} (with ARG TARGETARCH in scope) gives each "
                "architecture its own cache.",
                f"the cache mount {target} at line {instr.start_line}",
                _label(st),
            )


def _project_name(root: Path) -> str:
    for rel, pattern in (
        ("pyproject.toml", r'(?m)^name\s*=\s*["\']([A-Za-z0-9._-]+)["\']'),
        ("setup.py", r'\bname\s*=\s*["\']([A-Za-z0-9._-]+)["\']'),
    ):
        try:
            text = (root / rel).read_text(encoding="utf-8", errors="replace")[:200_000]
        except OSError:
            continue
        m = re.search(pattern, text)
        if m:
            return re.sub(r"[^A-Z0-9]+", "_", m.group(1).upper()).strip("_")
    return "UPSTREAM"


def _package_stages_first(stages: list[Stage]) -> list[Stage]:
    builds = [st for st in stages if any(_PACKAGE_BUILD.search(i.raw) for i in st.instructions)]
    return builds + [st for st in stages if st not in builds]


def _scm_pretend_version(
    tree: Dockerfile, stages: list[Stage], given: bool, root: Path
) -> Iterator[_Candidate]:
    if "SETUPTOOLS_SCM_PRETEND_VERSION_FOR_" in tree.text:
        yield _Candidate(
            {},
            tuple(st for st in stages if "SETUPTOOLS_SCM_PRETEND_VERSION_FOR_" in _excerpt([st]))
            or (stages[0],),
            "Use the generic SETUPTOOLS_SCM_PRETEND_VERSION instead of the dist-named one",
            "setuptools-scm reads SETUPTOOLS_SCM_PRETEND_VERSION_FOR_<DIST> only when it knows "
            "the distribution name; a setup.py that calls get_version() without dist_name "
            "never reads it, and the build dies with 'unable to detect version'. The generic "
            "variable is always read.",
            "the dist-named pretend variable",
        )
    arg = _project_name(root) + "_VERSION"
    for st in _package_stages_first(stages):
        yield _Candidate(
            {"arg": arg, "stage": _label(st)},
            (st,),
            f"Set SETUPTOOLS_SCM_PRETEND_VERSION from the {arg} build arg in stage {_label(st)}",
            "A downstream package builds from the upstream submodule, whose .git is a pointer "
            "file the build cannot use, so setuptools-scm cannot read the version from git; "
            f"the build passes the upstream version as --build-arg {arg}=VERSION and this "
            "patch hands it to setuptools-scm.",
            f"stage {_label(st)}",
            _label(st),
        )


def _cache_key_arg(
    tree: Dockerfile, stages: list[Stage], given: bool, root: Path
) -> Iterator[_Candidate]:
    name = _project_name(root) + "_COMMIT"
    runs = list(_runs(stages))
    runs.sort(key=lambda sr: not _PACKAGE_BUILD.search(sr[1].raw))
    for st, instr in runs:
        fragment = _fragment(instr)
        if fragment is None:
            continue
        yield _Candidate(
            {"name": name, "stage": _label(st), "run": _literal(fragment)},
            (st,),
            f"Declare ARG {name} before the RUN that runs {fragment!r} in stage {_label(st)}",
            "This RUN can make a different result while its cache key stays the same (cache "
            f"mounts, downloads); with --build-arg {name}=$(git -C UPSTREAM rev-parse HEAD) "
            "the upstream commit enters its key, so a new commit rebuilds it instead of "
            "reusing an old layer.",
            f"the RUN at line {instr.start_line}",
            _label(st),
        )


def _fragment(instr: Instruction) -> str | None:
    """A short piece of a RUN's command, as its anchor (the last line that is not a comment)."""
    for line in reversed(instr.raw.splitlines()):
        text = line.strip().rstrip("\\").strip()
        if text.upper().startswith("RUN "):
            text = text[4:].strip()
        if text and not text.startswith(("#", "--")):
            words = text.split()
            return " ".join(words[:4])
    return None


def _bind_mount_cache_key(
    tree: Dockerfile, stages: list[Stage], given: bool, root: Path
) -> Iterator[_Candidate]:
    names = {st.name: st for st in tree.stages if st.name}
    seen: set[tuple[str, str | None]] = set()
    for st, instr in _runs(stages):
        for m in instr.mounts:
            src_stage = m.get("from")
            if m.type != "bind" or src_stage not in names:
                continue
            source = m.get("source")
            if (src_stage, source) in seen:
                continue
            seen.add((src_stage, source))
            producer = names[src_stage]
            params: dict[str, object] = {"from": src_stage}
            if source:
                params["source"] = source
            if given:
                params["stages"] = [_label(st)]
            pair = tuple(
                sorted({producer.index: producer, st.index: st}.values(), key=lambda s: s.index)
            )
            yield _Candidate(
                params,
                pair,
                f"Key the RUN that bind-mounts {src_stage}'s {source or '/'} by the artifact's "
                "checksum",
                "Builders that leave a stage bind mount out of the cache key (buildah before its "
                f"May 2026 fix) reuse this RUN after {src_stage} built a new artifact; a COPY of "
                "the artifact's checksum before the RUN puts its content into the key. BuildKit "
                "keys bind mounts by content already.",
                f"the bind mount from {src_stage} at line {instr.start_line}",
                _label(st),
            )


def _insert(tree: Dockerfile, stages: list[Stage], given: bool, root: Path) -> Iterator[_Candidate]:
    for st in stages:
        anchor: dict[str, object] = {
            "keyword": "FROM",
            "pattern": _literal(st.from_instruction.args.strip()),
        }
        if st.name is not None:
            anchor["stage"] = st.name
        else:
            anchor["stage"] = str(st.index)
        yield _Candidate(
            {"anchor": anchor, "text": "ENV PIP_NO_CACHE_DIR=1", "position": "after"},
            (st,),
            f"Keep no pip cache in stage {_label(st)}",
            "pip's cache is of no use inside an image layer and only makes it larger; "
            f"PIP_NO_CACHE_DIR=1 keeps pip from writing one in stage {_label(st)}.",
            f"stage {_label(st)}",
            _label(st),
        )


#: Changes the replace scaffold knows: (what the RUN must contain, with the text the
#: anchor keeps matching as group ``anchor``; find; with; summary; why).
_REPLACES: tuple[tuple[str, str, str, str, str], ...] = (
    (
        r"(?P<anchor>apt-get install)(?!.*--no-install-recommends)",
        "apt-get install",
        "apt-get install --no-install-recommends",
        "Install no recommended Debian packages",
        "apt-get installs every recommended package by default, which makes the image larger "
        "and its contents depend on the archive's recommendations; --no-install-recommends "
        "installs what is named.",
    ),
    (
        r"(?P<anchor>uv pip install)(?!.*--compile-bytecode)",
        "uv pip install",
        "uv pip install --compile-bytecode",
        "Compile the installed packages' bytecode at build time",
        "uv pip install does not compile .py files to bytecode (pip does), so every container "
        "compiles the modules it imports when it starts, in a layer it throws away; "
        "--compile-bytecode does it once, in the image.",
    ),
    (
        r"(?<![\w-])sh (?P<anchor>[\w./-]+\.sh)\b",
        r"(?<![\w-])sh ([\w./-]+\.sh)",
        r"sh -e \1",
        "Stop the build script at its first failing command",
        "sh runs a script to its end and reports only the last command's status, so a failed "
        "step in the middle goes unnoticed; sh -e stops at the first failure.",
    ),
)


def _replace(
    tree: Dockerfile, stages: list[Stage], given: bool, root: Path
) -> Iterator[_Candidate]:
    for st, instr in _runs(stages):
        for needs, find, with_, summary, why in _REPLACES:
            m = re.search(needs, instr.args)
            if not m:
                continue
            yield _Candidate(
                {
                    "anchor": {
                        "keyword": "RUN",
                        "pattern": _literal(m.group("anchor")),
                        "stage": _label(st),
                    },
                    "find": find,
                    "with": with_,
                },
                (st,),
                f"{summary} (stage {_label(st)}, the RUN with {m.group('anchor')!r})",
                why,
                f"the RUN at line {instr.start_line}",
                _label(st),
            )


_CANDIDATES: dict[str, _Gen] = {
    "cache-mount-id": _cache_mount_id,
    "scm-pretend-version": _scm_pretend_version,
    "cache-key-arg": _cache_key_arg,
    "bind-mount-cache-key": _bind_mount_cache_key,
    "insert": _insert,
    "replace": _replace,
}

_NOTHING = {
    "cache-mount-id": "no RUN --mount=type=cache without an id",
    "scm-pretend-version": "no stage to set the pretend-version variable in",
    "cache-key-arg": "no RUN",
    "bind-mount-cache-key": "no RUN --mount=type=bind,from=STAGE",
    "insert": "no stage",
    "replace": "no RUN with an apt-get install, uv pip install or sh SCRIPT.sh the scaffold "
    "knows how to change",
}
