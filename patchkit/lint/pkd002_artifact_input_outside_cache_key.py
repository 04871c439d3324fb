"""PKD002 artifact-input-outside-cache-key."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from patchkit.diagnostics import Severity
from patchkit.lint import _fixes
from patchkit.lint._producers import (
    Consumer,
    Hazard,
    consumers,
    hazards,
    is_covered_by_checksum,
    is_run,
    keyed_by_arg,
    producer_chain,
)
from patchkit.lint._stages import ancestry
from patchkit.lint.base import Applicability, Fix, LintContext, Violation

if TYPE_CHECKING:
    from patchkit.dockerfile import Dockerfile, Instruction, Stage

__all__ = ["RULE", "ArtifactInputOutsideCacheKey"]

_WHY = {
    "git": "a moving reference can bring new commits",
    "download": "the URL can serve a new file",
    "secret": "secret contents are not part of the key",
    "proxy": "proxy build-args reach the RUN but are dropped from its key",
    "cache": "cache mount contents are not part of the key",
}
_MEASURED = ("secret", "proxy", "cache")


class ArtifactInputOutsideCacheKey:
    """## What it does
    Finds the stages whose result reaches a consumer or the image, and flags
    every RUN in them whose result can change while its cache key does not.
    Those stages are: a stage another stage consumes (`RUN
    --mount=type=bind,from=STAGE` or `COPY --from=STAGE`); the image, i.e.
    the stage the build targets (`--target`, or the build model's target),
    else the last stage of the file (BuildKit's default target); and every
    stage either of them is built from. A stage that is neither (a test or lint
    stage nothing uses) is not this rule's business.

    Moving references (each has a pinned form that is not flagged):
    - `git clone` of a branch or the default branch; `git fetch` of a branch;
      `git pull`; `git submodule update --remote`. Pinned: `--branch` naming
      a release tag (`v2.3.1`, `pgbouncer_1_24_1`) or a commit, or a later
      `checkout`/`reset`/`switch` to one, in the same RUN or a later RUN of
      the stage (`git checkout ${COMMIT}`);
    - `go install`/`go run`/`go get` of `…@latest`, `@main`, `@master`, a
      branch. Pinned: `@v1.2.3`, a commit;
    - `pip`/`uv` installs of `git+URL` without a ref or at a branch, of an
      archive of a branch (`…/archive/main.zip`), and requirements read from
      a URL on a branch (`-r https://…/main/requirements.txt`). Index URLs
      (`--index-url`, `--find-links`) are not artefacts and are not judged;
    - `curl`/`wget` of a URL with a `latest/` or `nightly/` folder, a
      `main`/`master` branch on GitHub, GitLab, Bitbucket or Codeberg, or
      `refs/heads/`, even when the file name carries a version
      (`…/releases/latest/download/tool-1.2`); of a URL with neither a
      version nor a digest (`https://astral.sh/uv/install.sh`). Pinned: a
      version in the file name elsewhere (`/stable/docker-27.1.1.tgz`,
      `setup_24.x`), a release or tag folder, a digest, a RUN that checks a
      checksum (`sha256sum -c`), or an installer whose version a flag pins
      (`| sh -s -- --default-toolchain 1.85.1`, `--version=…`, a positional
      `v1.61.0`, `--default-toolchain none`, or a `rust-toolchain.toml`
      copied before a rustup install). Signing keys, certificates and
      package-repository definitions (`.list`, `.repo`, a package that only
      installs one such as `packages-microsoft-prod.deb`, a script that adds
      one and apt-installs from it: apt.llvm.org's `llvm.sh`,
      get.docker.com) are configuration and are not judged: what they bring
      moves like any `apt-get install`;
    - `${VAR}` in a URL: replaced by its ARG/ENV default and judged. A
      platform ARG (`${TARGETARCH}`) or `$(uname -m)` is not a version: the
      rest of the URL decides (`…/latest/download/yq_linux_${TARGETARCH}` is
      moving, `…/download/v4.44.3/yq_linux_${TARGETARCH}` is pinned). An ARG
      declared without a default is passed by the build and so is in the key;
      a value computed at build time (`$(awk … go.mod)`) is not judged;
    - `ADD <url>` is never flagged: BuildKit fetches the URL (or its ETag) on
      every build and keys the step by the content digest (moby/buildkit
      `source/http/source.go`, `CacheKey`).

    Inputs outside the key (measured): a `--mount=type=secret` that is not a
    credential; a read of `$HTTP_PROXY`/`$HTTPS_PROXY`/`$FTP_PROXY`/
    `$NO_PROXY`/`$ALL_PROXY`, unless every read only picks the road of a
    download (`curl -x "$HTTP_PROXY"`, `wget -e https_proxy=…`, a `[ -n
    "$HTTP_PROXY" ]` test); a `--mount=type=cache` that holds mutable state
    (PKD001's cache table: `.deps` clones, a virtualenv, a git
    checkout made in the cache). Download, compiler and incremental build
    caches (pip, Go's build cache, cargo's `target/`) cannot change a result
    whose inputs are in the key, and are not flagged.

    A stage whose inputs are all in its key gets no finding on BuildKit, e.g.
    `COPY . .` followed by `pip wheel`: BuildKit keys a read-only bind mount
    (and `COPY --from`) by the content of what is mounted, like COPY.

    A RUN is not flagged when an ARG or ENV carrying the real input is in
    scope before it: the configured cache-key ARG (`PATCHKIT_CACHE_INPUT` by
    default) or a name ending in `COMMIT`, `SHA`, `REVISION`, `CACHE_KEY`,
    `CACHE_INPUT`, `CACHEBUST`, `BUILD_ID`, `BUILD_DATE` or `TIMESTAMP`.

    With `--builder buildah` every `RUN --mount=type=bind,from=STAGE` (or
    `--mount=from=STAGE` with the implicit bind type) that is not preceded by
    a checksum `COPY --from=STAGE …sha256` is flagged as well.

    ## Why is this bad?
    BuildKit reuses the consuming RUN when either the producing stage's
    definition key or the content of the mounted files matches a cached
    record. Measured on dockerd 26.1.5 / BuildKit 0.13, about 450 builds
    (`research/buildkit-bind-cache.md`): a changed artefact reached the image
    in every cache setup tested (persistent builder, `mode=max`/`mode=min`
    registry-style cache, inline cache, split wheel and image jobs) whenever
    the change came through something in the producing stage's key. When it
    came through a secret, a proxy build-arg or a cache mount, the producer
    kept its key, BuildKit reused the old result, and the image kept the old
    artefact. With a `mode=min` or inline cache that the wheel job only
    imports, or a wheel job run with `--no-cache`, the image even disagreed
    with the wheel built in the same round (STALE). Network downloads take
    the same path through the key; they could not be measured offline. The
    checksum `COPY --from=build …/wheel.sha256` that vLLM added (PR 44795)
    changed no outcome on BuildKit: COPY is keyed exactly like the bind mount.

    buildah is different. Measured on buildah 1.28.2 (Debian bookworm; what
    `podman build` runs, and StartOS's packer builds with podman by default;
    `docs/research/buildah.md`): a plain `--mount=type=bind,from=build` is
    not in the consuming RUN's key, so after the wheel changed the consumer
    was taken from cache and kept the old wheel; when the producing stage was
    all cache hits the mount failed (`couldn't find ".../dist" on host`); an
    ARG in the producing stage, or a `cache-key-arg` in the consumer, did not
    help; the checksum `COPY --from=build …sha256` before the RUN fixed both.
    Upstream buildah keys stage bind mounts since PR #6845 (merged May 2026,
    fixing issue #6609), and mounts without an explicit `type=` since PR
    #6957 (July 2026); those releases were not measured.

    ## Example
    ```dockerfile
    FROM python:3.12 AS build
    RUN git clone https://github.com/org/lib /src && pip wheel /src -w /dist

    FROM python:3.12
    RUN --mount=type=bind,from=build,src=/dist,target=/dist pip install /dist/*.whl
    ```

    Use instead:
    ```dockerfile
    FROM python:3.12 AS build
    ARG LIB_COMMIT
    RUN git clone https://github.com/org/lib /src && git -C /src checkout "$LIB_COMMIT" \\
        && pip wheel /src -w /dist
    ```

    ## Fix safety
    The fix is the `cache-key-arg` transform: it declares `ARG
    PATCHKIT_CACHE_INPUT` (the name is configurable: `cache-key-arg` in
    `[tool.patchkit.lint]`) before the first flagged RUN of the stage, which
    keys that RUN and every later one. The name has none of the words
    BuildKit's SecretsUsedInArgOrEnv check flags (`KEY`, `TOKEN`, `SECRET`…:
    `patchkit.lint.buildkit_secrets`), so a Dockerfile with `#
    check=error=true` still builds; a configured name with one is refused. It
    is unsafe: it only helps when the build passes the real input with
    `--build-arg PATCHKIT_CACHE_INPUT=<commit, version or a per-build value>`,
    and then every later step reruns when it changes. Pinning the reference
    instead needs a commit only you know. An `ONBUILD RUN` gets the advice
    only (the ARG belongs in the stages built from it). With `--builder
    buildah` the fix for an unkeyed bind mount is the `bind-mount-cache-key`
    transform: a RUN in the producing stage that writes the sha256 of the
    mounted artefacts (`*.whl` when the consuming RUN installs wheels, else
    every file of the source folder) and a `COPY --from` of that checksum
    before the consuming RUN. It is unsafe because it adds a step and a file
    to both stages.

    ## Evidence
    About 450 builds on BuildKit 0.13 (`research/buildkit-bind-cache.md`) and
    the buildah 1.28.2 measurements above. On 607 real Dockerfiles from 100
    repositories (`corpora/dockerfiles/`): 83 findings, 82 of them real or
    plausible (before the rule's current form: 66 findings, 16 real or
    plausible). On 396 real Dockerfiles of 57 other repositories
    (`corpora/dockerfiles-2/`): 40 findings, 33 real or plausible; 35 since a
    proxy read only as a download's proxy option and repository setup packages
    and scripts (a `-prod.deb`, apt.llvm.org's `llvm.sh`, get.docker.com) are
    not flagged, 33 right (94%).
    """

    code = "PKD002"
    name = "artifact-input-outside-cache-key"
    severity = Severity.ERROR
    fix_title = (
        "put the real input in the key: declare an ARG (cache-key-arg), or pin the reference"
    )

    def check(self, tree: Dockerfile, context: LintContext) -> Iterator[Violation]:
        edges = consumers(tree)
        # (start, end, kind) -> (hazard, consumers, reaches the image)
        found: dict[tuple[int, int, str], tuple[Hazard, list[Consumer], list[bool]]] = {}
        per_run: dict[int, list[Hazard]] = {}  # each RUN is analysed once, however many consume it
        users_of: dict[tuple[int, int, str], set[int]] = {}  # consumer instructions per hazard

        def visit(chain: list[Stage], edge: Consumer | None) -> None:
            for position, stage in enumerate(chain):
                for instr in stage.instructions:
                    # an ONBUILD RUN runs in the stages built FROM its stage, not in it
                    if instr.keyword != "RUN" and not (position and is_run(instr)):
                        continue
                    if instr.index not in per_run:
                        keyed = keyed_by_arg(tree, stage, instr, context.cache_key_arg)
                        per_run[instr.index] = [] if keyed else list(hazards(tree, stage, instr))
                    for hz in per_run[instr.index]:
                        key = (hz.start, hz.end, hz.kind)
                        if key not in found:
                            found[key] = (hz, [], [False])
                            users_of[key] = set()
                        if edge is None:
                            found[key][2][0] = True
                        elif edge.instruction.index not in users_of[key]:
                            users_of[key].add(edge.instruction.index)
                            found[key][1].append(edge)

        for edge in edges:
            visit(producer_chain(tree, edge), edge)
        image = _image_stage(tree, context.target)
        if image is not None:
            visit(ancestry(tree, image), None)
        builder = "buildah (like BuildKit)" if context.builder == "buildah" else "BuildKit"
        # One ARG before the first unkeyed RUN of a stage keys every later RUN of it too,
        # so all of a stage's fixes insert the same line there (identical edits merge).
        anchors: dict[int, Instruction] = {}
        for hz, _users, _img in sorted(found.values(), key=lambda item: item[0].instruction.index):
            if hz.instruction.stage is not None:
                anchors.setdefault(hz.instruction.stage.index, hz.instruction)
        for hz, users, in_image in found.values():
            where = hz.instruction.stage
            anchor = anchors.get(where.index, hz.instruction) if where else hz.instruction
            yield self._hazard(tree, hz, users, in_image[0], image, builder, context, anchor)
        if context.builder == "buildah":
            for edge in edges:
                if edge.mount is not None and not is_covered_by_checksum(tree, edge):
                    yield self._buildah(tree, edge)

    def _hazard(
        self,
        tree: Dockerfile,
        hz: Hazard,
        users: list[Consumer],
        in_image: bool,
        image: Stage | None,
        builder: str,
        context: LintContext,
        anchor: Instruction,
    ) -> Violation:
        instr = hz.instruction
        stage = instr.stage
        sname = (stage.name or str(stage.index)) if stage else "?"
        keeps = []
        if users:
            # a long consume chain names its first consumers only: the message stays
            # bounded, not one line number per stage (20 stages, 20 findings: quadratic)
            cut = _CONSUMERS_SHOWN if len(users) > _CONSUMERS_SHOWN + 1 else len(users)
            shown = ", ".join(str(u.instruction.start_line) for u in users[:cut])
            if cut < len(users):
                shown += f" and {len(users) - cut} more"  # never "and 1 more"
            keeps.append(f"the consumer at line{'s' if len(users) > 1 else ''} {shown}")
        if in_image and image is not None:
            iname = image.name or str(image.index)
            keeps.append(
                "the image"
                if stage is not None and stage.index == image.index
                else f"the image (stage `{iname}`, built from this one)"
            )
        evidence = (
            "measured on BuildKit 0.13"
            if hz.kind in _MEASURED
            else "BuildKit's key rules; downloads not measured offline"
        )
        if context.builder == "buildah":
            evidence += "; on buildah 1.28 a bind-mount consumer also needs the checksum COPY"
        stale = (
            "; with a mode=min or inline cache, or a --no-cache wheel job, the image can even "
            "disagree with that round's wheel"
            if hz.kind in _MEASURED and context.builder == "buildkit" and users
            else ""
        )
        message = (
            f"{hz.what} in stage `{sname}` can change this RUN's result while its cache key "
            f"stays the same ({_WHY[hz.kind]}), so {builder} reuses the old result and "
            f"{' and '.join(keeps)} keep{'s' if len(keeps) == 1 else ''} it"
            f"{stale} ({evidence}; see `patchkit rule PKD002`)"
        )
        name = context.cache_key_arg
        onbuild = instr.keyword == "ONBUILD"
        fix = Fix(
            title=(
                f"declare ARG {name} before this RUN and pass the real input with "
                f"--build-arg {name}=… (cache-key-arg), or pin the reference"
                if not onbuild
                else f"declare ARG {name} in the stages built FROM `{sname}` (before their "
                "first instruction) and pass the real input, or pin the reference"
            ),
            # cache-key-arg anchors on RUN instructions; an ONBUILD RUN's fix is shown only
            applicability=Applicability.DISPLAY if onbuild else Applicability.UNSAFE,
            edits=lambda: _fixes.cache_key_arg(tree, anchor, name),
            transform="cache-key-arg",
        )
        return Violation(self.code, message, hz.start, hz.end, instr.index, fix=fix)

    def _buildah(self, tree: Dockerfile, edge: Consumer) -> Violation:
        assert edge.mount is not None
        mount = edge.mount
        pname = edge.producer.name or str(edge.producer.index)
        message = (
            f"buildah leaves --mount=type=bind,from={pname} out of this RUN's cache key (until "
            f"PR #6845, May 2026; a mount without type= until PR #6957): when stage `{pname}` "
            "makes a new artifact, `buildah build --layers` reuses the old layer, and when "
            f"`{pname}` is all cache hits the mount fails (measured on buildah 1.28.2); "
            "BuildKit keys the mount by content and is not affected"
        )
        fix = Fix(
            title=f"COPY a checksum from `{pname}` before this RUN (bind-mount-cache-key)",
            applicability=Applicability.UNSAFE,
            edits=lambda: _fixes.bind_mount_cache_key(tree, edge.instruction, mount),
            transform="bind-mount-cache-key",
        )
        return Violation(
            self.code, message, mount.flag.start, mount.flag.end, edge.instruction.index, fix=fix
        )


_CONSUMERS_SHOWN = 3


def _image_stage(tree: Dockerfile, target: str | None) -> Stage | None:
    """The stage the image is: the named target, else the last stage."""
    if not tree.stages:
        return None
    if target is not None:
        for stage in tree.stages:
            if stage.name is not None and stage.name.lower() == target.lower():
                return stage
    return tree.stages[-1]


RULE = ArtifactInputOutsideCacheKey()
