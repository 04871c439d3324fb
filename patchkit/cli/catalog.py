"""Every diagnostic code patchkit reports: its name, summary, and documentation.

The layers own their tables (lint's registry with each rule's docstring,
``check``'s, the manifest's, the scm's); this module only reads them, for
``patchkit rules`` and ``patchkit rule CODE``, for formats that describe their
rules (SARIF's ``tool.driver.rules``) and for the docs' rule pages
(``patchkit.reference``), so each code's text is written once.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CodeInfo", "all_codes", "code_rows", "explain", "reported_by"]

#: Every code outside lint's table was published with this version (lint's rows say their own).
_FIRST_RELEASE = "0.1.0"

#: The command that reports each area's codes (the area is ``patchkit.check.codes.area_of``).
_REPORTED_BY = {
    "lint": "`patchkit lint`, and `patchkit check` (lint area)",
    "scm": "`patchkit scm check`, and `patchkit check` (scm area)",
    "check": "`patchkit check`",
}


def reported_by(area: str) -> str:
    """The commands that report the codes of ``area``, in Markdown."""
    return _REPORTED_BY.get(area, f"`patchkit check` ({area} area)")


@dataclass(frozen=True, slots=True)
class CodeInfo:
    code: str
    name: str
    summary: str
    area: str = "check"
    severity: str | None = None  # the default severity; None for lint rules (see the rule)
    detail: str = ""


def all_codes() -> dict[str, CodeInfo]:
    """Code -> its name, summary and detail: lint's rules, then the other areas' codes."""
    from patchkit.check.codes import CODES as CHECK_CODES
    from patchkit.check.codes import area_of
    from patchkit.lint.registry import RULES
    from patchkit.manifest.codes import CODES as MANIFEST_CODES
    from patchkit.scm.check import CODES as SCM_CODES

    out: dict[str, CodeInfo] = {}
    for rule in RULES:
        out[rule.code] = CodeInfo(rule.code, rule.name, rule.name.replace("-", " "), "lint")
    layers = sorted((*MANIFEST_CODES, *SCM_CODES, *CHECK_CODES), key=lambda r: _order(r.code))
    for row in layers:
        out[row.code] = CodeInfo(
            row.code, row.name, row.summary, area_of(row.code), row.severity.value, row.detail
        )
    return out


def _order(code: str) -> tuple[int, str]:
    from patchkit.check.codes import AREA_OF_PREFIX

    prefixes = [prefix for prefix, _ in AREA_OF_PREFIX]
    return (prefixes.index(code[:3]) if code[:3] in prefixes else len(prefixes), code)


def code_rows() -> list[dict[str, str]]:
    """One row per code (``patchkit rules``): code, name, status, since, fix."""
    from patchkit.lint.docs import rule_rows

    rows = rule_rows()
    lint = {r["code"] for r in rows}
    for info in all_codes().values():
        if info.code not in lint:
            rows.append(
                {
                    "code": info.code,
                    "name": info.name,
                    "status": "stable",
                    "since": _FIRST_RELEASE,
                    "fix": "none",
                }
            )
    return rows


def explain(code: str) -> str:
    """The documentation of ``code`` in Markdown: what ``patchkit rule CODE`` prints.

    A lint rule's comes from its docstring (``patchkit.lint.docs.explain``); any
    other code's from its layer's table, in the same layout: title, status line,
    then sections. Raises ``UsageError`` for an unknown code.
    """
    from patchkit.errors import UsageError
    from patchkit.lint.docs import explain as explain_rule

    wanted = code.strip().upper()
    if wanted.startswith("PKD"):
        return explain_rule(wanted)
    info = all_codes().get(wanted)
    if info is None:
        raise UsageError(f"unknown code {code!r} (`patchkit rules` lists every code)")
    by = reported_by(info.area)
    return (
        f"# {info.name} ({info.code})\n\n"
        f"Status: stable (since {_FIRST_RELEASE}), severity {info.severity}. Fix: none. "
        f"Reported by {by}.\n\n"
        f"## What it reports\n{info.detail or info.summary[:1].upper() + info.summary[1:] + '.'}\n"
    )
