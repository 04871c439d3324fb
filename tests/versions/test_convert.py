"""Conversions: PEP 440 <-> ExVer (research tables); git describe -> PEP 440 (setuptools-scm)."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from patchkit.versions import (
    ConversionError,
    ExVer,
    check_exver,
    convert,
    exver_to_pep440,
    git_describe_to_pep440,
    parse_git_describe,
    pep440_to_exver,
    pep440_to_exver_part,
)

FIXTURES = Path(__file__).parent / "fixtures"
TABLE = json.loads((FIXTURES / "pep440_to_exver.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("pep", "exver"), TABLE["converted"])
def test_pep440_to_exver(pep: str, exver: str) -> None:
    assert str(pep440_to_exver_part(pep)) == exver
    full = pep440_to_exver(pep)
    assert str(full) == f"{exver}:0"
    assert check_exver(str(full)).valid and check_exver(str(full)).warnings == ()


@pytest.mark.parametrize(("pep", "exver"), TABLE["lenient"])
def test_lenient_policies(pep: str, exver: str) -> None:
    assert str(pep440_to_exver_part(pep, drop_local=True, dev="suffix", post="release")) == exver


@pytest.mark.parametrize("pep", TABLE["refused"])
def test_refused_with_a_reason(pep: str) -> None:
    with pytest.raises(ConversionError) as info:
        pep440_to_exver_part(pep)
    assert info.value.reason
    result = convert(pep, to="exver", source="pep440")
    assert not result.valid and result.normalized is None and result.error == info.value.reason


def test_refusal_suggests_the_lenient_form_and_says_what_it_costs() -> None:
    result = convert("0.21.1rc1.dev132+g0b9f2c8", to="exver")
    assert not result.valid
    assert result.suggestion == "0.21.1-rc.1.dev.132:0"
    assert any("does not keep PEP 440's order" in n for n in result.notes)


@pytest.mark.parametrize(
    ("exver", "pep"),
    [
        ("0.21.1-rc.0:0", "0.21.1rc0"),
        ("#knots:26.1.20240325:0", "26.1.20240325"),
        ("1.0-alpha.1:3", "1.0a1"),
        ("1.0-beta.2", "1.0b2"),
        ("0.21.1-rc.1.post.2:0", "0.21.1rc1.post2"),
        ("0.21.1-rc.1.dev.132:0", "0.21.1rc1.dev132"),
        ("0.21.1-dev.3:0", "0.21.1.dev3"),
    ],
)
def test_exver_to_pep440(exver: str, pep: str) -> None:
    assert exver_to_pep440(exver) == pep


@pytest.mark.parametrize(
    "exver", ["1.0-post.1:0", "1.0-foo.1:0", "1.0-rc:0", "1.0-1:0", "1.0-rc.1.x:0"]
)
def test_exver_without_pep440_form_is_refused(exver: str) -> None:
    with pytest.raises(ConversionError):
        exver_to_pep440(exver)


def test_exver_to_pep440_notes_what_is_dropped() -> None:
    result = convert("#knots:1.0-rc.1:2", to="pep440")
    assert result.valid and result.normalized == "1.0rc1"
    assert any("flavor" in n for n in result.notes) and any("downstream" in n for n in result.notes)


SCM = json.loads((FIXTURES / "scm_describe.json").read_text(encoding="utf-8"))
# setuptools-scm 8.x drops a tag's own "+local" label; patchkit follows >= 9/10 (documented).
KNOWN_DIFFERENCES = {("8.3.1", "local-tag-plus-1")}


@pytest.mark.parametrize("record", SCM, ids=[f"{r['setuptools_scm']}-{r['scenario']}" for r in SCM])
def test_git_describe_matches_real_setuptools_scm(record: dict[str, object]) -> None:
    if (record["setuptools_scm"], record["scenario"]) in KNOWN_DIFFERENCES:
        pytest.skip("setuptools-scm 8 drops the tag's local label; patchkit follows 9+")
    got = git_describe_to_pep440(
        str(record["describe"]),
        date=datetime.date.fromisoformat(str(record["date"])),
        untagged_distance=record["untagged_distance"],  # type: ignore[arg-type]
    )
    assert got == record["version"]


def test_git_describe_examples_of_the_issue() -> None:
    assert git_describe_to_pep440("v0.21.1rc0-132-g0b9f2c8") == "0.21.1rc1.dev132+g0b9f2c8"
    day = datetime.date(2026, 7, 2)
    assert (
        git_describe_to_pep440("v0.21.1rc0-132-g0b9f2c8-dirty", date=day)
        == "0.21.1rc1.dev132+g0b9f2c8.d20260702"
    )
    assert git_describe_to_pep440("v0.21.1rc0-0-g0b9f2c8") == "0.21.1rc0"
    assert git_describe_to_pep440("v0.21.1rc0") == "0.21.1rc0"
    assert git_describe_to_pep440("0b9f2c8", untagged_distance=42) == "0.1.dev42+g0b9f2c8"


@pytest.mark.parametrize(
    ("describe", "needle"),
    [
        ("0b9f2c8", "no tag"),
        ("v0.21.1-3-g0b9f2c8-dirty", "dirty"),
        ("1.0.dev3-2-g0b9f2c8", "dev0"),
        ("nightly-3-g0b9f2c8", "no version"),
    ],
)
def test_git_describe_refusals(describe: str, needle: str) -> None:
    with pytest.raises(ConversionError) as info:
        git_describe_to_pep440(describe)
    assert needle in info.value.reason


def test_describe_parsing() -> None:
    d = parse_git_describe("vllm-v0.21.1rc0-132-g0b9f2c8-dirty")
    assert (d.tag, d.distance, d.node, d.dirty) == ("vllm-v0.21.1rc0", 132, "g0b9f2c8", True)
    assert parse_git_describe("1234567", untagged=True).tag is None
    assert (
        parse_git_describe("1234567").tag == "1234567"
    )  # all digits: could be a tag; say untagged=True


def test_git_describe_to_exver_is_refused_with_the_pragmatic_suggestion() -> None:
    result = convert("v0.21.1rc0-132-g0b9f2c8", to="exver")
    assert result.source == "git-describe" and not result.valid
    assert result.pep440 == "0.21.1rc1.dev132+g0b9f2c8"
    assert result.suggestion == "0.21.1-rc.1.dev.132:0"
    lenient = convert("v0.21.1rc0-132-g0b9f2c8", to="exver", dev="suffix")
    assert lenient.valid and lenient.normalized == "0.21.1-rc.1.dev.132:0"
    on_tag = convert("v0.21.1rc0-0-g0b9f2c8", to="exver")
    assert on_tag.valid and on_tag.normalized == "0.21.1-rc.0:0"


def test_downstream_and_flavor_are_applied() -> None:
    assert (
        str(pep440_to_exver("0.21.1rc0", downstream="2", flavor="knots")) == "#knots:0.21.1-rc.0:2"
    )
    assert ExVer.parse("#knots:0.21.1-rc.0:2") == pep440_to_exver(
        "0.21.1rc0", downstream="2", flavor="knots"
    )
