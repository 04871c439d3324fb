"""What a ``--mount=type=cache`` holds, judged from its target (and id).

Three kinds, used by PKD001 (may platforms share it?) and PKD002 (can its
content change a build's output while the RUN's cache key stays the same?):

- ``COMPILER``: ccache, sccache, Go's build cache. Entries are addressed by a
  hash of the compiler, its flags and its input, so a hit gives the output a
  fresh compile would have given; builds for another platform run another
  compiler (or other flags) and never hit each other's entries.
- ``PACKAGE``: package download caches (pip, uv, apt, apk, dnf/yum, cargo's
  registry and git checkouts, npm/yarn/pnpm, Go modules, conda, Maven,
  Gradle, Hugging Face downloads). Entries are named by version and platform
  tag (wheels, ``.deb`` files) or are platform-independent (sources, index
  data), so one platform never *uses* another's files. Whether platforms may
  share them is the judgement call PKD001's ``package_caches`` option makes.
- ``OTHER``: anything else (``.deps`` with CMake FetchContent clones and
  build trees, Rust ``target/``, Triton kernels, ``node_modules``, a venv):
  build state that is platform-specific and whose content feeds the build.
"""

from __future__ import annotations

import re
from enum import Enum

__all__ = ["CacheKind", "classify"]


class CacheKind(str, Enum):
    COMPILER = "compiler cache"
    PACKAGE = "package download cache"
    OTHER = "build-state cache"


_COMPILER = (
    re.compile(r"(?:^|/)\.?ccache(?:/|$)"),
    re.compile(r"(?:^|/)\.?sccache[\w.-]*(?:/|$)"),
    re.compile(r"(?:^|/)go-build(?:/|$)"),
)
_PACKAGE = (
    re.compile(r"(?:^|/)pip(?:/|$)"),  # /root/.cache/pip, /opt/pip/cache
    re.compile(r"(?:^|/)uv(?:/|$)"),  # /root/.cache/uv, /opt/uv/cache
    re.compile(r"^/var/(?:cache|lib)/(?:apt|apk|dnf|yum|zypp|pacman)(?:/|$)"),
    re.compile(r"(?:^|/)\.cargo/(?:registry|git)(?:/|$)"),
    re.compile(r"(?:^|/)(?:\.npm|\.yarn|yarn|\.pnpm-store|pnpm)(?:/|$)"),
    re.compile(r"(?:^|/)go/pkg/mod(?:/|$)|(?:^|/)gomod(?:/|$)"),
    re.compile(r"(?:^|/)(?:conda|\.conda|mamba)/pkgs(?:/|$)"),
    re.compile(r"(?:^|/)\.m2(?:/|$)|(?:^|/)\.gradle(?:/|$)"),
    re.compile(r"(?:^|/)huggingface(?:/|$)"),
    re.compile(r"(?:^|/)poetry(?:/|$)|(?:^|/)pypoetry(?:/|$)"),
)


def classify(target: str | None) -> CacheKind:
    """The kind of cache mounted at ``target`` (a ``~``/``$HOME`` prefix reads as ``/root``)."""
    path = (target or "").strip().strip("'\"")
    path = re.sub(r"^(?:~|\$HOME|\$\{HOME\})", "/root", path)
    for pattern in _COMPILER:
        if pattern.search(path):
            return CacheKind.COMPILER
    for pattern in _PACKAGE:
        if pattern.search(path):
            return CacheKind.PACKAGE
    return CacheKind.OTHER
