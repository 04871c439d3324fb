"""Inline suppression: ``# patchkit: ignore[CODE,...]`` on or directly above an instruction."""

from __future__ import annotations

from pathlib import Path

from patchkit.lint.runner import lint_text
from patchkit.lint.suppress import parse_directive

HERE = Path(__file__).resolve().parent / "fixtures" / "suppression"


def test_parse_directive() -> None:
    assert parse_directive("# patchkit: ignore[PKD001]") == {"PKD001"}
    assert parse_directive("#patchkit:ignore[ pkd001 , PKD003 ]") == {"PKD001", "PKD003"}
    assert parse_directive("RUN x  # patchkit: ignore[PKD002]") == {"PKD002"}
    assert parse_directive("# patchkit: ignore") == frozenset()
    assert parse_directive("# hadolint ignore=DL3008") == frozenset()


def test_directives_suppress(lint_helpers) -> None:
    text = (HERE / "suppressed.Dockerfile").read_text()
    result = lint_text(text, "suppressed.Dockerfile", lint_helpers["context_for"](text))
    assert result.violations == ()
    # three PKD001 findings and one PKD003 were found and hidden, not skipped
    assert result.suppressed == 4


def test_directives_that_do_not_apply(lint_helpers) -> None:
    text = (HERE / "not_suppressed.Dockerfile").read_text()
    result = lint_text(text, "not_suppressed.Dockerfile", lint_helpers["context_for"](text))
    lines = [result.tree.instructions[v.instruction].start_line for v in result.violations]
    assert lines == [6, 9, 13, 16]
    assert result.suppressed == 1
