"""Small Markdown writers shared by the reference pages."""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["anchor", "code", "inline", "table"]

_SPECIAL = re.compile(r"([\\*_<>|\[\]])")


def inline(text: str) -> str:
    """``text`` as one line of Markdown: backtick spans kept, ``* _ < > | [ ]`` escaped elsewhere.

    >>> inline("globs like *[0-9]* and `a|b`")
    'globs like \\\\*\\\\[0-9\\\\]\\\\* and `a|b`'
    """
    parts = re.split(r"(`[^`]*`)", " ".join(text.split()))
    return "".join(p if p.startswith("`") else _SPECIAL.sub(r"\\\1", p) for p in parts)


def code(text: str) -> str:
    """``text`` as a code span (a longer fence when it holds backticks)."""
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A pipe table of cells already in Markdown (``inline``, ``code``).

    Python-Markdown's tables do not split at a pipe inside a code span, and
    ``inline`` escapes the others.
    """
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def anchor(title: str) -> str:
    """The id MkDocs' toc extension gives a heading (lower case, words joined by ``-``)."""
    slug = re.sub(r"[^\w\s-]", "", title.lower()).strip()
    return re.sub(r"[\s-]+", "-", slug)
