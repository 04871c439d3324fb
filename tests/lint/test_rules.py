"""Each rule against its fixtures: findings where the file's ``# expect:`` markers say,
nowhere else; a snapshot of the diagnostics and of the fix; and the fix itself
checked for the properties ``--fix`` promises.
"""

from __future__ import annotations

import difflib
from collections import Counter
from pathlib import Path

import pytest

from patchkit.lint.base import Applicability
from patchkit.lint.runner import fix_text, lint_text

HERE = Path(__file__).resolve().parent
CODES = ("PKD001", "PKD002", "PKD003", "PKD004", "PKD005", "PKD006", "PKD007", "PKD008")
CASES = [
    pytest.param(code, path, id=f"{code}/{path.stem}")
    for code in CODES
    for path in sorted((HERE / "fixtures" / code).glob("*.Dockerfile"))
]


def _rel(path: Path) -> str:
    return path.relative_to(HERE).as_posix()


def test_every_rule_has_flag_and_ok_fixtures() -> None:
    for code in CODES:
        names = [p.stem for p in (HERE / "fixtures" / code).glob("*.Dockerfile")]
        assert any(n.startswith("flag_") for n in names), code
        assert any(n.startswith("ok_") for n in names), code


@pytest.mark.parametrize(("code", "path"), CASES)
def test_findings_match_markers(code: str, path: Path, lint_helpers) -> None:
    h = lint_helpers
    text = h["read_fixture"](path)
    result = lint_text(text, _rel(path), h["context_for"](text), [code])
    got = Counter(result.tree.instructions[v.instruction].start_line for v in result.violations)
    want = h["expected"](text, code)
    assert got == want, h["render"](result)
    if path.stem.startswith("ok_"):
        assert not want, "ok_ fixtures carry no expect markers"
    else:
        assert want, "flag_ fixtures need at least one expect marker"


@pytest.mark.parametrize(("code", "path"), CASES)
def test_snapshot(code: str, path: Path, lint_helpers, snapshot) -> None:
    h = lint_helpers
    text = h["read_fixture"](path)
    context = h["context_for"](text)
    unsafe = h["header"](text).get("unsafe") == "1"
    result = lint_text(text, _rel(path), context, [code])
    out = h["render"](result)
    fixed = fix_text(text, _rel(path), context, [code], unsafe=unsafe)
    if fixed.changed:
        diff = difflib.unified_diff(
            text.splitlines(keepends=True), fixed.fixed.splitlines(keepends=True), "before", "after"
        )
        out += f"\n--- fix ({'safe+unsafe' if unsafe else 'safe'}) ---\n" + "".join(diff)
    snapshot(HERE / "snapshots" / code / f"{path.stem}.txt", out)


@pytest.mark.parametrize(("code", "path"), CASES)
def test_fix_is_local_parses_and_is_clean(code: str, path: Path, lint_helpers) -> None:
    from patchkit.dockerfile import parse

    h = lint_helpers
    text = h["read_fixture"](path)
    context = h["context_for"](text)
    for unsafe in (False, True):
        outcome = fix_text(text, _rel(path), context, [code], unsafe=unsafe)
        if not outcome.changed:
            continue
        # every byte outside the fixed spans is unchanged: only insertions, or
        # replacements inside a --mount flag or an ENV/ARG key/value of the original
        tree = parse(text)
        spans = h["owned_spans"](text, whole_runs=code in ("PKD004", "PKD005"))
        assert h["changed_outside"](text, outcome.fixed, spans) == []
        # the output parses (our tree and BuildKit's parser) and has no new parse problems
        again = parse(outcome.fixed)
        assert str(again) == outcome.fixed
        assert len(again.problems) <= len(tree.problems)
        dockerfile = pytest.importorskip("dockerfile")
        dockerfile.parse_string(outcome.fixed)
        # a second lint finds nothing the same fixes would change, and fixing again is a no-op
        second = lint_text(outcome.fixed, _rel(path), context, [code])
        left = [
            v
            for v in second.violations
            if v.fix is not None
            and (
                v.fix.applicability is Applicability.SAFE
                or (unsafe and v.fix.applicability is Applicability.UNSAFE)
            )
        ]
        assert left == [], h["render"](second)
        assert fix_text(outcome.fixed, _rel(path), context, [code], unsafe=unsafe).changed is False
