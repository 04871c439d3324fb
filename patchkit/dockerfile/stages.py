"""Build stages: each ``FROM`` with its name, base, platform, instructions and ARG scope.

ARG scope follows BuildKit's ``dockerfile2llb`` (moby/buildkit
``frontend/dockerfile/dockerfile2llb/convert.go``):

- ARGs before the first FROM are *global*: usable in FROM lines (together with
  the automatic platform ARGs), but inside a stage only once re-declared there
  with ``ARG NAME``.
- Inside a stage an ARG is usable after its declaration.
- A stage built ``FROM`` an earlier stage inherits that stage's declarations:
  ``dispatchState.init`` copies the base's ``buildArgs`` (BuildKit >= v0.15,
  commit c7c2f0e9 "Initialize build args from stage base", 2024-06) and,
  in every version, the base's LLB state whose environment already holds the
  ARG values, so ``${NAME}`` expands in the child. The measurement in
  ``research/buildkit-local.md`` agrees: ``ARG TARGETARCH`` in the stage or in
  a parent stage it is built FROM makes ``id=deps-${TARGETARCH}`` per-arch.
- The automatic platform ARGs (``PLATFORM_ARGS``) are set for every build but,
  like global ARGs, are only visible in a stage that declares them.
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from patchkit.dockerfile.nodes import Dockerfile, Instruction

__all__ = ["PLATFORM_ARGS", "Stage", "expand_static"]

#: ARGs BuildKit defines for every build; a stage must declare them to use them.
PLATFORM_ARGS: frozenset[str] = frozenset(
    (
        "TARGETPLATFORM",
        "TARGETOS",
        "TARGETARCH",
        "TARGETVARIANT",
        "BUILDPLATFORM",
        "BUILDOS",
        "BUILDARCH",
        "BUILDVARIANT",
    )
)

_VAR = re.compile(
    r"\$(?:(?P<plain>[A-Za-z_][A-Za-z0-9_]*)"
    r"|\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-+])(?P<word>[^}]*))?\})"
)


def expand_static(word: str, env: dict[str, str | None]) -> str | None:
    """Expand ``$X``, ``${X}``, ``${X:-w}``, ``${X:+w}`` with known values; None if any is unknown.

    ``env`` maps a name to its default (None: declared without a default, so
    only ``--build-arg`` can set it, which makes the result unknown).
    """
    unknown = False

    def sub(m: re.Match[str]) -> str:
        nonlocal unknown
        name = m.group("plain") or m.group("name")
        op = m.group("op")
        if name in PLATFORM_ARGS or (name in env and env[name] is None):
            unknown = True  # set per build (platform) or by --build-arg only
            return ""
        is_set = name in env
        value = env.get(name) or ""
        word = m.group("word") or ""
        if op is None:
            return value
        if op == ":-":
            return value or word
        if op == "-":
            return value if is_set else word
        if op == ":+":
            return word if value else ""
        return word if is_set else ""

    if "$" not in word:
        return word
    out = _VAR.sub(sub, word)
    if unknown or "$" in out:
        return None
    return out


class Stage:
    """One build stage: the FROM instruction and the instructions after it.

    What a stage says about itself (name, base, declared ARGs, parent, the ARGs
    its ancestors declare) is read once and kept: the tree never changes (an
    edit makes a new text, parsed into a new tree), so nothing here goes stale,
    and asking every stage of a file costs time in proportion to the file.
    """

    __slots__ = (
        "_base",
        "_declared",
        "_end",
        "_inherited",
        "_name",
        "_parent",
        "_parent_done",
        "_steps",
        "from_instruction",
        "index",
        "tree",
    )

    PLATFORM_ARGS = PLATFORM_ARGS

    # Caches, unset until first read (see Instruction in nodes.py for why unset).
    _base: str
    _name: str | None
    _declared: tuple[str, ...]
    _inherited: frozenset[str]
    _steps: tuple[list[int], list[frozenset[str]]]

    def __init__(self, tree: Dockerfile, index: int, from_instruction: Instruction) -> None:
        self.tree = tree
        self.index = index
        self.from_instruction = from_instruction
        self._end = -1  # index in tree.instructions after the stage's last instruction
        self._parent: Stage | None = None
        self._parent_done = False

    def __repr__(self) -> str:
        name = f" {self.name!r}" if self.name else ""
        return f"<Stage {self.index}{name} FROM {self.base!r}>"

    @property
    def instructions(self) -> list[Instruction]:
        """The stage's instructions after its FROM, in order."""
        everything = self.tree.instructions
        end = len(everything) if self._end < 0 else self._end
        return everything[self.from_instruction.index + 1 : end]

    def _read_from(self) -> str:
        """Read base and name from the FROM line's values (once); return the base."""
        v = self.from_instruction._logical().values or []
        self._name = v[2] if len(v) == 3 and v[1].lower() == "as" else None
        self._base = base = v[0] if v else ""
        return base

    @property
    def name(self) -> str | None:
        """The ``AS name`` as written, or None."""
        if getattr(self, "_base", None) is None:
            self._read_from()
        return self._name

    @property
    def base(self) -> str:
        """The image or stage the stage starts from, as written (variables unexpanded)."""
        base = getattr(self, "_base", None)
        return base if base is not None else self._read_from()

    @property
    def platform(self) -> str | None:
        """The ``--platform`` value as written, or None."""
        f = self.from_instruction.flag("platform")
        return f.value if f is not None else None

    @property
    def parent(self) -> Stage | None:
        """The earlier stage ``base`` names (after expanding global ARG defaults), or None.

        None also when the base depends on a value only known at build time
        (``--build-arg`` or a platform ARG). When several earlier stages carry
        the name, the last of them.
        """
        if not self._parent_done:
            self._parent_done = True
            base = expand_static(self.base, self.tree._global_defaults())
            if base is not None:
                for st in reversed(self.tree._stages_named(base)):
                    if st.index < self.index:
                        self._parent = st
                        break
        return self._parent

    def _declared_args(self) -> tuple[str, ...]:
        declared = getattr(self, "_declared", None)
        if declared is None:
            seen: dict[str, None] = {}
            for ins in self.instructions:
                if ins.keyword == "ARG":
                    for kv in ins.pairs:
                        seen.setdefault(kv.key, None)
            declared = self._declared = tuple(seen)
        return declared

    @property
    def declared_args(self) -> list[str]:
        """Names declared by ``ARG`` in this stage, in order (duplicates kept once)."""
        return list(self._declared_args())

    def ancestors(self) -> list[Stage]:
        """``parent``, its parent, and so on."""
        out: list[Stage] = []
        seen: set[int] = {self.index}
        st = self.parent
        while st is not None and st.index not in seen:
            out.append(st)
            seen.add(st.index)
            st = st.parent
        return out

    def inherited_args(self) -> frozenset[str]:
        """Names the stage's ancestors declare with ``ARG`` (the ``parent`` chain).

        Worked out once per stage from its parent's answer, so asking it of
        every stage of a long chain costs time in proportion to the chain.
        """
        got: frozenset[str] | None = getattr(self, "_inherited", None)
        if got is not None:
            return got
        todo: list[Stage] = []
        st: Stage | None = self
        while st is not None and getattr(st, "_inherited", None) is None:
            todo.append(st)
            st = st.parent  # always an earlier stage: the walk ends
        acc: frozenset[str] = frozenset()
        if st is not None:
            acc = _union(st._inherited, st._declared_args())
        for s in reversed(todo):
            s._inherited = acc
            acc = _union(acc, s._declared_args())
        return self._inherited

    def args_in_scope(self, before: Instruction | None = None) -> set[str]:
        """ARG names usable at ``before`` (or at the end of the stage when None).

        For the stage's own FROM line: the global ARGs and the platform ARGs.
        Elsewhere: ARGs declared earlier in this stage plus every ARG declared
        in the parent chain. Raises ``ValueError`` when ``before`` is in another stage.
        """
        if before is self.from_instruction:
            return set(self.tree._global_defaults()) | PLATFORM_ARGS
        if before is not None and before.stage is not self:
            raise ValueError(f"{before!r} is not in stage {self.index}")
        names = set(self.inherited_args())
        if before is None:
            names.update(self._declared_args())
            return names
        at, sets = self._arg_steps()
        k = bisect.bisect_left(at, before.index)
        if k:
            names.update(sets[k - 1])
        return names

    def _arg_steps(self) -> tuple[list[int], list[frozenset[str]]]:
        """The index of each ARG instruction of the stage, and the names declared up to it.

        Read once, so asking the scope at every instruction of a long stage costs a
        bisection each, not a walk from the stage's start.
        """
        steps: tuple[list[int], list[frozenset[str]]] | None = getattr(self, "_steps", None)
        if steps is None:
            at: list[int] = []
            sets: list[frozenset[str]] = []
            acc: frozenset[str] = frozenset()
            for ins in self.instructions:
                if ins.keyword == "ARG":
                    acc = _union(acc, tuple(kv.key for kv in ins.pairs))
                    at.append(ins.index)
                    sets.append(acc)
            steps = self._steps = (at, sets)
        return steps


def _union(names: frozenset[str], more: tuple[str, ...]) -> frozenset[str]:
    """``names | more``, the same object when ``more`` adds nothing (chains share their sets)."""
    if not more or names.issuperset(more):
        return names
    return names.union(more)
