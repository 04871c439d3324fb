"""Stage-graph helpers: parents (including ``FROM base-${TARGETARCH}``), ancestry,
variables in scope, and what a ``from=`` names.

BuildKit facts used here (moby/buildkit ``frontend/dockerfile/dockerfile2llb/convert.go``):
a stage built ``FROM <earlier stage>`` starts from that stage's state, so it
inherits its ``ENV`` (and the ARG values ``dispatchArg`` put into the state
env); ``--mount`` options and other instruction arguments are expanded with
the stage's environment (``dispatch()`` → ``Expand`` with ``d.state.Env()``).
A ``FROM`` whose stage name contains a variable is resolved by patchkit to
every earlier stage it can name, so ``FROM base-${TARGETARCH}`` has both
``base-amd64`` and ``base-arm64`` as parents.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from patchkit.lint._text import variable_refs

if TYPE_CHECKING:
    from patchkit.dockerfile import Dockerfile, Instruction, Stage

__all__ = [
    "ancestry",
    "arg_in_scope",
    "descendants",
    "env_keys",
    "instruction_text",
    "known_values",
    "parents",
    "platform_evidence",
    "resolve",
    "stage_named",
]

# Values a platform ARG takes on the platforms BuildKit builds for.
_PLATFORM_VALUES = {
    "TARGETARCH": ("amd64", "arm64", "arm", "386", "ppc64le", "s390x", "riscv64"),
    "TARGETOS": ("linux", "windows"),
    "TARGETVARIANT": ("v7", "v8", "v6", ""),
}


def stage_named(tree: Dockerfile, ref: str | None, before: Stage | None = None) -> Stage | None:
    """The stage a ``--from=`` / ``from=`` value names (name or index), if any.

    ``before``: only stages earlier than this one count (BuildKit resolves
    names to earlier stages only; a later name is an image).
    """
    if ref is None or not ref.strip():
        return None
    ref = ref.strip()
    found = tree.stage(int(ref)) if ref.isdigit() else tree.stage(ref)
    if found is None:
        return None
    if before is not None and found.index >= before.index:
        return None
    return found


def parents(tree: Dockerfile, stage: Stage) -> list[Stage]:
    """The earlier stages ``stage`` is built from (several when its base has a variable).

    ``FROM base-${TARGETARCH}`` has every stage a platform value names;
    ``FROM fetch_vllm_${REMOTE_VLLM}`` (a stage name around a build-arg)
    has every stage the build-arg could select, since ``--build-arg`` can
    override its default; a bare ``FROM ${FINAL_BASE_IMAGE}`` has the stage
    its default names, if any (usually an image, so none), and a bare
    variable without a default names an image the build passes in.
    """
    base = stage.base or ""
    found = [stage.parent] if stage.parent is not None else []
    if "$" not in base:
        return found
    pattern = _base_pattern(base, _global_defaults(tree))
    if pattern is None:
        return found
    earlier = [s for s in tree.stages if s.index < stage.index and s.name]
    found += [s for s in earlier if pattern.fullmatch(s.name or "") and s not in found]
    return found


def _base_pattern(base: str, defaults: dict[str, str | None]) -> re.Pattern[str] | None:
    refs = list(variable_refs(base))
    bare = len(refs) == 1 and base.strip() == base[refs[0].start : refs[0].end]
    out: list[str] = []
    pos = 0
    for ref in refs:
        out.append(re.escape(base[pos : ref.start]))
        if ref.name in _PLATFORM_VALUES:
            out.append("(?:" + "|".join(re.escape(v) for v in _PLATFORM_VALUES[ref.name]) + ")")
        elif not bare:
            out.append(".+")  # a stage selector: any value the build-arg may be given
        elif defaults.get(ref.name) is not None:
            out.append(re.escape(defaults[ref.name] or ""))
        elif ref.modifier.startswith((":-", "-")):
            out.append(re.escape(ref.modifier.split("-", 1)[1]))
        else:
            return None
        pos = ref.end
    out.append(re.escape(base[pos:]))
    return re.compile("".join(out), re.IGNORECASE)


def ancestry(tree: Dockerfile, stage: Stage) -> list[Stage]:
    """``stage`` followed by every stage it is (transitively) built from, each once."""
    seen: dict[int, Stage] = {}
    todo = [stage]
    while todo:
        s = todo.pop(0)
        if s.index in seen:
            continue
        seen[s.index] = s
        todo.extend(parents(tree, s))
    return list(seen.values())


def descendants(tree: Dockerfile, stage: Stage) -> list[Stage]:
    """Stages built (transitively) from ``stage``, not including it."""
    out: list[Stage] = []
    for s in tree.stages:
        if s.index > stage.index and any(a.index == stage.index for a in ancestry(tree, s)[1:]):
            out.append(s)
    return out


def _global_defaults(tree: Dockerfile) -> dict[str, str | None]:
    values: dict[str, str | None] = {}
    for instr in tree.global_args:
        for kv in instr.pairs:
            values[kv.key] = kv.value
    return values


def _before(stage: Stage, before: Instruction | None) -> Iterable[Instruction]:
    for instr in stage.instructions:
        if before is not None and instr.index >= before.index:
            break
        yield instr


def env_keys(tree: Dockerfile, stage: Stage, before: Instruction | None = None) -> set[str]:
    """Names ``ENV`` sets in ``stage`` before ``before``, or in the stages it is built from."""
    keys: set[str] = set()
    for i, s in enumerate(ancestry(tree, stage)):
        for instr in _before(s, before if i == 0 else None):
            if instr.keyword == "ENV":
                keys.update(kv.key for kv in instr.pairs)
    return keys


def arg_in_scope(tree: Dockerfile, stage: Stage, name: str, before: Instruction | None) -> bool:
    """Is ``$name`` defined at ``before``?

    Yes when the tree says an ARG of that name is in scope, when an ``ENV``
    of the stage (before ``before``) or of a stage it is built from sets it,
    or when a stage it is built from declares ``ARG name``: BuildKit's
    ``dispatchArg`` adds every ARG that has a value (the automatic platform
    ARGs always have one) to the stage state's env (``d.state.AddEnv``), and a
    stage built FROM another starts from that state.
    """
    if name in stage.args_in_scope(before):
        return True
    if name in env_keys(tree, stage, before):
        return True
    return any(name in ancestor.declared_args for ancestor in ancestry(tree, stage)[1:])


def known_values(
    tree: Dockerfile, stage: Stage, before: Instruction | None
) -> dict[str, str | None]:
    """Values of variables at ``before`` as far as the file says (ARG defaults, ENV values).

    A name maps to ``None`` when it is declared without a value: the build
    passes it (and it is then part of the cache key) or it is empty.
    """
    values: dict[str, str | None] = {}
    globals_ = _global_defaults(tree)
    for s in reversed(ancestry(tree, stage)):
        last = s is stage
        for instr in _before(s, before if last else None):
            if instr.keyword == "ARG":
                for kv in instr.pairs:
                    if kv.value is not None:
                        values[kv.key] = resolve(kv.value, values)
                    elif kv.key in globals_:
                        values[kv.key] = globals_[kv.key]
                    else:
                        values.setdefault(kv.key, None)
            elif instr.keyword == "ENV":
                for kv in instr.pairs:
                    values[kv.key] = resolve(kv.value or "", values)
    return values


def resolve(text: str, values: dict[str, str | None]) -> str:
    """Substitute the variables whose value is known; keep the others as written.

    ``${X:-default}`` takes ``default`` when ``X`` has no known value.
    """
    out: list[str] = []
    pos = 0
    for ref in variable_refs(text):
        out.append(text[pos : ref.start])
        value = values.get(ref.name)
        if value is not None:
            out.append(value)
        elif ref.modifier.startswith((":-", "-")):
            out.append(ref.modifier.split("-", 1)[1])
        else:
            out.append(text[ref.start : ref.end])
        pos = ref.end
    out.append(text[pos:])
    return "".join(out)


def instruction_text(instr: Instruction) -> str:
    """What BuildKit expands or runs for ``instr``: flag values, arguments, heredoc bodies.

    Comment lines inside continuations are not part of it (BuildKit drops them).
    """
    parts = [f.value for f in instr.flags if f.value]
    parts.append(instr.args)
    parts.extend(h.body for h in instr.heredocs)
    return "\n".join(parts)


def platform_evidence(tree: Dockerfile, platforms: tuple[str, ...]) -> str | None:
    """Why the file counts as multi-platform, or ``None`` when nothing says it is.

    Either ``--platform``/config lists more than one platform, or the file
    references one of BuildKit's automatic platform ARGs (declares it, or
    uses ``$NAME``), anywhere, FROM lines included.
    """
    if len(set(platforms)) > 1:
        return f"--platform lists {len(set(platforms))} platforms"
    from patchkit.dockerfile.stages import PLATFORM_ARGS

    for instr in tree.instructions:
        if instr.keyword == "ARG":
            for kv in instr.pairs:
                if kv.key in PLATFORM_ARGS:
                    return f"it declares ARG {kv.key} at line {instr.start_line}"
        for ref in variable_refs(instruction_text(instr)):
            if ref.name in PLATFORM_ARGS:
                return f"it uses ${ref.name} at line {instr.start_line}"
    return None
