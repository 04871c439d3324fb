"""The real-world Dockerfile corpus of issue 17 (``corpora/dockerfiles``).

``list.tsv`` and ``judgements.tsv`` are checked always. With
``PATCHKIT_DOCKERFILE_CORPUS`` set to a folder built by
``corpora/dockerfiles/build.sh``, PKD001 and PKD002 are run over it (two
platforms, as ``patchkit check`` assumes) and must report exactly the findings
judged "after", each right (real or plausible) at least nine times in ten.
"""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "corpora" / "dockerfiles"
ROOT = os.environ.get("PATCHKIT_DOCKERFILE_CORPUS")


def _rows(name: str) -> list[dict[str, str]]:
    with open(CORPUS / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def test_the_list_names_public_files_at_commits() -> None:
    rows = _rows("list.tsv")
    assert len(rows) >= 300
    assert len({r["repo"] for r in rows}) >= 50
    for r in rows:
        assert re.fullmatch(r"[0-9a-f]{40}", r["commit"]), r
        assert re.fullmatch(r"[0-9a-f]{40}", r["blob"]), r
        assert "vllm" not in r["repo"].lower(), r
    assert len({(r["repo"], r["path"]) for r in rows}) == len(rows)


def test_every_judgement_is_complete() -> None:
    files = {r["repo"].replace("/", "+", 1) + "/" + r["path"] for r in _rows("list.tsv")}
    for j in _rows("judgements.tsv"):
        assert j["path"] in files, j
        assert j["code"] in ("PKD001", "PKD002"), j
        assert j["verdict"] in ("real", "plausible", "noise"), j
        assert j["reason"].strip(), j
        assert "yes" in (j["before"], j["after"]), j


def _precision(code: str) -> float:
    after = [j for j in _rows("judgements.tsv") if j["after"] == "yes" and j["code"] == code]
    right = [j for j in after if j["verdict"] in ("real", "plausible")]
    return len(right) / len(after) if after else 1.0


@pytest.mark.parametrize("code", ["PKD001", "PKD002"])
def test_judged_precision_is_at_least_nine_in_ten(code: str) -> None:
    assert _precision(code) >= 0.9


@pytest.mark.corpus
@pytest.mark.slow
@pytest.mark.skipif(
    not ROOT, reason="PATCHKIT_DOCKERFILE_CORPUS is not set (corpora/dockerfiles/build.sh OUTDIR)"
)
def test_findings_on_the_corpus_are_the_judged_ones() -> None:
    from patchkit.lint.base import LintContext
    from patchkit.lint.runner import lint_text

    assert ROOT is not None
    context = LintContext(platforms=("linux/amd64", "linux/arm64"))
    found = set()
    for r in _rows("list.tsv"):
        rel = r["repo"].replace("/", "+", 1) + "/" + r["path"]
        text = (Path(ROOT) / rel).read_bytes().decode("utf-8", "replace")
        result = lint_text(text, rel, context, ["PKD001", "PKD002"])
        for v in result.violations:
            line = result.tree.line_col(v.start)[0]
            found.add((rel, str(line), v.code))
    judged = {
        (j["path"], j["line"], j["code"]) for j in _rows("judgements.tsv") if j["after"] == "yes"
    }
    assert found == judged
