"""Hypothesis laws: ordering is a total order consistent with equality; normalising is
idempotent; the grammar matches the research's independent regex; conversions keep order."""

from __future__ import annotations

import itertools
import re

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from packaging.version import Version

from patchkit.versions import (
    ConversionError,
    ExVer,
    ExVerPart,
    VersionSyntaxError,
    check_exver,
    exver_to_pep440,
    pep440_to_exver_part,
    sdk_compare,
    sdk_ordering_hazards,
)

# --- ExVer values ------------------------------------------------------------------------------

numbers = st.one_of(
    st.integers(0, 12), st.integers(0, 2**53 - 1), st.integers(2**53, 10**21 - 2**18)
)  # stays below 1e21 once rounded
words = st.text(alphabet="abcxyzRC", min_size=1, max_size=4)
identifiers = st.one_of(st.integers(0, 12), words)


@st.composite
def parts(draw: st.DrawFn) -> str:
    nums = draw(st.lists(numbers, min_size=1, max_size=4))
    ids = draw(st.lists(identifiers, max_size=4))
    text = ".".join(str(n) for n in nums)
    return text + ("-" + ".".join(str(i) for i in ids) if ids else "")


@st.composite
def exvers(draw: st.DrawFn) -> ExVer:
    flavor = draw(st.sampled_from(["", "", "", "#knots:", "#b:"]))
    return ExVer.parse(f"{flavor}{draw(parts())}:{draw(parts())}")


@settings(deadline=None)  # the machine is shared: no per-example time limit
@given(exvers(), exvers())
def test_exactly_one_of_less_equal_greater(a: ExVer, b: ExVer) -> None:
    assert [a < b, a == b, a > b].count(True) == 1
    assert (a <= b) == (a < b or a == b) and (a >= b) == (a > b or a == b)


@settings(deadline=None)  # the machine is shared: no per-example time limit
@given(exvers(), exvers(), exvers())
def test_order_is_transitive(a: ExVer, b: ExVer, c: ExVer) -> None:
    if a <= b and b <= c:
        assert a <= c


@settings(deadline=None)  # the machine is shared: no per-example time limit
@given(exvers(), exvers())
def test_equality_hash_and_compare_agree(a: ExVer, b: ExVer) -> None:
    if a == b:
        assert hash(a) == hash(b) and a.compare(b) == 0
    cmp = a.compare(b)
    if cmp is None:
        assert a.flavor != b.flavor and b.compare(a) is None
    else:
        assert b.compare(a) == -cmp
        assert cmp == (a > b) - (a < b)


@settings(deadline=None)  # the machine is shared: no per-example time limit
@given(exvers())
def test_normalised_form_reparses_to_an_equal_value_and_is_stable(v: ExVer) -> None:
    text = str(v)
    again = ExVer.parse(text)
    assert again == v and str(again) == text
    result = check_exver(text)
    assert result.valid and result.normalized == text


@settings(deadline=None)  # the machine is shared: no per-example time limit
@given(st.lists(exvers(), min_size=2, max_size=8))
def test_sorting_is_consistent(vs: list[ExVer]) -> None:
    ordered = sorted(vs)
    assert all(x <= y for x, y in itertools.pairwise(ordered))


word_first = st.builds(
    lambda w, n, tail: [w, n, *tail],
    words,
    st.integers(0, 9),
    st.lists(st.sampled_from(["dev", "post"]), max_size=1).flatmap(
        lambda ws: st.just([]) if not ws else st.integers(0, 9).map(lambda k: [ws[0], k])
    ),
)


@settings(deadline=None)  # the machine is shared: no per-example time limit
@given(st.lists(st.one_of(st.just([]), word_first), min_size=2, max_size=6), st.integers(0, 3))
def test_word_then_number_prereleases_never_hit_the_sdk_bug(
    prereleases: list[list[object]], major: int
) -> None:
    vs = [ExVer(None, ExVerPart((1, major), tuple(p)), ExVerPart((0,))) for p in prereleases]  # type: ignore[arg-type]
    assert sdk_ordering_hazards(vs) == ()
    for a in vs:
        for b in vs:
            assert sdk_compare(a, b) == a.compare(b)


# --- the grammar against the research's independent description (exver.md section 3) ------------

_D = r"[0-9]+"
_SEG = r"(?:[0-9]+|[a-zA-Z]+)"
_V = rf"{_D}(?:\.{_D})*(?:-\.?{_SEG}(?:\.\.?{_SEG})*)?"
ACCEPT = re.compile(rf"(?:#[a-z]*:)?{_V}:{_V}\Z")


@settings(max_examples=60, deadline=None)
@given(st.from_regex(ACCEPT, fullmatch=True))
def test_every_string_the_research_regex_accepts_parses(text: str) -> None:
    ExVer.parse(text)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="0123456789.-:#abrcRC+ v\t", max_size=14))
def test_grammar_accepts_exactly_what_the_research_regex_accepts(text: str) -> None:
    try:
        ExVer.parse(text)
        accepted = True
    except VersionSyntaxError:
        accepted = False
    assert accepted == bool(ACCEPT.match(text))


# --- conversions ----------------------------------------------------------------------------------


@st.composite
def pep440s(draw: st.DrawFn) -> str:
    text = ".".join(str(n) for n in draw(st.lists(st.integers(0, 4), min_size=1, max_size=4)))
    if draw(st.booleans()):
        text += draw(st.sampled_from(["a", "b", "rc"])) + str(draw(st.integers(0, 3)))
    if draw(st.integers(0, 3)) == 0:
        text += f".post{draw(st.integers(0, 3))}"
    if draw(st.integers(0, 3)) == 0:
        text += f".dev{draw(st.integers(0, 3))}"
    if draw(st.integers(0, 8)) == 0:
        text += "+g" + draw(st.sampled_from(["0b9f2c8", "abc"]))
    if draw(st.integers(0, 12)) == 0:
        text = "1!" + text
    return text


def _convert(text: str, **policy: object) -> ExVerPart | None:
    try:
        return pep440_to_exver_part(text, **policy)  # type: ignore[arg-type]
    except ConversionError:
        return None


@st.composite
def convertible_pep440s(draw: st.DrawFn) -> str:
    """Mostly inside the order-preserving domain, so few examples are thrown away."""
    text = ".".join(str(n) for n in draw(st.lists(st.integers(0, 3), min_size=1, max_size=4)))
    if draw(st.booleans()):
        text += draw(st.sampled_from(["a", "b", "rc"])) + str(draw(st.integers(0, 3)))
        if draw(st.booleans()):
            text += f".post{draw(st.integers(0, 3))}"
    if draw(st.integers(0, 9)) == 0:
        text += ".dev1"  # refused: must not break anything
    return text


@settings(max_examples=200, deadline=None)
@given(convertible_pep440s(), convertible_pep440s())
def test_conversion_preserves_order(a: str, b: str) -> None:
    ca, cb = _convert(a), _convert(b)
    assume(ca is not None and cb is not None)
    assert ca is not None and cb is not None
    va, vb = Version(a), Version(b)
    assert (va < vb) == (ca < cb) and (va == vb) == (ca == cb)


@settings(deadline=None)  # the machine is shared: no per-example time limit
@given(pep440s())
def test_pep440_round_trip(text: str) -> None:
    converted = _convert(text)
    assume(converted is not None)
    assert exver_to_pep440(str(converted)) == str(Version(text))


@settings(deadline=None)  # the machine is shared: no per-example time limit
@given(pep440s())
def test_exver_round_trip_on_the_image(text: str) -> None:
    converted = _convert(text)
    assume(converted is not None)
    assert pep440_to_exver_part(exver_to_pep440(converted)) == converted
    assert str(pep440_to_exver_part(exver_to_pep440(converted))) == str(converted)


def _trimmed(release: tuple[int, ...]) -> tuple[int, ...]:
    out = list(release)
    while out and out[-1] == 0:
        out.pop()
    return tuple(out)


@settings(max_examples=250, deadline=None)
@given(pep440s(), pep440s())
def test_lenient_policies_break_order_only_where_documented(a: str, b: str) -> None:
    lenient = {"drop_local": True, "dev": "suffix", "post": "release"}
    ca, cb = _convert(a, **lenient), _convert(b, **lenient)
    assume(ca is not None and cb is not None)
    va, vb = Version(a), Version(b)
    if (va < vb) == (ca < cb) and (va == vb) == (ca == cb):
        return
    ra, rb = _trimmed(va.release), _trimmed(vb.release)
    same_release_with_dev = ra == rb and (va.dev is not None or vb.dev is not None)
    only_local_differs = Version(va.public) == Version(vb.public)
    post_encoding = any(
        x.post is not None
        and x.pre is None
        and _trimmed(y.release)[: len(rx)] == rx
        and y.release != x.release
        for x, y, rx in ((va, vb, ra), (vb, va, rb))
    )
    assert same_release_with_dev or only_local_differs or post_encoding, (a, b, str(ca), str(cb))
