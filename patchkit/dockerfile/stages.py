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
    """One build stage: the FROM instruction and the instructions after it."""

    __slots__ = ("_end", "_parent", "_parent_done", "from_instruction", "index", "tree")

    PLATFORM_ARGS = PLATFORM_ARGS

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

    @property
    def name(self) -> str | None:
        """The ``AS name`` as written, or None."""
        v = self.from_instruction.values
        if len(v) == 3 and v[1].lower() == "as":
            return v[2]
        return None

    @property
    def base(self) -> str:
        """The image or stage the stage starts from, as written (variables unexpanded)."""
        v = self.from_instruction.values
        return v[0] if v else ""

    @property
    def platform(self) -> str | None:
        """The ``--platform`` value as written, or None."""
        f = self.from_instruction.flag("platform")
        return f.value if f is not None else None

    @property
    def parent(self) -> Stage | None:
        """The earlier stage ``base`` names (after expanding global ARG defaults), or None.

        None also when the base depends on a value only known at build time
        (``--build-arg`` or a platform ARG).
        """
        if not self._parent_done:
            self._parent_done = True
            base = expand_static(self.base, self._global_env())
            if base is not None:
                want = base.lower()
                for st in self.tree.stages[: self.index]:
                    if st.name is not None and st.name.lower() == want:
                        self._parent = st
        return self._parent

    def _global_env(self) -> dict[str, str | None]:
        env: dict[str, str | None] = {}
        for ins in self.tree.global_args:
            for kv in ins.pairs:
                env[kv.key] = kv.value
        return env

    @property
    def declared_args(self) -> list[str]:
        """Names declared by ``ARG`` in this stage, in order (duplicates kept once)."""
        seen: dict[str, None] = {}
        for ins in self.instructions:
            if ins.keyword == "ARG":
                for kv in ins.pairs:
                    seen.setdefault(kv.key, None)
        return list(seen)

    def ancestors(self) -> list[Stage]:
        """``parent``, its parent, and so on."""
        out: list[Stage] = []
        st = self.parent
        while st is not None and st not in out:
            out.append(st)
            st = st.parent
        return out

    def args_in_scope(self, before: Instruction | None = None) -> set[str]:
        """ARG names usable at ``before`` (or at the end of the stage when None).

        For the stage's own FROM line: the global ARGs and the platform ARGs.
        Elsewhere: ARGs declared earlier in this stage plus every ARG declared
        in the parent chain. Raises ``ValueError`` when ``before`` is in another stage.
        """
        if before is self.from_instruction:
            global_names = {kv.key for ins in self.tree.global_args for kv in ins.pairs}
            return global_names | PLATFORM_ARGS
        if before is not None and before.stage is not self:
            raise ValueError(f"{before!r} is not in stage {self.index}")
        names: set[str] = set()
        for st in self.ancestors():
            names.update(st.declared_args)
        for ins in self.instructions:
            if before is not None and ins.index >= before.index:
                break
            if ins.keyword == "ARG":
                names.update(kv.key for kv in ins.pairs)
        return names
