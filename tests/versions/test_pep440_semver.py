"""PEP 440 (through packaging) and SemVer (through semver): verdicts, positions, hints."""

from __future__ import annotations

import pytest

from patchkit.versions import check, check_pep440, check_semver


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("v1.0", "1.0"),
        ("0.21.1-rc0", "0.21.1rc0"),
        ("1.0.0-RC1", "1.0.0rc1"),
        (" 1.0 ", "1.0"),
        ("1.0-dev3", "1.0.dev3"),
    ],
)
def test_pep440_non_normalized_is_a_warning_with_the_normal_form(
    text: str, normalized: str
) -> None:
    result = check_pep440(text)
    assert result.valid and result.normalized == normalized
    assert result.suggestion == normalized and len(result.warnings) == 1


def test_pep440_normalized_is_quiet() -> None:
    result = check_pep440("0.21.1rc1.dev132+g0b9f2c8")
    assert result.valid and result.warnings == () and result.suggestion is None


@pytest.mark.parametrize(
    ("text", "column", "suggestion"),
    [
        ("0.21.1-3-g0b9f2c8", 9, "0.21.2.dev3+g0b9f2c8"),
        ("0.21.1-rc.0:0", 12, "0.21.1rc0"),
        ("not-a-version", 1, None),
        ("1.0.0-alpha.beta", 13, None),  # "1.0.0-alpha." is itself valid
        ("", 1, None),
    ],
)
def test_pep440_invalid_points_at_the_first_bad_character(
    text: str, column: int, suggestion: str | None
) -> None:
    result = check_pep440(text)
    assert not result.valid and result.normalized is None and result.error
    assert result.span is not None and result.span.start + 1 == column
    assert result.suggestion == suggestion


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("1.0", "1.0.0"),
        ("1.0.0rc1", "1.0.0-rc.1"),
        ("1.2.3.dev4", "1.2.3-dev.4"),
        ("1.0+local.7", "1.0.0+local.7"),
    ],
)
def test_semver_hint_for_pep440_strings(text: str, suggestion: str) -> None:
    result = check_semver(text)
    assert not result.valid and "valid PEP 440" in (result.error or "")
    assert result.suggestion == suggestion
    assert check_semver(suggestion).valid


def test_semver_valid_but_not_pep440_warns() -> None:
    result = check_semver("1.0.0-alpha.beta")
    assert result.valid and result.normalized == "1.0.0-alpha.beta"
    assert any("not PEP 440" in w for w in result.warnings)


@pytest.mark.parametrize("text", ["v1.0.0", "01.0.0", "1.0", "1.0.0-", "1.0.0+"])
def test_semver_strict(text: str) -> None:
    assert not check_semver(text).valid


@pytest.mark.parametrize(
    ("text", "scheme"),
    [
        ("0.21.1-rc.0:0", "exver"),
        ("1.0.0-RC1", "pep440"),
        ("1.0.0-alpha.beta", "semver"),
        ("nonsense", "exver"),
    ],
)
def test_auto_picks_the_first_scheme_that_accepts(text: str, scheme: str) -> None:
    assert check(text).scheme == scheme


def test_unknown_scheme_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        check("1.0", "calver")
