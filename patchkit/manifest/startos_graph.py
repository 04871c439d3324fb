"""Which version is current, read from a StartOS package's version graph, per variant.

StartOS takes a package's version from its version graph: the options of
``VersionGraph.of({ current, other })`` (or the older ``VersionGraph.of(current,
...other)``), or, in early 0.4 packages, the ``current`` a ``versions/index.ts``
exports (``export { v_0_4_0_0 as current } from './v0.4.0.0'``). Nothing else
names it: a ``const current = await …`` in an action file is no version.

The graph is evaluated with patchkit's TypeScript reader, so ``current`` is
followed through aliases (``export { v29_1_0_2_beta1 as coreCurrent }``),
re-exports and imports to the ``VersionInfo.of({ version })`` it names. A
graph whose ``current`` depends on ``process.env`` (``variant === 'nvidia' ?
nvidia.current : baseCurrent``) is evaluated once with the variable unset (the
default variant) and once per value the code compares it with; each variant's
current version is judged on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from patchkit.manifest.located import ItemKind, LocatedVersion, Unreadable
from patchkit.typescript.syntax import descendants, member_call

if TYPE_CHECKING:
    from patchkit.typescript import Program, Sources, Value

__all__ = ["GraphCurrent", "graph_sites", "read_graph_currents"]


@dataclass(frozen=True, slots=True)
class GraphCurrent:
    """The current version of one variant (``variant`` None: the same for every variant).

    ``item``: the declared version (a ``LocatedVersion`` of the scan when it is
    one); ``how``: where the graph names it; ``default_variant``: the variant
    built when the selecting variable is unset.
    """

    item: LocatedVersion
    how: str
    variant: str | None = None
    default_variant: bool = True


def graph_sites(sources: Sources, files: Sequence[str]) -> list[tuple[str, Any]]:
    """``(path, call node)`` of every ``VersionGraph.of(...)`` in the scanned files."""
    out: list[tuple[str, Any]] = []
    for rel in files:
        module = sources.module(rel)
        if module is None or b"VersionGraph" not in module.source:
            continue
        for node in descendants(module.tree.root_node, "call_expression"):
            call = member_call(node)
            if call is not None and call[0].text == b"VersionGraph" and call[1] == b"of":
                out.append((rel, node))
    return out


def _export_sites(sources: Sources, files: Sequence[str]) -> list[str]:
    """Early 0.4: a ``versions/index.ts`` that exports ``current`` (no VersionGraph.of)."""
    out = []
    for rel in files:
        if not rel.endswith("versions/index.ts"):
            continue
        module = sources.module(rel)
        if module is not None and "current" in module.exports:
            out.append(rel)
    return out


def _current_value(program: Program, site: tuple[str, Any] | str) -> Value:
    from patchkit.typescript import Obj
    from patchkit.typescript.evaluate import Scope, evaluate

    if isinstance(site, str):
        return program.export(site, "current")
    rel, call = site
    module = program.sources.module(rel)
    assert module is not None
    graph = evaluate(call, Scope(program, module))
    if isinstance(graph, Obj):
        got = graph.get("current")
        if got is not None:
            return got
    return graph


def _version_of(value: Value) -> Value:
    from patchkit.typescript import Obj, Unknown

    if isinstance(value, Obj):
        version = value.get("version")
        if version is not None:
            return version
        return Unknown(value.origin, reason="current has no version")
    return value


def _item_for(
    version: Value, items: Sequence[LocatedVersion | Unreadable]
) -> LocatedVersion | None:
    """The scanned item of ``version`` (a literal is located inside its quotes), else a new one."""
    from patchkit.typescript import Str

    if not isinstance(version, Str):
        return None
    o = version.origin
    for item in items:
        if (
            isinstance(item, LocatedVersion)
            and item.kind == ItemKind.VERSION
            and item.path == o.path
            and item.line == o.line
            and item.col in (o.col, o.col + 1)
        ):
            return item
    return LocatedVersion(
        path=o.path,
        line=o.line,
        col=o.col,
        end_col=o.col,
        text=version.value,
        kind=ItemKind.VERSION,
        context="the version graph's current",
        end_line=o.line,
        file_kind="startos-ts",
    )


def read_graph_currents(
    sources: Sources,
    files: Sequence[str],
    items: Sequence[LocatedVersion | Unreadable],
) -> tuple[list[GraphCurrent], str | None] | None:
    """The current version per variant, from the version graph among ``files``.

    None when the files hold no version graph (the caller falls back to what a
    single file says). Otherwise the currents and, when the graph's ``current``
    cannot be read, the reason (and no currents).
    """
    from patchkit.typescript import Program, Unknown

    sites: list[tuple[str, Any] | str] = list(graph_sites(sources, files))
    if not sites:
        sites = list(_export_sites(sources, files))
    if not sites:
        return None
    from patchkit.typescript.variants import evaluate_variants

    default = Program(sources)
    for site in sites:
        value = _version_of(_current_value(default, site))
        if not isinstance(value, Unknown):
            break
    else:
        return [], (value.reason if isinstance(value, Unknown) else None)
    where = site if isinstance(site, str) else f"{site[0]}:{site[1].start_point[0] + 1}"
    how = "the version graph's current" + f" ({where})"
    chosen = site
    variants = evaluate_variants(sources, lambda p: _version_of(_current_value(p, chosen)))
    first = _item_for(variants[0].value, items)
    if first is None:
        return [], "current is not a string"
    if variants[0].label is None:
        return [GraphCurrent(first, how)], None
    out = [GraphCurrent(first, how, variants[0].label, True)]
    for variant in variants[1:]:
        item = _item_for(variant.value, items)
        if item is not None:
            out.append(GraphCurrent(item, how, variant.label, False))
    if len({(c.item.path, c.item.line, c.item.col) for c in out}) == 1:
        return [GraphCurrent(first, how)], None
    return out, None
