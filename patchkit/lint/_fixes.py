"""The fixes lint offers, each one a patchkit transform.

Every function here returns the ``Edit`` values of one transform applied at
one place; a rule's ``Fix.edits`` is a one-line call into this module. The
transforms of ``patchkit/transforms/`` are the single source of truth for what
a change looks like: a patch series and ``patchkit lint --fix`` write the same
bytes.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from patchkit.lint._stages import arg_in_scope

if TYPE_CHECKING:
    from patchkit.dockerfile import Dockerfile, Instruction, Mount, Stage
    from patchkit.dockerfile.edit import Edit

__all__ = [
    "bind_mount_cache_key",
    "cache_key_arg",
    "cache_mount_id",
    "declare_arg",
    "per_platform_id",
    "set_value",
]


_GENERIC = {"target", "build", "cache", "tmp", "out", "dist", "data", "lib"}


def per_platform_id(mount: Mount) -> str:
    """The id ``cache-mount-id`` gives a mount: its id or target's last part, plus ``-${TARGETARCH}``.

    ``/vllm-workspace/.deps`` -> ``deps-${TARGETARCH}``; ``id=uv`` -> ``uv-${TARGETARCH}``.
    """
    if mount.id:
        base = mount.id
    else:
        parts = [p for p in (mount.target or "cache").split("/") if p]
        base = parts[-1] if parts else "cache"
        if base.lower() in _GENERIC and len(parts) > 1:
            base = f"{parts[-2]}-{base}"  # /workspace/rust/target -> rust-target
    base = re.sub(r"[^A-Za-z0-9_.${}-]+", "-", base).strip(".-") or "cache"
    return f"{base}-${{TARGETARCH}}"


def declare_arg(tree: Dockerfile, stage: Stage, name: str) -> Edit:
    """``ARG name`` right after the stage's FROM (identical edits from several fixes merge)."""
    from patchkit.dockerfile.edit import insert_after

    return insert_after(tree, stage.from_instruction, f"ARG {name}")


def cache_mount_id(tree: Dockerfile, instr: Instruction, mount: Mount) -> list[Edit]:
    """Transform ``cache-mount-id``: a per-platform id, and ``ARG TARGETARCH`` when not in scope."""
    from patchkit.dockerfile.edit import set_mount_option

    edits = [set_mount_option(tree, mount, "id", per_platform_id(mount))]
    stage = instr.stage
    if stage is not None and not arg_in_scope(tree, stage, "TARGETARCH", instr):
        edits.append(declare_arg(tree, stage, "TARGETARCH"))
    return edits


def cache_key_arg(tree: Dockerfile, instr: Instruction, name: str) -> list[Edit]:
    """Transform ``cache-key-arg``: declare ``ARG name`` just before ``instr``."""
    from patchkit.dockerfile.edit import insert_before

    return [insert_before(tree, instr, f"ARG {name}")]


def bind_mount_cache_key(
    tree: Dockerfile, instr: Instruction, mount: Mount, producer: Stage
) -> list[Edit]:
    """Transform ``bind-mount-cache-key``: checksum the mounted files in the producer, COPY the sum.

    The producer's last instruction is followed by a RUN that writes the
    sha256 of every file under the mount's source; the consumer COPYs that one
    file just before ``instr``, so the checksum enters the consumer's key.
    """
    from patchkit.dockerfile.edit import insert_after, insert_before

    src = (mount.source or "/").rstrip("/") or "/"
    label = re.sub(r"[^A-Za-z0-9_.-]+", "-", producer.name or str(producer.index))
    sums = f"/tmp/patchkit-{label}.sha256"
    last = producer.instructions[-1] if producer.instructions else producer.from_instruction
    find_root = src if src != "/" else "/"
    produce = (
        f"RUN find {find_root} -xdev -type f -print0 | sort -z | xargs -0 sha256sum > {sums}"
    )
    consume = f"COPY --from={producer.name or producer.index} {sums} {sums}"
    return [insert_after(tree, last, produce), insert_before(tree, instr, consume)]


def set_value(tree: Dockerfile, instr: Instruction, key: str, value: str) -> list[Edit]:
    """Replace the value of ``key`` in an ENV/ARG instruction (quoting kept or added)."""
    from patchkit.dockerfile.edit import set_value as _set_value

    return [_set_value(tree, instr, key, value)]
