ARG BASE_IMAGE=rocm/dev-ubuntu-22.04:6.2-complete
ARG REMOTE_SRC="0"
ARG COMMON_WORKDIR=/app
ARG ARG_PYTORCH_ROCM_ARCH

FROM ${BASE_IMAGE} AS base
ARG ARG_PYTORCH_ROCM_ARCH
ENV PYTORCH_ROCM_ARCH=${ARG_PYTORCH_ROCM_ARCH:-${PYTORCH_ROCM_ARCH}}
RUN apt-get update -q -y && apt-get install -q -y \
    sqlite3 libsqlite3-dev libfmt-dev libmsgpack-dev libsuitesparse-dev \
    # ccache speeds up repeated builds \
    ccache
RUN --mount=type=cache,id=rocm-uv,target=/root/.cache/uv,sharing=locked \
    python3 -m pip install --upgrade pip

FROM base AS fetch_src_0
ONBUILD COPY ./ src/
FROM base AS fetch_src_1
ARG SRC_REPO="https://example.org/project.git"
ARG SRC_BRANCH="main"
ONBUILD RUN git clone ${SRC_REPO} \
	&& cd project \
	&& git checkout ${SRC_BRANCH}
FROM fetch_src_${REMOTE_SRC} AS fetch_src

FROM fetch_src AS build
WORKDIR ${COMMON_WORKDIR}
RUN cd src \
    && python3 -m pip install -r requirements/rocm.txt \
    && python3 setup.py clean --all  \
    && python3 setup.py bdist_wheel --dist-dir=dist
FROM scratch AS export_wheels
ARG COMMON_WORKDIR
COPY --from=build ${COMMON_WORKDIR}/src/dist/*.whl /

FROM base AS final
RUN python3 -m pip install --upgrade pip && rm -rf /var/lib/apt/lists/*
RUN --mount=type=bind,from=export_wheels,src=/,target=/install \
    pip install /install/*.whl
ARG COMMIT=""
LABEL org.opencontainers.image.revision="${COMMIT}" \
      org.opencontainers.image.title="example rocm"
CMD ["/bin/bash"]
