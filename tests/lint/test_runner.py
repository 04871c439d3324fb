"""The fix loop: overlapping fixes wait for the next pass, and a fix that never
settles is an internal error, not an endless loop."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from patchkit.errors import InternalError
from patchkit.lint import runner
from patchkit.lint.base import Applicability, Fix, LintContext, Violation


def test_fix_applies_both_fixes_of_one_run_and_converges() -> None:
    text = (
        "FROM ubuntu:22.04\n"
        "RUN --mount=type=cache,target=/a/.deps \\\n"
        "    --mount=type=cache,target=/b/build \\\n"
        "    make\n"
    )
    ctx = LintContext(platforms=("linux/amd64", "linux/arm64"))
    result = runner.fix_text(text, "Dockerfile", ctx, ["PKD001"])
    assert result.fixed == (
        "FROM ubuntu:22.04\n"
        "ARG TARGETARCH\n"
        "RUN --mount=type=cache,target=/a/.deps,id=deps-${TARGETARCH} \\\n"
        "    --mount=type=cache,target=/b/build,id=build-${TARGETARCH} \\\n"
        "    make\n"
    )
    assert [v.code for v in result.applied] == ["PKD001", "PKD001"]
    assert result.remaining.violations == ()


def test_unsafe_fixes_need_the_flag() -> None:
    text = "FROM alpine AS b\nRUN git clone https://x.org/r /r\nFROM alpine\nCOPY --from=b /r /r\n"
    safe = runner.fix_text(text, "Dockerfile", LintContext(), ["PKD002"])
    assert not safe.changed and len(safe.remaining.violations) == 1
    unsafe = runner.fix_text(text, "Dockerfile", LintContext(), ["PKD002"], unsafe=True)
    assert "ARG PATCHKIT_CACHE_INPUT\nRUN git clone" in unsafe.fixed
    assert unsafe.remaining.violations == ()


class _Flapping:
    """A broken rule whose fix always finds something new to change."""

    code = "PKD001"
    name = "flapping"

    def check(self, tree, context) -> Iterator[Violation]:
        from patchkit.dockerfile.edit import Edit

        yield Violation(
            "PKD001",
            "again",
            0,
            0,
            0,
            fix=Fix("grow", Applicability.SAFE, lambda: [Edit(0, 0, "# x\n")]),
        )


def test_a_fix_that_never_settles_is_an_internal_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "load", lambda code: _Flapping())
    with pytest.raises(InternalError, match="still change the file after 10 passes"):
        runner.fix_text("FROM alpine\n", "Dockerfile", LintContext(), ["PKD001"])
