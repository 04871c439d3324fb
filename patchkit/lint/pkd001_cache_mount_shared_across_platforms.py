"""PKD001 cache-mount-shared-across-platforms."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from patchkit.diagnostics import Severity
from patchkit.lint import _fixes
from patchkit.lint._caches import CacheRow, classify_mount, render_table
from patchkit.lint._stages import known_values, platform_evidence, resolve
from patchkit.lint._text import TARGET_VARYING, variable_refs
from patchkit.lint.base import Applicability, Fix, LintContext, Violation

if TYPE_CHECKING:
    from patchkit.dockerfile import Dockerfile, Instruction, Mount, Stage

__all__ = ["RULE", "CacheMountSharedAcrossPlatforms", "built_platforms"]


class CacheMountSharedAcrossPlatforms:
    """## What it does
    Checks `RUN --mount=type=cache` mounts of a Dockerfile that is built for
    more than one platform, and flags a mount whose cache id (the `id=`
    option, or the target path when there is none) is the same for every
    target platform while what it holds is *not keyed by platform*: a
    dependency clone (CMake FetchContent `.deps`), `node_modules`, a
    virtualenv, a CMake/make build tree, Playwright's browsers, a git checkout
    made inside the cache. Download caches (apt, pip, uv, cargo's registry,
    Go modules...) and compiler caches (ccache, sccache, Go's build cache,
    which BuildKit's own Dockerfile mounts at `/root/.cache`) name their
    entries by platform or content, and are not flagged. The table below says
    which tool keeps what where, and why; a target the table does not know
    is not flagged.

    Which platforms are built, in this order:
    - `LintContext.platforms`: `--platform`, `platforms` in
      `[tool.patchkit.lint]` or `[tool.patchkit]`, or the build model
      (`patchkit check`, which defaults to `linux/amd64` and `linux/arm64`).
      Two or more: the rule runs and names them. Exactly one: it says nothing.
    - Nothing given (`platforms` empty, plain `patchkit lint` without
      configuration): the Dockerfile's own word. A file that uses or declares
      `TARGETARCH`, `TARGETPLATFORM` or another automatic platform ARG is
      written to be built for several platforms, and the rule runs, saying so
      in the message; any other file gets no finding.

    An id varies with the target platform when it uses `$TARGETARCH` or
    `$TARGETPLATFORM` (directly, or through an ARG/ENV whose value does).
    Whether that variable is in scope in the stage is PKD003's business.
    Concurrent writers on a shared cache (apt without `sharing=locked`) are
    PKD008's business.

    `package-caches = "per-platform"` flags every cache whose id does not vary,
    download and compiler caches included. A `# syntax=docker/dockerfile:1.2`
    (or older) directive pins a frontend that does not expand variables in
    `--mount` options, so even `id=deps-${TARGETARCH}` is one literal id for
    every platform: such an id is flagged too, whatever the cache holds.

    {cache_table}

    ## Why is this bad?
    BuildKit keys a cache mount by its id alone, not by platform. Measured on
    dockerd 26.1.5 / BuildKit 0.13 (`research/buildkit-local.md`): after an
    amd64 build, an arm64 build of the same Dockerfile on the same builder
    saw the amd64 files in `--mount=type=cache,target=/c1` (cache id `//c1`);
    with `ARG TARGETARCH` and `id=deps-${TARGETARCH}` it saw only its own
    (`/deps-amd64`, `/deps-arm64`). vLLM's CPU image hit exactly this: its
    `/vllm-workspace/.deps` cache has no id, and an arm64 build found the
    shallow oneDNN clone an x86 build had left there and failed with
    `reference is not a tree`. On dockerd 20.10 (BuildKit 0.8, frontend older
    than 1.3) the variable is not expanded and the cache stays shared.

    ## Example
    ```dockerfile
    FROM ubuntu:22.04 AS build
    ARG TARGETARCH
    RUN --mount=type=cache,target=/workspace/.deps,sharing=locked cmake -B build
    ```

    Use instead:
    ```dockerfile
    FROM ubuntu:22.04 AS build
    ARG TARGETARCH
    RUN --mount=type=cache,target=/workspace/.deps,sharing=locked,id=deps-${TARGETARCH} \\
        cmake -B build
    ```

    ## Fix safety
    The fix is the `cache-mount-id` transform, run over the flagged mounts:
    it sets `id=<name>-${TARGETARCH}` (`.deps` -> `deps-${TARGETARCH}`; the
    whole target, `{target}-${TARGETARCH}`, when two cache targets of the file
    share a last path part), replacing a fixed id, and declares `ARG
    TARGETARCH` before the first such RUN of a stage where no ARG brings it
    into scope (once, when a stage built FROM another gets it from there).
    It is safe: the build does the same work, and each platform starts from
    an empty cache once. It needs Dockerfile frontend 1.3 or later (any
    current BuildKit); a `# syntax=` pinning an older one still shares.

    ## Evidence
    buildah 1.28.2 shares an id-less cache mount across platforms the same way
    (`docs/research/buildah.md`). vLLM's CPU `.deps` cache has no id in any
    release since v0.9.1rc1. On 607 real Dockerfiles from 100 repositories
    (`corpora/dockerfiles/`) the rule fires once (a shared CMake tree,
    plausible); before the cache table it fired 46 times, 45 of them noise. On
    396 real Dockerfiles of 57 other repositories (`corpora/dockerfiles-2/`)
    (55 with cache mounts, 103 multi-platform, linted with
    linux/amd64,linux/arm64): no finding.
    """

    code = "PKD001"
    name = "cache-mount-shared-across-platforms"
    severity = Severity.ERROR
    fix_title = "give the mount a per-platform id (cache-mount-id)"

    def check(self, tree: Dockerfile, context: LintContext) -> Iterator[Violation]:
        evidence = built_platforms(tree, context.platforms)
        if evidence is None:
            return
        old_frontend = _old_frontend(tree)
        flagged: list[tuple[Instruction, Mount, CacheRow, bool]] = []
        for instr in tree.instructions:
            if instr.keyword != "RUN" or instr.stage is None:
                continue
            for mount in instr.mounts:
                if (mount.type or "").lower() != "cache":
                    continue
                row = classify_mount(tree, instr, mount)
                varies = _id_varies(tree, instr, mount)
                if varies:
                    if old_frontend:
                        flagged.append((instr, mount, row, varies))
                    continue
                if row.platform_safe is False or context.package_caches == "per-platform":
                    flagged.append((instr, mount, row, varies))
        template = _fixes.id_template(tree, [m for _i, m, _k, v in flagged if not v])
        # a mount whose id would need quoting (a blank in its target) gets no fix, and is
        # kept out of the transform that fixes the others, which would refuse it as drifted
        plain = [
            (i, m)
            for i, m, _k, varies in flagged
            if not varies and not _fixes.id_needs_quoting(_fixes.per_platform_id(m, template))
        ]
        groups = _fix_groups(tree, plain)
        for instr, mount, row, varies in flagged:
            group = groups.get(id(mount), ([], []))
            yield self._violation(
                tree, instr, mount, row, evidence, varies, old_frontend, group, template
            )

    def _violation(
        self,
        tree: Dockerfile,
        instr: Instruction,
        mount: Mount,
        row: CacheRow,
        evidence: str,
        varies: bool,
        old_frontend: str | None,
        group: tuple[list[Stage], list[Mount]],
        template: str,
    ) -> Violation:
        where = f"cache mount at {mount.target}" if mount.target else "cache mount"
        if varies and old_frontend:
            message = (
                f"{where} has id={mount.id}, but `# syntax={old_frontend}` pins a Dockerfile "
                "frontend older than 1.3, which does not expand variables in --mount options: "
                "every platform shares one cache (measured on dockerd 20.10 / BuildKit 0.8)"
            )
            return Violation(self.code, message, mount.flag.start, mount.flag.end, instr.index)
        idpart = f"id={mount.id}" if mount.id else "no id: the id is the target"
        if row.platform_safe is False:
            why = (
                f"it holds {row.tool}, {row.cls.value} that is not keyed by platform, so "
                "one platform's build finds another platform's files there"
            )
        else:
            why = (
                f"package-caches=per-platform gives every cache, this {row.tool} one too, "
                "its own id"
            )
        message = (
            f"{where} ({idpart}) is shared by {evidence}: {why}; BuildKit keys cache mounts by "
            "id alone (measured, BuildKit 0.13)"
        )
        new_id = _fixes.per_platform_id(mount, template)
        if _fixes.id_needs_quoting(new_id):
            # a target with a blank or a quote: no plain id to write, so no fix to offer
            return Violation(self.code, message, mount.flag.start, mount.flag.end, instr.index)
        stages, mounts = group
        fix = Fix(
            title=f"add id={new_id} (cache-mount-id)",
            applicability=Applicability.SAFE,
            edits=lambda: _fixes.cache_mount_id(tree, stages, mounts),
            transform="cache-mount-id",
        )
        return Violation(self.code, message, mount.flag.start, mount.flag.end, instr.index, fix=fix)


def _fix_groups(
    tree: Dockerfile, fixable: list[tuple[Instruction, Mount]]
) -> dict[int, tuple[list[Stage], list[Mount]]]:
    """Which mounts one ``cache-mount-id`` transform fixes together, by ``id(mount)``.

    One transform over every flagged (stage, target) lets it declare ``ARG
    TARGETARCH`` once, in the first stage, for the stages built from it. The
    transform takes targets x stages, so that is only done when the cross
    product touches no cache mount that is not flagged; otherwise one
    transform per stage.
    """
    if not fixable:
        return {}
    stages = {i.stage.index: i.stage for i, _m in fixable if i.stage is not None}
    targets = {m.target for _i, m in fixable if m.target}
    flagged = {id(m) for _i, m in fixable}
    crossed = [
        m
        for instr in tree.instructions
        if instr.keyword == "RUN" and instr.stage is not None and instr.stage.index in stages
        for m in instr.mounts
        if (m.type or "").lower() == "cache" and m.target in targets
    ]
    if all(id(m) in flagged for m in crossed):
        everything = (list(stages.values()), [m for _i, m in fixable])
        return {id(m): everything for _i, m in fixable}
    out: dict[int, tuple[list[Stage], list[Mount]]] = {}
    for index, stage in stages.items():
        mounts = [m for i, m in fixable if i.stage is not None and i.stage.index == index]
        for m in mounts:
            out[id(m)] = ([stage], mounts)
    return out


def built_platforms(tree: Dockerfile, platforms: tuple[str, ...]) -> str | None:
    """Which platforms share a cache, for messages; ``None`` when the build has one platform.

    Given platforms decide (two or more: named; one: none). Without any, the
    Dockerfile's own use of an automatic platform ARG says it is built for
    several (``platform_evidence``).
    """
    distinct = sorted(set(platforms))
    if len(distinct) > 1:
        return "the platforms this build targets (" + ", ".join(distinct) + ")"
    if distinct:
        return None
    found = platform_evidence(tree, ())
    if found is None:
        return None
    return (
        f"every platform this Dockerfile is written for ({found}; no platforms were given: "
        "pass --platform or set platforms in [tool.patchkit.lint])"
    )


def _id_varies(tree: Dockerfile, instr: Instruction, mount: Mount) -> bool:
    """Does the mount's id (or target, when no id) change with the target platform?"""
    raw = mount.id if mount.id is not None else (mount.target or "")
    if any(ref.name in TARGET_VARYING for ref in variable_refs(raw)):
        return True
    if instr.stage is None:
        return False
    # one level through ARG/ENV values: id=${CACHE_ID} with ARG CACHE_ID=deps-${TARGETARCH}
    values = known_values(tree, instr.stage, instr)
    for ref in variable_refs(raw):
        value = values.get(ref.name)
        if value and any(r.name in TARGET_VARYING for r in variable_refs(value)):
            return True
    resolved = resolve(raw, values)
    return any(ref.name in TARGET_VARYING for ref in variable_refs(resolved))


_SYNTAX = re.compile(r"(?:^|/)dockerfile:(\d+)(?:\.(\d+))?")


def _old_frontend(tree: Dockerfile) -> str | None:
    """The ``# syntax=`` value when it pins a Dockerfile frontend older than 1.3."""
    syntax = (tree.directives.get("syntax") or "").strip()
    m = _SYNTAX.search(syntax)
    if not m:
        return None
    major, minor = int(m.group(1)), int(m.group(2)) if m.group(2) is not None else None
    if major == 1 and minor is not None and minor < 3:
        return syntax
    if major == 0:
        return syntax
    return None


CacheMountSharedAcrossPlatforms.__doc__ = (CacheMountSharedAcrossPlatforms.__doc__ or "").replace(
    "{cache_table}", render_table().replace("\n", "\n    ")
)

RULE = CacheMountSharedAcrossPlatforms()
