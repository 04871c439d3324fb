"""``cache-key-arg``: put a build input into a RUN's cache key by declaring an ARG before it.

What it does
    Inserts ``ARG NAME`` (``ARG NAME=default`` when ``default`` is given)
    directly before the anchor RUN: the first RUN whose arguments match the
    regular expression ``run`` (or the first RUN) in ``stage`` (or in the
    whole file). The build then passes the real input, for example
    ``--build-arg VLLM_COMMIT=$(git -C vllm rev-parse HEAD)`` or the upstream
    version: every RUN after a declared ARG sees it as an environment variable,
    so a new value is a cache miss for that RUN and every later step.

Why
    Measured on a real BuildKit (``research/buildkit-bind-cache.md``, about
    450 builds): an image goes stale only when the producing stage makes a
    different artifact under an *unchanged* cache key: inputs BuildKit leaves
    out of the key, such as secrets, the predefined proxy build-args
    (``HTTP_PROXY`` ...), ``--mount=type=cache`` contents (ccache, sccache,
    uv), network downloads. Declaring the real input as an ARG makes the key
    change when the artifact does; the checksum COPY of
    ``bind-mount-cache-key`` does not help there (it changed no outcome in any
    of the 50 configurations measured). Pass a value: an ARG that the build
    never sets is empty every time and keys nothing.

States
    ``applied``: ``ARG NAME`` (with this default) is declared after the
    previous RUN of the stage and before the anchor, where this transform
    puts it. ``upstream``: NAME is already in scope at the anchor by an
    earlier declaration (before the previous RUN, or in a stage it is built
    ``FROM``). ``pending``: not in scope. ``drifted``: the stage
    or the anchor RUN is gone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from patchkit.states import PatchState
from patchkit.transforms._common import (
    DRIFT_HINT,
    check_arg_default,
    compile_regex,
    find_stage,
    insert_lines,
    line_of,
    stage_label,
    stages_hint,
)
from patchkit.transforms.base import Analysis, Param, ParamError, Scaffold, Transform

if TYPE_CHECKING:
    from patchkit.dockerfile import Dockerfile, Instruction
    from patchkit.transforms._regex import UserRegex

__all__ = ["CacheKeyArg"]


@dataclass(frozen=True, slots=True)
class CacheKeyArg(Transform):
    name: str
    default: str | None
    stage: str | None
    run: UserRegex | None

    kind: ClassVar[str] = "cache-key-arg"
    summary: ClassVar[str] = "declare an ARG before a RUN so a build input enters its cache key"
    doc: ClassVar[str] = __doc__ or ""
    params: ClassVar[tuple[Param, ...]] = (
        Param("name", "str", "the ARG to declare, e.g. VLLM_COMMIT", required=True),
        Param("default", "str", "its default value (omit for none)"),
        Param("stage", "str", "the stage of the anchor RUN (default: any)"),
        Param(
            "run", "str", "regular expression the anchor RUN's arguments match (default: first RUN)"
        ),
    )
    scaffold: ClassVar[Scaffold] = Scaffold(
        params={"name": "VLLM_COMMIT", "stage": "build", "run": "setup.py bdist_wheel"},
        before=(
            "FROM python:3.12 AS build\n"
            "COPY . /src\n"
            "RUN --mount=type=cache,target=/root/.cache/ccache \\\n"
            "    cd /src && python3 setup.py bdist_wheel --dist-dir=/dist\n"
        ),
        after=(
            "FROM python:3.12 AS build\n"
            "COPY . /src\n"
            "ARG VLLM_COMMIT\n"
            "RUN --mount=type=cache,target=/root/.cache/ccache \\\n"
            "    cd /src && python3 setup.py bdist_wheel --dist-dir=/dist\n"
        ),
    )

    @classmethod
    def from_params(cls, params: Mapping[str, object]) -> CacheKeyArg:
        name = str(params["name"])
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise ParamError("name", f"expected a build-arg name, got {name!r}")
        default = params.get("default")
        check_arg_default(None if default is None else str(default), "default")
        stage = params.get("stage")
        run = params.get("run")
        if stage is None and run is None:
            raise ParamError("run", "give `stage`, `run` (a regex for the anchor RUN), or both")
        return cls(
            name,
            None if default is None else str(default),
            None if stage is None else str(stage),
            None if run is None else compile_regex(str(run), "run"),
        )

    def _describe(self) -> str:
        text = "RUN" + (f" matching /{self.run.pattern}/" if self.run else "")
        return text + (f" in stage {self.stage!r}" if self.stage else "")

    def analyze(self, tree: Dockerfile) -> Analysis:
        if self.stage is not None:
            stage = find_stage(tree, self.stage)
            if stage is None:
                return Analysis(
                    PatchState.DRIFTED,
                    f"no stage {self.stage!r}{stages_hint(tree)}; {DRIFT_HINT}",
                )
            pool = stage.instructions
        else:
            pool = tree.instructions
        anchor = next(
            (
                i
                for i in pool
                if i.keyword == "RUN" and (self.run is None or self.run.search(i.args))
            ),
            None,
        )
        if anchor is None or anchor.stage is None:
            return Analysis(PatchState.DRIFTED, f"no {self._describe()}; {DRIFT_HINT}")
        where = f"the RUN at {line_of(anchor)} in {stage_label(anchor.stage)}"
        block = _arg_block(tree, anchor)
        if self.name in block:
            block_value = block[self.name]
            if block_value == self.default:
                return Analysis(
                    PatchState.APPLIED, f"ARG {self.name} is declared right before {where}"
                )
            return Analysis(
                PatchState.UPSTREAM,
                f"ARG {self.name} is declared before {where} with default {block_value!r}",
            )
        if self.name in anchor.stage.args_in_scope(before=anchor):
            return Analysis(
                PatchState.UPSTREAM,
                f"ARG {self.name} is already in scope at {where} (upstream declares it)",
            )
        line = f"ARG {self.name}" + (f"={self.default}" if self.default is not None else "")
        return Analysis(
            PatchState.PENDING,
            f"declare {line!r} before {where}",
            (insert_lines(tree, anchor, [line], after=False),),
        )


def _arg_block(tree: Dockerfile, anchor: Instruction) -> dict[str, str | None]:
    """ARGs (with defaults) declared between the previous RUN (or FROM) of the stage and ``anchor``.

    That is where this transform puts its ARG; other patches may insert their
    own lines at the same point, so the ARG need not touch the anchor.
    """
    found: dict[str, str | None] = {}
    index = anchor.index - 1
    while index >= 0:
        instr = tree.instructions[index]
        if instr.keyword in ("RUN", "FROM") or instr.stage is not anchor.stage:
            break
        if instr.keyword == "ARG":
            for kv in instr.pairs:
                found.setdefault(kv.key, kv.value)
        index -= 1
    return found
