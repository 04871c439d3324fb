"""Per-architecture cache ids, on a real BuildKit (dockerd 26.1 / BuildKit 0.13).

The bug: vLLM's CPU Dockerfile mounts ``--mount=type=cache,target=/vllm-workspace/.deps``
with no id, so the id is the target path and an x86 build and an arm build on one builder
share the cache; the arm build found the x86 build's shallow oneDNN clone and failed with
"reference is not a tree". Each test here prunes the builder, builds for ``linux/amd64`` and
then ``linux/arm64``, and reads back what the arm64 build found in the cache: the RUN appends
"<TARGETARCH> <uname -m>" to a file in the cache and copies that file into the image.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # conftest helpers reach tests as fixtures; this import is for types only
    from conftest import BuildKit, TwoArchRun

pytestmark = pytest.mark.e2e

TwoArch = Callable[[str, str], "TwoArchRun"]


SHARED = "the arm64 build found the amd64 build's entry in its cache: one cache for both arches"


def sharing_problems(run: TwoArchRun) -> list[str]:
    """What is wrong with ``run`` for a per-arch cache; empty when each arch had its own."""
    problems = []
    if run.amd64_saw != ["amd64"]:
        problems.append(f"the first (amd64) build found {run.amd64_saw} in a cache it should own")
    if run.arm64_saw != ["arm64"]:
        problems.append(
            f"{SHARED} (it saw {run.arm64_saw}): the bug the cache-mount-id patch fixes"
        )
    return problems


@pytest.mark.parametrize(
    ("fixture", "arm64_saw", "ids"),
    [
        # Upstream as it is: no id, so the id is the target path and both arches share it.
        # The arm64 build finds the amd64 build's entry: this is the real bug, reproduced.
        ("Dockerfile.cpu-shape", ["amd64", "arm64"], ["//vllm-workspace/.deps"]),
        # ${TARGETARCH} with no ARG TARGETARCH in scope expands to "": still one shared cache.
        # This is why the transform declares the ARG.
        ("Dockerfile.cpu-shape.noarg", ["amd64", "arm64"], ["/noarg-"]),
        # The fix, written by hand: ARG TARGETARCH in the stage + id=deps-${TARGETARCH}.
        ("Dockerfile.cpu-shape.patched", ["arm64"], ["/deps-amd64", "/deps-arm64"]),
        # An ARG TARGETARCH declared in a stage the build stage is built FROM also counts.
        ("Dockerfile.cpu-shape.parentarg", ["arm64"], ["/parentarg-amd64", "/parentarg-arm64"]),
        # vLLM's real base-common declares ARG TARGETARCH and sets ENV TARGETARCH=$TARGETARCH;
        # a stage that inherits only the ENV still gets the id expanded (mount options expand
        # with the stage's environment).
        ("Dockerfile.cpu-shape.envarg", ["arm64"], ["/envarg-amd64", "/envarg-arm64"]),
    ],
    ids=lambda v: v.removeprefix("Dockerfile.") if isinstance(v, str) else None,
)
def test_cache_mount_sharing_on_buildkit(
    build_amd64_then_arm64: TwoArch,
    read_fixture: Callable[[str], str],
    fixture: str,
    arm64_saw: list[str],
    ids: list[str],
) -> None:
    run = build_amd64_then_arm64(read_fixture(fixture), fixture)
    assert run.amd64_saw == ["amd64"]
    assert run.arm64_saw == arm64_saw
    assert run.cache_ids == ids
    # The check the patchkit test below relies on tells the two kinds apart.
    assert bool(sharing_problems(run)) == (arm64_saw != ["arm64"])


def test_patchkit_output_gives_each_arch_its_own_cache(
    patch_with_patchkit: Callable[[str, str], str],
    project_patch: Callable[[str, str], str],
    build_amd64_then_arm64: TwoArch,
    read_fixture: Callable[[str], str],
    buildkit: BuildKit,
) -> None:
    """The unpatched file, patched by ``patchkit apply`` with the project's own .deps patch.

    Deliberately applied to the file that reproduces the bug above: if the transform stopped
    working (no id, or an id without ARG TARGETARCH in scope), the arm64 build would find the
    amd64 entry again and this test would fail with the bug's symptom (checked by hand:
    with the transform's ARG insertion disabled it fails with "the arm64 build found the
    amd64 build's entry in its cache ... (it saw ['amd64', 'arm64'])").
    """
    deps_patch = project_patch("cache-mount-id", "/vllm-workspace/.deps")
    patched = patch_with_patchkit(read_fixture("Dockerfile.cpu-shape"), deps_patch)
    run = build_amd64_then_arm64(patched, "patchkit output")
    assert sharing_problems(run) == []
    # the id the patch asks for, with each architecture filled in
    wanted = re.search(r"^\s+id:\s*(\S+)\s*$", deps_patch, re.M)
    template = wanted.group(1).strip("'\"") if wanted else "{target}-${TARGETARCH}"
    assert run.cache_ids == [
        "/" + template.replace("${TARGETARCH}", arch) for arch in ("amd64", "arm64")
    ]
    outline = buildkit.parse_check(patched)
    assert outline.returncode == 0, outline.stderr


def test_one_multi_platform_build_keeps_the_arches_apart(
    buildkit: BuildKit, read_fixture: Callable[[str], str]
) -> None:
    """``--platform linux/amd64,linux/arm64`` in one build, as a release CI job does it."""
    buildkit.prune()
    result = buildkit.build(
        read_fixture("Dockerfile.cpu-shape.patched"),
        platform="linux/amd64,linux/arm64",
        label="patched, multi-platform",
    )
    for arch in ("amd64", "arm64"):
        saw = [line.split()[0] for line in result.read(f"linux_{arch}/deps-seen").splitlines()]
        assert saw == [arch]
    assert buildkit.cache_ids() == ["/deps-amd64", "/deps-arm64"]
