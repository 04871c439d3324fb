"""Helpers for the lint tests: fixture headers, expectation markers, rendering.

A fixture is a Dockerfile under ``fixtures/<CODE or topic>/``. Two kinds of
comment lines carry the test's expectations, written by hand:

- ``# lint: key=value ...`` (anywhere): the context to lint with:
  ``platforms=linux/amd64,linux/arm64``, ``builder=buildah``,
  ``package-caches=locked``, ``honoured=NAME,NAME`` (PKD004), ``unsafe=1``
  (also apply unsafe fixes in the fix test).
- ``# expect: PKD001`` directly above an instruction (in the comment block
  above it): that instruction must get one finding of that code;
  ``# expect: PKD001 x2`` two. Every other instruction must get none of the
  rule's code.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
SNAPSHOTS = HERE / "snapshots"

_HEADER = re.compile(r"^#\s*lint:\s*(.*)$", re.MULTILINE)
_EXPECT = re.compile(r"^\s*#\s*expect:\s*(PKD\d{3})(?:\s+x(\d+))?\s*$")


def fixture_files(folder: str) -> list[Path]:
    return sorted((FIXTURES / folder).glob("*.Dockerfile"))


def read_fixture(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def header(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in _HEADER.finditer(text):
        for item in m.group(1).split():
            key, _, value = item.partition("=")
            out[key] = value
    return out


def context_for(text: str):  # -> LintContext
    from patchkit.lint.base import LintContext, PretendFacts

    h = header(text)
    pretend = None
    if "honoured" in h:
        pretend = PretendFacts(honoured=tuple(h["honoured"].split(",")), source="setup.py")
    return LintContext(
        platforms=tuple(p for p in h.get("platforms", "").split(",") if p),
        builder=h.get("builder", "buildkit"),
        package_caches=h.get("package-caches", "share"),
        pretend=pretend,
    )


def expected(text: str, code: str) -> Counter[int]:
    """Start line of each instruction marked ``# expect: CODE`` -> count (read from the file)."""
    lines = text.split("\n")
    out: Counter[int] = Counter()
    pending: list[int] = []
    for n, line in enumerate(lines, 1):
        m = _EXPECT.match(line)
        if m:
            if m.group(1) == code:
                pending.append(int(m.group(2) or 1))
            continue
        stripped = line.strip()
        if stripped.startswith("#") or not pending:
            if not stripped:
                pending = []
            continue
        out[n] += sum(pending)
        pending = []
    return out


def render(result) -> str:  # LintResult -> text
    lines = []
    for v in result.violations:
        d = v.to_diagnostic(result.tree, result.path)
        lines.append(
            f"{d.line}:{d.col}-{d.end_line}:{d.end_col} {d.code} [{d.severity.value}] {d.message}"
        )
        if v.fix is not None:
            lines.append(f"    fix ({v.fix.applicability.value}): {v.fix.title}")
    return "\n".join(lines) + ("\n" if lines else "")


@pytest.fixture
def lint_helpers() -> dict[str, Callable[..., object]]:
    return {
        "fixture_files": fixture_files,
        "read_fixture": read_fixture,
        "header": header,
        "context_for": context_for,
        "expected": expected,
        "render": render,
    }
