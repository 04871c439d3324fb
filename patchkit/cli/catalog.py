"""Every diagnostic code patchkit reports, with its name and a one-line summary.

The layers own their tables (lint's registry, ``check``'s, the manifest's,
the scm's); this module only reads them, for formats that describe their
rules (SARIF's ``tool.driver.rules``) and for docs.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CodeInfo", "all_codes"]


@dataclass(frozen=True, slots=True)
class CodeInfo:
    code: str
    name: str
    summary: str


def all_codes() -> dict[str, CodeInfo]:
    """Code → its name and summary, for every layer's table."""
    from patchkit.check.codes import CODES as CHECK_CODES
    from patchkit.lint.registry import RULES
    from patchkit.manifest.codes import CODES as MANIFEST_CODES
    from patchkit.scm.check import CODES as SCM_CODES

    out: dict[str, CodeInfo] = {}
    for rule in RULES:
        out[rule.code] = CodeInfo(rule.code, rule.name, rule.name.replace("-", " "))
    for table in (CHECK_CODES, MANIFEST_CODES):
        for row in table:
            out[row.code] = CodeInfo(row.code, row.name, row.summary)
    for code, summary in SCM_CODES:
        out[code] = CodeInfo(code, summary.split(":")[0].replace(" ", "-")[:60], summary)
    return out
