"""``cache-mount-id``: give BuildKit cache mounts a per-architecture id.

What it does
    Every ``RUN --mount=type=cache`` whose target is one of ``target`` (or
    every cache mount of the ``stages`` named) gets ``id=<id>``, where ``id``
    must reference ``${TARGETARCH}`` (or ``TARGETPLATFORM``/``TARGETVARIANT``).
    ``id`` may use ``{target}`` (the mount target as written), ``{name}`` (its
    last path component without leading dots: ``.deps`` -> ``deps``) and
    ``{stage}``; the default ``{target}-${TARGETARCH}`` keeps BuildKit's own
    default id (the target path) and adds the architecture. Each affected
    stage also gets ``ARG TARGETARCH`` right before its first such RUN, unless
    the variable is already in scope there (declared earlier in the stage, or
    in a stage it is built ``FROM``).

Why
    Without an id, a cache mount's id is its target, so amd64 and arm64 builds
    on one builder share the cache: vLLM's CPU build reused an x86 shallow
    clone in ``.deps`` on arm and failed with "reference is not a tree".
    Measured on a real BuildKit (``research/buildkit-local.md``, dockerd 26.1.5
    / BuildKit 0.13): the unpatched mount and ``id=noarg-${TARGETARCH}``
    *without* ``ARG TARGETARCH`` in scope are both shared (the id expands to
    ``noarg-``); ``ARG TARGETARCH`` + ``id=deps-${TARGETARCH}`` gives
    ``deps-amd64`` and ``deps-arm64``.

Frontend requirement
    Variables in ``--mount`` options are expanded only by Dockerfile frontend
    1.3 and newer. Docker 20.10's built-in BuildKit 0.8 keeps
    ``id=deps-${TARGETARCH}`` literally, so both architectures still share one
    cache (measured); Docker 26.1's built-in frontend expands it. The
    transform warns when a ``# syntax=`` directive pins a frontend older than
    1.3; on an old builder without a directive, add ``# syntax=docker/dockerfile:1``.

States
    ``applied``: every matching mount has exactly this id, with the variable
    in scope. ``upstream``: every matching mount already has an id of its own
    that references a per-platform variable in scope (upstream's idiom since
    vLLM v0.29.0: ``id=<name>-${TARGETARCH}`` + ``ARG TARGETARCH``).
    ``pending``: some mount has no id, an id without the architecture, or an
    id whose variable is not in scope. ``drifted``: a named stage or target is
    gone.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from patchkit.states import PatchState
from patchkit.transforms._common import (
    ARCH_VAR,
    DRIFT_HINT,
    find_stages,
    insert_lines,
    line_of,
    stage_label,
    stages_hint,
)
from patchkit.transforms.base import Analysis, Param, ParamError, Scaffold, Transform, strings

if TYPE_CHECKING:
    from patchkit.dockerfile import Dockerfile, Instruction, Mount, Stage
    from patchkit.dockerfile.edit import Edit

__all__ = ["CacheMountId", "id_needs_quoting"]

_PLACEHOLDER = re.compile(r"(?<!\$)\{([A-Za-z_]+)\}")
_PLACEHOLDERS = ("target", "name", "stage")
# what a mount option value cannot hold without quoting (patchkit writes plain options only)
_NEEDS_QUOTING = re.compile(r"[\s,\"'\\`]")


def _gives_id(tree: Dockerfile, instr: Instruction, edit: Edit, want: str) -> bool:
    """Whether ``instr`` with ``edit`` applied has a cache mount with id ``want``.

    The mount edit appends ``,id=...`` where the flag's value ends; a mount whose
    quoting is broken (an unterminated quote swallowing the rest of the line, found
    by fuzzing) reads differently once edited. Only the instruction is parsed again.
    """
    from patchkit.dockerfile import parse

    raw = instr.raw
    at, end = edit.start - instr.start, edit.end - instr.start
    head = "# escape=`\n" if tree.escape == "`" else ""
    again = parse(head + raw[:at] + edit.text + raw[end:] + tree.newline, legacy=tree.legacy)
    return bool(again.instructions) and any(m.id == want for m in again.instructions[0].mounts)


def id_needs_quoting(value: str) -> bool:
    """Whether ``value`` as a mount id would need quoting (patchkit writes plain options only)."""
    return _NEEDS_QUOTING.search(value) is not None


_SYNTAX = re.compile(
    r"^(?:[\w.-]+/)?docker/dockerfile(?:-upstream)?:(?P<major>\d+)(?:\.(?P<minor>\d+))?", re.I
)


def _norm(target: str) -> str:
    return posixpath.normpath(target) if target else target


@dataclass(frozen=True, slots=True)
class CacheMountId(Transform):
    targets: tuple[str, ...]
    stages: tuple[str, ...]
    id: str

    kind: ClassVar[str] = "cache-mount-id"
    summary: ClassVar[str] = "give cache mounts an id that includes the target architecture"
    doc: ClassVar[str] = __doc__ or ""
    params: ClassVar[tuple[Param, ...]] = (
        Param("target", "strs", "cache mount target(s) to give an id"),
        Param("stages", "strs", "stage names: every cache mount there (or only `target` there)"),
        Param(
            "id", "str", "the id; must reference ${TARGETARCH}", default="{target}-${TARGETARCH}"
        ),
    )
    scaffold: ClassVar[Scaffold] = Scaffold(
        params={"target": "/root/.cache/ccache", "id": "ccache-${TARGETARCH}"},
        before=(
            "FROM ubuntu:22.04 AS build\nRUN --mount=type=cache,target=/root/.cache/ccache make\n"
        ),
        after=(
            "FROM ubuntu:22.04 AS build\n"
            "ARG TARGETARCH\n"
            "RUN --mount=type=cache,target=/root/.cache/ccache,id=ccache-${TARGETARCH} make\n"
        ),
    )

    @classmethod
    def from_params(cls, params: Mapping[str, object]) -> CacheMountId:
        targets = tuple(_norm(t) for t in strings(params, "target"))
        stages = strings(params, "stages")
        id_ = str(params.get("id") or "{target}-${TARGETARCH}")
        if not targets and not stages:
            raise ParamError("target", "give `target` (mount targets), `stages`, or both")
        if not ARCH_VAR.search(id_):
            raise ParamError(
                "id",
                f"{id_!r} does not reference ${{TARGETARCH}}: every architecture would still "
                "share one cache",
            )
        if id_needs_quoting(id_):
            raise ParamError(
                "id", f"{id_!r}: an id cannot contain spaces, commas, quotes or backslashes"
            )
        for m in _PLACEHOLDER.finditer(id_):
            if m.group(1) not in _PLACEHOLDERS:
                raise ParamError(
                    "id",
                    f"unknown placeholder {{{m.group(1)}}}; use {{target}}, {{name}} or {{stage}}",
                )
        per_target = any(f"{{{p}}}" in id_ for p in ("target", "name"))
        if not per_target and (len(targets) != 1):
            raise ParamError(
                "id",
                f"{id_!r} would give different cache targets one id; use {{target}} or {{name}} "
                "in it, or one patch per target",
            )
        return cls(targets, stages, id_)

    def _render(self, mount: Mount, stage: Stage) -> str:
        target = (mount.target or "").rstrip("/") or "/"
        name = posixpath.basename(target).lstrip(".") or "cache"
        values = {"target": target, "name": name, "stage": stage.name or str(stage.index)}
        return _PLACEHOLDER.sub(lambda m: values[m.group(1)], self.id)

    def analyze(self, tree: Dockerfile) -> Analysis:
        pool, missing = find_stages(tree, self.stages) if self.stages else (list(tree.stages), [])
        where = f" in stages {', '.join(self.stages)}" if self.stages else ""
        if missing:
            return Analysis(
                PatchState.DRIFTED,
                f"no stage {', '.join(map(repr, missing))} for the cache mounts"
                f"{stages_hint(tree)}; {DRIFT_HINT}",
            )
        matches: list[tuple[Stage, Instruction, Mount]] = []
        for stage in pool:
            for instr in stage.instructions:
                if instr.keyword != "RUN":
                    continue
                for mount in instr.mounts:
                    if mount.type.lower() != "cache":
                        continue
                    if self.targets and _norm(mount.target or "") not in self.targets:
                        continue
                    matches.append((stage, instr, mount))
        found = {_norm(m.target or "") for _, _, m in matches}
        lost = [t for t in self.targets if t not in found]
        if not matches or lost:
            what = ", ".join(f"target={t}" for t in (lost or self.targets)) or "any target"
            return Analysis(
                PatchState.DRIFTED, f"no RUN --mount=type=cache with {what}{where}; {DRIFT_HINT}"
            )

        from patchkit.dockerfile.edit import set_mount_option

        edits: list[Edit] = []
        pending: list[str] = []
        ours = upstream = 0
        need_arg: dict[tuple[int, str], Instruction] = {}  # (stage index, var) -> first RUN
        stage_of: dict[int, Stage] = {}
        for stage, instr, mount in matches:
            want = self._render(mount, stage)
            current = mount.id
            if current == want:
                ours += 1
                uses = want
            elif current and ARCH_VAR.search(current):
                upstream += 1
                uses = current
            elif id_needs_quoting(want):
                # upstream's target holds a blank or a quote, so {target}/{name} make an id
                # that would need quoting: a state to report, not an edit (issue 21, item 3)
                return Analysis(
                    PatchState.DRIFTED,
                    f"{line_of(instr)} target={mount.target!r} would make id {want!r}, which "
                    "needs quoting in a --mount option; give this mount a literal id without "
                    "{target} or {name}",
                )
            else:
                edit = set_mount_option(tree, mount, "id", want)
                if not _gives_id(tree, instr, edit, want):
                    return Analysis(
                        PatchState.DRIFTED,
                        f"{line_of(instr)}: the --mount for target={mount.target} does not read "
                        f"back with id={want} once the id is added (an unterminated quote in "
                        "it?); fix the upstream file",
                    )
                edits.append(edit)
                was = f", replacing id={current}" if current else ""
                pending.append(f"{line_of(instr)} target={mount.target} -> id={want}{was}")
                uses = want
            in_scope = stage.args_in_scope(before=instr)
            for var in dict.fromkeys(m.group(1) for m in ARCH_VAR.finditer(uses)):
                if var not in in_scope:
                    need_arg.setdefault((stage.index, var), instr)
                    stage_of[stage.index] = stage
        # a stage built FROM a stage that gets the ARG inherits it: declare it once
        need_arg = {
            (idx, var): instr
            for (idx, var), instr in need_arg.items()
            if not any((a.index, var) in need_arg for a in stage_of[idx].ancestors())
        }
        by_instr: dict[int, tuple[Instruction, list[str]]] = {}
        for (_, var), instr in need_arg.items():
            by_instr.setdefault(instr.index, (instr, []))[1].append(var)
        for instr, names in by_instr.values():
            edits.append(insert_lines(tree, instr, [f"ARG {v}" for v in names], after=False))
        declared = [f"ARG {var} in {stage_label(stage_of[idx])}" for (idx, var) in need_arg]
        warnings = self._syntax_warning(tree)
        if edits:
            parts = []
            if pending:
                parts.append(
                    f"{len(pending)} cache mount(s) need a per-arch id: " + "; ".join(pending)
                )
            if declared:
                parts.append("declares " + ", ".join(declared))
            return Analysis(PatchState.PENDING, "; ".join(parts), tuple(edits), warnings)
        if upstream and not ours:
            ids = ", ".join(sorted({m.id or "" for _, _, m in matches}))
            return Analysis(
                PatchState.UPSTREAM,
                f"upstream already gives all {upstream} matching cache mount(s) a per-arch id "
                f"({ids}); the patch can be retired",
                warnings=warnings,
            )
        return Analysis(
            PatchState.APPLIED,
            f"{ours} cache mount(s) have id {self.id!r}"
            + (f", {upstream} have upstream's own per-arch id" if upstream else ""),
            warnings=warnings,
        )

    def _syntax_warning(self, tree: Dockerfile) -> tuple[str, ...]:
        syntax = tree.directives.get("syntax")
        if not syntax:
            return ()
        m = _SYNTAX.match(syntax.strip())
        if not m or m.group("minor") is None:
            return ()
        version = (int(m.group("major")), int(m.group("minor")))
        if version >= (1, 3):
            return ()
        return (
            f"'# syntax={syntax}' pins Dockerfile frontend {version[0]}.{version[1]}, older than "
            "1.3, which does not expand variables in --mount options: the id stays literal and "
            "every architecture still shares one cache; use '# syntax=docker/dockerfile:1'",
        )
