"""Validation is linear in the input: 100,000-character strings are answered at once."""

from __future__ import annotations

import time

import pytest

from patchkit.versions import check, suggest_exver

pytestmark = pytest.mark.slow

N = 100_000
# Typically 0.1-0.5 s; the limit is generous because the test machine is shared. Anything
# quadratic in the length takes minutes at this size, so the limit still catches it.
LIMIT = 5.0

EXVER_INPUTS = {
    "huge number": "1" * N + ":0",
    "many components": "1." * (N // 2) + "1:0",
    "many identifiers": "1-" + "a." * (N // 2) + "a:0",
    "mixed identifiers": "1-" + "a1" * (N // 2) + ":0",
    "doubled dots": "1" + ".." * (N // 2),
    "no downstream": "0.21.1-" + "rc" * (N // 2),
    "spaces": " " * N,
    "long flavor": "#" + "a" * N + ":1:0",
    "long valid": "1.0.0-" + "a.1." * (N // 4) + "x:0",
    "rc0 repeated": "0.21.1-" + "rc0." * (N // 4) + ":0",
    "digits then letters": "1" * (N // 2) + "a" * (N // 2),
    "unicode digits": "１" * N,  # noqa: RUF001
}
RANGE_INPUTS = {
    "many anchors": ">=1:0 " * (N // 6) + "<2:0",
    "open parens": "(" * N,
    "bangs": "!" * N,
    "ors": "1:0 || " * (N // 7) + "1:0",
    "trailing space": ">=1:0 <2:0" + " " * N,
}


def _timed(fn: object, *args: object) -> float:
    start = time.perf_counter()
    fn(*args)  # type: ignore[operator]
    return time.perf_counter() - start


@pytest.mark.parametrize("name", sorted(EXVER_INPUTS))
def test_exver_check_and_suggestion_are_immediate(name: str) -> None:
    text = EXVER_INPUTS[name]
    assert _timed(check, text, "exver") < LIMIT
    assert _timed(check, text, "auto") < LIMIT  # also asks packaging and semver
    assert _timed(suggest_exver, text) < LIMIT


@pytest.mark.parametrize("name", sorted(RANGE_INPUTS))
def test_range_check_is_immediate(name: str) -> None:
    assert _timed(check, RANGE_INPUTS[name], "exver-range") < LIMIT


def test_time_grows_linearly() -> None:
    small, big = (
        "1." * 5_000 + "1-" + "a.1." * 5_000 + "x:0",
        "1." * 50_000 + "1-" + "a.1." * 50_000 + "x:0",
    )
    t_small = min(_timed(check, small, "exver") for _ in range(5))
    t_big = min(_timed(check, big, "exver") for _ in range(3))
    assert t_big < 40 * t_small + 0.05  # 10x the input: ~10x the time, never ~100x
