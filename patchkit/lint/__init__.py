"""BuildKit cache hazards and version wiring in Dockerfiles: rules ``PKD001``-``PKD008``.

The API ``patchkit lint`` (and ``patchkit check``) call::

    >>> from patchkit.lint import LintContext, lint_text
    >>> text = "FROM alpine\\nRUN --mount=type=cache,target=/src/.deps make\\n"
    >>> context = LintContext(platforms=("linux/amd64", "linux/arm64"))
    >>> result = lint_text(text, "Dockerfile", context)
    >>> [(v.code, result.tree.line_col(v.start)) for v in result.violations]
    [('PKD001', (2, 5))]

``fix_text`` applies the fixes (each one a patchkit transform) until nothing
changes; ``registry.RULES`` is the code table; ``docs.explain(code)`` is a
rule's documentation. Nothing here prints, exits or reads files.
"""

from __future__ import annotations

from patchkit.lint.base import Applicability, Fix, LintContext, PretendFacts, Violation
from patchkit.lint.registry import RULES, RuleEntry, RuleStatus, select_codes
from patchkit.lint.runner import FixResult, LintResult, fix_text, lint_text, lint_tree

__all__ = [
    "RULES",
    "Applicability",
    "Fix",
    "FixResult",
    "LintContext",
    "LintResult",
    "PretendFacts",
    "RuleEntry",
    "RuleStatus",
    "Violation",
    "fix_text",
    "lint_text",
    "lint_tree",
    "select_codes",
]
