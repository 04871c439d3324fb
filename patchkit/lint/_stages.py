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

import bisect
import re
from collections import deque
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeVar

from patchkit.lint._text import variable_refs

if TYPE_CHECKING:
    from patchkit.dockerfile import Dockerfile, Instruction, Stage

_T = TypeVar("_T")

__all__ = [
    "ancestry",
    "arg_in_scope",
    "descendants",
    "env_keys",
    "inherited_args",
    "instruction_text",
    "known_values",
    "last_inherited",
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
    return list(_graph(tree).parents(stage))


def _find_parents(tree: Dockerfile, stage: Stage) -> tuple[Stage, ...]:
    base = stage.base or ""
    found = [stage.parent] if stage.parent is not None else []
    if "$" not in base:
        return tuple(found)
    pattern = _base_pattern(base, _global_defaults(tree))
    if pattern is None:
        return tuple(found)
    found += [s for s in _graph(tree).named_like(pattern, base, stage.index) if s not in found]
    return tuple(found)


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


class _Graph:
    """What the helpers here derive from a tree's stages, each worked out once per stage.

    Kept with the tree (``Dockerfile.memo``), which never changes. Per stage:
    its parents; whether its ancestry is a simple chain (each stage built from
    one parent, so what holds at its start is what held at its parent's end);
    the names its ancestors declare with ARG or set with ENV; the variable values
    at its start; the last place ``known_values`` was asked, to go on from there.
    """

    __slots__ = (
        "_ancestry",
        "_cursor",
        "_inherited_args",
        "_inherited_env",
        "_names",
        "_own_env",
        "_parents",
        "_simple",
        "_start_values",
        "tree",
    )

    def __init__(self, tree: Dockerfile) -> None:
        self.tree = tree
        n = len(tree.stages)
        self._parents: list[tuple[Stage, ...] | None] = [None] * n
        self._simple: list[bool | None] = [None] * n
        self._start_values: list[dict[str, str | None] | None] = [None] * n
        self._inherited_args: list[frozenset[str] | None] = [None] * n
        self._inherited_env: list[frozenset[str] | None] = [None] * n
        self._ancestry: dict[int, tuple[Stage, ...]] = {}
        self._cursor: dict[int, tuple[int, dict[str, str | None]]] = {}
        self._names: tuple[list[str], list[Stage]] | None = None
        self._own_env: dict[int, tuple[list[int], list[frozenset[str]]]] = {}

    def parents(self, stage: Stage) -> tuple[Stage, ...]:
        found = self._parents[stage.index]
        if found is None:
            found = self._parents[stage.index] = _find_parents(self.tree, stage)
        return found

    def named_like(self, pattern: re.Pattern[str], base: str, before: int) -> list[Stage]:
        """Stages earlier than ``before`` whose name ``pattern`` matches, in order.

        Only names that start with the base's text before its first variable
        can match: those are found by bisection in the sorted names.
        """
        if self._names is None:
            named = sorted(
                ((s.name.lower(), s.index, s) for s in self.tree.stages if s.name),
                key=lambda t: (t[0], t[1]),
            )
            self._names = ([t[0] for t in named], [t[2] for t in named])
        keys, stages = self._names
        prefix = base.split("$", 1)[0].lower()
        lo = bisect.bisect_left(keys, prefix)
        out: list[Stage] = []
        for i in range(lo, len(keys)):
            if not keys[i].startswith(prefix):
                break
            st = stages[i]
            if st.index < before and pattern.fullmatch(st.name or ""):
                out.append(st)
        out.sort(key=lambda st: st.index)
        return out

    def _order(self, stage: Stage, done: Callable[[Stage], bool]) -> list[Stage]:
        """``stage`` and its ancestors that are not ``done``, parents first.

        The walk stops at a stage that is done: asking every stage of a chain
        in order then touches each stage once.
        """
        todo: list[Stage] = []
        seen: set[int] = set()
        stack = [stage]
        while stack:
            s = stack.pop()
            if s.index in seen or done(s):
                continue
            seen.add(s.index)
            todo.append(s)
            stack.extend(self.parents(s))
        todo.sort(key=lambda s: s.index)  # a parent is always an earlier stage
        return todo

    def simple(self, stage: Stage) -> bool:
        """Is every stage of ``stage``'s ancestry built from one parent at most?"""
        table = self._simple
        if table[stage.index] is None:
            for s in self._order(stage, lambda s: table[s.index] is not None):
                ps = self.parents(s)
                table[s.index] = len(ps) == 0 or (len(ps) == 1 and bool(table[ps[0].index]))
        return bool(table[stage.index])

    def ancestry(self, stage: Stage) -> tuple[Stage, ...]:
        """``stage`` and every stage it is built from, breadth first (see ``ancestry``)."""
        if self.simple(stage):
            out = [stage]
            ps = self.parents(stage)
            while ps:
                out.append(ps[0])
                ps = self.parents(ps[0])
            return tuple(out)
        got = self._ancestry.get(stage.index)
        if got is None:
            seen: dict[int, Stage] = {}
            todo = deque([stage])
            while todo:
                s = todo.popleft()
                if s.index in seen:
                    continue
                seen[s.index] = s
                todo.extend(self.parents(s))
            got = self._ancestry[stage.index] = tuple(seen.values())
        return got

    def _inherited(
        self,
        stage: Stage,
        table: list[frozenset[str] | None],
        own: Callable[[Stage], Iterable[str]],
    ) -> frozenset[str]:
        """The union of ``own(a)`` over ``stage``'s ancestors ``a`` (not ``stage`` itself).

        A union does not depend on the order, so each stage's answer is its
        parents' answers and their own names, worked out parents first.
        """
        got = table[stage.index]
        if got is not None:
            return got
        for s in self._order(stage, lambda s: table[s.index] is not None):
            acc: frozenset[str] = frozenset()
            for p in self.parents(s):
                acc = _union(_union(acc, table[p.index] or frozenset()), own(p))
            table[s.index] = acc
        return table[stage.index] or frozenset()

    def inherited_args(self, stage: Stage) -> frozenset[str]:
        """Names declared by ARG in the stages ``stage`` is (transitively) built from."""
        return self._inherited(stage, self._inherited_args, lambda s: s._declared_args())

    def inherited_env(self, stage: Stage) -> frozenset[str]:
        """Names set by ENV in the stages ``stage`` is (transitively) built from."""
        return self._inherited(stage, self._inherited_env, lambda s: self.own_env(s, None))

    def start_values(self, stage: Stage) -> dict[str, str | None]:
        """``known_values`` at the stage's FROM: what its ancestors' ARGs and ENVs leave.

        For a simple chain that is the parent's end; otherwise the ancestors are
        walked in ``known_values``' order (farthest first). Not to be changed.
        """
        got = self._start_values[stage.index]
        if got is not None:
            return got
        globals_ = _global_defaults(self.tree)
        if self.simple(stage):
            chain = [stage]
            while self._start_values[chain[-1].index] is None and self.parents(chain[-1]):
                chain.append(self.parents(chain[-1])[0])
            values: dict[str, str | None] = dict(self._start_values[chain[-1].index] or {})
            if self._start_values[chain[-1].index] is None:
                self._start_values[chain[-1].index] = dict(values)
            for s in reversed(chain[:-1]):
                _walk(self.parents(s)[0].instructions, values, globals_)
                self._start_values[s.index] = dict(values)
        else:
            values = {}
            for s in reversed(self.ancestry(stage)[1:]):
                _walk(s.instructions, values, globals_)
            self._start_values[stage.index] = values
        return self._start_values[stage.index] or {}

    def known_values(self, stage: Stage, before: Instruction | None) -> dict[str, str | None]:
        """``known_values``: from the stage's start values, walking its instructions before
        ``before``, going on from the last question about the stage when it was earlier."""
        everything = self.tree.instructions
        first = stage.from_instruction.index + 1
        last = _stage_end(stage)
        stop = last if before is None else min(max(before.index, first), last)
        cursor = self._cursor.get(stage.index)
        if cursor is None or cursor[0] > stop:
            cursor = (first, dict(self.start_values(stage)))
        pos, values = cursor
        _walk(everything[pos:stop], values, _global_defaults(self.tree))
        self._cursor[stage.index] = (stop, values)
        return dict(values)

    def own_env(self, stage: Stage, before: Instruction | None) -> frozenset[str]:
        """Names ENV sets in ``stage`` before ``before`` (the whole stage when None)."""
        got = self._own_env.get(stage.index)
        if got is None:
            at: list[int] = []
            sets: list[frozenset[str]] = []
            acc: frozenset[str] = frozenset()
            for instr in stage.instructions:
                if instr.keyword == "ENV":
                    acc = _union(acc, [kv.key for kv in instr.pairs])
                    at.append(instr.index)
                    sets.append(acc)
            got = self._own_env[stage.index] = (at, sets)
        at, sets = got
        k = len(at) if before is None else bisect.bisect_left(at, before.index)
        return sets[k - 1] if k else frozenset()


def _stage_end(stage: Stage) -> int:
    """Index in ``tree.instructions`` after the stage's last instruction."""
    return len(stage.tree.instructions) if stage._end < 0 else stage._end


def _union(names: frozenset[str], more: Iterable[str]) -> frozenset[str]:
    """``names | more``: the same object when ``more`` adds nothing, so chains share sets."""
    more = more if isinstance(more, (set, frozenset)) else set(more)
    if not more or names.issuperset(more):
        return names
    return names.union(more)


def _graph(tree: Dockerfile) -> _Graph:
    return tree.memo("patchkit.lint._stages", _Graph)


def ancestry(tree: Dockerfile, stage: Stage) -> list[Stage]:
    """``stage`` followed by every stage it is (transitively) built from, each once."""
    return list(_graph(tree).ancestry(stage))


def descendants(tree: Dockerfile, stage: Stage) -> list[Stage]:
    """Stages built (transitively) from ``stage``, not including it."""
    graph = _graph(tree)
    below = {stage.index}
    out: list[Stage] = []
    for s in tree.stages[stage.index + 1 :]:
        if any(p.index in below for p in graph.parents(s)):
            below.add(s.index)
            out.append(s)
    return out


def last_inherited(
    tree: Dockerfile,
    stage: Stage,
    own_last: Callable[[Stage], _T | None],
    memo: dict[int, _T | None],
) -> _T | None:
    """The last non-None ``own_last(a)`` over the stages ``stage`` is built from, read in
    ``known_values``' order (farthest first), so the nearest stage that has one wins.

    ``memo`` keeps the answer per stage index for the caller's next question: a
    stage of a simple chain takes its parent's own answer, or else its parent's answer.
    """
    graph = _graph(tree)
    todo: list[Stage] = []
    s = stage
    while s.index not in memo:
        todo.append(s)
        ps = graph.parents(s)
        if not graph.simple(s) or not ps:
            break
        s = ps[0]
    for s in reversed(todo):
        ps = graph.parents(s)
        found: _T | None = None
        if graph.simple(s):
            if ps:
                found = own_last(ps[0])
                if found is None:
                    found = memo[ps[0].index]
        else:
            for a in reversed(graph.ancestry(s)[1:]):
                mine = own_last(a)
                if mine is not None:
                    found = mine
        memo[s.index] = found
    return memo[stage.index]


def _global_defaults(tree: Dockerfile) -> dict[str, str | None]:
    return tree._global_defaults()


def env_keys(tree: Dockerfile, stage: Stage, before: Instruction | None = None) -> set[str]:
    """Names ``ENV`` sets in ``stage`` before ``before``, or in the stages it is built from."""
    graph = _graph(tree)
    return set(graph.inherited_env(stage) | graph.own_env(stage, before))


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
    return name in inherited_args(tree, stage)


def inherited_args(tree: Dockerfile, stage: Stage) -> frozenset[str]:
    """Names declared by ``ARG`` in the stages ``stage`` is (transitively) built from."""
    return _graph(tree).inherited_args(stage)


def known_values(
    tree: Dockerfile, stage: Stage, before: Instruction | None
) -> dict[str, str | None]:
    """Values of variables at ``before`` as far as the file says (ARG defaults, ENV values).

    A name maps to ``None`` when it is declared without a value: the build
    passes it (and it is then part of the cache key) or it is empty. The
    stages ``stage`` is built from are read farthest first, then ``stage`` up
    to ``before``.
    """
    return _graph(tree).known_values(stage, before)


def _walk(
    instrs: Iterable[Instruction], values: dict[str, str | None], globals_: dict[str, str | None]
) -> None:
    """Apply the ARGs and ENVs of ``instrs`` to ``values``, in order."""
    for instr in instrs:
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
