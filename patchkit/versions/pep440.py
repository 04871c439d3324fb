"""PEP 440 validation through ``packaging`` (no grammar of our own).

Invalid strings are errors. ``packaging`` says only *that* a string is
invalid; to point at the first bad character we match the library's own
pattern (``packaging.version.VERSION_PATTERN``) against the start of the
string: the first character it cannot take is the one reported. Valid but
non-normalised strings (``v1.0``, ``0.21.1-rc0``, ``1.0.0-RC1``) are valid with
a warning and the normalised form as the suggestion.
"""

from __future__ import annotations

import re
from functools import cache

from patchkit._source import Span
from patchkit.versions.exver import describe_char
from patchkit.versions.result import CheckResult

__all__ = ["check_pep440", "normalize_pep440"]

_MAX_LOCATE = 10_000  # the pattern is linear, but there is no need to feed it a novel


@cache
def _prefix_pattern() -> re.Pattern[str]:
    from packaging.version import VERSION_PATTERN

    return re.compile(r"\s*" + VERSION_PATTERN, re.VERBOSE | re.IGNORECASE)


def normalize_pep440(text: str) -> str:
    """``str(packaging.version.Version(text))``; raises ``packaging.version.InvalidVersion``."""
    from packaging.version import Version

    return str(Version(text))


def _first_bad(text: str) -> int:
    if len(text) > _MAX_LOCATE:
        return 0
    match = _prefix_pattern().match(text)
    end = match.end() if match else 0
    while end < len(text) and text[end].isspace():  # trailing whitespace is allowed
        end += 1
    return min(end, len(text))


def check_pep440(text: str) -> CheckResult:
    """Validate ``text`` as a PEP 440 version.

    >>> check_pep440("0.21.1-rc0").warnings[0]
    "valid, but not normalized: PEP 440 spells it '0.21.1rc0'"
    """
    from packaging.version import InvalidVersion, Version

    try:
        version = Version(text)
    except InvalidVersion:
        pos = _first_bad(text)
        found = text[pos] if pos < len(text) else None
        if not text.strip():
            message = "an empty string is not a version"
        elif pos == 0:
            message = (
                "a PEP 440 version starts with a number (or N! for an epoch), "
                f"found {describe_char(found)}"
            )
        else:
            message = f"the version ends before {describe_char(found)}"
        return CheckResult(
            text,
            "pep440",
            False,
            None,
            error=message,
            suggestion=_suggest(text),
            span=Span(pos, min(pos + 1, len(text))),
        )
    normalized = str(version)
    warnings: list[str] = []
    if normalized != text:
        warnings.append(f"valid, but not normalized: PEP 440 spells it {normalized!r}")
    return CheckResult(
        text,
        "pep440",
        True,
        normalized,
        suggestion=normalized if normalized != text else None,
        warnings=tuple(warnings),
    )


def _suggest(text: str) -> str | None:
    """A PEP 440 version for an ExVer or a ``git describe`` line, when the string is one."""
    from patchkit.versions.convert import convert

    if len(text) > _MAX_LOCATE:
        return None
    for result in (
        convert(text, to="pep440", source="exver"),
        convert(text, to="pep440", source="git-describe"),
    ):
        if result.valid and result.normalized:
            return result.normalized
    return None
