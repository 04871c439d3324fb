"""ExVer: grammar, values, ordering, ranges, diagnostics. Expected values come from the SDK
(golden records, research tables) or are written by hand; none is produced by patchkit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from patchkit.versions import (
    ExVer,
    ExVerPart,
    VersionRange,
    VersionSyntaxError,
    check,
    check_exver,
    parse_exver,
    sdk_compare,
    sdk_ordering_hazards,
    sdk_satisfied_by,
    suggest_exver,
)

FIXTURES = Path(__file__).parent / "fixtures"


def _jsonl(name: str) -> list[dict[str, object]]:
    return [
        json.loads(line)
        for line in (FIXTURES / name).read_text(encoding="utf-8").splitlines()
        if line
    ]


GOLDEN = _jsonl("expected-sdk-2.0.9.jsonl")


@pytest.mark.parametrize("record", GOLDEN, ids=[json.dumps(r["input"]) for r in GOLDEN])
def test_agrees_with_sdk_golden_record(record: dict[str, object]) -> None:
    text = str(record["input"])
    result = check_exver(text)
    assert result.valid is record["valid"]
    assert result.normalized == record["normalized"]
    if not record["valid"]:
        assert result.sdk_error == record["error"]
        assert result.span is not None and result.span.start == record["error_offset"]
    else:
        value = parse_exver(text)
        assert value.flavor == record["flavor"]
        assert str(value.upstream) == record["upstream"]
        assert str(value.downstream) == record["downstream"]


def test_the_incident_string_is_explained_with_a_caret_and_the_fix(snapshot: object) -> None:
    result = check("0.21.1-rc0:0", "exver")
    assert not result.valid
    assert result.span is not None and (result.span.start, result.span.end) == (9, 10)
    assert result.suggestion == "0.21.1-rc.0:0"
    assert "all letters or all digits" in (result.error or "")
    assert result.render() == (
        '\'0.21.1-rc0:0\': invalid ExVer at column 10: expected ".", ":" or a letter, found "0"; '
        'a pre-release identifier is all letters or all digits: write "rc.0", not "rc0"\n'
        "    '0.21.1-rc0:0'\n"
        "              ^\n"
        "  hint: did you mean '0.21.1-rc.0:0'?"
    )


def test_error_is_a_located_value_error() -> None:
    with pytest.raises(ValueError) as info:
        ExVer.parse("0.21.1rc0:0")
    err = info.value
    assert isinstance(err, VersionSyntaxError)
    assert (err.line, err.col, err.offset) == (1, 7, 6)
    assert err.sdk_message == 'Expected "-", ".", ":", or [0-9] but "r" found.'
    assert err.suggestion == "0.21.1-rc.0:0"
    assert err.render().splitlines()[1:3] == ["0.21.1rc0:0", "      ^"]


SUGGESTIONS = json.loads((FIXTURES / "suggestions.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("text", "expected"), SUGGESTIONS["exver"])
def test_suggestion(text: str, expected: str) -> None:
    assert suggest_exver(text) == expected
    result = check_exver(text)
    assert not result.valid and result.suggestion == expected
    assert check_exver(expected).valid


@pytest.mark.parametrize("text", SUGGESTIONS["none"])
def test_no_suggestion_when_none_is_evident(text: str) -> None:
    assert suggest_exver(text) is None


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("01.2.3:0", "leading zero"),
        ("1.2.3-rc..1:0", "extra"),
        ("#:1.2.3:0", "empty flavor"),
        ("9007199254740993:0", "2**53-1"),
        ("1234567890123456789012:0", "not valid ExVer"),
        ("99999999999999999999:0", "18446744073709551615"),
        ("1.0.0-1:0", "start pre-releases with a word"),
    ],
)
def test_valid_but_risky_strings_warn(text: str, needle: str) -> None:
    result = check_exver(text)
    assert result.valid
    assert any(needle in w for w in result.warnings), result.warnings


def test_canonical_strings_are_quiet() -> None:
    for text in ("0.21.1-rc.0:0", "#knots:26.1.20240325:0.1", "1.2.3:0.0.1-beta.2", "1:0"):
        result = check_exver(text)
        assert result.valid and result.normalized == text
        assert result.warnings == () and result.suggestion is None


ORDERING = json.loads((FIXTURES / "ordering_sdk_observed.json").read_text(encoding="utf-8"))[
    "pairs"
]


@pytest.mark.parametrize("pair", ORDERING, ids=[f"{p['a']} vs {p['b']}" for p in ORDERING])
def test_ordering_matches_startos_and_sdk_emulation_matches_sdk(pair: dict[str, object]) -> None:
    a, b = ExVer.parse(str(pair["a"])), ExVer.parse(str(pair["b"]))
    assert a.compare(b) == pair["startos"]
    assert sdk_compare(a, b) == pair["sdk"]
    assert sdk_compare(b, a) == pair["reverse"]
    buggy = pair["sdk"] != pair["startos"] or pair["reverse"] != (
        None if pair["startos"] is None else -pair["startos"]  # type: ignore[operator]
    )
    assert bool(sdk_ordering_hazards([a, b])) is buggy


def test_hazard_detector_finds_exactly_the_mixed_pairs_of_a_history() -> None:
    history = [
        ExVer.parse(s)
        for s in ("1.0.0-1:0", "1.0.0-alpha:0", "1.0.0-rc.1:0", "1.0.0:0", "1.0.1-rc.2:0")
    ]
    hazards = sdk_ordering_hazards(history)
    assert {(str(h.a), str(h.b)) for h in hazards} == {("1.0.0-1:0", "1.0.0-alpha:0")}
    assert "start every pre-release with a word" in hazards[0].message
    assert (
        sdk_ordering_hazards(ExVer.parse(s) for s in ("1.0.0-rc.1:0", "1.0.0-rc.2:0", "1.0.0:0"))
        == ()
    )


def test_flavors_are_incomparable_but_sortable() -> None:
    plain, knots = ExVer.parse("2.0:0"), ExVer.parse("#knots:1.0:0")
    assert plain.compare(knots) is None and sdk_compare(plain, knots) is None
    assert sorted([knots, plain]) == [plain, knots]


def test_equal_values_hash_alike() -> None:
    assert len({ExVer.parse("1:0"), ExVer.parse("1.0.0:0"), ExVer.parse("01.0:0.0")}) == 1
    assert ExVerPart.parse("1.0-rc.1") == ExVerPart((1,), ("rc", 1))


def test_values_refuse_impossible_contents() -> None:
    with pytest.raises(ValueError):
        ExVerPart(())
    with pytest.raises(ValueError):
        ExVerPart((1,), ("rc0",))
    with pytest.raises(ValueError):
        ExVer("Knots", ExVerPart((1,)), ExVerPart((0,)))


RANGES = json.loads((FIXTURES / "ranges_sdk_observed.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("text", "printed"), RANGES["printed"])
def test_range_prints_like_the_sdk(text: str, printed: str) -> None:
    assert str(VersionRange.parse(text)) == printed
    assert check(text, "exver-range").normalized == printed


@pytest.mark.parametrize(("range_text", "version", "expected"), RANGES["satisfies"])
def test_range_satisfaction(range_text: str, version: str, expected: bool) -> None:
    r, v = VersionRange.parse(range_text), ExVer.parse(version)
    assert r.satisfied_by(v) is expected
    assert sdk_satisfied_by(r, v) is expected


@pytest.mark.parametrize("text", RANGES["rejected"])
def test_range_rejected(text: str) -> None:
    result = check(text, "exver-range")
    assert not result.valid and result.span is not None


def test_range_nesting_is_capped_not_a_recursion_error() -> None:
    result = check("(" * 5000 + "1:0" + ")" * 5000, "exver-range")
    assert not result.valid and "nested deeper" in (result.error or "")
    assert not check("!" * 100_000, "exver-range").valid
