"""PKS findings against hand-written expectations in fixtures/check/<case>/.

Each case folder holds the downstream file(s), ``upstream`` (a project under
fixtures/, optionally followed by the admitted majors, or ``-`` for none) and
``expected.tsv`` (code, severity, line, col). The upstream projects are the
same ones the ground-truth tests run through real setuptools-scm, so what
"honoured" means here is measured there.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from patchkit.scm.check import _pep440_problem, check, wanted_names
from patchkit.scm.model import load_upstream
from patchkit.scm.setters import find_setters

FIX = Path(__file__).resolve().parent / "fixtures"
CASES = sorted(p.name for p in (FIX / "check").iterdir() if p.is_dir())


def _run(case: str) -> list[list[str]]:
    d = FIX / "check" / case
    spec = (d / "upstream").read_text().split()
    up = None
    if spec[0] != "-":
        majors = tuple(int(m) for m in spec[1].split(",")) if len(spec) > 1 else None
        up = load_upstream(FIX / spec[0], majors=majors)
    inputs = sorted(str(p) for p in d.iterdir() if p.name not in ("upstream", "expected.tsv"))
    diags = check(up, find_setters(inputs, wanted_names(up)))
    return sorted([d.code, d.severity.value, str(d.line), str(d.col)] for d in diags)


@pytest.mark.parametrize("case", CASES)
def test_check_case(case: str) -> None:
    rows = (FIX / "check" / case / "expected.tsv").read_text().splitlines()
    expected = sorted(r.split("\t") for r in rows if r and not r.startswith("#"))
    assert _run(case) == expected


def test_issue_case_says_why_and_how_to_fix() -> None:
    d = FIX / "check" / "issue_for_vllm"
    up = load_upstream(FIX / "projects" / "V_vllm_shape")
    (diag,) = check(up, find_setters([str(d / "Dockerfile")], wanted_names(up)))  # type: ignore[arg-type]
    assert (
        "does not read SETUPTOOLS_SCM_PRETEND_VERSION_FOR_VLLM under any admitted" in diag.message
    )
    assert "no dist_name argument" in diag.message
    assert diag.fix is not None and diag.fix.startswith("use SETUPTOOLS_SCM_PRETEND_VERSION ")
    assert "pass dist_name=" in diag.fix


@pytest.mark.parametrize(
    ("value", "severity"),
    [
        ("0.21.1", None),
        ("0.21.1+cu129", None),
        ("0.21.1-rc0", "warning"),  # research: valid, wheel says 0.21.1rc0
        ("v0.21.1", "warning"),
        ("0.21.1-dev3", "warning"),
        ("0.21.1-3-g0b9f2c8", "error"),  # research: InvalidVersion on 9+/10 and in setuptools
        ("not-a-version", "error"),
    ],
)
def test_pep440_problem(value: str, severity: str | None) -> None:
    p = _pep440_problem(value)
    assert (p[0].value if p else None) == severity
