"""PKD002's message on a long consume chain names a few consumers, not every stage.

Each stage of the chain is built FROM the one before and clones a branch; the last
stage copies every clone, so the first stage's clone reaches all n COPY lines.
Listing them all made each message grow with n, and the n messages together with n².
"""

from __future__ import annotations

import pytest

from patchkit.lint.base import LintContext
from patchkit.lint.runner import lint_text


def _chain(n: int) -> str:
    lines = ["FROM alpine AS s0", "RUN git clone https://example.org/r0.git /src0"]
    for i in range(1, n):
        lines += [f"FROM s{i - 1} AS s{i}", f"RUN git clone https://example.org/r{i}.git /src{i}"]
    lines += ["FROM alpine AS final"] + [f"COPY --from=s{i} /src{i} /src{i}" for i in range(n)]
    return "\n".join(lines) + "\n"


def _messages(n: int) -> list[str]:
    result = lint_text(_chain(n), "Dockerfile", LintContext(), ["PKD002"])
    return [v.message for v in result.violations]


def test_four_consumers_are_all_named() -> None:
    msgs = _messages(4)
    first = next(m for m in msgs if "r0.git" in m)
    # n=4: FROM final at line 9, the COPY lines are 10..13
    assert "the consumer at lines 10, 11, 12, 13 keeps it" in first


def test_first_stage_names_three_consumers_and_counts_the_rest() -> None:
    msgs = _messages(20)
    assert len(msgs) == 20  # one clone per stage
    first = next(m for m in msgs if "r0.git" in m)
    # the COPY lines are 42..61 (two lines per stage, then FROM final at 41)
    assert "the consumer at lines 42, 43, 44 and 17 more keeps it" in first
    last = next(m for m in msgs if "r19.git" in m)
    assert "the consumer at line 61 keeps it" in last


@pytest.mark.parametrize("n", [20, 40])
def test_message_length_does_not_grow_with_the_chain(n: int) -> None:
    longest = max(len(m) for m in _messages(n))
    shortest = min(len(m) for m in _messages(n))
    # same words; only line numbers and the count differ by a few digits
    assert longest - shortest < 40
    assert longest < 420
