"""TypeScript modules of one repository: declarations, imports and exports, read without running them.

A ``Program`` holds the modules of one repo under one environment (the
values ``process.env`` gives). ``Program.export(path, name)`` evaluates an
exported binding, following ``import`` / ``export … from`` / ``export *``
across the repo's files the way TypeScript resolves relative specifiers
(``./x`` → ``x.ts``, ``x.tsx``, ``x/index.ts``; a ``.js`` suffix names the
``.ts`` file). Imports from packages (``@start9labs/start-sdk``) are not
read; the evaluator knows the SDK calls it needs by name.

Module files are parsed once per ``Sources`` and shared by the programs of
every environment; values are computed lazily, once per program, and a
declaration that refers to itself is ``Unknown`` instead of a hang.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from patchkit.typescript.syntax import descendants, node_text
from patchkit.typescript.values import Origin, Unknown, Value

if TYPE_CHECKING:
    from patchkit.typescript.syntax import Node

__all__ = ["Binding", "Module", "Program", "Sources"]

_SUFFIXES = (".ts", ".tsx", ".mts", "/index.ts", "/index.tsx")


@dataclass(frozen=True, slots=True)
class Binding:
    """What a module-level name stands for.

    ``kind``: ``value`` (``node`` is the initializer expression), ``import``
    (``spec`` and ``name``, ``*`` for a namespace import, ``default``),
    ``function`` (a function declaration: not evaluated), ``unknown`` (a
    destructuring pattern, a class...).
    """

    kind: str
    node: Any = None
    spec: str | None = None
    name: str | None = None


@dataclass
class Module:
    """One parsed file: its bindings, exports and star re-exports."""

    path: str  # repo-relative, "/" separators
    source: bytes
    tree: Any
    bindings: dict[str, Binding] = field(default_factory=dict)
    exports: dict[str, Binding] = field(default_factory=dict)  # exported name -> binding
    star_exports: list[str] = field(default_factory=list)
    _line_starts: list[int] | None = None

    def origin(self, node: Node) -> Origin:
        row, byte_col = node.start_point
        starts = self._starts()
        line_start = starts[row] if row < len(starts) else 0
        col = len(self.source[line_start : line_start + byte_col].decode("utf-8", "replace"))
        return Origin(self.path, row + 1, col + 1)

    def _starts(self) -> list[int]:
        if self._line_starts is None:
            starts = [0]
            pos = self.source.find(b"\n")
            while pos >= 0:
                starts.append(pos + 1)
                pos = self.source.find(b"\n", pos + 1)
            self._line_starts = starts
        return self._line_starts


def _string_value(node: Node | None) -> str | None:
    from patchkit.typescript.evaluate import decode_string

    return decode_string(node) if node is not None and node.type == "string" else None


def _declare(module: Module, node: Node, exported: bool) -> None:
    """Record the bindings a top-level declaration introduces."""
    if node.type in ("lexical_declaration", "variable_declaration"):
        for decl in node.named_children:
            if decl.type != "variable_declarator":
                continue
            name = decl.child_by_field_name("name")
            value = decl.child_by_field_name("value")
            if name is None:
                continue
            if name.type != "identifier":
                binding = Binding("unknown", name)
                for ident in _identifiers(name):
                    module.bindings[ident] = binding
                    if exported:
                        module.exports[ident] = binding
                continue
            binding = Binding("value", value) if value is not None else Binding("unknown", decl)
            module.bindings[node_text(name)] = binding
            if exported:
                module.exports[node_text(name)] = binding
    elif node.type in ("function_declaration", "class_declaration", "enum_declaration"):
        name = node.child_by_field_name("name")
        if name is not None:
            binding = Binding("function" if "function" in node.type else "unknown", node)
            module.bindings[node_text(name)] = binding
            if exported:
                module.exports[node_text(name)] = binding


def _identifiers(pattern: Node) -> list[str]:
    return [
        node_text(n)
        for n in descendants(pattern, "identifier", "shorthand_property_identifier_pattern")
    ]


def _read_module(path: str, source: bytes) -> Module:
    from patchkit.typescript.syntax import parse_typescript

    tree = parse_typescript(source)
    module = Module(path, source, tree)
    for stmt in tree.root_node.named_children:
        if stmt.type == "import_statement":
            _imports(module, stmt)
        elif stmt.type == "export_statement":
            _exports(module, stmt)
        else:
            _declare(module, stmt, exported=False)
    return module


def _imports(module: Module, stmt: Node) -> None:
    spec = _string_value(stmt.child_by_field_name("source"))
    if spec is None:
        return
    for clause in stmt.named_children:
        if clause.type != "import_clause":
            continue
        for part in clause.named_children:
            if part.type == "identifier":
                module.bindings[node_text(part)] = Binding("import", spec=spec, name="default")
            elif part.type == "namespace_import":
                for ident in part.named_children:
                    if ident.type == "identifier":
                        module.bindings[node_text(ident)] = Binding("import", spec=spec, name="*")
            elif part.type == "named_imports":
                for item in part.named_children:
                    if item.type != "import_specifier":
                        continue
                    name = item.child_by_field_name("name")
                    alias = item.child_by_field_name("alias") or name
                    if name is not None and alias is not None:
                        imported = _name_of(name)
                        module.bindings[_name_of(alias)] = Binding(
                            "import", spec=spec, name=imported
                        )


def _name_of(node: Node) -> str:
    return _string_value(node) if node.type == "string" else node_text(node)  # type: ignore[return-value]


def _exports(module: Module, stmt: Node) -> None:
    spec = _string_value(stmt.child_by_field_name("source"))
    declaration = stmt.child_by_field_name("declaration")
    if declaration is not None:
        _declare(module, declaration, exported=True)
        return
    value = stmt.child_by_field_name("value")
    if value is not None and any(c.type == "default" for c in stmt.children):
        module.exports["default"] = Binding("value", value)
        return
    clause = next((c for c in stmt.named_children if c.type == "export_clause"), None)
    if clause is None:
        if spec is not None and any(c.type == "*" for c in stmt.children):
            namespace = next((c for c in stmt.named_children if c.type == "namespace_export"), None)
            if namespace is None:
                module.star_exports.append(spec)
            else:
                names = [c for c in namespace.named_children if c.type in ("identifier", "string")]
                if names:
                    module.exports[_name_of(names[0])] = Binding("import", spec=spec, name="*")
        return
    for item in clause.named_children:
        if item.type != "export_specifier":
            continue
        name = item.child_by_field_name("name")
        alias = item.child_by_field_name("alias") or name
        if name is None or alias is None:
            continue
        if spec is not None:
            module.exports[_name_of(alias)] = Binding("import", spec=spec, name=_name_of(name))
        else:
            # a local name, resolved when asked (it may be declared further down)
            module.exports[_name_of(alias)] = Binding("local", name=_name_of(name))


class Sources:
    """Parsed modules of one repo, shared by every ``Program`` over it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._modules: dict[str, Module | None] = {}

    def module(self, rel: str) -> Module | None:
        """The module at repo-relative ``rel``, or None when there is no such file."""
        if rel not in self._modules:
            from patchkit._fs import read_bytes

            path = self.root / rel
            if not _inside(self.root, path) or not path.is_file():
                self._modules[rel] = None
            else:
                self._modules[rel] = _read_module(rel, read_bytes(path))
        return self._modules[rel]

    def loaded(self) -> list[Module]:
        """The modules parsed so far."""
        return [m for m in self._modules.values() if m is not None]

    def resolve(self, importer: str, spec: str) -> str | None:
        """The repo-relative file a relative import specifier names, or None."""
        if not spec.startswith((".", "/")):
            return None
        base = posixpath.normpath(posixpath.join(posixpath.dirname(importer), spec))
        if base.startswith("../") or base == "..":
            return None
        stem = base[:-3] if base.endswith((".js", ".ts")) else base
        for candidate in (base, *(stem + s for s in _SUFFIXES)):
            if candidate.endswith((".ts", ".tsx", ".mts")) and self.module(candidate) is not None:
                return candidate
        return None


def _inside(root: Path, path: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError):
        return False
    return True


class Program:
    """The modules of one repo evaluated under one environment (``process.env``).

    ``env_reads`` collects, per environment variable the code read, the values
    it was compared with or used to index an object with (the candidates a
    variant selector can take), and ``env_defaults`` the value used when it
    is unset.
    """

    def __init__(self, sources: Sources, env: Mapping[str, str] | None = None) -> None:
        self.sources = sources
        self.env: dict[str, str] = dict(env or {})
        self.env_reads: dict[str, set[str]] = {}
        self.env_defaults: dict[str, str] = {}
        self._values: dict[tuple[str, str], Value] = {}  # (path, name or "export name")
        self._busy: set[tuple[str, str]] = set()

    def note_env(self, names: frozenset[str], candidates: list[str]) -> None:
        for name in names:
            self.env_reads.setdefault(name, set()).update(candidates)

    def export(self, path: str, name: str, _seen: frozenset[str] = frozenset()) -> Value:
        """The value module ``path`` exports as ``name`` (``Unknown`` with the reason otherwise)."""
        module = self.sources.module(path)
        here = Origin(path, 1, 1)
        if module is None:
            return Unknown(here, reason=f"{path} does not exist")
        binding = module.exports.get(name)
        if binding is not None:
            # an export has its own cache entry: `import { X } from './a'` + `export { X }`
            # binds X twice in one module, and the two must not look like one name using itself
            return self._binding(module, name, binding, _seen, export=True)
        key = f"{path}#{name}"
        if key in _seen:
            return Unknown(here, reason=f"circular re-export of {name}")
        for spec in module.star_exports:
            target = self.sources.resolve(path, spec)
            if target is None:
                continue
            got = self.export(target, name, _seen | {key})
            if not (isinstance(got, Unknown) and got.reason.startswith("no export")):
                return got
        return Unknown(here, reason=f"no export named {name} in {path}")

    def export_names(self, path: str, _seen: frozenset[str] = frozenset()) -> list[str]:
        """Every name module ``path`` exports, ``export * from`` included (not ``default``)."""
        module = self.sources.module(path)
        if module is None or path in _seen:
            return []
        names = list(module.exports)
        for spec in module.star_exports:
            target = self.sources.resolve(path, spec)
            if target is not None:
                names += [
                    n
                    for n in self.export_names(target, _seen | {path})
                    if n not in names and n != "default"
                ]
        return names

    def lookup(self, module: Module, name: str, origin: Origin) -> Value:
        """The value of a module-level name."""
        binding = module.bindings.get(name)
        if binding is None:
            return Unknown(origin, reason=f"{name} is not declared in {module.path}")
        return self._binding(module, name, binding, frozenset())

    def _binding(
        self,
        module: Module,
        name: str,
        binding: Binding,
        seen: frozenset[str],
        *,
        export: bool = False,
    ) -> Value:
        from patchkit.typescript.evaluate import Scope, evaluate

        key = (module.path, f"export {name}" if export else name)
        if key in self._values:
            return self._values[key]
        origin = (
            module.origin(binding.node) if binding.node is not None else Origin(module.path, 1, 1)
        )
        if key in self._busy:
            return Unknown(origin, reason=f"{name} refers to itself")
        self._busy.add(key)
        try:
            if binding.kind == "value":
                value = evaluate(binding.node, Scope(self, module))
            elif binding.kind == "local":
                value = self.lookup(module, binding.name or name, origin)
            elif binding.kind == "import":
                value = self._imported(module, binding, origin, seen)
            elif binding.kind == "function":
                value = Unknown(origin, reason=f"{name} is a function declaration")
            else:
                value = Unknown(origin, reason=f"{name} is not a plain constant")
        finally:
            self._busy.discard(key)
        self._values[key] = value
        return value

    def _imported(
        self, module: Module, binding: Binding, origin: Origin, seen: frozenset[str]
    ) -> Value:
        from patchkit.typescript.values import Obj

        spec = binding.spec or ""
        target = self.sources.resolve(module.path, spec)
        if target is None:
            return Unknown(
                origin, reason=f"{binding.name} comes from {spec!r}, which patchkit does not read"
            )
        if binding.name == "*":
            names = self.export_names(target)
            return Obj(origin, props={n: self.export(target, n, seen) for n in names})
        return self.export(target, binding.name or "default", seen)
