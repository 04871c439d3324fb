"""Rule documentation for ``patchkit rules`` and ``patchkit rule CODE``, from rule docstrings."""

from __future__ import annotations

import inspect

from patchkit.lint.registry import RULES, RuleStatus, entry, load

__all__ = ["explain", "rule_rows"]

# What each rule's fix is (kept here so `patchkit rules` imports no rule code).
_FIX = {
    "PKD001": "safe (cache-mount-id)",
    "PKD002": "unsafe (cache-key-arg; buildah: bind-mount-cache-key)",
    "PKD003": "safe (insert ARG)",
    "PKD004": "safe (scm-pretend-version)",
    "PKD005": "safe when normalising, else unsafe",
    "PKD006": "none",
    "PKD007": "none",
    "PKD008": "display-only (add sharing=locked)",
}


def rule_rows() -> list[dict[str, str]]:
    """One row per code in the table: code, name, status, since, fix."""
    return [
        {
            "code": r.code,
            "name": r.name,
            "status": r.status.value + (f" -> {r.redirect}" if r.redirect else ""),
            "since": r.since,
            "fix": _FIX.get(r.code, "none"),
        }
        for r in RULES
    ]


def explain(code: str) -> str:
    """The rule's documentation as ruff prints it: title, status, then the docstring sections."""
    row = entry(code)
    head = f"# {row.name} ({row.code})\n\n"
    if row.status is RuleStatus.REMOVED:
        return head + f"Removed. {'Use ' + row.redirect + '.' if row.redirect else ''}\n"
    rule = load(row.code)
    doc = inspect.cleandoc(type(rule).__doc__ or "")
    severity = getattr(rule, "severity", None)
    level = f", severity {severity.value}" if severity is not None else ""
    fix = _FIX.get(row.code, "none")
    meta = f"Status: {row.status.value} (since {row.since}){level}. Fix: {fix}.\n\n"
    return head + meta + doc + "\n"
