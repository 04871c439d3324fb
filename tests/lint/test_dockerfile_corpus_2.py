"""The second real-world Dockerfile corpus (``corpora/dockerfiles-2``): every PKD rule.

``list.tsv`` and ``judgements.tsv`` are checked always: other repositories than the
first corpus's, and each rule's judged findings right (real or plausible) at least
nine times in ten. With ``PATCHKIT_DOCKERFILE_CORPUS_2`` set to a folder built by
``corpora/dockerfiles/build.sh --list corpora/dockerfiles-2/list.tsv``, every PKD
rule is run over it (without platforms, and with linux/amd64,linux/arm64 for a file
that names a platform ARG or ``--platform``) and must report exactly the findings
judged "after".
"""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

import pytest

CORPORA = Path(__file__).resolve().parents[2] / "corpora"
ROOT = os.environ.get("PATCHKIT_DOCKERFILE_CORPUS_2")
CODES = ("PKD001", "PKD002", "PKD003", "PKD004", "PKD005", "PKD006", "PKD007", "PKD008")
MULTI = re.compile(r"TARGETARCH|TARGETPLATFORM|TARGETOS|TARGETVARIANT|BUILDPLATFORM|--platform")


def _rows(corpus: str, name: str) -> list[dict[str, str]]:
    with open(CORPORA / corpus / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def test_the_list_is_new_public_files_at_commits() -> None:
    rows = _rows("dockerfiles-2", "list.tsv")
    first = {r["repo"].lower() for r in _rows("dockerfiles", "list.tsv")}
    assert len(rows) >= 300
    assert len({r["repo"] for r in rows}) >= 40
    for r in rows:
        assert r["repo"].lower() not in first, r
        assert "vllm" not in r["repo"].lower(), r
        assert re.fullmatch(r"[0-9a-f]{40}", r["commit"]), r
        assert re.fullmatch(r"[0-9a-f]{40}", r["blob"]), r
    assert len({(r["repo"], r["path"]) for r in rows}) == len(rows)


def test_every_judgement_is_complete() -> None:
    files = {
        r["repo"].replace("/", "+", 1) + "/" + r["path"] for r in _rows("dockerfiles-2", "list.tsv")
    }
    for j in _rows("dockerfiles-2", "judgements.tsv"):
        assert j["path"] in files, j
        assert j["code"] in CODES, j
        assert j["mode"] in ("none", "multi", "both"), j
        assert j["verdict"] in ("real", "plausible", "noise"), j
        assert j["reason"].strip(), j
        assert "yes" in (j["before"], j["after"]), j


@pytest.mark.parametrize("code", CODES)
def test_judged_precision_is_at_least_nine_in_ten(code: str) -> None:
    after = [
        j
        for j in _rows("dockerfiles-2", "judgements.tsv")
        if j["after"] == "yes" and j["code"] == code
    ]
    right = [j for j in after if j["verdict"] in ("real", "plausible")]
    assert len(right) >= 0.9 * len(after)


@pytest.mark.corpus
@pytest.mark.slow
@pytest.mark.skipif(
    not ROOT,
    reason="PATCHKIT_DOCKERFILE_CORPUS_2 is not set (corpora/dockerfiles/build.sh --list "
    "corpora/dockerfiles-2/list.tsv OUTDIR)",
)
def test_findings_on_the_corpus_are_the_judged_ones() -> None:
    from patchkit.lint.base import LintContext
    from patchkit.lint.runner import lint_text

    assert ROOT is not None
    contexts = {
        "none": LintContext(),
        "multi": LintContext(platforms=("linux/amd64", "linux/arm64")),
    }
    found: dict[tuple[str, str, str], set[str]] = {}
    for r in _rows("dockerfiles-2", "list.tsv"):
        rel = r["repo"].replace("/", "+", 1) + "/" + r["path"]
        text = (Path(ROOT) / rel).read_bytes().decode("utf-8", "replace")
        modes = ("none", "multi") if MULTI.search(text) else ("none",)
        for mode in modes:
            result = lint_text(text, rel, contexts[mode], list(CODES))
            for v in result.violations:
                line = result.tree.line_col(v.start)[0]
                found.setdefault((rel, str(line), v.code), set()).add(mode)
    got = {k: ("both" if len(m) == 2 else next(iter(m))) for k, m in found.items()}
    judged = {
        (j["path"], j["line"], j["code"]): j["mode"]
        for j in _rows("dockerfiles-2", "judgements.tsv")
        if j["after"] == "yes"
    }
    assert got == judged
