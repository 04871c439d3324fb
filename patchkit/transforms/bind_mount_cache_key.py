"""``bind-mount-cache-key``: a checksum COPY before a RUN that installs from a stage bind mount.

What it does
    For every ``RUN --mount=type=bind,from=<from>,...`` (optionally only with
    ``source=<source>``, only in ``stages``), it adds

    - in the producing stage ``<from>``, after its last instruction:
      ``RUN sha256sum <source>/<artifacts> > <source>/<checksum>``;
    - right before each such RUN:
      ``COPY --from=<from> <source>/<checksum> <copy-to>``,

    which is vLLM's own pattern since PR #44795 (CUDA Dockerfile): the wheel
    stays bind-mounted and out of the image, only its checksum enters a layer.

What the research measured (read before using it)
    On BuildKit this changes **nothing**. BuildKit keys a read-only bind
    mount by its content, like a COPY (``solver/llbsolver/ops/exec.go``:
    ``getMountDeps`` sets ``ContentBasedHash`` for read-only mounts), and
    ``COPY --from`` is matched exactly like the mount. On a real BuildKit
    (``research/buildkit-bind-cache.md``: Docker 26.1.5 / BuildKit 0.13 and
    Docker 20.10 / BuildKit 0.8; persistent builders, ``mode=max``/``min``
    local cache, inline cache; about 450 builds), the RUN with and without
    the checksum COPY gave the same cache hit or miss and the same content in
    all 50 configurations. A stale image there comes from a producing stage
    that makes a new artifact under an unchanged cache key; fix that with
    ``cache-key-arg``. The checksum COPY does help on builders that leave
    stage bind mounts out of the cache key, such as buildah before its May
    2026 fix.

States
    ``applied``: every matching RUN is preceded (in its stage) by this
    patch's COPY, and the producer writes the checksum. ``upstream``: every
    matching RUN is already covered by a ``COPY --from=<from>`` of a
    ``*.sha256`` file from the mount's source folder (upstream's own; vLLM's
    CUDA file from v0.24.0). ``pending``: some RUN is not covered.
    ``drifted``: no such RUN, or ``<from>`` is not a stage of the file.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from patchkit.states import PatchState
from patchkit.transforms._common import (
    DRIFT_HINT,
    find_stage,
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

__all__ = ["BindMountCacheKey"]

_SAFE_PATH = re.compile(r"[A-Za-z0-9_./*?\[\]{}$+@%-]+\Z")


def _abs(path: str) -> str:
    return posixpath.normpath("/" + path.lstrip("/"))


@dataclass(frozen=True, slots=True)
class BindMountCacheKey(Transform):
    from_: str
    source: str | None
    artifacts: str
    checksum: str
    copy_to: str
    stages: tuple[str, ...]

    kind: ClassVar[str] = "bind-mount-cache-key"
    summary: ClassVar[str] = "checksum COPY before a RUN that installs from a stage bind mount"
    doc: ClassVar[str] = __doc__ or ""
    params: ClassVar[tuple[Param, ...]] = (
        Param("from", "str", "the producing stage named by the mount's from=", required=True),
        Param("source", "str", "only mounts with this source folder (default: any)"),
        Param("artifacts", "str", "glob of the artifacts in the source folder", default="*.whl"),
        Param(
            "checksum",
            "str",
            "checksum file written into the source folder",
            default="wheel.sha256",
        ),
        Param(
            "copy-to",
            "str",
            "where the consumer COPYs the checksum",
            default="/tmp/{from}-{checksum}",
        ),
        Param("stages", "strs", "only RUNs in these consumer stages (default: all)"),
    )
    scaffold: ClassVar[Scaffold] = Scaffold(
        params={"from": "build", "source": "/dist"},
        before=(
            "FROM python:3.12 AS build\n"
            "RUN pip wheel . -w /dist\n"
            "\n"
            "FROM python:3.12 AS final\n"
            "RUN --mount=type=bind,from=build,source=/dist,target=/dist \\\n"
            "    pip install /dist/*.whl\n"
        ),
        after=(
            "FROM python:3.12 AS build\n"
            "RUN pip wheel . -w /dist\n"
            "RUN sha256sum /dist/*.whl > /dist/wheel.sha256\n"
            "\n"
            "FROM python:3.12 AS final\n"
            "COPY --from=build /dist/wheel.sha256 /tmp/build-wheel.sha256\n"
            "RUN --mount=type=bind,from=build,source=/dist,target=/dist \\\n"
            "    pip install /dist/*.whl\n"
        ),
    )

    @classmethod
    def from_params(cls, params: Mapping[str, object]) -> BindMountCacheKey:
        from_ = str(params["from"])
        source = params.get("source")
        artifacts = str(params.get("artifacts") or "*.whl")
        checksum = str(params.get("checksum") or "wheel.sha256")
        copy_to = str(params.get("copy-to") or "/tmp/{from}-{checksum}")
        for name, value in (("artifacts", artifacts), ("checksum", checksum)):
            if "/" in value or not _SAFE_PATH.match(value):
                raise ParamError(
                    name, f"expected a file name (or glob) without '/' or spaces, got {value!r}"
                )
        if not checksum.endswith(".sha256"):
            raise ParamError("checksum", f"expected a name ending in .sha256, got {checksum!r}")
        copy_to = copy_to.replace("{from}", from_).replace("{checksum}", checksum)
        if not _SAFE_PATH.match(copy_to):
            raise ParamError(
                "copy-to", f"expected a path without spaces or quotes, got {copy_to!r}"
            )
        return cls(
            from_,
            None if source is None else _abs(str(source)),
            artifacts,
            checksum,
            copy_to,
            strings(params, "stages"),
        )

    def _matches(self, mount: Mount) -> bool:
        if (mount.type or "bind").lower() != "bind" or mount.from_ is None:
            return False
        if mount.from_.lower() != self.from_.lower():
            return False
        return self.source is None or _abs(mount.source or "/") == self.source

    def analyze(self, tree: Dockerfile) -> Analysis:
        producer = find_stage(tree, self.from_)
        if producer is None:
            return Analysis(
                PatchState.DRIFTED,
                f"from={self.from_} is not a stage of this file (an image cannot get a "
                f"checksum step); {DRIFT_HINT}",
            )
        if self.stages:
            pool, missing = find_stages(tree, self.stages)
            if missing:
                return Analysis(
                    PatchState.DRIFTED,
                    f"no stage {', '.join(map(repr, missing))}{stages_hint(tree)}; {DRIFT_HINT}",
                )
        else:
            pool = list(tree.stages)
        runs: list[tuple[Stage, Instruction, str]] = []
        for stage in pool:
            for instr in stage.instructions:
                if instr.keyword != "RUN":
                    continue
                mount = next((m for m in instr.mounts if self._matches(m)), None)
                if mount is not None:
                    runs.append((stage, instr, _abs(mount.source or "/")))
        if not runs:
            src = f",source={self.source}" if self.source else ""
            return Analysis(
                PatchState.DRIFTED, f"no RUN --mount=type=bind,from={self.from_}{src}; {DRIFT_HINT}"
            )

        edits: list[Edit] = []
        pending: list[str] = []
        ours = theirs = 0
        sources: dict[str, None] = {}
        for stage, instr, source in runs:
            ours_line = self._copy_line(source)
            copies = [
                i
                for i in stage.instructions
                if i.keyword == "COPY"
                and i.index < instr.index
                and _copies_checksum(i, self.from_, source)
            ]
            if any(_same(i.raw, ours_line) for i in copies):
                ours += 1
                sources[source] = None
            elif copies:
                theirs += 1
            elif not _SAFE_PATH.match(source):
                # a quote or blank in upstream's source (found by fuzzing: an unterminated
                # quote in the mount) would not survive in the lines written: report it
                return Analysis(
                    PatchState.DRIFTED,
                    f"the bind mount at {line_of(instr)} has source {source!r}, with blanks, "
                    "quotes or escapes that the checksum COPY could not name plainly; fix "
                    "the upstream file, or give the patch a plain `source`",
                )
            else:
                edits.append(insert_lines(tree, instr, [ours_line], after=False))
                pending.append(line_of(instr))
                sources[source] = None
        hashing: list[str] = []
        for source in sources:
            if not self._producer_writes(producer, source):
                last = (
                    producer.instructions[-1]
                    if producer.instructions
                    else producer.from_instruction
                )
                edits.append(insert_lines(tree, last, [self._hash_line(source)], after=True))
                hashing.append(f"a checksum step at the end of {stage_label(producer)}")
        if edits:
            parts = []
            if pending:
                parts.append("a checksum COPY before the RUN at " + " and ".join(pending))
            return Analysis(
                PatchState.PENDING, "add " + ", and ".join(parts + hashing), tuple(edits)
            )
        if theirs and not ours:
            return Analysis(
                PatchState.UPSTREAM,
                f"every RUN installing from {self.from_} already follows upstream's own checksum "
                "COPY; the patch can be retired",
            )
        return Analysis(
            PatchState.APPLIED,
            f"{ours} RUN(s) installing from {self.from_} follow the checksum COPY",
        )

    def _copy_line(self, source: str) -> str:
        return f"COPY --from={self.from_} {posixpath.join(source, self.checksum)} {self.copy_to}"

    def _hash_line(self, source: str) -> str:
        return (
            f"RUN sha256sum {posixpath.join(source, self.artifacts)} > "
            f"{posixpath.join(source, self.checksum)}"
        )

    def _producer_writes(self, producer: Stage, source: str) -> bool:
        target = posixpath.join(source, self.checksum)
        return any(
            i.keyword == "RUN" and "sha256sum" in i.args and target in i.args
            for i in producer.instructions
        )


def _same(raw: str, line: str) -> bool:
    return " ".join(raw.split()) == " ".join(line.split())


def _copies_checksum(instr: Instruction, from_: str, source: str) -> bool:
    """A ``COPY --from=<from_>`` of a ``*.sha256`` file inside ``source``."""
    flag = instr.flag("from")
    if flag is None or (flag.value or "").lower() != from_.lower():
        return False
    paths = instr.exec_form if instr.exec_form is not None else instr.args.split()
    sources = paths[:-1]
    return any(p.endswith(".sha256") and posixpath.dirname(_abs(p)) == source for p in sources)
