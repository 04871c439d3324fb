"""``rules_index()`` and ``rule_page(code)``: every code, as ``patchkit rule CODE`` explains it."""

from __future__ import annotations

import re

from patchkit.reference._markdown import code, inline, table

__all__ = ["rule_page", "rules_index"]

_TITLES = {
    "lint": "Lint rules",
    "manifest": "Manifest",
    "scm": "setuptools-scm",
    "status": "Patch series",
    "build": "Build model",
    "check": "The check run",
}


def rule_page(code_: str) -> str:
    """The page of one code: exactly the text ``patchkit rule CODE`` prints."""
    from patchkit.cli.catalog import explain

    return explain(code_)


def _lint_summary(code_: str) -> tuple[str, str]:
    """(severity, first sentence of "What it does") of a lint rule, from its docstring."""
    from patchkit.cli.catalog import explain
    from patchkit.lint.registry import RuleStatus, entry, load

    if entry(code_).status is RuleStatus.REMOVED:
        return "", "removed"
    text = explain(code_).partition("## What it does\n")[2]
    paragraph = " ".join(text.split("\n\n")[0].split("\n- ")[0].split())
    sentence = re.split(r"(?<=\.)\s+(?=[A-Z])", paragraph)[0]
    return load(code_).severity.value, sentence


def rules_index() -> str:
    """The index of every code ``patchkit rules`` lists, grouped by area, each linking its page."""
    from patchkit.cli.catalog import all_codes, code_rows, reported_by

    info = all_codes()
    groups: dict[str, list[list[str]]] = {}
    for row in code_rows():
        about = info[row["code"]]
        severity, summary = about.severity or "", about.summary
        if about.area == "lint":
            severity, summary = _lint_summary(row["code"])
        groups.setdefault(about.area, []).append(
            [
                f"[{row['code']}]({row['code']}.md)",
                code(row["name"]),
                inline(row["status"]),
                inline(severity),
                inline(row["fix"]),
                inline(summary),
            ]
        )
    parts = [
        "# Rules and codes\n",
        "Every code patchkit reports, as `patchkit rules` lists them; each page is what "
        "`patchkit rule CODE` prints. A published code is never reused: a withdrawn rule "
        "keeps its row with status `removed`.\n",
    ]
    for area, rows in groups.items():
        parts.append(f"## {_TITLES.get(area, area)}\n\nReported by {reported_by(area)}.\n")
        parts.append(table(["code", "name", "status", "severity", "fix", "summary"], rows))
    return "\n".join(parts)
