"""Transform kinds: one module each, registered in one literal tuple.

Each kind implements :class:`patchkit.transforms.base.Transform`: it is built
from a patch file's ``transform:`` mapping, reports the state of a parsed
Dockerfile (pending / applied / upstream / drifted) and produces the span
edits that apply it. A new kind lands with its module, an entry here, its
fixtures under ``tests/transforms/fixtures/<kind>/`` and its entry in
docs/guides/authoring.md.
"""

from __future__ import annotations

from patchkit.transforms.base import Transform
from patchkit.transforms.bind_mount_cache_key import BindMountCacheKey
from patchkit.transforms.cache_key_arg import CacheKeyArg
from patchkit.transforms.cache_mount_id import CacheMountId
from patchkit.transforms.insert import Insert
from patchkit.transforms.replace import Replace
from patchkit.transforms.scm_pretend_version import ScmPretendVersion

__all__ = ["TRANSFORMS", "Transform", "get"]

#: Every transform kind, in the order documentation lists them.
TRANSFORMS: tuple[type[Transform], ...] = (
    CacheMountId,
    ScmPretendVersion,
    CacheKeyArg,
    BindMountCacheKey,
    Insert,
    Replace,
)


def get(kind: str) -> type[Transform] | None:
    """The transform class named ``kind``, or None."""
    return next((t for t in TRANSFORMS if t.kind == kind), None)
