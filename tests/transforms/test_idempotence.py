"""Property: apply(apply(f)) == apply(f) for every kind, over generated vLLM-shaped Dockerfiles."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from patchkit.dockerfile import parse
from patchkit.engine import PatchConflict, apply_to_text
from patchkit.series import Patch
from patchkit.states import PatchState

STAGES = ["base", "app-build", "app-test", "app-server", "base-arch"]
CHECKSUM_COPY = "COPY --from=app-build /app-workspace/dist/wheel.sha256 /tmp/app-build-w.sha256"
CACHE_TARGETS = ["/root/.cache/uv", "/app-workspace/.deps", "/root/.cache/ccache", "/var/cache/apt"]
COMMANDS = [
    "APP_TARGET_DEVICE=cpu python3 setup.py bdist_wheel --dist-dir=dist",
    "uv pip install dist/*.whl",
    "make deps",
    "SETUPTOOLS_SCM_PRETEND_VERSION_FOR_APP=1 python3 setup.py develop",
    "uv pip install -r requirements/cpu.txt --torch-backend cpu",
    "sha256sum dist/*.whl > dist/wheel.sha256",
]

# Parameter variants per kind: each is run alone on every generated file.
PATCHES: dict[str, list[str]] = {
    "cache-mount-id": [
        "kind: cache-mount-id\ntarget: /app-workspace/.deps\nid: 'deps-${TARGETARCH}'",
        "kind: cache-mount-id\nstages: [app-build]\nid: '{name}-${TARGETARCH}'",
        "kind: cache-mount-id\ntarget: [/root/.cache/uv, /root/.cache/ccache]",
    ],
    "scm-pretend-version": [
        "kind: scm-pretend-version",
        "kind: scm-pretend-version\narg: APP_VERSION\nstage: app-build",
        "kind: scm-pretend-version\narg: APP_VERSION\ndefault: '0.0.0'",
    ],
    "cache-key-arg": [
        "kind: cache-key-arg\nname: APP_COMMIT\nrun: bdist_wheel",
        "kind: cache-key-arg\nname: APP_COMMIT\nstage: app-build",
        "kind: cache-key-arg\nname: TARGETARCH\nrun: 'uv pip'",
    ],
    "bind-mount-cache-key": [
        "kind: bind-mount-cache-key\nfrom: app-build",
        "kind: bind-mount-cache-key\nfrom: app-build\nsource: /app-workspace/dist\n"
        "stages: [app-server]",
    ],
    "insert": [
        "kind: insert\nanchor: {keyword: WORKDIR}\ntext: ENV HF_HUB_DOWNLOAD_TIMEOUT=120",
        "kind: insert\nanchor: {keyword: RUN, pattern: 'uv pip'}\ntext: ENV UV_HTTP_TIMEOUT=500\n"
        "position: before\nall: true",
    ],
    "replace": [
        "kind: replace\nanchor: {keyword: RUN, pattern: 'uv pip install'}\n"
        "find: '--torch-backend cpu'\nwith: '--torch-backend cpu --no-cache'\nall: true",
        "kind: replace\nanchor: {keyword: WORKDIR}\nwith: WORKDIR /app-workspace",
        "kind: replace\nanchor: {keyword: RUN, pattern: 'make'}\nfind: 'make (\\w+)'\n"
        "with: 'make -j8 \\1'",
    ],
}


VARIANTS = [(kind, i) for kind, texts in PATCHES.items() for i in range(len(texts))]


@st.composite
def mounts(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["cache", "cache", "bind"]))
    if kind == "bind":
        return "--mount=type=bind,from=app-build,src=/app-workspace/dist,target=dist"
    parts = ["type=cache", f"target={draw(st.sampled_from(CACHE_TARGETS))}"]
    ident = draw(st.sampled_from([None, None, "deps", "x-${TARGETARCH}"]))
    if ident:
        parts.insert(draw(st.integers(0, len(parts))), f"id={ident}")
    if draw(st.booleans()):
        parts.append("sharing=locked")
    return "--mount=" + ",".join(parts)


@st.composite
def instructions(draw: st.DrawFn) -> list[str]:
    choice = draw(st.integers(0, 8))
    if choice == 0:
        name = draw(st.sampled_from(["TARGETARCH", "APP_VERSION", "APP_COMMIT", "PYTHON_VERSION"]))
        return [f"ARG {name}" + draw(st.sampled_from(["", "=3.12"]))]
    if choice == 1:
        key = draw(
            st.sampled_from(
                [
                    "SETUPTOOLS_SCM_PRETEND_VERSION_FOR_APP",
                    "SETUPTOOLS_SCM_PRETEND_VERSION",
                    "MAX_JOBS",
                ]
            )
        )
        return [f"ENV {key}=${{APP_VERSION}}"]
    if choice == 2:
        return [f"WORKDIR {draw(st.sampled_from(['/app-workspace', '/workspace']))}"]
    if choice == 3:
        return [
            draw(
                st.sampled_from(
                    [
                        "COPY . .",
                        CHECKSUM_COPY,
                    ]
                )
            )
        ]
    if choice == 4:
        return [draw(st.sampled_from(["# a comment", "", "#   another comment"]))]
    parts = [*draw(st.lists(mounts(), max_size=3)), draw(st.sampled_from(COMMANDS))]
    if draw(st.booleans()):
        return ["RUN " + " ".join(parts)]
    lines = ["RUN " + parts[0] + " \\"] + [f"    {p} \\" for p in parts[1:-1]]
    if len(parts) > 1:
        lines.append(f"    {parts[-1]}")
    else:
        lines[0] = lines[0][:-2]
    return lines


@st.composite
def dockerfiles(draw: st.DrawFn) -> str:
    names = draw(st.lists(st.sampled_from(STAGES), min_size=1, max_size=4, unique=True))
    lines: list[str] = []
    if draw(st.booleans()):
        lines.append(
            draw(
                st.sampled_from(["# syntax=docker/dockerfile:1", "# syntax=docker/dockerfile:1.2"])
            )
        )
    for i, name in enumerate(names):
        base = draw(st.sampled_from(["ubuntu:22.04", *names[:i]]))
        lines.append(f"FROM {base} AS {name}")
        for instr in draw(st.lists(instructions(), max_size=6)):
            lines.extend(instr)
        lines.append("")
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return newline.join(lines) + (newline if draw(st.booleans()) else "")


def _check(text: str, patches: list[Patch]) -> None:
    try:
        once = apply_to_text(text, patches, path="Dockerfile").text  # verifies idempotence itself
    except PatchConflict:
        reject()
    twice = apply_to_text(once, patches, path="Dockerfile", verify=False)
    assert twice.text == once
    assert str(parse(once)) == once
    for patch, state in twice.states:
        assert state.state is not PatchState.PENDING, (patch.id, state.message)


# A quick pass on every run; a deep one (marked slow) in CI.
DEPTHS = [pytest.param(25, id="quick"), pytest.param(400, id="deep", marks=pytest.mark.slow)]


def _property(examples: int, body: Callable[[str], None]) -> None:
    run = settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.filter_too_much],
    )(given(text=dockerfiles())(body))
    run()


@pytest.mark.parametrize("examples", DEPTHS)
@pytest.mark.parametrize(("kind", "variant"), VARIANTS)
def test_apply_twice_equals_apply_once(
    kind: str, variant: int, examples: int, make_patch: Callable[..., Patch]
) -> None:
    patch = make_patch(PATCHES[kind][variant], f"{kind}-{variant}")
    _property(examples, lambda text: _check(text, [patch]))


@pytest.mark.parametrize("examples", DEPTHS)
def test_a_series_of_every_kind_is_idempotent(
    examples: int, make_patch: Callable[..., Patch]
) -> None:
    patches = [make_patch(texts[0], kind) for kind, texts in PATCHES.items()]
    _property(2 * examples, lambda text: _check(text, patches))
