"""Validity of each found string in its scheme: PKM001, PKM005, PKM007, PKM010."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from patchkit.diagnostics import Diagnostic
from patchkit.manifest import _versions as V
from patchkit.manifest._common import (
    Item,
    diag,
    is_configured_constant,
    is_pretend_name,
    scheme_of,
)
from patchkit.manifest.located import ItemKind, LocatedVersion, Unreadable

__all__ = ["report_unreadable", "validate_items"]

_SCHEME_NAME = {
    "exver": "ExVer",
    "exver-range": "ExVer range",
    "emver": "EmVer",
    "pep440": "PEP 440",
    "semver": "SemVer",
}


def validate_items(
    items: Iterable[Item], version_constants: Sequence[str] = ()
) -> list[Diagnostic]:
    """PKM001, PKM007, PKM010 for declared versions, migration keys and configured constants.

    Declared versions are validated in their entry's scheme; ``migrations.other``
    keys as ExVer (keys written as ranges, such as ``^28``, are left to the
    SDK's range grammar); constants named in ``version_constants`` as tags
    (an optional ``v`` and a PEP 440 version).
    """
    out: list[Diagnostic] = []
    for item in items:
        if not isinstance(item, LocatedVersion):
            continue
        relevant_constant = item.kind == ItemKind.CONSTANT and (
            is_configured_constant(item.name, version_constants) or is_pretend_name(item.name)
        )
        if item.value_type != "string" and (item.kind == ItemKind.VERSION or relevant_constant):
            out.append(
                diag(
                    "PKM010",
                    item,
                    f"YAML reads the unquoted {item.context} {item.text} as a {item.value_type}, "
                    "not the string written (a float drops trailing zeros: 1.10 becomes 1.1)",
                    fix=f"quote it: '{item.text}'",
                )
            )
        if item.kind == ItemKind.VERSION:
            out.extend(_validate(item, scheme_of(item)))
        elif item.kind == ItemKind.MIGRATION_KEY:
            scheme = "exver-range" if V.looks_like_range(item.text) else "exver"
            out.extend(_validate(item, scheme, migration_key=True))
        elif item.kind == ItemKind.CONSTANT and is_configured_constant(
            item.name, version_constants
        ):
            tag = item.text[1:] if item.text[:1] in "vV" else item.text
            verdict = V.verdict(tag, "pep440")
            if not verdict.valid:
                out.append(
                    diag(
                        "PKM001",
                        item,
                        f"{item.name} = {item.text!r} is not a version tag "
                        "(an optional v and a PEP 440 version)",
                    )
                )
    return out


def _validate(
    item: LocatedVersion, scheme: str, *, migration_key: bool = False
) -> list[Diagnostic]:
    verdict = V.verdict(item.text, scheme)
    label = _SCHEME_NAME.get(scheme, scheme)
    what = "migrations.other key" if migration_key else item.context
    if not verdict.valid:
        message = f"invalid {label} {item.text!r} in {what}: {verdict.message}"
        if migration_key and scheme == "exver" and not _has_downstream(item.text):
            message += (
                f"; the SDK reads a key without ':' as the range ^{item.text}:0, "
                f"write '^{item.text}' if a range is meant"
            )
        fix = f"write '{verdict.suggestion}'" if verdict.suggestion else None
        return [diag("PKM001", item, message, fix, index=verdict.index)]
    if scheme == "exver-range":
        return []  # the SDK prints ranges canonically ("^28" as "^28:0"); both mean the same
    rewritten = verdict.normalized is not None and verdict.normalized != item.text
    if rewritten or verdict.warnings:
        why = "; ".join(verdict.warnings) or f"it is read as {verdict.normalized!r}"
        return [
            diag(
                "PKM007",
                item,
                f"{label} {item.text!r} in {what} is valid, but {why}",
                fix=f"write '{verdict.normalized}'" if rewritten else None,
            )
        ]
    return []


def _has_downstream(text: str) -> bool:
    """True when an ExVer-looking string has its ``:downstream`` part (after any ``#flavor:``)."""
    body = text.split(":", 1)[1] if text.startswith("#") and ":" in text else text
    return ":" in body


def report_unreadable(
    items: Iterable[Item], version_constants: Sequence[str] = ()
) -> list[Diagnostic]:
    """PKM005 for every ``Unreadable`` that matters: versions, migration keys,
    configured constants and pretend-version variables (other names are ignored)."""
    out: list[Diagnostic] = []
    for item in items:
        if not isinstance(item, Unreadable):
            continue
        if item.kind == ItemKind.CONSTANT and not (
            is_configured_constant(item.name, version_constants) or is_pretend_name(item.name)
        ):
            continue
        out.append(diag("PKM005", item, f"cannot check {item.context}: {item.reason}"))
    return out
