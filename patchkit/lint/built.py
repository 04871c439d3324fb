"""The stages a build really runs: its target and everything the target needs.

BuildKit builds only what the target stage depends on
(``dockerfile2llb``: stages reached from the target through ``FROM <stage>``,
``COPY --from=<stage>`` and ``RUN --mount=from=<stage>``); a stage nothing
reaches is never built, so a finding inside it is about a build that does not
happen. The target is ``--target`` / the bake target / the manifest, else the
last stage. Stage bases with a variable (``FROM base-${TARGETARCH}``) reach
every stage they may name (``patchkit.lint._stages.parents``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from patchkit.dockerfile import Dockerfile, Stage
    from patchkit.lint.base import Violation

__all__ = ["built_stages", "in_built_stages"]


def _target(tree: Dockerfile, target: str | None) -> Stage | None:
    stages = tree.stages
    if not stages:
        return None
    if target is None:
        return stages[-1]
    for stage in stages:
        if stage.name is not None and stage.name.lower() == target.lower():
            return stage
    return None


def built_stages(tree: Dockerfile, target: str | None = None) -> set[int] | None:
    """Indexes of the stages built for ``target`` (None: the target names no stage)."""
    from patchkit.lint._stages import parents, stage_named

    start = _target(tree, target)
    if start is None:
        return None
    seen: set[int] = set()
    todo = [start]
    while todo:
        stage = todo.pop()
        if stage.index in seen:
            continue
        seen.add(stage.index)
        todo.extend(parents(tree, stage))
        for instr in stage.instructions:
            refs: list[str] = []
            if instr.keyword in ("COPY", "ADD"):
                flag = instr.flag("from")
                if flag is not None and flag.value:
                    refs.append(flag.value)
            elif instr.keyword == "RUN":
                refs.extend(m.get("from") or "" for m in instr.mounts)
            for ref in refs:
                found = stage_named(tree, ref, before=stage)
                if found is not None:
                    todo.append(found)
    return seen


def in_built_stages(
    tree: Dockerfile, violations: list[Violation], target: str | None
) -> list[Violation]:
    """The violations that lie in a built stage, or before the first stage (global ARGs)."""
    stages = built_stages(tree, target)
    if stages is None:
        return violations
    kept = []
    instructions = tree.instructions
    for v in violations:
        instr = instructions[v.instruction] if 0 <= v.instruction < len(instructions) else None
        stage = instr.stage if instr is not None else None
        if stage is None or stage.index in stages:
            kept.append(v)
    return kept
