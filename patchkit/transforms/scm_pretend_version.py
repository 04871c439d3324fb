"""``scm-pretend-version``: make the build read the generic ``SETUPTOOLS_SCM_PRETEND_VERSION``.

What it does
    Two modes.

    *Rename* (no ``arg``): every ``SETUPTOOLS_SCM_PRETEND_VERSION_FOR_<DIST>``
    (only ``<DIST>`` = ``dist`` when given, normalised as setuptools-scm does:
    upper case, ``-``/``.`` -> ``_``) in ENV and ARG keys and in RUN
    instructions (inline assignments, ``export``, references) becomes
    ``SETUPTOOLS_SCM_PRETEND_VERSION``.

    *Inject* (``arg: NAME``): adds ``ARG NAME`` (``=default`` when given) and
    ``ENV SETUPTOOLS_SCM_PRETEND_VERSION=${NAME}`` right after the ``FROM``
    of ``stage`` (default: the file's first stage, which every stage built
    ``FROM`` it inherits). This is what vLLM's CPU build needs: upstream sets
    no pretend variable there, and a build from a tree without ``.git`` (or
    with a shallow one) cannot find its version. The ENV changes the cache
    key of every later step of that stage and its descendants, so prefer the
    stage that builds the wheel over the first stage.

Why
    A dist-named ``SETUPTOOLS_SCM_PRETEND_VERSION_FOR_VLLM`` is read only when
    setuptools-scm knows the distribution name; vLLM's ``setup.py`` calls
    ``setuptools_scm.get_version()`` without ``dist_name``, so no
    setuptools-scm release reads the named variable and the build dies with
    "unable to detect version". The generic variable is always read
    (``research/setuptools-scm.md``; ``patchkit scm`` checks a given tree).

States
    Rename: ``pending`` while a ``_FOR_<DIST>`` name is left; ``upstream``
    when none is left and the file already uses the generic name (ENV, ARG,
    inline RUN assignment or ``export``: the forms upstream vLLM uses). A
    file the rename already ran on looks the same, so it reports
    ``upstream`` too. ``drifted`` when neither name appears.
    Inject: ``applied`` when the stage (or a stage it is built ``FROM``)
    has ``ARG NAME`` and ``ENV SETUPTOOLS_SCM_PRETEND_VERSION=${NAME}``;
    ``upstream`` when that chain already sets the generic variable some other
    way; ``drifted`` when the stage is gone.
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
    find_stage,
    insert_lines,
    line_of,
    stage_label,
    stages_hint,
)
from patchkit.transforms.base import Analysis, Param, ParamError, Scaffold, Transform

if TYPE_CHECKING:
    from patchkit.dockerfile import Dockerfile, Instruction, KeyValue, Stage
    from patchkit.dockerfile.edit import Edit

__all__ = ["ScmPretendVersion"]

GENERIC = "SETUPTOOLS_SCM_PRETEND_VERSION"
_NAMED = re.compile(r"\bSETUPTOOLS_SCM_PRETEND_VERSION_FOR_([A-Za-z0-9_]+)\b")
# the generic name as a key: ENV/ARG key, inline `NAME=` before a command, `export NAME=`
_GENERIC_SET = re.compile(r"(?<![A-Za-z0-9_])SETUPTOOLS_SCM_PRETEND_VERSION=")
_KEYWORDS = ("ENV", "ARG", "RUN")


@dataclass(frozen=True, slots=True)
class ScmPretendVersion(Transform):
    dist: str | None
    arg: str | None
    stage: str | None
    default: str | None

    kind: ClassVar[str] = "scm-pretend-version"
    summary: ClassVar[str] = "make the build read the generic SETUPTOOLS_SCM_PRETEND_VERSION"
    doc: ClassVar[str] = __doc__ or ""
    params: ClassVar[tuple[Param, ...]] = (
        Param("dist", "str", "rename mode: only SETUPTOOLS_SCM_PRETEND_VERSION_FOR_<dist>"),
        Param("arg", "str", "inject mode: the build ARG carrying the version, e.g. VLLM_VERSION"),
        Param("stage", "str", "inject mode: the stage to set it in (default: the first stage)"),
        Param("default", "str", "inject mode: a default value for the ARG"),
    )
    scaffold: ClassVar[Scaffold] = Scaffold(
        params={"arg": "VLLM_VERSION", "stage": "build"},
        before=("FROM python:3.12 AS build\nCOPY . /src\nRUN pip wheel /src -w /dist\n"),
        after=(
            "FROM python:3.12 AS build\n"
            "ARG VLLM_VERSION\n"
            "ENV SETUPTOOLS_SCM_PRETEND_VERSION=${VLLM_VERSION}\n"
            "COPY . /src\n"
            "RUN pip wheel /src -w /dist\n"
        ),
    )

    @classmethod
    def from_params(cls, params: Mapping[str, object]) -> ScmPretendVersion:
        def get(name: str) -> str | None:
            value = params.get(name)
            return None if value is None else str(value)

        dist, arg, stage, default = get("dist"), get("arg"), get("stage"), get("default")
        if arg is None:
            for name, value in (("stage", stage), ("default", default)):
                if value is not None:
                    raise ParamError(name, "only applies in inject mode: also give `arg`")
        else:
            if dist is not None:
                raise ParamError("dist", "only applies in rename mode (without `arg`)")
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", arg):
                raise ParamError("arg", f"expected a build-arg name, got {arg!r}")
            check_arg_default(default, "default")
        if dist is not None:
            dist = re.sub(r"[-.]+", "_", dist).upper()
        return cls(dist, arg, stage, default)

    def analyze(self, tree: Dockerfile) -> Analysis:
        return self._inject(tree) if self.arg else self._rename(tree)

    # -- rename ---------------------------------------------------------------

    def _rename(self, tree: Dockerfile) -> Analysis:
        from patchkit.dockerfile.edit import Edit

        edits: list[Edit] = []
        where: list[str] = []
        generic: list[str] = []
        for instr in tree.instructions:
            if instr.keyword not in _KEYWORDS:
                continue
            raw = instr.raw
            hits = [m for m in _NAMED.finditer(raw) if self.dist is None or m.group(1) == self.dist]
            for m in hits:
                # keep the text after the name: only the `_FOR_<DIST>` suffix goes
                start = instr.start + m.start() + len(GENERIC)
                edits.append(Edit(start, instr.start + m.end(), ""))
            if hits:
                where.append(f"{line_of(instr)} ({instr.keyword})")
            elif _GENERIC_SET.search(raw) or any(kv.key == GENERIC for kv in _pairs(instr)):
                generic.append(line_of(instr))
        if edits:
            names = sorted({m.group(0) for i in tree.instructions for m in _NAMED.finditer(i.raw)})
            return Analysis(
                PatchState.PENDING,
                f"rename {', '.join(names)} to {GENERIC} at {', '.join(where)}",
                tuple(edits),
            )
        if generic:
            return Analysis(
                PatchState.UPSTREAM,
                f"no dist-named pretend variable left; the file sets the generic {GENERIC} "
                f"({', '.join(generic)})",
            )
        named = f"{GENERIC}_FOR_{self.dist}" if self.dist else f"{GENERIC}_FOR_*"
        return Analysis(
            PatchState.DRIFTED, f"neither {named} nor {GENERIC} in ENV/ARG/RUN; {DRIFT_HINT}"
        )

    # -- inject ---------------------------------------------------------------

    def _inject(self, tree: Dockerfile) -> Analysis:
        assert self.arg is not None
        if self.stage is None:
            stage = tree.stages[0] if tree.stages else None
            if stage is None:
                return Analysis(
                    PatchState.DRIFTED, f"the file has no stage (no FROM); {DRIFT_HINT}"
                )
        else:
            stage = find_stage(tree, self.stage)
            if stage is None:
                return Analysis(
                    PatchState.DRIFTED,
                    f"no stage {self.stage!r}{stages_hint(tree)}; {DRIFT_HINT}",
                )
        chain = _chain(stage)
        arg_line = f"ARG {self.arg}" + (f"={self.default}" if self.default is not None else "")
        env_line = f"ENV {GENERIC}=${{{self.arg}}}"
        has_arg = has_env = False
        other: Instruction | None = None
        for st in chain:
            for instr in st.instructions:
                if instr.keyword == "ARG" and any(
                    kv.key == self.arg and kv.value == self.default for kv in _pairs(instr)
                ):
                    has_arg = True
                elif instr.keyword == "ENV" and any(kv.key == GENERIC for kv in _pairs(instr)):
                    values = [kv.value for kv in _pairs(instr) if kv.key == GENERIC]
                    if values and values[-1] in (f"${{{self.arg}}}", f"${self.arg}"):
                        has_env = True
                    elif other is None:
                        other = instr
                elif (
                    instr.keyword == "RUN"
                    # an inline `VAR=value cmd` or `export` lasts one RUN: a parent
                    # stage's never reaches this one (vLLM's rust-build-cache does that)
                    and st is stage
                    and other is None
                    and _GENERIC_SET.search(instr.raw)
                ):
                    other = instr
        label = stage_label(stage)
        if has_arg and has_env:
            return Analysis(PatchState.APPLIED, f"{label} sets {GENERIC} from ARG {self.arg}")
        if other is not None:
            return Analysis(
                PatchState.UPSTREAM,
                f"{label} already sets {GENERIC} ({line_of(other)}: {other.keyword}); "
                "review whether the patch is still needed",
            )
        lines = [line for line, done in ((arg_line, has_arg), (env_line, has_env)) if not done]
        edit = insert_lines(tree, stage.from_instruction, lines, after=True)
        return Analysis(
            PatchState.PENDING,
            f"add {' and '.join(repr(x) for x in lines)} after the FROM of {label}",
            (edit,),
        )


def _pairs(instr: Instruction) -> list[KeyValue]:
    return list(instr.pairs) if instr.keyword in ("ENV", "ARG", "LABEL") else []


def _chain(stage: Stage) -> list[Stage]:
    """The stage and the stages it is built FROM, nearest first."""
    out = [stage]
    while out[-1].parent is not None and out[-1].parent not in out:
        out.append(out[-1].parent)
    return out
