"""What ``patchkit new`` may propose, per transform kind: candidates read from the real file.

Each generator yields, in file order, the patches of its kind that would change
something there (a cache mount without an id, a stage that builds the package, a
``RUN`` that bind-mounts another stage...), with a summary and a why that state
the kind's reason. ``patchkit.scaffold`` checks each against the series and keeps
the first that is pending and whose example passes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from patchkit.dockerfile import Dockerfile, Instruction, Stage

__all__ = ["CANDIDATES", "NOTHING", "Candidate", "excerpt"]

_PACKAGE_BUILD = re.compile(
    r"setup\.py\s+(?:bdist_wheel|bdist|sdist|build|develop|install)\b"
    r"|\bpip3?\s+(?:wheel|install)\s+(?:[^&;|]*\s)?(?:-e\s+)?\.(?:\s|$|\[)"
    r"|\bpython3?\s+-m\s+(?:build|pip\s+(?:wheel|install))"
    r"|\buv\s+(?:build|pip\s+install\s+(?:[^&;|]*\s)?(?:-e\s+)?\.(?:\s|$|\[))"
)


@dataclass(frozen=True, slots=True)
class Candidate:
    params: dict[str, object]
    stages: tuple[Stage, ...]  # the stages the example is cut from, in file order
    summary: str
    why: str
    label: str  # how the candidate is named when it does not fit
    stage_name: str | None = None


def excerpt(stages: Sequence[Stage]) -> str:
    """The text of ``stages`` (FROM to last instruction), one blank line between them."""
    parts = []
    for st in stages:
        tree = st.tree
        last = st.instructions[-1] if st.instructions else st.from_instruction
        piece = tree.text[st.from_instruction.line_start : last.end]
        parts.append(piece.replace("\r\n", "\n") + "\n")
    return "\n".join(parts)


# -- candidates per kind ------------------------------------------------------------------

_Gen = Callable[["Dockerfile", "list[Stage]", bool, Path], Iterator[Candidate]]


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
) -> Iterator[Candidate]:
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
            yield Candidate(
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
) -> Iterator[Candidate]:
    if "SETUPTOOLS_SCM_PRETEND_VERSION_FOR_" in tree.text:
        yield Candidate(
            {},
            tuple(st for st in stages if "SETUPTOOLS_SCM_PRETEND_VERSION_FOR_" in excerpt([st]))
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
        yield Candidate(
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
) -> Iterator[Candidate]:
    name = _project_name(root) + "_COMMIT"
    runs = list(_runs(stages))
    runs.sort(key=lambda sr: not _PACKAGE_BUILD.search(sr[1].raw))
    for st, instr in runs:
        fragment = _fragment(instr)
        if fragment is None:
            continue
        yield Candidate(
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
) -> Iterator[Candidate]:
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
            yield Candidate(
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


def _insert(tree: Dockerfile, stages: list[Stage], given: bool, root: Path) -> Iterator[Candidate]:
    for st in stages:
        anchor: dict[str, object] = {
            "keyword": "FROM",
            "pattern": _literal(st.from_instruction.args.strip()),
        }
        if st.name is not None:
            anchor["stage"] = st.name
        else:
            anchor["stage"] = str(st.index)
        yield Candidate(
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


def _replace(tree: Dockerfile, stages: list[Stage], given: bool, root: Path) -> Iterator[Candidate]:
    for st, instr in _runs(stages):
        for needs, find, with_, summary, why in _REPLACES:
            m = re.search(needs, instr.args)
            if not m:
                continue
            yield Candidate(
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


CANDIDATES: dict[str, _Gen] = {
    "cache-mount-id": _cache_mount_id,
    "scm-pretend-version": _scm_pretend_version,
    "cache-key-arg": _cache_key_arg,
    "bind-mount-cache-key": _bind_mount_cache_key,
    "insert": _insert,
    "replace": _replace,
}

NOTHING = {
    "cache-mount-id": "no RUN --mount=type=cache without an id",
    "scm-pretend-version": "no stage to set the pretend-version variable in",
    "cache-key-arg": "no RUN",
    "bind-mount-cache-key": "no RUN --mount=type=bind,from=STAGE",
    "insert": "no stage",
    "replace": "no RUN with an apt-get install, uv pip install or sh SCRIPT.sh the scaffold "
    "knows how to change",
}
