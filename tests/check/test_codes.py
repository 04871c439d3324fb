"""The PKC/PKP code table: every code check emits is in it, with its severity and area."""

from __future__ import annotations

import re

import pytest

from patchkit.check.codes import CODES, area_of, code
from patchkit.diagnostics import Severity


def test_codes_are_unique_and_well_formed() -> None:
    names = [c.code for c in CODES]
    assert len(names) == len(set(names))
    for row in CODES:
        assert re.fullmatch(r"PK[BCP]\d{3}", row.code)
        assert re.fullmatch(r"[a-z]+(?:-[a-z]+)*", row.name)


@pytest.mark.parametrize(
    ("name", "severity"),
    [
        ("PKC001", Severity.ERROR),
        ("PKC002", Severity.WARNING),
        ("PKC003", Severity.WARNING),
        ("PKP001", Severity.ERROR),
        ("PKP002", Severity.ERROR),
        ("PKP003", Severity.WARNING),  # an error with --check
        ("PKP004", Severity.WARNING),
        ("PKP005", Severity.WARNING),
    ],
)
def test_each_code_and_its_default_severity(name: str, severity: Severity) -> None:
    assert code(name).severity is severity


def test_the_area_of_a_code_is_its_prefix() -> None:
    assert [area_of(c) for c in ("PKM001", "PKS007", "PKP002", "PKD001", "PKC001", "X1")] == [
        "manifest",
        "scm",
        "status",
        "lint",
        "check",
        "check",
    ]
    with pytest.raises(KeyError):
        code("PKP999")
