"""PKD002's image scope follows the build's target (``LintContext.target``), else the last stage."""

from __future__ import annotations

from patchkit.lint.base import LintContext
from patchkit.lint.runner import lint_text

TEXT = (
    "FROM alpine AS tools\n"
    "RUN wget -O /usr/local/bin/mc https://dl.min.io/client/mc/release/linux-amd64/mc\n"
    "FROM alpine AS release\n"
    "RUN echo done\n"
)


def _lines(context: LintContext) -> list[int]:
    result = lint_text(TEXT, "Dockerfile", context, ["PKD002"])
    return [result.tree.line_col(v.start)[0] for v in result.violations]


def test_the_last_stage_is_the_image_by_default() -> None:
    assert _lines(LintContext()) == []  # `tools` is neither consumed nor the image


def test_a_target_makes_its_stage_the_image() -> None:
    assert _lines(LintContext(target="tools")) == [2]
    result = lint_text(TEXT, "Dockerfile", LintContext(target="TOOLS"), ["PKD002"])
    assert "the image keeps it" in result.violations[0].message
