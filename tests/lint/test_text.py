"""The small judgements PKD002 rests on: moving refs, pinned URLs, shell words."""

from __future__ import annotations

import pytest

from patchkit.lint._text import assigned_names, is_moving_ref, is_pinned_url, words


@pytest.mark.parametrize(
    ("ref", "moving"),
    [
        ("main", True),
        ("master", True),
        ("HEAD", True),
        ("release/2.4", True),
        ("jpvillam/gfx1250_wip", True),
        ("padroute", True),
        ("origin/main", True),
        ("v0.8.1", False),
        ("rocm-6.3.1", False),
        ("v2", False),
        ("0b9f2c8", False),
        ("7e1ed08", False),
        ("a" * 40, False),
        ("refs/tags/v1.2.3", False),
        ("pgbouncer_1_24_1", False),  # a release tag spelled with underscores
        ("x86_64", True),
        ("FETCH_HEAD", False),
    ],
)
def test_moving_refs(ref: str, moving: bool) -> None:
    assert is_moving_ref(ref) is moving


@pytest.mark.parametrize(
    ("url", "pinned"),
    [
        ("https://astral.sh/uv/install.sh", False),
        ("https://sh.rustup.rs", False),
        ("https://bootstrap.pypa.io/get-pip.py", False),
        ("https://raw.githubusercontent.com/org/repo/main/install.sh", False),
        ("https://github.com/org/repo/releases/latest/download/tool", False),
        ("https://github.com/org/repo/archive/refs/heads/main.tar.gz", False),
        ("https://github.com/mozilla/sccache/releases/download/v0.8.1/sccache.tgz", True),
        ("https://sourceware.org/pub/binutils/releases/binutils-2.47.tar.xz", True),
        ("https://x.org/cuda-keyring_1.1-1_all.deb", True),
        # issue 17: a latest/ or nightly/ folder moves even when the file name has a version
        (
            "https://ftp2.osuosl.org/pub/ppc64el/openblas/latest/Openblas_0.3.29_ppc64le.tar.gz",
            False,
        ),
        ("https://github.com/o/r/releases/latest/download/curl-1.2-amd64", False),
        ("https://download.pytorch.org/whl/nightly/torch-2.6.0.dev-cp312.whl", False),
        ("https://raw.githubusercontent.com/o/r/main/requirements.txt", False),
        ("https://github.com/o/r/archive/main.zip", False),
        # a version in the file name pins it in other folders, and main is not a branch there
        ("https://download.docker.com/linux/static/stable/x86_64/docker-27.1.1.tgz", True),
        ("https://deb.debian.org/debian/pool/main/c/curl/curl_7.88.1-10_amd64.deb", True),
        ("https://deb.nodesource.com/setup_24.x", True),
        ("https://github.com/k/lowdown/archive/refs/tags/VERSION_1_0_2.tar.gz", True),
        ("https://awscli.amazonaws.com/awscli-exe-linux-x86_64.zip", False),
        ("https://github.com/org/repo/archive/1f2e3d4c5b.tar.gz", True),
    ],
)
def test_pinned_urls(url: str, pinned: bool) -> None:
    assert is_pinned_url(url) is pinned


def test_words_follow_shell_quoting() -> None:
    assert words('git clone -b "a b" x') == ["git", "clone", "-b", "a b", "x"]
    assert words("pip install 'lib @ git+https://x/y@v1'") == [
        "pip",
        "install",
        "lib @ git+https://x/y@v1",
    ]
    assert words("a\\ b 'unterminated") == ["a b", "unterminated"]


def test_assigned_names() -> None:
    script = "export TARGETARCH=$(uname -m); for ARCH in a b; do X=1 y; done; read -r Z"
    assert {"TARGETARCH", "ARCH", "X", "Z"} <= assigned_names(script)
