"""PKD008 cache-mount-concurrent-writers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from patchkit.diagnostics import Severity
from patchkit.lint._caches import CacheClass, CacheRow, classify_mount
from patchkit.lint._stages import ancestry, known_values, resolve
from patchkit.lint.base import Applicability, Fix, LintContext, Violation
from patchkit.lint.pkd001_cache_mount_shared_across_platforms import _id_varies, built_platforms

if TYPE_CHECKING:
    from patchkit.dockerfile import Dockerfile, Instruction, Mount

__all__ = ["RULE", "CacheMountConcurrentWriters"]


class CacheMountConcurrentWriters:
    """## What it does
    Flags a `RUN --mount=type=cache` without `sharing=locked` (or `private`)
    whose tool does not tolerate two writers at once (apt, Yarn 1, Maven's
    local repository: see PKD001's cache table), when two RUNs can write it at
    the same time:
    - the build targets several platforms (as PKD001 decides), the id does
      not vary with the platform, and the cache may be shared by platforms
      (else PKD001 reports it): BuildKit runs the platforms of one build in
      parallel;
    - or RUNs of two stages, neither built from the other, mount the same id:
      BuildKit runs independent stages in parallel.

    With `package-caches = "locked"` every download cache (pip, cargo's
    registry, npm...) is held to the same standard.

    This is advice, severity warning: a failed apt lock or a torn download
    is loud and goes away on a retry; it never leaves one platform's files
    in another's build (that is PKD001).

    ## Why is this bad?
    `sharing=shared`, the default, hands the same folder to every RUN that
    mounts the id at the same time. The Dockerfile reference's apt example
    uses `sharing=locked` because 'Apt needs exclusive access to its data'
    (moby/buildkit a577b86): a second `apt-get` fails with `Could not get
    lock /var/lib/apt/lists/lock`, or both write the same partial files.

    ## Example
    ```dockerfile
    FROM debian:bookworm
    ARG TARGETARCH
    RUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y gcc
    ```

    Use instead:
    ```dockerfile
    FROM debian:bookworm
    ARG TARGETARCH
    RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\
        apt-get update && apt-get install -y gcc
    ```

    ## Fix safety
    The fix is shown, not applied: add `sharing=locked` to the mount (the
    RUNs then take turns; nothing else changes), or give each platform its
    own id with PKD001's fix.

    ## Evidence
    On 396 real Dockerfiles of 57 other repositories
    (`corpora/dockerfiles-2/`) (55 with cache mounts; their apt caches carry
    `sharing=locked`): no finding. On the 607 files of `corpora/dockerfiles/`
    linted for two platforms: 3, the apt caches of astral-sh/uv (real: it
    builds for several) and InvokeAI (plausible: only if built for two
    platforms).
    """

    code = "PKD008"
    name = "cache-mount-concurrent-writers"
    severity = Severity.WARNING
    fix_title = "add sharing=locked to the mount"

    def check(self, tree: Dockerfile, context: LintContext) -> Iterator[Violation]:
        platforms = built_platforms(tree, context.platforms)
        mounts: list[tuple[Instruction, Mount, CacheRow, str]] = []
        for instr in tree.instructions:
            if instr.keyword != "RUN" or instr.stage is None:
                continue
            for mount in instr.mounts:
                if (mount.type or "").lower() != "cache":
                    continue
                if (mount.sharing or "shared").lower() in ("locked", "private"):
                    continue
                row = classify_mount(tree, instr, mount)
                unsafe = row.concurrent_safe is False or (
                    context.package_caches == "locked" and row.cls is CacheClass.DOWNLOAD
                )
                if unsafe:
                    values = known_values(tree, instr.stage, instr)
                    key = resolve(mount.id if mount.id is not None else mount.target or "", values)
                    mounts.append((instr, mount, row, key.rstrip("/")))
        for instr, mount, row, key in mounts:
            why = None
            if (
                platforms is not None
                and row.platform_safe is not False  # not shareable at all: PKD001
                and not _id_varies(tree, instr, mount)
            ):
                why = f"the platforms of one build run in parallel, and {platforms} share it"
            else:
                other = _parallel_stage(tree, instr, key, mounts)
                if other is not None:
                    why = (
                        f"stage `{other}` mounts the same cache and neither stage is built from "
                        "the other, so BuildKit can run both RUNs at once"
                    )
            if why is None:
                continue
            message = (
                f"cache mount at {mount.target} ({row.tool}) has no sharing=locked: {why}; "
                f"{row.tool} does not tolerate concurrent writers (the cache table in "
                "`patchkit rule PKD001` gives the source)"
            )
            fix = Fix(
                title="add sharing=locked to this --mount",
                applicability=Applicability.DISPLAY,
                edits=lambda: [],
            )
            yield Violation(
                self.code,
                message,
                mount.flag.start,
                mount.flag.end,
                instr.index,
                severity=self.severity,
                fix=fix,
            )


def _parallel_stage(
    tree: Dockerfile,
    instr: Instruction,
    key: str,
    mounts: list[tuple[Instruction, Mount, CacheRow, str]],
) -> str | None:
    """A stage that may run at the same time as ``instr``'s and mounts the same cache id."""
    stage = instr.stage
    if stage is None:
        return None
    mine = {s.index for s in ancestry(tree, stage)}
    for other, _m, _r, other_key in mounts:
        o = other.stage
        if o is None or o.index == stage.index or other_key != key:
            continue
        theirs = {s.index for s in ancestry(tree, o)}
        if o.index in mine or stage.index in theirs:
            continue
        return o.name or str(o.index)
    return None


RULE = CacheMountConcurrentWriters()
