"""Name grammar, dist-name normalisation and lookup orders, against research/setuptools-scm.md.

Every expected value here is transcribed from the research tables ("Dist-name
normalisation", "Variant spellings", "Matrix" row B), which were measured on
the real releases; hypothesis checks the laws that tie them together.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from patchkit.scm.honoured import lookup_order, resolve
from patchkit.scm.names import canonical_dist, dist_suffix, is_variant_suffix, parse_name

# research: "Dist-name normalisation" table
SUFFIXES = [
    ("my-pkg.Name", {7: "MY-PKG.NAME", 8: "MY_PKG_NAME", 9: "MY_PKG_NAME", 10: "MY_PKG_NAME"}),
    ("My_Pkg", {7: "MY_PKG", 8: "MY_PKG", 9: "MY_PKG", 10: "MY_PKG"}),
    ("a.b-c_d", {7: "A.B-C_D", 8: "A_B_C_D", 9: "A_B_C_D", 10: "A_B_C_D"}),
    (
        "My.Pkg-name_X",
        {7: "MY.PKG-NAME_X", 8: "MY_PKG_NAME_X", 9: "MY_PKG_NAME_X", 10: "MY_PKG_NAME_X"},
    ),
]


@pytest.mark.parametrize(("dist", "by_major"), SUFFIXES)
def test_dist_suffix_per_major(dist: str, by_major: dict[int, str]) -> None:
    for major, suffix in by_major.items():
        assert dist_suffix(dist, major) == suffix


# research: "Variant spellings (9.x and 10.x only)": probed accepted / not accepted
ACCEPTED = [
    ("vllm", "vllm"),
    ("my-pkg.Name", "my_pkg_name"),
    ("my-pkg.Name", "my-pkg.Name"),
    ("my-pkg.Name", "MY_PKG.NAME"),
    ("my-pkg.Name", "MY__PKG__NAME"),
    ("My_Pkg", "My_Pkg"),
    ("My_Pkg", "MY-PKG"),
    ("a.b-c_d", "A.B-C_D"),
]
REJECTED = [("my-pkg.Name", "MYPKGNAME"), ("my-pkg.Name", "MY_PKG_NAM")]


@pytest.mark.parametrize(("dist", "suffix"), ACCEPTED)
def test_variant_spellings_accepted(dist: str, suffix: str) -> None:
    assert is_variant_suffix(suffix, dist)


@pytest.mark.parametrize(("dist", "suffix"), REJECTED)
def test_near_misses_are_not_variants(dist: str, suffix: str) -> None:
    assert not is_variant_suffix(suffix, dist)


G, V = "SETUPTOOLS_SCM_PRETEND_VERSION", "VCS_VERSIONING_PRETEND_VERSION"


def test_lookup_orders_match_the_matrix() -> None:
    # row B (dist_name="vllm") and row A (no dist name) of the research matrix
    names = lambda major, dist: [r.name for r in lookup_order(major, dist)]  # noqa: E731
    assert names(7, "vllm") == [G + "_FOR_VLLM", G]
    assert names(8, "vllm") == [G + "_FOR_VLLM", G]
    assert names(9, "vllm") == [G + "_FOR_VLLM", G + "_FOR_<any spelling of 'vllm'>", G]
    assert names(10, "vllm") == [
        G + "_FOR_VLLM", V + "_FOR_VLLM", G, V,
        G + "_FOR_<any spelling of 'vllm'>", V + "_FOR_<any spelling of 'vllm'>",
    ]  # fmt: skip
    for major in (7, 8, 9):
        assert names(major, None) == [G]
    assert names(10, None) == [G, V]


def test_metadata_exists_from_9() -> None:
    assert lookup_order(8, "vllm", "PRETEND_METADATA") == ()
    assert [r.name for r in lookup_order(9, None, "PRETEND_METADATA")] == [
        "SETUPTOOLS_SCM_PRETEND_METADATA"
    ]


def test_first_present_wins_even_when_empty() -> None:
    # research "Empty values": FOR_VLLM="" + GEN=1.0.0 -> the empty one wins
    hit = resolve(lookup_order(10, "vllm"), {G: "1.0.0", G + "_FOR_VLLM": ""})
    assert hit is not None and hit.name == G + "_FOR_VLLM" and hit.value == ""


def test_variant_precedence_differs_between_9_and_10() -> None:
    env = {G: "1.0.0", G + "_FOR_vllm": "5.0.0"}
    assert resolve(lookup_order(9, "vllm"), env).value == "5.0.0"  # type: ignore[union-attr]
    assert resolve(lookup_order(10, "vllm"), env).value == "1.0.0"  # type: ignore[union-attr]


def test_parse_name() -> None:
    p = parse_name("VCS_VERSIONING_PRETEND_METADATA_FOR_my.pkg")
    assert p is not None and (p.prefix, p.setting, p.suffix) == (
        "VCS_VERSIONING",
        "PRETEND_METADATA",
        "my.pkg",
    )
    assert parse_name("SETUPTOOLS_SCM_PRETEND_VERSION").generic  # type: ignore[union-attr]
    assert parse_name("SETUPTOOLS_SCM_DEBUG") is None
    assert parse_name("VLLM_VERSION_OVERRIDE") is None


_DIST = st.from_regex(r"\A[A-Za-z0-9]([A-Za-z0-9._-]{0,20}[A-Za-z0-9])?\Z")


@given(_DIST)
def test_canonical_dist_equals_packaging(dist: str) -> None:
    from packaging.utils import canonicalize_name

    assert canonical_dist(dist) == canonicalize_name(dist)


@given(_DIST)
def test_exact_suffix_is_always_an_accepted_spelling(dist: str) -> None:
    # what 8.x+ look up first must also satisfy the 9.x/10.x variant comparison
    assert is_variant_suffix(dist_suffix(dist, 10), dist)


@given(_DIST, st.sampled_from([7, 8, 9, 10]))
def test_suffix_is_upper_case_and_stable(dist: str, major: int) -> None:
    s = dist_suffix(dist, major)
    assert s == s.upper()
    if major >= 8:
        assert dist_suffix(s, major) == s  # normalising twice changes nothing
