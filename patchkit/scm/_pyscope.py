"""What each name in a Python module refers to, by Python's own scoping rules.

:func:`index_module` walks an :mod:`ast` tree once (the tree is compiled from
the text, never run) and records, for every scope (the module, each class,
function, lambda and comprehension), the names bound in it and how: an import
(with the qualified name it stands for), a function parameter, a simple
``name = expr`` assignment (with the expression), or any other binding. A
name is then resolved the way the interpreter resolves it: local if bound
anywhere in its function, ``global`` and ``nonlocal`` declarations followed,
class bodies invisible from the functions inside them, the first iterable of
a comprehension evaluated outside it, ``:=`` binding in the enclosing
function.

``qualified_names`` answers "which imported thing is ``setuptools_scm.get_version``
here?" the way libcst's ``QualifiedNameProvider`` does: the dotted name of an
expression, its first part resolved to its bindings, each import giving the
imported name plus the rest of the dots. ``tests/scm/test_pyscope.py`` checks
both answers against libcst on every corpus setup.py. The walk uses an
explicit stack, so an expression nested as deep as the compiler accepts is
never a ``RecursionError`` here.

Order is not followed: every binding of a name in the scope Python resolves
it to is a candidate, also one below the use (which the interpreter sees only
from a later pass of a loop, or not at all). libcst keeps only the bindings
above the use when both are in the same scope. On setup.py files that run, the
two agree (every corpus release); on generated programs that use names above
their bindings they differ there, patchkit's answer being the larger set.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["Binding", "ModuleIndex", "Scope", "dotted_name", "index_module"]

ScopeKind = Literal["module", "class", "function", "comprehension"]
BindingKind = Literal["import", "param", "assign", "other"]

_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


@dataclass(frozen=True, slots=True)
class Binding:
    """One way a name is bound in a scope.

    ``kind``: ``import`` (``qualname`` is what it imports, e.g.
    ``setuptools_scm.get_version``), ``param`` (a parameter of the function),
    ``assign`` (``name = value``, ``name: T = value`` or ``name := value``) or
    ``other`` (a ``def``, ``class``, ``for`` target, ``+=``, ``with … as``, …).
    """

    kind: BindingKind
    qualname: str | None = None
    value: ast.expr | None = None


@dataclass(eq=False, slots=True)
class Scope:
    """A module, class, function (or lambda) or comprehension scope."""

    kind: ScopeKind
    name: str | None
    parent: Scope | None
    node: ast.AST | None = None
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    globals: set[str] = field(default_factory=set)
    nonlocals: set[str] = field(default_factory=set)

    @property
    def function(self) -> Scope | None:
        """The nearest scope that is a function (this one included), else None."""
        s: Scope | None = self
        while s is not None and s.kind != "function":
            s = s.parent
        return s


@dataclass(eq=False, slots=True)
class ModuleIndex:
    """The scopes of one module, and the facts the setup.py analysis looks up."""

    module: Scope
    #: the innermost scope of every function and class statement, by node identity
    scopes: dict[int, Scope]
    #: every ``import`` / ``from … import`` statement, in source order
    imports: list[ast.Import | ast.ImportFrom]
    #: every call ``f(...)`` whose callee is a bare name, by that name
    calls_by_name: dict[str, list[ast.Call]]
    #: every function scope (``def``), by function name
    functions_by_name: dict[str, list[Scope]]
    _scope_of_name: dict[int, Scope]

    def scope_for(self, node: ast.AST) -> Scope | None:
        """The scope a ``def``/``class`` statement opens."""
        return self.scopes.get(id(node))

    def resolve(self, node: ast.Name) -> tuple[Scope, list[Binding]] | None:
        """The scope that binds ``node`` and its bindings there; None when unbound (a
        builtin, a star import, or a name the module never defines)."""
        scope = self._scope_of_name.get(id(node))
        return None if scope is None else lookup(scope, node.id, self.module)

    def qualified_names(self, node: ast.AST) -> frozenset[str]:
        """Qualified names of an expression: ``scm.get_version`` after ``import
        setuptools_scm as scm`` -> ``{"setuptools_scm.get_version"}``.

        A name bound at module level other than by an import stands for itself
        (``os = X`` makes ``os.environ`` ``"os.environ"``, as libcst says); names
        bound inside classes and functions are marked as local.
        """
        dotted = dotted_name(node)
        if dotted is None:
            return frozenset()
        full, base = dotted
        found = self.resolve(base)
        if found is None:
            return frozenset()
        scope, bindings = found
        rest = full[len(base.id) :]
        out: set[str] = set()
        for b in bindings:
            if b.kind == "import" and b.qualname is not None:
                out.add(b.qualname + rest)
            elif scope.kind == "module":
                out.add(full)
            else:
                out.add(f"<local {scope.name}>.{full}")
        return frozenset(out)


def lookup(scope: Scope, name: str, module: Scope) -> tuple[Scope, list[Binding]] | None:
    """Resolve ``name`` as code in ``scope`` would (LEGB, class bodies skipped from inside)."""
    s: Scope | None = scope
    first = True
    while s is not None:
        if name in s.globals:
            found = module.bindings.get(name)
            return (module, found) if found else None
        if name in s.nonlocals:
            s, first = s.parent, False
            continue
        if s.kind != "class" or first:
            found = s.bindings.get(name)
            if found:
                return s, found
        s, first = s.parent, False
    return None


def dotted_name(node: ast.AST) -> tuple[str, ast.Name] | None:
    """``a.b.c`` -> ``("a.b.c", Name a)``; a call or subscript stands for what it calls or
    indexes (``a.b().c`` -> ``"a.b.c"``), as libcst's ``get_full_name_for_node`` has it."""
    parts: list[str] = []
    while True:
        if isinstance(node, ast.Name):
            parts.append(node.id)
            return ".".join(reversed(parts)), node
        if isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            return None


def index_module(tree: ast.Module) -> ModuleIndex:
    """Walk ``tree`` once and return its :class:`ModuleIndex`."""
    return _Indexer(tree).index


class _Indexer:
    def __init__(self, tree: ast.Module) -> None:
        module = Scope("module", None, None, tree)
        self.index = ModuleIndex(module, {}, [], {}, {}, {})
        self._nonlocal_bindings: list[tuple[Scope, str, Binding]] = []
        self._stack: list[tuple[ast.AST, Scope]] = []
        self._push(tree.body, module)
        self._run()
        for scope, name, binding in self._nonlocal_bindings:
            target = _nonlocal_target(scope, name)
            if target is not None:
                target.bindings.setdefault(name, []).append(binding)

    def _push(self, nodes: Iterable[ast.AST | None], scope: Scope) -> None:
        # the stack pops last-in first: push in reverse so nodes are visited in source order,
        # which keeps `global x` ahead of the bindings it redirects
        self._stack.extend((n, scope) for n in reversed(list(nodes)) if n is not None)

    def _bind(self, scope: Scope, name: str, binding: Binding) -> None:
        if name in scope.globals:
            scope = self.index.module
        elif name in scope.nonlocals:
            self._nonlocal_bindings.append((scope, name, binding))
            return
        scope.bindings.setdefault(name, []).append(binding)

    def _run(self) -> None:
        stack = self._stack
        index = self.index
        scope_of_name = index._scope_of_name
        while stack:
            node, scope = stack.pop()
            if isinstance(node, ast.Name):
                scope_of_name[id(node)] = scope
                if not isinstance(node.ctx, ast.Load):
                    self._bind(scope, node.id, Binding("other"))
            elif isinstance(node, ast.Call):
                if isinstance(node.func, ast.Name):
                    index.calls_by_name.setdefault(node.func.id, []).append(node)
                self._push(ast.iter_child_nodes(node), scope)
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        scope_of_name[id(target)] = scope
                        self._bind(scope, target.id, Binding("assign", value=node.value))
                    else:
                        self._push((target,), scope)
                self._push((node.value,), scope)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                scope_of_name[id(node.target)] = scope
                self._bind(
                    scope,
                    node.target.id,
                    Binding("assign", value=node.value) if node.value else Binding("other"),
                )
                self._push((node.annotation, node.value), scope)
            elif isinstance(node, ast.NamedExpr):
                target_scope = scope
                while target_scope.kind == "comprehension" and target_scope.parent is not None:
                    target_scope = target_scope.parent
                scope_of_name[id(node.target)] = target_scope
                self._bind(target_scope, node.target.id, Binding("assign", value=node.value))
                self._push((node.value,), scope)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                index.imports.append(node)
                self._import(node, scope)
            elif isinstance(node, _FUNCTIONS):
                self._function(node, scope)
            elif isinstance(node, ast.Lambda):
                self._lambda(node, scope)
            elif isinstance(node, ast.ClassDef):
                self._bind(scope, node.name, Binding("other"))
                self._push((*node.decorator_list, *node.bases, *node.keywords), scope)
                inner = Scope("class", node.name, scope, node)
                index.scopes[id(node)] = inner
                self._push(node.body, inner)
            elif isinstance(node, _COMPREHENSIONS):
                self._comprehension(node, scope)
            elif isinstance(node, ast.Global):
                scope.globals.update(node.names)
            elif isinstance(node, ast.Nonlocal):
                scope.nonlocals.update(node.names)
            elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)):
                if node.name:
                    self._bind(scope, node.name, Binding("other"))
                self._push(ast.iter_child_nodes(node), scope)
            elif isinstance(node, ast.MatchMapping):
                if node.rest:
                    self._bind(scope, node.rest, Binding("other"))
                self._push(ast.iter_child_nodes(node), scope)
            else:
                self._push(ast.iter_child_nodes(node), scope)

    def _import(self, node: ast.Import | ast.ImportFrom, scope: Scope) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    self._bind(scope, alias.asname, Binding("import", alias.name))
                else:  # `import a.b.c` binds `a`, which stands for the package `a`
                    head = alias.name.split(".", 1)[0]
                    self._bind(scope, head, Binding("import", head))
            return
        source = "." * node.level + (node.module or "")
        for alias in node.names:
            if alias.name == "*":
                continue  # binds nothing that can be named here; see setup_py's star handling
            qual = f"{source}.{alias.name}" if node.module else source + alias.name
            self._bind(scope, alias.asname or alias.name, Binding("import", qual))

    def _arguments(self, args: ast.arguments, outer: Scope, inner: Scope) -> None:
        """Defaults and annotations run in ``outer``; the parameters bind in ``inner``."""
        params = [*args.posonlyargs, *args.args, *args.kwonlyargs]
        for star in (args.vararg, args.kwarg):
            if star is not None:
                params.append(star)
        for p in params:
            self._bind(inner, p.arg, Binding("param"))
        self._push(
            (*args.defaults, *args.kw_defaults, *(p.annotation for p in params)),
            outer,
        )

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, scope: Scope) -> None:
        self._bind(scope, node.name, Binding("other"))
        inner = Scope("function", node.name, scope, node)
        self.index.scopes[id(node)] = inner
        self.index.functions_by_name.setdefault(node.name, []).append(inner)
        # body last on the stack's far side: decorators and defaults come first in the source
        self._push(node.body, inner)
        self._arguments(node.args, scope, inner)
        self._push((*node.decorator_list, node.returns), scope)

    def _lambda(self, node: ast.Lambda, scope: Scope) -> None:
        inner = Scope("function", None, scope, node)
        self._push((node.body,), inner)
        self._arguments(node.args, scope, inner)

    def _comprehension(
        self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp, scope: Scope
    ) -> None:
        inner = Scope("comprehension", None, scope, node)
        elements: tuple[ast.AST, ...] = (
            (node.key, node.value) if isinstance(node, ast.DictComp) else (node.elt,)
        )
        inside: list[ast.AST] = []
        for i, gen in enumerate(node.generators):
            inside.append(gen.target)
            if i:
                inside.append(gen.iter)
            inside.extend(gen.ifs)
        self._push((*inside, *elements), inner)
        self._push((node.generators[0].iter,), scope)


def _nonlocal_target(scope: Scope, name: str) -> Scope | None:
    s = scope.parent
    while s is not None and s.kind != "module":
        if s.kind == "function" and (name in s.bindings or name in s.nonlocals):
            if name in s.nonlocals:
                return _nonlocal_target(s, name)
            return s
        s = s.parent
    return None
