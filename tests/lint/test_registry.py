"""The code table and the rule modules agree, and every rule is documented like ruff's."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from patchkit.errors import UsageError
from patchkit.lint import registry
from patchkit.lint.docs import explain, rule_rows
from patchkit.lint.registry import RULES, RuleStatus, load, select_codes

LINT = Path(registry.__file__).resolve().parent
SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "Use instead:", "## Fix safety")


def test_table_is_a_literal_tuple_with_unique_codes() -> None:
    tree = ast.parse((LINT / "registry.py").read_text())
    assigns = [
        n
        for n in tree.body
        if isinstance(n, ast.AnnAssign) and getattr(n.target, "id", "") == "RULES"
    ]
    assert len(assigns) == 1 and isinstance(assigns[0].value, ast.Tuple)
    codes = [r.code for r in RULES]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"PKD\d{3}", c) for c in codes)
    assert len({r.name for r in RULES}) == len(RULES)


@pytest.mark.parametrize("row", RULES, ids=lambda r: r.code)
def test_rule_module_matches_its_row(row: registry.RuleEntry) -> None:
    assert row.module == f"{row.code.lower()}_{row.name.replace('-', '_')}"
    assert (LINT / f"{row.module}.py").is_file()
    rule = load(row.code)
    assert (rule.code, rule.name) == (row.code, row.name)
    doc = type(rule).__doc__ or ""
    positions = [doc.find(s) for s in SECTIONS]
    assert all(p >= 0 for p in positions), [
        s for s, p in zip(SECTIONS, positions, strict=True) if p < 0
    ]
    assert positions == sorted(positions)
    assert "fix" not in row.name  # names say what is allowed, never the fix (ruff's convention)


def test_every_module_is_registered() -> None:
    modules = {p.stem for p in LINT.glob("pkd*.py")}
    assert modules == {r.module for r in RULES}


def test_select_and_ignore() -> None:
    assert select_codes() == tuple(r.code for r in RULES if r.status is not RuleStatus.REMOVED)
    assert select_codes("PKD001,PKD003") == ("PKD001", "PKD003")
    assert select_codes(["pkd00"], ["PKD002"]) == tuple(r.code for r in RULES if r.code != "PKD002")
    assert select_codes(None, "PKD") == ()
    with pytest.raises(UsageError, match="unknown rule code"):
        select_codes("PKD999")
    with pytest.raises(UsageError, match="unknown rule code"):
        select_codes(None, "XYZ")


def test_explain_has_title_status_and_sections() -> None:
    text = explain("pkd001")
    assert text.startswith("# cache-mount-shared-across-platforms (PKD001)\n")
    assert "Status: stable" in text and "## Fix safety" in text
    assert [r["code"] for r in rule_rows()] == [r.code for r in RULES]
