"""SARIF 2.1.0 (OASIS): findings for GitHub code scanning and other SARIF consumers.

One run, tool ``patchkit``, one ``rules`` entry per code that occurs (with its
name, summary and the ``patchkit rule CODE`` command that explains it as help);
each diagnostic is a ``result`` with its rule, level (error, warning, note),
message (the fix appended) and region (1-based lines and columns, as SARIF
counts them). Paths stay relative to the repository root (``%SRCROOT%``), as
code scanning expects.
"""

from __future__ import annotations

from collections.abc import Sequence

from patchkit.diagnostics import Diagnostic, Severity

__all__ = ["SARIF_SCHEMA", "sarif_document"]

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def sarif_document(
    diagnostics: Sequence[Diagnostic], *, root_uri: str | None = None
) -> dict[str, object]:
    """The SARIF log for ``diagnostics`` (sorted by place)."""
    from patchkit import __version__
    from patchkit.cli.catalog import all_codes

    catalog = all_codes()
    ordered = sorted(diagnostics, key=Diagnostic.sort_key)
    codes = sorted({d.code for d in ordered})
    index = {code: i for i, code in enumerate(codes)}
    rules = []
    for code in codes:
        info = catalog.get(code)
        rule: dict[str, object] = {"id": code}
        if info is not None:
            rule["name"] = info.name
            rule["shortDescription"] = {"text": info.summary}
            rule["help"] = {"text": f"patchkit rule {code}"}
        rules.append(rule)
    results = []
    for d in ordered:
        region: dict[str, int] = {"startLine": max(d.line, 1), "startColumn": max(d.col, 1)}
        if d.end_line is not None:
            region["endLine"] = max(d.end_line, region["startLine"])
        if d.end_col is not None and (d.end_line is None or d.end_line >= d.line):
            region["endColumn"] = max(d.end_col, 1)
        text = d.message + (f" Fix: {d.fix}" if d.fix else "")
        results.append(
            {
                "ruleId": d.code,
                "ruleIndex": index[d.code],
                "level": _LEVEL.get(d.severity, "note"),
                "message": {"text": text},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": d.path, "uriBaseId": "%SRCROOT%"},
                            "region": region,
                        }
                    }
                ],
            }
        )
    run: dict[str, object] = {
        "tool": {
            "driver": {
                "name": "patchkit",
                "version": __version__,
                "informationUri": "https://pypi.org/project/patchkit-downstream/",
                "rules": rules,
            }
        },
        "results": results,
    }
    if root_uri is not None:
        run["originalUriBaseIds"] = {"%SRCROOT%": {"uri": root_uri}}
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
