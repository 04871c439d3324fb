"""The fixes lint offers: each one is a patchkit transform, applied at one place.

A rule's ``Fix.edits`` calls one function here, and each function builds the
transform a patch file would use (same kind, same parameters) and returns its
edits: a patch series and ``patchkit lint --fix`` write the same bytes. When a
transform finds nothing to do at that place (state ``applied``/``upstream``/
``drifted``) the fix has no edits and is not applied.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from patchkit.dockerfile import Dockerfile, Instruction, Mount, Stage
    from patchkit.dockerfile.edit import Edit

__all__ = [
    "bind_mount_cache_key",
    "cache_key_arg",
    "cache_mount_id",
    "declare_arg",
    "id_needs_quoting",
    "id_template",
    "per_platform_id",
    "rename_pretend",
    "replace_value",
]


def _run(kind: str, params: Mapping[str, object], tree: Dockerfile) -> list[Edit]:
    from patchkit.transforms import get
    from patchkit.transforms.base import ParamError

    transform = get(kind)
    if transform is None:  # pragma: no cover - the kinds below are all registered
        raise LookupError(kind)
    try:
        made = transform.from_params(params)
    except ParamError:
        # the place cannot be said in a patch file's terms (a stage name or keyword the
        # transform refuses): the finding stands, without a fix
        return []
    return made.edits(tree)


def stage_ref(stage: Stage) -> str:
    """How transforms name a stage: its name, or its 0-based index when it has none."""
    return stage.name or str(stage.index)


def id_template(tree: Dockerfile, mounts: Sequence[Mount]) -> str:
    """``{name}-${TARGETARCH}`` (``.deps`` -> ``deps-amd64``) unless two cache mounts of the
    file share a last path part; then ``{target}-${TARGETARCH}``, BuildKit's own default id
    (the target) plus the architecture, so different caches never merge."""
    names: dict[str, set[str]] = {}
    for instr in tree.instructions:
        for m in instr.mounts:
            if (m.type or "").lower() == "cache" and m.target:
                target = m.target.rstrip("/")
                names.setdefault(target.rsplit("/", 1)[-1].lstrip(".") or "cache", set()).add(
                    target
                )
    wanted = {
        (m.target or "").rstrip("/").rsplit("/", 1)[-1].lstrip(".") or "cache" for m in mounts
    }
    if any(len(names.get(n, ())) > 1 for n in wanted):
        return "{target}-${TARGETARCH}"
    return "{name}-${TARGETARCH}"


def id_needs_quoting(value: str) -> bool:
    """Whether ``cache-mount-id`` would refuse to write ``value`` (it needs quoting)."""
    from patchkit.transforms.cache_mount_id import id_needs_quoting as needs_quoting

    return needs_quoting(value)


def per_platform_id(mount: Mount, template: str = "{name}-${TARGETARCH}") -> str:
    """The id ``cache-mount-id`` writes for ``mount`` with ``template`` (for messages)."""
    target = (mount.target or "").rstrip("/") or "/"
    name = target.rsplit("/", 1)[-1].lstrip(".") or "cache"
    return template.replace("{target}", target).replace("{name}", name)


def cache_mount_id(
    tree: Dockerfile, stages: Sequence[Stage], mounts: Sequence[Mount]
) -> list[Edit]:
    """Transform ``cache-mount-id`` over flagged cache mounts (their targets, in ``stages``).

    Every violation of a group gets the same transform, so its edits are
    identical and merge, and the ``ARG TARGETARCH`` it declares is one line.
    """
    targets = sorted({m.target for m in mounts if m.target})
    if not targets or not stages:
        return []
    params = {
        "target": targets,
        "stages": [stage_ref(s) for s in stages],
        "id": id_template(tree, mounts),
    }
    return _run("cache-mount-id", params, tree)


def cache_key_arg(tree: Dockerfile, anchor: Instruction, name: str) -> list[Edit]:
    """Transform ``cache-key-arg``: declare ``ARG name`` just before the anchor RUN."""
    if anchor.stage is None:
        return []
    params = {
        "name": name,
        "stage": stage_ref(anchor.stage),
        "run": "^" + re.escape(anchor.args) + "$",
    }
    return _run("cache-key-arg", params, tree)


def bind_mount_cache_key(tree: Dockerfile, instr: Instruction, mount: Mount) -> list[Edit]:
    """Transform ``bind-mount-cache-key`` for one consuming RUN's bind mount.

    The artefacts checksummed are ``*.whl`` when the RUN installs wheels,
    else every file directly in the mount's source folder.
    """
    if instr.stage is None or mount.from_ is None:
        return []
    params = {
        "from": mount.from_,
        "source": mount.source or "/",
        "artifacts": "*.whl" if ".whl" in instr.args else "*",
        "stages": [stage_ref(instr.stage)],
    }
    return _run("bind-mount-cache-key", params, tree)


def declare_arg(tree: Dockerfile, instr: Instruction, name: str) -> list[Edit]:
    """Transform ``insert``: ``ARG name`` right before ``instr`` (the first use in its stage).

    The anchor is the first instruction of the stage with ``instr``'s keyword
    and exactly its arguments, so the ARG lands at or before the use.
    """
    if instr.stage is None:
        return []
    params = {
        "anchor": {
            "keyword": instr.keyword,
            "pattern": r"\A" + re.escape(instr.args) + r"\Z",
            "stage": stage_ref(instr.stage),
        },
        "text": f"ARG {name}",
        "position": "before",
    }
    return _run("insert", params, tree)


_NAMED = re.compile(r"^SETUPTOOLS_SCM_PRETEND_VERSION_FOR_([A-Za-z0-9_]+)$")


def rename_pretend(tree: Dockerfile, name: str) -> list[Edit]:
    """Transform ``scm-pretend-version`` (rename mode) for ``…_PRETEND_VERSION_FOR_<DIST>``."""
    m = _NAMED.match(name)
    if m is None:
        return []
    return _run("scm-pretend-version", {"dist": m.group(1)}, tree)


def replace_value(
    tree: Dockerfile, instr: Instruction, name: str, old: str, new: str
) -> list[Edit]:
    """Transform ``replace``: in this instruction, ``name=old`` (or ``name old``) -> ``new``."""
    if instr.stage is None:
        return []
    head = re.escape(name) + r"(\s*=\s*|\s+)(['\"]?)"
    params = {
        "anchor": {
            "keyword": instr.keyword,
            "pattern": head + re.escape(old) + r"\2",
            "stage": stage_ref(instr.stage),
        },
        "find": "(?<![A-Za-z0-9_])" + head + re.escape(old) + r"(?=\2)",
        "with": name + r"\g<1>\g<2>" + new.replace("\\", "\\\\"),
    }
    return _run("replace", params, tree)
