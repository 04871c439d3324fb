#!/usr/bin/env bash
# Measure, on the buildah that podman runs (StartOS's start-cli packs images with
# `podman build` unless it was compiled with its "docker" feature), the two facts
# the vLLM patch set depends on:
#   1. does a consuming RUN with --mount=type=bind,from=STAGE pick up a changed
#      artifact, with and without the checksum COPY (vLLM PR 44795's pattern)?
#   2. does a per-architecture cache id (id=deps-${TARGETARCH}) separate caches?
# Offline: images are built from a local two-platform manifest list holding a
# static busybox (an amd64 binary also runs under --platform linux/arm64, so no
# qemu is needed: only TARGETARCH and the image platform differ).
# usage: docs/research/buildah-measure.sh   (root; needs buildah and busybox-static)
# Everything lives in a private temp dir (TMPDIR too, which holds buildah's cache
# mounts); the exit trap removes it.
set -euo pipefail
command -v buildah >/dev/null || { echo "buildah not installed (apt-get install buildah)" >&2; exit 2; }
BUSYBOX=$(command -v busybox)
W=$(mktemp -d /tmp/buildah-measure.XXXXXX)
cleanup() { buildah --root "$W/root" --runroot "$W/run" --storage-driver vfs rm -a >/dev/null 2>&1 || true
            umount -R "$W/root" 2>/dev/null || true; rm -rf "$W"; }
trap cleanup EXIT
export TMPDIR="$W/tmp"; mkdir -p "$TMPDIR" "$W/ctx"
B=(buildah --root "$W/root" --runroot "$W/run" --storage-driver vfs)
echo "buildah: $(buildah --version)"

for p in amd64 arm64; do
  c=$("${B[@]}" from scratch); "${B[@]}" copy "$c" "$BUSYBOX" /bin/busybox >/dev/null
  "${B[@]}" config --arch "$p" --os linux "$c"; "${B[@]}" commit -q "$c" "localhost/base-$p" >/dev/null; "${B[@]}" rm "$c" >/dev/null
done
"${B[@]}" manifest create localhost/base >/dev/null
for p in amd64 arm64; do "${B[@]}" manifest add --arch "$p" --os linux localhost/base "containers-storage:localhost/base-$p" >/dev/null; done

build() { # name dockerfile-text platform [build args...]; prints the image's /out
  local name=$1 text=$2 platform=$3; shift 3
  printf '%s\n' "$text" > "$W/ctx/Dockerfile"
  if ! "${B[@]}" build --layers --pull=never --isolation chroot --platform "linux/$platform" "$@" \
       -t "localhost/$name" -f "$W/ctx/Dockerfile" "$W/ctx" > "$W/build.log" 2>&1; then
    echo "BUILD FAILED: $(grep -m1 -E 'Error|couldn.t find' "$W/build.log" | cut -c1-160)"; return 0
  fi
  local c m; c=$("${B[@]}" from -q --pull=never "localhost/$name"); m=$("${B[@]}" mount "$c")
  tr '\n' ' ' < "$m/out"; echo; "${B[@]}" umount "$c" >/dev/null; "${B[@]}" rm "$c" >/dev/null
}

PREAMBLE='FROM localhost/base AS base
RUN ["/bin/busybox", "--install", "-s", "/bin"]'
PRODUCER='FROM base AS build
COPY wheel.txt /src/wheel.txt
RUN mkdir -p /dist && cp /src/wheel.txt /dist/pkg.whl && sha256sum /dist/pkg.whl > /dist/pkg.whl.sha256'
CONSUMER='RUN --mount=type=bind,from=build,src=/dist,target=/dist cat /dist/pkg.whl /proc/sys/kernel/random/uuid > /out'

echo; echo "## 1. wheel v1, v1 again, then v2 (a source change: the producing stage is rebuilt)"
for variant in plain checksum-copy; do
  extra=""; [ "$variant" = checksum-copy ] && extra='COPY --from=build /dist/pkg.whl.sha256 /tmp/'
  text="$PREAMBLE
$PRODUCER
FROM base AS final
$extra
$CONSUMER"
  for w in v1 v1 v2; do echo "$w" > "$W/ctx/wheel.txt"; echo "$variant, wheel $w -> image: $(build "bind-$variant" "$text" amd64)"; done
done

echo; echo "## 2. consumer changed while the producing stage is a cache hit"
echo v2 > "$W/ctx/wheel.txt"
for variant in plain checksum-copy; do
  extra=""; [ "$variant" = checksum-copy ] && extra='COPY --from=build /dist/pkg.whl.sha256 /tmp/'
  text="$PREAMBLE
$PRODUCER
FROM base AS final
$extra
RUN echo consumer-changed
$CONSUMER"
  echo "$variant -> image: $(build "changed-$variant" "$text" amd64)"
done

echo; echo "## 3. the version as a build arg: declared in the producing stage only, or also in the consumer"
for variant in producer-arg consumer-arg; do
  extra=""; [ "$variant" = consumer-arg ] && extra='ARG VLLM_VERSION'
  text="$PREAMBLE
FROM base AS build
ARG VLLM_VERSION
ENV SETUPTOOLS_SCM_PRETEND_VERSION=\${VLLM_VERSION}
RUN mkdir -p /dist && echo \"wheel-\$SETUPTOOLS_SCM_PRETEND_VERSION\" > /dist/pkg.whl
FROM base AS final2
$extra
$CONSUMER"
  for v in 0.33.0 0.33.1; do echo "$variant, VLLM_VERSION=$v -> image: $(build "arg-$variant" "$text" amd64 --build-arg VLLM_VERSION=$v)"; done
done

echo; echo "## 4. cache mount ids: amd64 build, then arm64 build on the same machine"
for variant in no-id arg-id env-inherited-id undeclared-id; do
  case $variant in
    no-id) stage=""; mount='--mount=type=cache,target=/c';;
    arg-id) stage='ARG TARGETARCH'; mount='--mount=type=cache,target=/c,id=argid-${TARGETARCH}';;
    env-inherited-id) stage=''; mount='--mount=type=cache,target=/c,id=envid-${TARGETARCH}';;
    undeclared-id) stage=''; mount='--mount=type=cache,target=/c,id=noarg-${TARGETARCH}';;
  esac
  parent="$PREAMBLE"
  [ "$variant" = env-inherited-id ] && parent="$PREAMBLE
ARG TARGETARCH
ENV TARGETARCH=\${TARGETARCH}"
  text="$parent
FROM base AS child
$stage
RUN $mount uname -m >/dev/null; echo \"\$(cat /proc/sys/kernel/random/uuid | cut -c1-4)\" >> /c/seen; wc -l < /c/seen > /out"
  for p in amd64 arm64; do echo "$variant, $p build -> entries in its cache: $(build "cache-$variant-$p" "$text" "$p")"; done
done
echo; echo "cache folders buildah created: $(ls "$TMPDIR/buildah-cache"* 2>/dev/null | tr '\n' ' ')"
