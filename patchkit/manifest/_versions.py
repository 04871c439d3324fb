"""The manifest layer's only door to ``patchkit.versions``: validation, comparison, conversion.

Keeping every call in one module means the checks in ``check.py`` read in
manifest terms (``verdict``, ``compare_exver``) and follow the validators'
API in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Verdict",
    "compare_exver",
    "exver_parts",
    "looks_like_range",
    "pep440_equal",
    "pep440_to_exver_upstream",
    "verdict",
]

_RANGE_CHARS = frozenset("<>=!^~*()|&")


@dataclass(frozen=True, slots=True)
class Verdict:
    """The answer for one string under one scheme.

    ``valid`` False: ``message`` says why, ``index`` is the offset of the first
    bad character in the string (when known) and ``suggestion`` a corrected string.
    ``valid`` True with ``normalized`` different from the input: a warning-level
    finding (the tools will rewrite or reject the spelling).
    """

    valid: bool
    message: str | None = None
    index: int | None = None
    suggestion: str | None = None
    normalized: str | None = None
    note: str | None = None


def verdict(text: str, scheme: str) -> Verdict:
    """Validate ``text`` as ``exver``, ``pep440`` or ``semver``."""
    if scheme == "exver":
        return _exver(text)
    if scheme == "pep440":
        return _pep440(text)
    if scheme == "semver":
        return _semver(text)
    raise ValueError(f"unknown scheme {scheme!r}")


def _exver(text: str) -> Verdict:
    from patchkit.versions import exver

    try:
        parsed = exver.parse(text)
    except ValueError as exc:
        return Verdict(
            valid=False,
            message=str(getattr(exc, "message", None) or exc),
            index=_index_of(exc),
            suggestion=getattr(exc, "suggestion", None),
        )
    normalized = str(parsed)
    return Verdict(valid=True, normalized=normalized)


def _index_of(exc: BaseException) -> int | None:
    for attr in ("offset", "index", "position", "start"):
        value = getattr(exc, attr, None)
        if isinstance(value, int):
            return value
    span = getattr(exc, "span", None)
    if isinstance(span, tuple) and span and isinstance(span[0], int):
        return span[0]
    return None


def _pep440(text: str) -> Verdict:
    from packaging.version import InvalidVersion, Version

    try:
        parsed = Version(text)
    except InvalidVersion:
        stripped = text.strip()
        suggestion = None
        try:
            suggestion = str(Version(stripped)) if stripped != text else None
        except InvalidVersion:
            pass
        return Verdict(
            valid=False, message=f"{text!r} is not a valid PEP 440 version", suggestion=suggestion
        )
    return Verdict(valid=True, normalized=str(parsed))


def _semver(text: str) -> Verdict:
    import semver

    try:
        semver.Version.parse(text)
    except (ValueError, TypeError):
        hint = None
        if text[:1] in "vV":
            try:
                semver.Version.parse(text[1:])
                hint = text[1:]
            except (ValueError, TypeError):
                pass
        return Verdict(
            valid=False, message=f"{text!r} is not a valid SemVer 2.0 version", suggestion=hint
        )
    return Verdict(valid=True, normalized=text)


def exver_parts(text: str) -> tuple[str | None, str, str] | None:
    """``(flavor, upstream, downstream)`` of an ExVer string, or None when it has no ``:`` part.

    Purely textual (no validation): ``#knots:26.1:0`` -> ``("knots", "26.1", "0")``.
    """
    flavor: str | None = None
    rest = text
    if rest.startswith("#"):
        flavor, sep, rest = rest[1:].partition(":")
        if not sep:
            return None
        flavor = flavor or None
    upstream, sep, downstream = rest.partition(":")
    if not sep:
        return None
    return flavor, upstream, downstream


def looks_like_range(text: str) -> bool:
    """True when a ``migrations.other`` key is written as a range (``^28``, ``>=1:0 <2:0``)."""
    stripped = text.strip()
    return bool(stripped) and (
        stripped[0] in _RANGE_CHARS or " " in stripped or "&&" in stripped or "||" in stripped
    )


def compare_exver(a: str, b: str) -> int | None:
    """-1, 0 or 1 comparing two valid ExVer strings; None when they cannot be compared.

    Versions of different flavors are not ordered (the SDK's ``compare`` returns
    null for them too); neither is a string the validator rejects.
    """
    from patchkit.versions import exver

    pa, pb = exver_parts(a), exver_parts(b)
    if pa is None or pb is None or pa[0] != pb[0]:
        return None
    try:
        va, vb = exver.parse(a), exver.parse(b)
    except ValueError:
        return None
    if va < vb:
        return -1
    if vb < va:
        return 1
    return 0


def pep440_to_exver_upstream(version: str) -> str:
    """The ExVer upstream part for a PEP 440 version (``0.21.1rc0`` -> ``0.21.1-rc.0``).

    Raises ``ValueError`` with the reason when ExVer cannot express it.
    """
    from patchkit.versions import convert

    return str(convert.pep440_to_exver_upstream(version))


def pep440_equal(a: str, b: str) -> bool | None:
    """PEP 440 equality (``0.21.1`` == ``v0.21.1.0``); None when either is not PEP 440."""
    from packaging.version import InvalidVersion, Version

    try:
        return Version(a) == Version(b)
    except InvalidVersion:
        return None
