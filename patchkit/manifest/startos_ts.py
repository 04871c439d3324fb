"""Version strings in StartOS TypeScript files, read with patchkit's one TypeScript reader.

The file is parsed by tree-sitter and its expressions are evaluated by
``patchkit.typescript`` (constants, template literals, imports and
re-exports when a repo is given, ``as`` / ``satisfies`` wrappers). What it
finds, each with its exact place:

- ``version: …`` inside ``VersionInfo.of({...})`` (kind ``version``; ``name``
  is the constant that holds the VersionInfo, e.g. ``v_0_21_1_0``);
- the keys of ``migrations: { other: { '0.20.0:0': {...}, [KEY]: {...} } }``
  in the same object (kind ``migration-key``, same ``name``); a computed key
  is read when its value is a known constant;
- the strings a ``.satisfies(...)`` call is given (kind ``migration-key``:
  versions or ranges the current version claims to satisfy);
- string constants such as ``const VLLM_VERSION = 'v0.29.0'`` whose names match
  ``constant_names`` (kind ``constant``);
- the identifier a version graph calls current: ``export { v_0_21_1_0 as current }``,
  ``VersionGraph.of({ current: v_0_21_1_0, ... })``, ``VersionGraph.of(v_0_21_1_0, ...)``
  or ``export const current = v_0_21_1_0`` (kind ``current``; ``text`` is the
  identifier). Which version is current for the package, per variant, is
  decided over the whole repo by ``startos_graph``.

A value written as a string literal (or a constant holding one) is located at
that literal; a value the reader computes (a template literal over constants)
is located at the expression, with ``raw`` its source text. Anything the
reader cannot tell is yielded as ``Unreadable`` with the reason: patchkit
reports what it could not read instead of guessing.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from patchkit._source import SourceText
from patchkit.manifest.located import ItemKind, LocatedVersion, Unreadable, located, unreadable
from patchkit.typescript.syntax import descendants, member_call

if TYPE_CHECKING:
    from patchkit.typescript.modules import Module, Program, Sources

__all__ = ["DEFAULT_CONSTANT_NAMES", "find_versions"]

#: Constants reported when the caller names none: anything called like a version or a tag.
DEFAULT_CONSTANT_NAMES = ("*VERSION*", "*_TAG", "*Version", "*_version")

_FILE_KIND = "startos-ts"
_WRAPPERS = frozenset(
    ("parenthesized_expression", "as_expression", "satisfies_expression", "non_null_expression")
)

Item = LocatedVersion | Unreadable


def _unwrap(node: Any) -> Any:
    while node is not None and node.type in _WRAPPERS and node.named_children:
        node = node.named_children[0]
    return node


class _Reader:
    def __init__(
        self, text: str, path: str, constant_names: Sequence[str], sources: Sources | None
    ) -> None:
        from patchkit.typescript.modules import Program, _read_module

        self.text = text
        self.src = SourceText(text)
        self.path = path
        self.constant_names = tuple(constant_names)
        source = text.encode("utf-8", "surrogatepass")
        self.ascii = len(source) == len(text)
        self.source = source
        module = sources.module(path) if sources is not None else None
        if sources is None or module is None or module.source != source:
            module = _read_module(path, source)
            sources = _one_file(module)
        self.module: Module = module
        self.program: Program = Program(sources)
        self.root = module.tree.root_node
        self._char_offsets: list[int] | None = None
        # every literal of the file by its origin: where a value the evaluator returns is written
        self.literals: dict[tuple[int, int], Any] = {}
        for node in descendants(self.root, "string", "template_string"):
            if node.type == "string" or not any(
                c.type == "template_substitution" for c in node.children
            ):
                o = module.origin(node)
                self.literals[(o.line, o.col)] = node

    # -- places ---------------------------------------------------------------
    def _char(self, byte: int) -> int:
        if self.ascii:
            return byte
        return len(self.source[:byte].decode("utf-8", "surrogatepass"))

    def _span(self, node: Any) -> tuple[int, int]:
        return self._char(node.start_byte), self._char(node.end_byte)

    def _node_text(self, node: Any) -> str:
        return str(node.text.decode("utf-8", "replace"))

    def _located_literal(
        self, node: Any, value: str, kind: str, context: str, name: str
    ) -> LocatedVersion:
        """A string literal's value: its span inside the quotes."""
        start, end = self._span(node)
        return self._located_at(start + 1, end - 1, value, kind, context, name)

    def _located_expression(
        self, node: Any, value: str, kind: str, context: str, name: str
    ) -> LocatedVersion:
        """An expression's value: the whole expression's span."""
        start, end = self._span(node)
        return self._located_at(start, end, value, kind, context, name)

    def _located_at(
        self, start: int, end: int, value: str, kind: str, context: str, name: str
    ) -> LocatedVersion:
        return located(
            self.src,
            self.path,
            start,
            end,
            text=value,
            kind=kind,
            context=context,
            name=name,
            file_kind=_FILE_KIND,
        )

    def _unreadable(self, node: Any, kind: str, context: str, name: str, reason: str) -> Unreadable:
        start, end = self._span(node)
        return unreadable(
            self.src,
            self.path,
            start,
            end,
            kind=kind,
            context=context,
            reason=reason,
            name=name,
            file_kind=_FILE_KIND,
        )

    # -- values ---------------------------------------------------------------
    def evaluate(self, node: Any) -> Any:
        from patchkit.typescript.evaluate import Scope, evaluate

        if node is not None and node.type == "shorthand_property_identifier":  # { version }
            return self.program.lookup(self.module, self._node_text(node), self.module.origin(node))
        return evaluate(node, Scope(self.program, self.module))

    def value(self, node: Any, *, kind: str, context: str, name: str, what: str) -> Item:
        """The string ``node`` evaluates to, located where it is written, or why it is not read."""
        from patchkit.typescript.values import Str, Unknown

        inner = _unwrap(node)
        value = self.evaluate(node)
        if isinstance(value, Str):
            origin = value.origin
            literal = (
                self.literals.get((origin.line, origin.col)) if origin.path == self.path else None
            )
            if literal is not None:
                via = ""
                if (
                    inner is not None
                    and inner.type in ("identifier", "shorthand_property_identifier")
                    and literal is not inner
                ):
                    via = f" (via const {self._node_text(inner)})"
                return self._located_literal(literal, value.value, kind, context + via, name)
            return self._located_expression(inner, value.value, kind, context, name)
        reason = value.reason if isinstance(value, Unknown) else f"a {type(value).__name__.lower()}"
        if inner is not None and inner.type == "string":
            from patchkit.manifest.ts_tokens import tokenize

            bad = next((t for t in tokenize(self._node_text(inner)) if t.error), None)
            why = bad.error if bad is not None else reason
            return self._unreadable(
                inner, kind, context, name, f"{what} is not a well-formed literal ({why})"
            )
        if inner is not None and inner.type == "template_string":
            why = f"{what} is a template literal with ${{...}} patchkit cannot evaluate: {reason}"
        elif inner is not None and inner.type in ("identifier", "shorthand_property_identifier"):
            ident = self._node_text(inner)
            if ident in self.module.bindings and self.module.bindings[ident].kind != "import":
                why = f"{what} is the constant {ident}, which is not a string ({reason})"
            else:
                why = f"{what} is the identifier {ident}, defined outside this file ({reason})"
        else:
            why = f"{what} is an expression, not a string literal ({reason})"
        return self._unreadable(node, kind, context, name, why)

    # -- finders --------------------------------------------------------------
    def _calls(self) -> Iterator[tuple[str, Any]]:
        """``("VersionInfo" | "VersionGraph" | "satisfies", call node)`` in source order."""
        found: list[tuple[int, str, Any]] = []
        for node in descendants(self.root, "call_expression", "ERROR"):
            if node.type == "ERROR":
                found.extend(self._broken(node))
                continue
            call = member_call(node)
            if call is None:
                continue
            obj, prop = call
            if obj.type == "identifier" and prop == b"of":
                if obj.text in (b"VersionInfo", b"VersionGraph"):
                    found.append((node.start_byte, obj.text.decode(), node))
            elif prop == b"satisfies":
                found.append((node.start_byte, "satisfies", node))
        for _, what, node in sorted(found, key=lambda f: f[0]):
            yield what, node

    def _broken(self, error: Any) -> list[tuple[int, str, Any]]:
        """``VersionInfo.of(`` inside a part tree-sitter could not parse."""
        out = []
        for child in error.children:
            if (
                child.type == "member_expression"
                and (child.child_by_field_name("object") or child).text == b"VersionInfo"
            ):
                out.append((child.start_byte, "broken", child))
        return out

    def _owner(self, call: Any) -> str:
        node = call
        while node.parent is not None:
            parent = node.parent
            if parent.type in _WRAPPERS:
                node = parent
                continue
            outer = parent.parent
            if (
                # VersionInfo.of({...}).satisfies('29.3:11'): the constant holds the chain
                parent.type == "member_expression"
                and (parent.child_by_field_name("property") or parent).text == b"satisfies"
                and outer is not None
                and outer.type == "call_expression"
                and outer.child_by_field_name("function").id == parent.id
            ):
                node = outer
                continue
            break
        node = node.parent
        if node is not None and node.type == "variable_declarator":
            name = node.child_by_field_name("name")
            if name is not None:
                return self._node_text(name)
        if node is not None and node.type == "export_statement":
            return "default"
        line, _ = self.src.line_col(self._char(call.start_byte))
        return f"<VersionInfo at line {line}>"

    def version_info(self, call: Any) -> Iterator[Item]:
        name = self._owner(call)
        context = f"VersionInfo {name}"
        args = call.child_by_field_name("arguments")
        arg_nodes = [
            a for a in (args.named_children if args is not None else ()) if a.type != "comment"
        ]
        if not arg_nodes:
            yield self._unreadable(
                call, ItemKind.VERSION, context, name, "VersionInfo.of() has no argument"
            )
            return
        obj = _unwrap(arg_nodes[0])
        if obj is None or obj.type != "object":
            obj = self._object_constant(obj)
        if obj is None:
            yield self._unreadable(
                arg_nodes[0],
                ItemKind.VERSION,
                context,
                name,
                "VersionInfo.of is not given an object literal",
            )
            return
        found_version = False
        spread_seen = False
        for prop in obj.named_children:
            if prop.type == "spread_element":
                if not found_version:
                    yield self._unreadable(
                        prop,
                        ItemKind.VERSION,
                        context,
                        name,
                        "a spread (...) in VersionInfo.of may set the version",
                    )
                spread_seen = True
                continue
            key: str | None
            if prop.type == "shorthand_property_identifier":  # { version, migrations }
                key, value = self._node_text(prop), prop
            elif prop.type == "pair":
                key, value = self._key_text(prop), prop.child_by_field_name("value")
            else:
                continue
            if key is None:
                continue
            if key == "version":
                found_version = True
                yield self.value(
                    value, kind=ItemKind.VERSION, context=context, name=name, what="the version"
                )
            elif key == "migrations":
                yield from self._migrations(value, name, context)
        if not found_version and not spread_seen:
            yield self._unreadable(
                obj, ItemKind.VERSION, context, name, "VersionInfo.of has no version property"
            )

    def _object_constant(self, node: Any) -> Any:
        """The object literal a same-file constant ``node`` names (``VersionInfo.of(opts)``)."""
        if node is None or node.type not in ("identifier", "shorthand_property_identifier"):
            return None
        binding = self.module.bindings.get(self._node_text(node))
        if binding is None or binding.kind != "value":
            return None
        value = _unwrap(binding.node)
        return value if value is not None and value.type == "object" else None

    def _key_text(self, prop: Any) -> str | None:
        key = prop.child_by_field_name("key") if prop.type == "pair" else None
        if key is None:
            return None
        if key.type in ("property_identifier", "number"):
            return self._node_text(key)
        if key.type == "string":
            from patchkit.typescript.evaluate import decode_string

            return decode_string(key)
        return None

    def _migrations(self, node: Any, name: str, context: str) -> Iterator[Item]:
        where = f"{context} migrations.other"
        obj = _unwrap(node)
        if obj is None or obj.type != "object":
            obj = self._object_constant(obj)
        if obj is None:
            yield self._unreadable(
                node,
                ItemKind.MIGRATION_KEY,
                f"{context} migrations",
                name,
                "migrations is not an object literal in this file",
            )
            return
        for prop in obj.named_children:
            if prop.type == "spread_element":
                yield self._unreadable(
                    prop,
                    ItemKind.MIGRATION_KEY,
                    where,
                    name,
                    "a spread (...) in migrations may add other migrations",
                )
                continue
            if prop.type == "shorthand_property_identifier" and prop.text == b"other":
                other_node = prop
            elif prop.type == "pair" and self._key_text(prop) == "other":
                other_node = prop.child_by_field_name("value")
            else:
                continue
            other = _unwrap(other_node)
            if other is None or other.type != "object":
                other = self._object_constant(other)
            if other is None:
                yield self._unreadable(
                    other_node,
                    ItemKind.MIGRATION_KEY,
                    where,
                    name,
                    "migrations.other is not an object literal in this file",
                )
                continue
            for key_prop in other.named_children:
                item = self._migration_key(key_prop, name, where)
                if item is not None:
                    yield item

    def _migration_key(self, prop: Any, name: str, where: str) -> Item | None:
        if prop.type == "comment":
            return None
        if prop.type == "spread_element":
            return self._unreadable(
                prop,
                ItemKind.MIGRATION_KEY,
                where,
                name,
                "a spread (...) in migrations.other hides its keys",
            )
        if prop.type == "shorthand_property_identifier":
            return self._located_expression(
                prop, self._node_text(prop), ItemKind.MIGRATION_KEY, where, name
            )
        key = (
            prop.child_by_field_name("key")
            if prop.type == "pair"
            else prop.child_by_field_name("name")
        )
        if key is None:
            return self._unreadable(
                prop,
                ItemKind.MIGRATION_KEY,
                where,
                name,
                "a migrations.other key patchkit cannot read",
            )
        if key.type == "computed_property_name":
            inner = key.named_children[0] if key.named_children else key
            return self.value(
                inner,
                kind=ItemKind.MIGRATION_KEY,
                context=where,
                name=name,
                what="the computed key",
            )
        if key.type == "string":
            return self.value(
                key, kind=ItemKind.MIGRATION_KEY, context=where, name=name, what="the key"
            )
        if key.type in ("property_identifier", "number"):
            return self._located_expression(
                key, self._node_text(key), ItemKind.MIGRATION_KEY, where, name
            )
        return self._unreadable(
            key, ItemKind.MIGRATION_KEY, where, name, "a migrations.other key patchkit cannot read"
        )

    def satisfies(self, call: Any) -> Iterator[Item]:
        """``x.satisfies('29.4:4')``: each string argument (a version or a range)."""
        callee = call.child_by_field_name("function")
        owner = callee.child_by_field_name("object") if callee is not None else None
        name = self._node_text(owner) if owner is not None and owner.type == "identifier" else ""
        args = call.child_by_field_name("arguments")
        for arg in args.named_children if args is not None else ():
            if arg.type == "comment":
                continue
            item = self.value(
                arg,
                kind=ItemKind.MIGRATION_KEY,
                context=f"{name}.satisfies",
                name="",
                what="the range",
            )
            if isinstance(item, LocatedVersion):
                yield item

    def version_graph(self, call: Any) -> Iterator[Item]:
        args = call.child_by_field_name("arguments")
        arg_nodes = [
            a for a in (args.named_children if args is not None else ()) if a.type != "comment"
        ]
        if not arg_nodes:
            return
        first = _unwrap(arg_nodes[0])
        if first is not None and first.type == "identifier":
            yield self._ref(first, "VersionGraph.of(current, ...)")
            return
        if first is None or first.type != "object":
            return
        for prop in first.named_children:
            if prop.type == "pair" and self._key_text(prop) == "current":
                value = _unwrap(prop.child_by_field_name("value"))
                if value is not None and value.type == "identifier":
                    yield self._ref(value, "VersionGraph.of({ current })")
            elif prop.type == "shorthand_property_identifier" and prop.text == b"current":
                yield self._ref(prop, "VersionGraph.of({ current })")

    def current_exports(self) -> Iterator[Item]:
        for stmt in self.root.named_children:
            if stmt.type != "export_statement":
                continue
            clause = next((c for c in stmt.named_children if c.type == "export_clause"), None)
            if clause is not None:
                for spec in clause.named_children:
                    alias = spec.child_by_field_name("alias")
                    name = spec.child_by_field_name("name")
                    if alias is not None and name is not None and alias.text == b"current":
                        yield self._ref(name, "export ... as current")
                continue
            decl = stmt.child_by_field_name("declaration")
            for d in decl.named_children if decl is not None else ():
                if d.type != "variable_declarator":
                    continue
                name = d.child_by_field_name("name")
                value = _unwrap(d.child_by_field_name("value"))
                if (
                    name is not None
                    and name.text == b"current"
                    and value is not None
                    and value.type == "identifier"
                ):
                    yield self._ref(value, "export const current = ...")

    def _ref(self, node: Any, context: str) -> LocatedVersion:
        text = self._node_text(node)
        return self._located_expression(node, text, ItemKind.CURRENT, context, text)

    def constants(self) -> Iterator[Item]:
        for node in descendants(self.root, "variable_declarator"):
            name_node = node.child_by_field_name("name")
            value = node.child_by_field_name("value")
            if name_node is None or value is None or name_node.type != "identifier":
                continue
            const = self._node_text(name_node)
            if not any(fnmatch.fnmatchcase(const, p) for p in self.constant_names):
                continue
            inner = _unwrap(value)
            if inner is not None and inner.type == "call_expression":
                callee = inner.child_by_field_name("function")
                if callee is not None and callee.text.startswith(
                    (b"VersionInfo.", b"VersionGraph.")
                ):
                    continue
            yield self.value(
                value, kind=ItemKind.CONSTANT, context=f"const {const}", name=const, what=const
            )

    def broken(self, member: Any) -> Item:
        from patchkit.manifest.ts_tokens import tokenize

        start = self._char(member.start_byte)
        bad = next((t for t in tokenize(self.text) if t.kind == "error" and t.start >= start), None)
        if bad is not None:
            line, _ = self.src.line_col(bad.start)
            end = self.text.find("\n", bad.start)
            end = len(self.text) if end == -1 else end
            why = f"VersionInfo.of( is not closed: {bad.error} at line {line}"
            return unreadable(
                self.src,
                self.path,
                bad.start,
                max(bad.start, min(bad.end, end)),
                kind=ItemKind.VERSION,
                context="VersionInfo",
                reason=why,
                file_kind=_FILE_KIND,
            )
        return self._unreadable(
            member,
            ItemKind.VERSION,
            "VersionInfo",
            "",
            "VersionInfo.of( is not closed: a syntax error",
        )


def _one_file(module: Module) -> Sources:
    """``Sources`` of a single file given as text: imports from other files are not read."""
    from pathlib import Path

    from patchkit.typescript.modules import Sources

    class _OneFile(Sources):
        def module(self, rel: str) -> Module | None:
            return module if rel == module.path else None

        def loaded(self) -> list[Module]:
            return [module]

        def resolve(self, importer: str, spec: str) -> str | None:
            return None

    return _OneFile(Path("."))


def find_versions(
    text: str,
    path: str,
    *,
    constant_names: Sequence[str] = DEFAULT_CONSTANT_NAMES,
    sources: Sources | None = None,
) -> Iterator[Item]:
    """Yield the version strings of a StartOS TypeScript file, in source order.

    ``path`` labels the results; with ``sources`` (the repo's ``Sources``, the file
    at ``path`` in it) imported constants are followed across files. ``constant_names``
    are globs (case-sensitive) of the constants to report. Never raises on any text.
    """
    reader = _Reader(text, path, constant_names, sources)
    items: list[Item] = []
    for what, node in reader._calls():
        if what == "VersionInfo":
            items.extend(reader.version_info(node))
        elif what == "VersionGraph":
            items.extend(reader.version_graph(node))
        elif what == "satisfies":
            items.extend(reader.satisfies(node))
        else:
            items.append(reader.broken(node))
    items.extend(reader.constants())
    items.extend(reader.current_exports())
    seen: set[tuple[int, int, str]] = set()
    for item in sorted(items, key=lambda it: (it.start, it.end)):
        key = (item.start, item.end, item.kind)
        if key not in seen:
            seen.add(key)
            yield item
