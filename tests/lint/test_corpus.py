"""Lint over every Dockerfile of the vLLM corpus: never crashes, and --fix output
(safe and unsafe fixes) parses, with BuildKit's parser too, and is clean.

Needs ``PATCHKIT_CORPUS`` (e.g. ``/work/corpus``, built by
``../shared/tools/corpus/build.sh``); skipped with a reason otherwise.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from patchkit.lint.base import Applicability, LintContext
from patchkit.lint.runner import fix_text, lint_text

pytestmark = [pytest.mark.corpus, pytest.mark.slow]

ROOT = os.environ.get("PATCHKIT_CORPUS")


def _files() -> list[Path]:
    if not ROOT:
        return []
    root = Path(ROOT)
    found = sorted((root / "vllm-all-blobs").glob("*.Dockerfile"))
    for version in sorted((root / "vllm").glob("*")):
        found += sorted(p for p in version.glob("Dockerfile*") if p.is_file())
        found += sorted(p for p in (version / "docker").glob("Dockerfile*") if p.is_file())
    return found


FILES = _files()


def _changed_spans(old: str, new: str) -> list[tuple[int, int]]:
    """Character spans of ``old`` that were replaced or deleted (pure insertions excluded).

    Lines first (fast on 60 KB files), then characters inside each changed block.
    """
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    offsets = [0]
    for line in a:
        offsets.append(offsets[-1] + len(line))
    out = []
    lines = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in lines.get_opcodes():
        if tag not in ("replace", "delete"):
            continue
        chunk_a, chunk_b = "".join(a[i1:i2]), "".join(b[j1:j2])
        chars = difflib.SequenceMatcher(None, chunk_a, chunk_b, autojunk=False)
        for ctag, c1, c2, _d1, _d2 in chars.get_opcodes():
            if ctag in ("replace", "delete"):
                out.append((offsets[i1] + c1, offsets[i1] + c2))
    return out


@pytest.mark.skipif(not ROOT, reason="PATCHKIT_CORPUS is not set (path of the vLLM corpus)")
def test_corpus_is_there() -> None:
    assert len([p for p in FILES if p.parent.name == "vllm-all-blobs"]) >= 200, ROOT


@pytest.mark.skipif(not ROOT, reason="PATCHKIT_CORPUS is not set (path of the vLLM corpus)")
@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_lint_and_fix(path: Path) -> None:
    from patchkit.dockerfile import parse

    dockerfile = pytest.importorskip("dockerfile")
    text = path.read_bytes().decode("utf-8")
    context = LintContext(platforms=("linux/amd64", "linux/arm64"), builder="buildah")
    result = lint_text(text, str(path), context)
    for v in result.violations:
        v.to_diagnostic(result.tree, str(path))
    outcome = fix_text(text, str(path), context, unsafe=True)
    if not outcome.changed:
        return
    fixed = outcome.fixed
    assert str(parse(fixed)) == fixed
    dockerfile.parse_string(fixed)
    # only insertions, or replacements inside flags and ENV/ARG pairs of the original
    tree = parse(text)
    spans = [(f.start, f.end) for i in tree.instructions for f in i.flags]
    spans += [(kv.key_start, kv.value_end) for i in tree.instructions for kv in i.pairs]
    spans += [(i.start, i.end) for i in tree.instructions if i.keyword == "RUN"]
    for start, end in _changed_spans(text, fixed):
        assert any(s <= start and end <= e for s, e in spans), text[start:end]
    left = [
        v
        for v in outcome.remaining.violations
        if v.fix is not None and v.fix.applicability is not Applicability.DISPLAY
    ]
    assert left == []
