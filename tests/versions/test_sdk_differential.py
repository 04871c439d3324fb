"""patchkit against the real StartOS SDK (2.0.9), on thousands of generated strings.

Agreement is required on: validity; the normalised form (the SDK's
``toString()``); the SDK's error message and offset; ``sdk_compare`` (the
SDK's comparison, bug included) on every pair; patchkit's own ordering on
every pair except those ``sdk_ordering_hazards`` flags (the SDK comparison bug
of research ``exver.md`` §5, where patchkit follows StartOS's Rust ordering);
ranges: validity, ``toString()``, errors, and satisfaction.

The counts are printed (``pytest -s``) so the agreement can be quoted.
"""

from __future__ import annotations

import itertools
import random
from types import SimpleNamespace
from typing import Any

import pytest

from patchkit.versions import (
    ExVer,
    VersionRange,
    VersionSyntaxError,
    sdk_compare,
    sdk_ordering_hazards,
    sdk_satisfied_by,
)
from patchkit.versions.exver import parse_exver_detailed

pytestmark = [pytest.mark.oracle, pytest.mark.slow]


def _utf16(text: str, offset: int) -> int:
    return len(text[:offset].encode("utf-16-le", "surrogatepass")) // 2


def _sdk_view_of_error(text: str, exc: VersionSyntaxError) -> tuple[str | None, int]:
    """Our error as the SDK words it; Peggy reports one UTF-16 unit of an astral character."""
    message = exc.sdk_message
    found = text[exc.offset] if exc.offset < len(text) else None
    if message is not None and found is not None and ord(found) > 0xFFFF:
        high = found.encode("utf-16-le", "surrogatepass")[:2].decode("utf-16-le", "surrogatepass")
        message = message.replace(f'"{found}" found', f'"{high}" found')
    return message, _utf16(text, exc.offset)


def _ours(text: str, rule: str) -> dict[str, object]:
    try:
        if rule == "exver":
            value: object = parse_exver_detailed(text).value
        else:
            value = VersionRange.parse(text)
    except VersionSyntaxError as exc:
        message, offset = _sdk_view_of_error(text, exc)
        return {"valid": False, "normalized": None, "error": message, "error_offset": offset}
    return {"valid": True, "normalized": str(value), "error": None, "error_offset": None}


def _agree(strings: list[str], records: list[dict[str, object]], rule: str) -> list[str]:
    problems = []
    for text, want in zip(strings, records, strict=True):
        got = _ours(text, rule)
        keys = ("valid", "normalized", "error", "error_offset")
        if any(got[k] != want.get(k) for k in keys):
            problems.append(f"{text!r}: patchkit {got} != SDK { {k: want.get(k) for k in keys} }")
    return problems


def test_exver_strings_agree_with_the_sdk(sdk_oracle: Any, corpora: SimpleNamespace) -> None:
    strings = corpora.exver(seed=20260702, n_valid=2500, n_mutants=6000)
    records = sdk_oracle.parse(strings)
    problems = _agree(strings, records, "exver")
    valid = sum(1 for r in records if r["valid"])
    print(
        f"\nexver strings: {len(strings)} checked ({valid} valid, {len(strings) - valid} invalid), "
        f"{len(strings) - len(problems)} agree"
    )
    assert not problems, "\n".join(problems[:20])
    assert len(strings) > 8000 and 2000 < valid < len(strings) - 2000


def test_range_strings_agree_with_the_sdk(sdk_oracle: Any, corpora: SimpleNamespace) -> None:
    strings = corpora.ranges(seed=7, n_valid=1500, n_mutants=1500)
    records = sdk_oracle.parse_ranges(strings)
    problems = _agree(strings, records, "range")
    valid = sum(1 for r in records if r["valid"])
    print(
        f"\nrange strings: {len(strings)} checked ({valid} valid), "
        f"{len(strings) - len(problems)} agree"
    )
    assert not problems, "\n".join(problems[:20])
    assert valid > 1000 and len(strings) - valid > 500


def _pairs(corpora: SimpleNamespace) -> list[tuple[str, str]]:
    family = corpora.families(seed=3, n=160)
    pairs = list(itertools.permutations(family, 2))  # both directions of every pair
    rng = random.Random(11)
    generated = [s for s in corpora.exver(seed=5, n_valid=600, n_mutants=0) if _valid(s)]
    pairs += [(rng.choice(generated), rng.choice(generated)) for _ in range(4000)]
    return pairs


def _valid(text: str) -> bool:
    try:
        ExVer.parse(text)
        return True
    except VersionSyntaxError:
        return False


def test_ordering_agrees_with_the_sdk_except_its_documented_bug(
    sdk_oracle: Any, corpora: SimpleNamespace
) -> None:
    pairs = _pairs(corpora)
    answers = sdk_oracle.compare(pairs)
    emulation_mismatch, unexplained, deviations = [], [], 0
    parsed = {text: ExVer.parse(text) for pair in pairs for text in pair}
    for (a_text, b_text), sdk in zip(pairs, answers, strict=True):
        a, b = parsed[a_text], parsed[b_text]
        if sdk_compare(a, b) != sdk:
            emulation_mismatch.append(
                f"sdk_compare({a_text}, {b_text}) = {sdk_compare(a, b)}, SDK says {sdk}"
            )
        if a.compare(b) != sdk:
            deviations += 1
            # Every deviation must be the SDK bug: flagged for this pair by the hazard detector.
            if not sdk_ordering_hazards([a, b]):
                unexplained.append(f"{a_text} vs {b_text}: patchkit {a.compare(b)}, SDK {sdk}")
    print(
        f"\nordered pairs: {len(pairs)}; sdk_compare agrees on "
        f"{len(pairs) - len(emulation_mismatch)}; "
        f"patchkit's ordering agrees on {len(pairs) - deviations}, differs on {deviations} "
        "(all of them the SDK's mixed-type comparison bug)"
    )
    assert not emulation_mismatch, "\n".join(emulation_mismatch[:20])
    assert not unexplained, "\n".join(unexplained[:20])
    assert (
        deviations > 0
    )  # the families are built to reach the bug; if none do, the test lost its teeth


def test_range_satisfaction_agrees_with_the_sdk(sdk_oracle: Any, corpora: SimpleNamespace) -> None:
    rng = random.Random(13)
    ranges = []
    for text in corpora.ranges(seed=17, n_valid=600, n_mutants=0):
        try:
            VersionRange.parse(text)
            ranges.append(text)
        except VersionSyntaxError:
            pass
    versions = [
        *corpora.families(seed=19, n=60),
        "0.21.1:0",
        "0.21.1-rc.0:0",
        "1.0:0",
        "0:0",
        "2.0.0:1",
        "#knots:1.0:0",
        "#knots:26.1:0",
    ]
    pairs = [(r, rng.choice(versions)) for r in ranges for _ in range(8)]
    answers = sdk_oracle.satisfies(pairs)
    mismatch, deviations = [], 0
    for (r_text, v_text), sdk in zip(pairs, answers, strict=True):
        r, v = VersionRange.parse(r_text), ExVer.parse(v_text)
        if sdk_satisfied_by(r, v) != sdk:
            mismatch.append(f"{r_text!r} by {v_text}: emulation {not sdk}, SDK {sdk}")
        if r.satisfied_by(v) != sdk:
            deviations += 1
    print(
        f"\nrange satisfaction: {len(pairs)} (range, version) pairs; emulation agrees on "
        f"{len(pairs) - len(mismatch)}; patchkit differs on {deviations} (SDK comparison bug)"
    )
    assert not mismatch, "\n".join(mismatch[:20])
