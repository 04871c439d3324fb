"""Checks over found version strings: validity per scheme, and agreement between places.

Every function here is pure: it takes the items the finders yielded (and, for
the cross-checks, the upstream version as a PEP 440 string) and returns
``Diagnostic`` values; nothing is read or printed. ``check_items`` runs them all.

Codes (``patchkit.manifest.codes``):

- PKM001 a version is not valid in its scheme (with the suggested fix);
- PKM002 a ``migrations.other`` key is not older than the version it migrates to;
- PKM003 a version constant (``VLLM_VERSION``, feeding image tags) disagrees
  with the upstream version, or without one, with the current version;
- PKM004 a version file's name encodes another version than the one inside;
- PKM005 a version patchkit could not read (warning);
- PKM006 the current ExVer's upstream part differs from the upstream version;
- PKM007 valid but spelled in a form the tools rewrite (warning);
- PKM008 a setuptools-scm pretend-version value differs from the upstream version;
- PKM009 which version is current cannot be told (warning);
- PKM010 YAML reads an unquoted version as a number or boolean;
- PKM011 a number and a word share a pre-release position (SDK ordering bug; warning);
- PKM013 an image tag, build arg or Dockerfile FROM/ARG of the package's own upstream
  names another version than the current one (``images.py``; it needs the build model,
  so ``patchkit check`` runs it beside these).
"""

from __future__ import annotations

from collections.abc import Sequence

from patchkit.diagnostics import Diagnostic
from patchkit.manifest._common import PRETEND_PREFIXES, Item, is_pretend_name
from patchkit.manifest.crosscheck import (
    CurrentVersion,
    check_current_upstream,
    check_exver_order_hazards,
    check_migration_keys,
    check_pretend_versions,
    check_version_constants,
    check_version_file_names,
    find_current,
)
from patchkit.manifest.validate import report_unreadable, validate_items

__all__ = [
    "PRETEND_PREFIXES",
    "CurrentVersion",
    "check_current_upstream",
    "check_exver_order_hazards",
    "check_items",
    "check_migration_keys",
    "check_pretend_versions",
    "check_version_constants",
    "check_version_file_names",
    "find_current",
    "is_pretend_name",
    "report_unreadable",
    "validate_items",
]


def check_items(
    items: Sequence[Item],
    *,
    upstream_version: str | None = None,
    version_constants: Sequence[str] = (),
    version_file_pattern: str | None = None,
    upstream_tag: str | None = None,
    currents: Sequence[CurrentVersion] | None = None,
) -> list[Diagnostic]:
    """Run every manifest check over ``items``; diagnostics sorted by place.

    ``upstream_tag``: the upstream's git tag as written, when its commit is at it
    (PKM006 then compares the current version with it by the SDK's rules).
    ``currents``: the current version per variant as the version graph says
    (``startos_graph``); None: told from the items (``find_current``).
    """
    out: list[Diagnostic] = []
    out.extend(validate_items(items, version_constants))
    out.extend(report_unreadable(items, version_constants))
    if currents is None:
        told, problems = find_current(items)
        out.extend(problems)
        currents = [told] if told is not None else []
    current = next((c for c in currents if c.default_variant), currents[0] if currents else None)
    out.extend(check_migration_keys(items))
    if upstream_version is not None:
        for each in currents:
            out.extend(
                check_current_upstream(each.item, upstream_version, upstream_tag, each.variant)
            )
    out.extend(
        check_version_constants(
            items,
            version_constants,
            upstream_version=upstream_version,
            current=current.item if current else None,
        )
    )
    if upstream_version is not None:
        out.extend(check_pretend_versions(items, upstream_version))
    out.extend(check_version_file_names(items, version_file_pattern))
    out.extend(check_exver_order_hazards(items))
    return sorted(out, key=Diagnostic.sort_key)
