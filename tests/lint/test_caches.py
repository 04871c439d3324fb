"""The cache table: which row a mount target gets, and what the row says.

Expected rows are written from the tools' documentation (the row's
``source``), not read back from the table.
"""

from __future__ import annotations

import pytest

from patchkit.dockerfile import parse
from patchkit.lint._caches import CACHES, CacheClass, classify, classify_mount, render_table


@pytest.mark.parametrize(
    ("target", "values", "programs", "tool", "platform_safe"),
    [
        # compiler caches: keyed by toolchain and target platform
        ("/root/.cache/ccache", {}, (), "ccache", True),
        ("/root/.ccache", {}, (), "ccache", True),
        ("/root/.cache/sccache-local", {}, (), "sccache", True),
        ("~/.cache/go-build", {}, (), "go build", True),
        ("/root/.triton", {}, (), "Triton kernels", True),
        # BuildKit's own Dockerfile: /root/.cache for `go build` holds go-build
        ("/root/.cache", {}, ("go",), "go build", True),
        ("/root/.cache/", {}, ("golangci-lint",), "golangci-lint", True),
        ("/root/.cache", {}, ("sh",), "XDG cache home", True),
        # download caches
        ("/root/.cache/pip", {}, (), "pip", True),
        ("/opt/uv/cache", {}, (), "uv", True),
        ("/var/lib/apt", {}, (), "apt", True),
        ("/var/lib/apt/lists", {}, (), "apt", True),
        ("$HOME/.cargo/registry", {}, (), "cargo registry/git", True),
        ("/usr/local/cargo/git", {}, (), "cargo registry/git", True),
        ("/home/nonroot/.cargo/registry", {}, (), "cargo registry/git", True),
        ("/go/pkg/mod", {}, (), "go modules", True),
        ("/go/pkg", {}, ("go",), "go modules", True),  # above the module cache
        ("/pnpm/store", {}, (), "pnpm", True),
        ("/root/.m2", {}, (), "maven", True),
        ("/root/.nuget/packages", {}, (), "nuget", True),
        # folders moved by variables in scope
        (
            "/cache/golangci-lint",
            {"GOLANGCI_LINT_CACHE": "/cache/golangci-lint"},
            (),
            "golangci-lint",
            True,
        ),
        ("/gocache", {"GOCACHE": "/gocache"}, (), "go build", True),
        ("/opt/cargo/registry", {"CARGO_HOME": "/opt/cargo"}, (), "cargo registry/git", True),
        ("${CARGO_HOME}/registry/index", {}, (), "cargo registry/git", True),  # value unknown
        (
            "/w/deps",
            {"FETCHCONTENT_BASE_DIR": "/w/deps"},
            (),
            "FetchContent/.deps dependency clones",
            False,
        ),
        # incremental build state
        ("/workspace/rust/target", {}, (), "cargo target", True),
        ("/src/build", {}, ("cmake",), "CMake/make build tree", False),
        ("/app/build", {}, ("yarn",), "unknown", None),  # a JS build: not a native tree
        ("/vllm-workspace/build", {}, ("python-build",), "CMake/make build tree", False),
        ("/app/build/target", {}, ("cargo", "cp"), "cargo target", True),
        ("/app/build/vcpkg_installed", {}, ("cmake",), "vcpkg", True),
        (
            "/app/node_modules/.cache",
            {},
            ("npm",),
            "tool caches in node_modules (.cache, .vite)",
            True,
        ),
        # mutable state, not keyed by platform
        ("/vllm-workspace/.deps", {}, (), "FetchContent/.deps dependency clones", False),
        ("/app/node_modules", {}, (), "node_modules", False),
        ("/opt/venv", {}, (), "Python virtualenv", False),
        ("/app/.venv", {}, ("uv", "lock-sync"), "Python virtualenv synced to a lockfile", False),
        ("/root/.cache", {}, ("npx", "playwright"), "Playwright browsers", False),
        # not in the table
        ("/tmp/whatever", {}, (), "unknown", None),
    ],
)
def test_rows(target, values, programs, tool, platform_safe) -> None:
    row = classify(target, values, programs)
    assert row.tool == tool
    assert row.platform_safe is platform_safe


def test_a_clone_into_the_cache_is_a_git_checkout() -> None:
    tree = parse(
        "FROM alpine\n"
        "RUN --mount=type=cache,target=/src git clone https://x.org/r /src/r && make -C /src/r\n"
    )
    run = tree.instructions[1]
    row = classify_mount(tree, run, run.mounts[0])
    assert row.tool == "git checkout" and row.cls is CacheClass.MUTABLE


def test_env_in_scope_moves_a_cache() -> None:
    tree = parse(
        "FROM golang:1.23\nENV GOCACHE=/build-cache\n"
        "RUN --mount=type=cache,target=/build-cache go build ./...\n"
    )
    run = tree.instructions[2]
    assert classify_mount(tree, run, run.mounts[0]).tool == "go build"


def test_every_row_has_evidence_and_the_docs_render_it() -> None:
    table = render_table()
    for row in CACHES:
        assert row.source and row.paths
        assert f"| {row.tool} |" in table
    from patchkit.lint.docs import explain

    assert "| apt | download cache |" in explain("PKD001")


def test_only_mutable_state_changes_results() -> None:
    mutable = {r.tool for r in CACHES if r.changes_results}
    assert mutable == {"FetchContent/.deps dependency clones", "Python virtualenv"}
