"""PKD007 against BuildKit's own parser: its parser findings come exactly when BuildKit's
parser refuses the file, and real Dockerfiles that build get no finding at all.

The oracle is PyPI ``dockerfile`` 3.4.0 (BuildKit v0.12.5's parser). Lint reads files
the way current BuildKit does; the lint fixtures and the corpus hold none of the
constructs whose verdict changed since v0.12.5 (``tests/dockerfile/test_oracle.py``
lists those), so the two verdicts must be the same on every file here.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from patchkit.lint.base import LintContext
from patchkit.lint.runner import lint_text

dockerfile = pytest.importorskip(
    "dockerfile", reason="the BuildKit oracle (PyPI dockerfile==3.4.0) is not installed"
)

HERE = Path(__file__).resolve().parent
FIXTURES = sorted((HERE / "fixtures").rglob("*.Dockerfile"))


def _corpus() -> list[Path]:
    root = os.environ.get("PATCHKIT_CORPUS")
    return sorted(Path(root, "vllm-all-blobs").glob("*.Dockerfile")) if root else []


def _verdicts(path: Path) -> tuple[bool, str | None]:
    """Whether PKD007 reports a parser refusal, and BuildKit's parser error (None: accepted).

    PKD007's other findings (``instructions.Parse``) are not the parser's: the oracle
    accepts those files, and ``tests/dockerfile/test_instruction_errors.py`` covers them.
    """
    text = path.read_bytes().decode("utf-8")
    found = lint_text(text, path.name, LintContext(), ["PKD007"]).violations
    parser_found = any("Dockerfile parser refuses" in v.message for v in found)
    try:
        dockerfile.parse_string(text)
        refused = None
    except dockerfile.GoParseError as exc:
        refused = str(exc)
    return parser_found, refused


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_pkd007_fires_exactly_when_buildkit_refuses_the_fixture(path: Path) -> None:
    reported, refused = _verdicts(path)
    assert reported == (refused is not None), refused


def test_the_pkd007_parser_fixtures_are_refused_by_buildkits_parser() -> None:
    flagged = [
        p
        for p in FIXTURES
        if p.parent.name == "PKD007"
        and p.stem.startswith("flag_")
        and p.stem != "flag_instruction_errors"  # refused after the parser: no oracle
    ]
    assert len(flagged) == 3
    assert all(_verdicts(p)[1] is not None for p in flagged)


@pytest.mark.corpus
@pytest.mark.skipif(not _corpus(), reason="PATCHKIT_CORPUS is not set (the vLLM corpus folder)")
def test_pkd007_agrees_with_buildkit_on_every_corpus_file() -> None:
    disagree, findings = [], []
    for path in _corpus():
        reported, refused = _verdicts(path)
        if reported != (refused is not None):
            disagree.append((path.name, reported, refused))
        text = path.read_bytes().decode("utf-8")
        findings += [
            (path.name, v.message)
            for v in lint_text(text, path.name, LintContext(), ["PKD007"]).violations
        ]
    assert not disagree
    # and no finding of the second reading either, on any vLLM release's Dockerfiles
    assert not findings
