"""Validate version strings: ``check(text, scheme)`` -> ``CheckResult``.

``scheme`` is ``exver`` (StartOS extended version), ``exver-range``, ``emver`` (StartOS 0.3.x),
``pep440``, ``semver`` or ``auto`` (the first of exver, pep440, semver that
accepts the string; if none does, the ExVer verdict, since ExVer is what a
StartOS package must get right).

For ExVer the verdict is the StartOS SDK's, exactly (``exver.py``); valid
strings that the SDK rewrites, or that another StartOS gate rejects, carry
warnings (research ``exver.md`` §4, §7) and, when it differs, the canonical
spelling as the suggestion.
"""

from __future__ import annotations

from patchkit.versions._jsnumber import U64_MAX, js_number, js_number_text
from patchkit.versions.errors import VersionSyntaxError
from patchkit.versions.exver import Quirk, parse_exver_detailed, parse_range
from patchkit.versions.result import CheckResult

__all__ = ["SCHEMES", "check", "check_exver", "check_exver_range", "validate"]

SCHEMES = ("exver", "exver-range", "emver", "pep440", "semver", "auto")


def _quirk_warning(q: Quirk) -> str:
    col = q.start + 1
    if q.kind == "leading-zero":
        return (
            f'leading zero in "{q.text}" (column {col}): the SDK reads it as '
            f"{js_number_text(js_number(q.text))}; "
            "StartOS's compile-time check (VersionInfo.of) rejects leading zeros, and "
            "StartOS itself "
            "rejects them in pre-release numbers"
        )
    if q.kind == "extra-dot":
        return (
            f'empty pre-release identifier (extra "." at column {col}): the SDK drops it, '
            "StartOS (Rust) rejects the string"
        )
    if q.kind == "empty-flavor":
        return (
            'empty flavor "#:": the SDK reads it as no flavor, StartOS (Rust) keeps "#:", '
            "so they disagree about which version this is; remove it"
        )
    if q.kind == "unsafe-number":
        shown = js_number_text(js_number(q.text))
        digits = q.text[:30] + ("…" if len(q.text) > 30 else "")
        text = f'"{digits}" (column {col}) is above 2**53-1: the SDK reads it as {shown}'
        if "e" in shown or shown == "Infinity":
            text += ", which is not valid ExVer"
        significant = q.text.lstrip("0")
        if len(significant) > 20 or int(significant) > U64_MAX:
            text += "; StartOS (Rust) rejects numbers above 18446744073709551615"
        return text
    if q.kind == "numeric-prerelease-start":
        return (
            f'the pre-release starts with a number ("{q.text}", column {col}): SDK 2.0.9 '
            "mis-orders "
            'it against versions with a word there; start pre-releases with a word (e.g. "rc.1")'
        )
    return q.kind


def check_exver(text: str) -> CheckResult:
    """Validate ``[#flavor:]upstream:downstream`` exactly as StartOS SDK 2.0.9 does.

    >>> r = check_exver("0.21.1-rc0:0")
    >>> r.valid, r.span.start, r.suggestion
    (False, 9, '0.21.1-rc.0:0')
    """
    try:
        parsed = parse_exver_detailed(text)
    except VersionSyntaxError as exc:
        return _invalid(text, "exver", exc)
    normalized = str(parsed.value)
    warnings = tuple(_quirk_warning(q) for q in parsed.quirks)
    unsafe = any(q.kind == "unsafe-number" for q in parsed.quirks)
    suggestion = normalized if normalized != text and not unsafe else None
    return CheckResult(text, "exver", True, normalized, suggestion=suggestion, warnings=warnings)


def check_exver_range(text: str) -> CheckResult:
    """Validate a range as the SDK's ``VersionRange.parse`` does; normalized: its ``toString()``."""
    try:
        value = parse_range(text)
    except VersionSyntaxError as exc:
        return _invalid(text, "exver-range", exc)
    return CheckResult(text, "exver-range", True, str(value))


def _invalid(text: str, scheme: str, exc: VersionSyntaxError) -> CheckResult:
    return CheckResult(
        text,
        scheme,
        False,
        None,
        error=exc.message,
        suggestion=exc.suggestion,
        span=exc.span,
        expected=exc.expected,
        sdk_error=exc.sdk_message,
    )


def check(text: str, scheme: str = "auto") -> CheckResult:
    """Check ``text`` against ``scheme`` (one of ``SCHEMES``). Never raises for bad input.

    >>> check("1.0.0-RC1").scheme, check("1.0.0-RC1").normalized
    ('pep440', '1.0.0rc1')
    """
    if scheme == "exver":
        return check_exver(text)
    if scheme == "exver-range":
        return check_exver_range(text)
    if scheme == "emver":
        from patchkit.versions.emver import check_emver

        return check_emver(text)
    if scheme == "pep440":
        from patchkit.versions.pep440 import check_pep440

        return check_pep440(text)
    if scheme == "semver":
        from patchkit.versions.semver import check_semver

        return check_semver(text)
    if scheme != "auto":
        raise ValueError(f"unknown scheme {scheme!r}; choose from {', '.join(SCHEMES)}")
    exver = check_exver(text)
    if exver.valid:
        return exver
    from patchkit.versions.pep440 import check_pep440
    from patchkit.versions.semver import check_semver

    for other in (check_pep440(text), check_semver(text)):
        if other.valid:
            return other
    return exver


#: ``validate`` is another name for ``check``.
validate = check
