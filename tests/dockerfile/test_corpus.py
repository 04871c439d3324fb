"""The vLLM corpus: every real Dockerfile round-trips byte for byte and reads like BuildKit.

Runs when ``PATCHKIT_CORPUS`` names a corpus built by
``../shared/tools/corpus/build.sh DIR`` (files under ``DIR/vllm-all-blobs/*.Dockerfile``);
skips, saying so, otherwise. ``.ci/setup-tree.sh`` exports it when a corpus is present.

Agreement is checked against the BuildKit v0.12.5 oracle in legacy mode (every file
must agree), and in the default, current-BuildKit mode (a file may differ only in
the ways listed in test_oracle.NEWER; the test names each such file and why).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from patchkit.dockerfile import parse

pytestmark = [pytest.mark.corpus, pytest.mark.slow]


def _blobs() -> list[Path]:
    root = os.environ.get("PATCHKIT_CORPUS")
    if not root:
        pytest.skip(
            "PATCHKIT_CORPUS is not set (build one with ../shared/tools/corpus/build.sh DIR)"
        )
    files = sorted((Path(root) / "vllm-all-blobs").glob("*.Dockerfile"))
    if not files:
        pytest.skip(f"PATCHKIT_CORPUS={root} has no vllm-all-blobs/*.Dockerfile")
    return files


def test_corpus_round_trips_byte_for_byte() -> None:
    files = _blobs()
    bad = []
    for f in files:
        data = f.read_bytes()
        text = data.decode("utf-8")
        if str(parse(text)).encode("utf-8") != data:
            bad.append(f.name)
    assert bad == [], f"{len(bad)} of {len(files)} files do not round-trip: {bad[:10]}"


def test_corpus_agrees_with_buildkit(views) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip(
        "dockerfile", reason="the BuildKit oracle (PyPI dockerfile==3.4.0) is not installed"
    )
    files = _blobs()
    legacy_bad: list[str] = []
    current_diff: list[str] = []
    for f in files:
        text = views.read(f)
        theirs = views.oracle(text)
        if not views.same(views.tree(parse(text, legacy=True)), theirs):
            legacy_bad.append(f.name)
        if not views.same(views.tree(parse(text)), theirs):
            current_diff.append(f.name)
    assert legacy_bad == [], (
        f"{len(legacy_bad)} of {len(files)} files disagree with BuildKit v0.12.5"
    )
    # Current BuildKit differs from v0.12.5 only on `<< WORD` (blank after <<), `# check=`,
    # JSON with trailing text, ${x#p}/${x%p}/${x/p/r} on heredoc lines, and backslashes in
    # flags under a backtick escape. None of vLLM's 270 release blobs uses any of them.
    assert current_diff == [], f"files where current BuildKit reads differently: {current_diff}"
