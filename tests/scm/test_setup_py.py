"""setup.py analysis (libcst) against hand-written expectations in fixtures/setup_py/*.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from patchkit.errors import SourceError
from patchkit.scm.setup_py import SetupPy, parse_setup_py

FIX = Path(__file__).resolve().parent / "fixtures" / "setup_py"
CASES = sorted(p.stem for p in FIX.glob("*.json"))


def _dist(call: object, major: int) -> str:
    d = call.dist_name(major)  # type: ignore[attr-defined]
    return f"known:{d.value}" if d.state == "known" else d.state


def _summary(sp: SetupPy) -> dict[str, object]:
    return {
        "imports_scm": sp.imports_scm,
        "calls": [
            {
                "line": c.line,
                "col": c.col,
                "function": c.function,
                "reachable": c.reachable,
                "dist": {"7": _dist(c, 7), "10": _dist(c, 10)},
                "guards": [g.describe() for g in c.guards],
                "keywords": [k for k, _ in c.keywords],
            }
            for c in sp.calls
        ],
        "setup": [
            {
                "line": s.line,
                "passes_version": s.passes_version,
                "name": s.name.value if s.name is not None else None,
                "use_scm_version": s.scm_keyword,
            }
            for s in sp.setup_calls
        ],
        "env": [
            {
                "line": a.line,
                "name": a.name,
                "kind": a.kind,
                "value": a.value.value if a.value.kind == "literal" else None,
                "from_env": a.value.env_var,
                "guards": [g.describe() for g in a.guards],
            }
            for a in sp.env_assignments
        ],
    }


@pytest.mark.parametrize("case", CASES)
def test_setup_py_analysis(case: str) -> None:
    text = (FIX / f"{case}.py").read_text(encoding="utf-8")
    expected = json.loads((FIX / f"{case}.json").read_text(encoding="utf-8"))
    assert _summary(parse_setup_py(text, f"{case}.py")) == expected


def test_syntax_error_names_file_line_and_column() -> None:
    text = (FIX / "syntax_error.py").read_text(encoding="utf-8")
    with pytest.raises(SourceError) as info:
        parse_setup_py(text, "upstream/setup.py")
    err = info.value
    assert (err.path, err.line) == ("upstream/setup.py", 3)
    rendered = err.render()
    assert rendered.startswith("upstream/setup.py:3:")
    assert "not valid Python" in rendered and "^" in rendered


def test_nul_byte_is_a_located_error() -> None:
    with pytest.raises(SourceError) as info:
        parse_setup_py("x = 1\ny = '\x00'\n", "s.py")
    assert info.value.line == 2


def test_calls_inside_lambdas_and_comprehensions_count() -> None:
    text = (
        "from setuptools import setup\nfrom setuptools_scm import get_version\n"
        "v = (lambda: get_version(dist_name='a'))()\n"
        "w = [get_version(dist_name=n) for n in ('b',)]\n"
        "setup(version=v)\n"
    )
    sp = parse_setup_py(text)
    assert [(c.line, _dist(c, 10)) for c in sp.calls] == [(3, "known:a"), (4, "unknown")]
