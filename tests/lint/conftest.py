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


def changed_outside(original: str, fixed: str, allowed: list[tuple[int, int]]) -> list[str]:
    """Differences that are neither pure insertions nor inside an allowed span.

    Lines first, then characters inside each changed block of lines: a diff of
    the whole text by characters can pair an inserted line with the tail of the
    line before it when the same insertion repeats (two ``ARG TARGETARCH``
    lines), and report an edit nobody made.
    """
    import difflib

    def starts(text: str) -> list[int]:
        out = [0]
        for line in text.splitlines(keepends=True):
            out.append(out[-1] + len(line))
        return out

    a_lines, b_lines = original.splitlines(keepends=True), fixed.splitlines(keepends=True)
    a_at, b_at = starts(original), starts(fixed)
    bad = []
    lines = difflib.SequenceMatcher(None, a_lines, b_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in lines.get_opcodes():
        if tag in ("equal", "insert"):
            continue
        base = a_at[i1]
        block_a, block_b = original[base : a_at[i2]], fixed[b_at[j1] : b_at[j2]]
        chars = difflib.SequenceMatcher(None, block_a, block_b, autojunk=False)
        for ctag, c1, c2, d1, d2 in chars.get_opcodes():
            if ctag in ("equal", "insert"):
                continue
            if not any(s <= base + c1 and base + c2 <= e for s, e in allowed):
                bad.append(f"{ctag} {block_a[c1:c2]!r} -> {block_b[d1:d2]!r} at {base + c1}")
    return bad


def owned_spans(text: str, whole_runs: bool = False) -> list[tuple[int, int]]:
    """Spans a fix may rewrite: every flag, every ENV/ARG key and value (and RUNs, if asked)."""
    from patchkit.dockerfile import parse

    tree = parse(text)
    spans = [(f.start, f.end) for i in tree.instructions for f in i.flags]
    spans += [(kv.key_start, kv.value_end) for i in tree.instructions for kv in i.pairs]
    if whole_runs:
        # with its line break: a RUN the fix rewrites may be aligned by the line diff as
        # deleted here and inserted lower down (after inserted ARG lines equal to a later one)
        spans += [
            (i.start, i.end + _line_break_at(text, i.end))
            for i in tree.instructions
            if i.keyword == "RUN"
        ]
    return spans


def _line_break_at(text: str, at: int) -> int:
    """The length of the line break that starts at ``at`` (0 if none)."""
    for brk in ("\r\n", "\n", "\r"):
        if text.startswith(brk, at):
            return len(brk)
    return 0


@pytest.fixture
def lint_helpers() -> dict[str, Callable[..., object]]:
    return {
        "fixture_files": fixture_files,
        "read_fixture": read_fixture,
        "header": header,
        "context_for": context_for,
        "expected": expected,
        "render": render,
        "changed_outside": changed_outside,
        "owned_spans": owned_spans,
    }
