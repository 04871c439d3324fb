"""The manifest layer's only door to ``patchkit.versions``: validation, comparison, conversion.

Keeping every call in one module means the checks in ``validate.py`` and
``crosscheck.py`` read in manifest terms (``verdict``, ``compare_exver``) and
follow the validators' API in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from patchkit.versions.upstream import UpstreamMatch

__all__ = [
    "Verdict",
    "compare_exver",
    "exver_parts",
    "looks_like_range",
    "match_upstream",
    "ordering_hazards",
    "pep440_equal",
    "pep440_to_exver_upstream",
    "verdict",
]

_RANGE_CHARS = frozenset("<>=!^~*()|&")


@dataclass(frozen=True, slots=True)
class Verdict:
    """The answer for one string in one scheme (exver, exver-range, pep440, semver).

    ``valid`` False: ``message`` says why, ``index`` is the offset of the first
    bad character in the string (when known) and ``suggestion`` a corrected string.
    ``valid`` True with ``normalized`` different from the input, or with
    ``warnings``: the string is accepted but a tool rewrites or rejects it.
    """

    valid: bool
    message: str | None = None
    index: int | None = None
    suggestion: str | None = None
    normalized: str | None = None
    warnings: tuple[str, ...] = field(default=())


def verdict(text: str, scheme: str) -> Verdict:
    """Validate ``text`` in ``scheme`` with ``patchkit.versions.check``."""
    from patchkit.versions import check

    result = check(text, scheme)
    return Verdict(
        valid=result.valid,
        message=result.error,
        index=None if result.span is None else result.span.start,
        suggestion=result.suggestion,
        normalized=result.normalized,
        warnings=tuple(result.warnings),
    )


def exver_parts(text: str) -> tuple[str | None, str, str] | None:
    """``(flavor, upstream, downstream)`` of a valid ExVer string (normalized), else None.

    ``#knots:26.1:0`` -> ``("knots", "26.1", "0")``.
    """
    from patchkit.versions import ExVer, VersionSyntaxError

    try:
        value = ExVer.parse(text)
    except VersionSyntaxError:
        return None
    return value.flavor, str(value.upstream), str(value.downstream)


def looks_like_range(text: str) -> bool:
    """True when a ``migrations.other`` key is written as a range (``^28``, ``>=1:0 <2:0``)."""
    stripped = text.strip()
    return bool(stripped) and (
        stripped[0] in _RANGE_CHARS or " " in stripped or "&&" in stripped or "||" in stripped
    )


def compare_exver(a: str, b: str) -> int | None:
    """-1, 0 or 1 comparing two ExVer strings as StartOS does; None when they cannot be compared.

    Versions of different flavors are not ordered (StartOS and the SDK agree);
    neither is a string the validator rejects.
    """
    from patchkit.versions import ExVer, VersionSyntaxError

    try:
        return ExVer.parse(a).compare(ExVer.parse(b))
    except VersionSyntaxError:
        return None


def pep440_to_exver_upstream(version: str) -> str:
    """The ExVer upstream part a package should declare for a PEP 440 upstream version.

    ``0.21.1rc0`` -> ``0.21.1-rc.0``. Where the order-preserving mapping refuses
    (a dev, post or local version) the validators' documented encoding is used
    (``0.21.1rc1.dev132+g0b9f2c8`` -> ``0.21.1-rc.1.dev.132``): a package built
    from that tree has to write something, and that is what the bump would write.
    Raises ``ValueError`` with the reason when ExVer cannot express it at all.
    """
    from patchkit.versions import ConversionError, VersionSyntaxError, pep440_to_exver_part

    try:
        return str(pep440_to_exver_part(version))
    except ConversionError as exc:
        if exc.suggestion:
            return str(exc.suggestion)
        raise ValueError(exc.reason) from None
    except VersionSyntaxError as exc:
        raise ValueError(exc.message) from None


def ordering_hazards(texts: Sequence[str]) -> list[tuple[str, str, str]]:
    """Pairs of valid ExVer strings that the StartOS SDK 2.0.9 orders wrongly: ``(a, b, why)``.

    ``a`` and ``b`` are the strings as given (the first spelling of each version).
    """
    from patchkit.versions import ExVer, VersionSyntaxError, sdk_ordering_hazards

    spelled: dict[tuple[str | None, str], str] = {}
    values = []
    for text in texts:
        try:
            value = ExVer.parse(text)
        except VersionSyntaxError:
            continue
        key = (value.flavor, str(value))
        if key not in spelled:
            spelled[key] = text
            values.append(value)
    return [
        (spelled[(h.a.flavor, str(h.a))], spelled[(h.b.flavor, str(h.b))], h.message)
        for h in sdk_ordering_hazards(values)
    ]


def pep440_equal(a: str, b: str) -> bool | None:
    """PEP 440 equality (``0.21.1`` == ``0.21.1.0``); None when either is not PEP 440."""
    from packaging.version import InvalidVersion, Version

    try:
        return Version(a) == Version(b)
    except InvalidVersion:
        return None


def match_upstream(text: str, upstream_part: str, *, tag: bool = False) -> UpstreamMatch | None:
    """``text`` (a tag, a constant, a version as the upstream writes it) against an ExVer
    upstream part, by the StartOS SDK's equality (``patchkit.versions.upstream``)."""
    from patchkit.versions.upstream import match_upstream as match

    return match(text, upstream_part, tag=tag)
