# A CPU image for an example Python inference server, written for patchkit's
# examples and tests. Its shape follows a typical multi-stage CPU build: a base
# stage with BuildKit cache mounts, a wheel build stage, and a release stage
# that installs the wheel through a bind mount from the build stage.

ARG PYTHON_VERSION=3.12
ARG BASE_IMAGE=ubuntu:22.04

######################### BASE IMAGE #########################
FROM ${BASE_IMAGE} AS base-common

ARG PYTHON_VERSION
ENV DEBIAN_FRONTEND=noninteractive \
    LANG=C.UTF-8

WORKDIR /vllm-workspace

RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \
    --mount=type=cache,target=/var/lib/apt,sharing=locked \
    apt-get update -y \
    && apt-get install -y --no-install-recommends \
        ccache git curl ca-certificates numactl gcc-12 g++-12 \
    && curl -LsSf https://astral.sh/uv/install.sh | sh

ENV PATH="/root/.local/bin:$PATH" \
    VIRTUAL_ENV=/opt/venv \
    UV_HTTP_TIMEOUT=500 \
    UV_LINK_MODE=copy

RUN --mount=type=cache,target=/root/.cache/uv \
    uv venv --python ${PYTHON_VERSION} --seed ${VIRTUAL_ENV}
ENV PATH="$VIRTUAL_ENV/bin:$PATH"

FROM base-common AS base

# Third-party sources (a shallow clone per architecture) are fetched into .deps.
RUN --mount=type=cache,target=/root/.cache/uv \
    --mount=type=cache,target=/vllm-workspace/.deps,sharing=locked \
    --mount=type=bind,src=requirements/cpu.txt,target=requirements/cpu.txt \
    --mount=type=bind,src=tools/fetch_deps.sh,target=tools/fetch_deps.sh \
    uv pip install --upgrade pip && \
    uv pip install -r requirements/cpu.txt && \
    sh tools/fetch_deps.sh .deps

######################### BUILD IMAGE #########################
FROM base AS build

ARG MAX_JOBS=4
ENV MAX_JOBS=${MAX_JOBS}

RUN --mount=type=cache,target=/root/.cache/uv \
    --mount=type=bind,src=requirements/build.txt,target=requirements/build.txt \
    uv pip install -r requirements/build.txt

COPY . .

RUN --mount=type=cache,target=/root/.cache/uv \
    --mount=type=cache,target=/root/.cache/ccache \
    --mount=type=cache,target=/vllm-workspace/.deps,sharing=locked \
    --mount=type=bind,source=.git,target=.git \
    # the wheel lands in dist/
    python -m build --wheel --no-isolation --outdir /dist

######################### TEST IMAGE #########################
FROM base AS test

RUN --mount=type=cache,target=/root/.cache/uv \
    --mount=type=bind,from=build,src=/dist,target=/dist \
    uv pip install /dist/*.whl pytest

CMD ["pytest", "-q", "tests"]

######################### RELEASE IMAGE #########################
FROM base AS release

RUN --mount=type=cache,target=/root/.cache/uv \
    --mount=type=bind,from=build,src=/dist,target=/dist \
    uv pip install /dist/*.whl

ENTRYPOINT ["python3", "-m", "example_server.entrypoint"]
