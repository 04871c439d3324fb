"""Laws over generated Dockerfiles: lint never raises, and --fix is idempotent,
parses, and keeps every line it does not own."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from patchkit.lint.base import LintContext
from patchkit.lint.runner import fix_text, lint_text

FRAGMENTS = [
    "FROM ubuntu:22.04 AS base",
    "FROM base AS build",
    "FROM ${IMAGE} AS final",
    "FROM base-${TARGETARCH} AS arch",
    "ARG TARGETARCH",
    "ARG REF=main",
    "ENV SETUPTOOLS_SCM_PRETEND_VERSION=v0.21.1",
    "ENV TARGETARCH=${TARGETARCH}",
    "COPY . .",
    "COPY --from=build /dist /dist",
    "RUN --mount=type=cache,target=/workspace/.deps make",
    "RUN --mount=type=cache,target=/root/.cache/uv,id=uv-${TARGETARCH} uv pip install -r r.txt",
    "RUN --mount=type=bind,from=build,src=/dist,target=/dist pip install /dist/*.whl",
    "RUN git clone https://github.com/org/lib /lib && git -C /lib checkout ${REF}",
    "RUN curl -LsSf https://astral.sh/uv/install.sh | sh",
    "RUN echo $TARGETPLATFORM",
    "RUN --mount=type=secret,id=wheel cp /run/secrets/wheel /dist/",
    "RUN apt-get install -y git \\\n    && pip install -r requirements.txt",
    "RUN <<EOF\necho $TARGETARCH\nEOF",
    "# patchkit: ignore[PKD001]",
    "",
]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    lines=st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=14),
    newline=st.sampled_from(["\n", "\r\n"]),
    builder=st.sampled_from(["buildkit", "buildah"]),
)
# regression: the fix inserts ARG TARGETARCH above the RUN, equal to the ARG after it; the
# line diff then aligns the RUN as deleted and re-inserted, which the law must accept
@example(
    lines=[
        "FROM ubuntu:22.04 AS base",
        "RUN --mount=type=cache,target=/workspace/.deps make",
        "ARG TARGETARCH",
    ],
    newline="\n",
    builder="buildkit",
)
def test_lint_and_fix_laws(lines: list[str], newline: str, builder: str, lint_helpers) -> None:
    from patchkit.dockerfile import parse

    text = newline.join(line.replace("\n", newline) for line in lines) + newline
    context = LintContext(platforms=("linux/amd64", "linux/arm64"), builder=builder)
    lint_text(text, "Dockerfile", context)
    once = fix_text(text, "Dockerfile", context, unsafe=True)
    assert str(parse(once.fixed)) == once.fixed
    again = fix_text(once.fixed, "Dockerfile", context, unsafe=True)
    assert again.fixed == once.fixed
    # outside inserted lines, only flags, ENV/ARG pairs and (PKD004/5 inline values) RUNs change
    spans = lint_helpers["owned_spans"](text, whole_runs=True)
    assert lint_helpers["changed_outside"](text, once.fixed, spans) == []


def test_repeated_inserted_lines_are_not_read_as_edits_elsewhere(
    lint_helpers: dict[str, Callable[..., object]],
) -> None:
    # Found by test_lint_and_fix_laws: the fixes insert `ARG TARGETARCH` before two RUNs
    # (and an ARG for PKD002); a character diff of the whole text paired the second
    # insertion with the end of the RUN before it and reported an edit outside any span.
    from patchkit.lint.base import LintContext
    from patchkit.lint.runner import fix_text

    text = (
        "FROM ubuntu:22.04 AS base\nFROM ${IMAGE} AS final\n"
        "RUN --mount=type=cache,target=/workspace/.deps make\nFROM base AS build\n"
        "RUN --mount=type=cache,target=/workspace/.deps make\n"
    )
    context = LintContext(platforms=("linux/amd64", "linux/arm64"))
    fixed = fix_text(text, "Dockerfile", context, unsafe=True).fixed
    assert fixed.count("ARG TARGETARCH\n") == 2
    spans = lint_helpers["owned_spans"](text, whole_runs=True)  # type: ignore[operator]
    assert lint_helpers["changed_outside"](text, fixed, spans) == []  # type: ignore[operator]
    # and an edit outside every span is still reported
    moved = fixed.replace("FROM base AS build", "FROM base AS other")
    assert lint_helpers["changed_outside"](text, moved, spans) != []  # type: ignore[operator]
