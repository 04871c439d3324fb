"""The walk behind :func:`patchkit.scm.setup_py.parse_setup_py`, over an :mod:`ast` tree.

Statements are walked in order with the guards that hold around them
(``if os.getenv("X"):`` and the early-return shape); every expression a statement
runs is searched for ``get_version`` / ``setup`` calls and environment writes.
Names are resolved by :mod:`patchkit.scm._pyscope` (Python's scoping rules), so
a local function that happens to be called ``get_version`` does not count.

Why ``ast`` and not libcst: on vLLM 0.33.0's 1,752-line setup.py, the libcst
analysis took 1.16 s of CPU (import 0.15 s, parse 0.09 s, scope + qualified-name +
position metadata 0.65 s, visitor passes about 0.25 s) where ``ast`` and this walk
take 0.027 s; that was most of ``patchkit check``'s time. Nothing here rewrites the file, so
libcst's lossless tree bought nothing; ``ast`` gives the exact positions and
source segments the diagnostics need.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

from patchkit._source import python_lines
from patchkit.scm._pyscope import ModuleIndex, Scope, index_module
from patchkit.scm.names import parse_name
from patchkit.scm.setup_py import (
    ArgValue,
    EnvAssignment,
    GetVersionCall,
    Guard,
    SetupCall,
    SetupPy,
)

__all__ = ["analyse"]

_SCM_GET_VERSION = "setuptools_scm.get_version"
_SETUP = frozenset({"setuptools.setup"})
_ENVIRON = "os.environ"
_GETENV = frozenset({"os.getenv", "os.environ.get"})
_ENV_WRITERS = ("os.environ.setdefault", "os.putenv", "os.environ.update")
_MAX_NAME_DEPTH = 8

# An argument as written in the call, in source order, like a libcst ``Arg``:
# (keyword or None, star "" / "*" / "**", value)
_Arg = tuple[str | None, str, ast.expr]


def analyse(tree: ast.Module, text: str, path: str) -> SetupPy:
    """Everything :class:`SetupPy` holds, read from a parsed ``tree`` of ``text``."""
    return _Analyser(tree, text, path).run()


def _args(call: ast.Call) -> list[_Arg]:
    out: list[tuple[int, int, _Arg]] = []
    for a in call.args:
        if isinstance(a, ast.Starred):
            out.append((a.lineno, a.col_offset, (None, "*", a.value)))
        else:
            out.append((a.lineno, a.col_offset, (None, "", a)))
    for k in call.keywords:
        out.append((k.lineno, k.col_offset, (k.arg, "**" if k.arg is None else "", k.value)))
    if call.keywords and call.args:
        out.sort(key=lambda item: item[:2])  # `f(a=1, *b)`: keywords may precede a star
    return [arg for _, _, arg in out]


def _string(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _is_none(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


class _Analyser:
    def __init__(self, tree: ast.Module, text: str, path: str) -> None:
        self.tree = tree
        self.text = text
        self.path = path
        self.names: ModuleIndex = index_module(tree)
        self._lines: list[str] | None = None
        self.calls: list[GetVersionCall] = []
        self.setups: list[SetupCall] = []
        self.envs: list[EnvAssignment] = []
        self.notes: list[str] = []
        self.imports_scm = False
        self.star_import = False
        for imp in self.names.imports:
            if isinstance(imp, ast.Import):
                if any(a.name.split(".")[0] == "setuptools_scm" for a in imp.names):
                    self.imports_scm = True
            elif imp.level == 0 and (imp.module or "").split(".")[0] == "setuptools_scm":
                self.imports_scm = True
                if imp.module == "setuptools_scm" and any(a.name == "*" for a in imp.names):
                    self.star_import = True

    # -- source positions and text ----------------------------------------------

    def _line(self, lineno: int) -> str:
        if self._lines is None:
            self._lines = python_lines(self.text)  # numbered as ast numbers them
        return self._lines[lineno - 1] if 0 < lineno <= len(self._lines) else ""

    def _column(self, lineno: int, byte_col: int) -> int:
        """ast counts columns in UTF-8 bytes; patchkit in characters (1-based)."""
        line = self._line(lineno)
        if line.isascii():
            return byte_col + 1
        return len(line.encode("utf-8")[:byte_col].decode("utf-8", "replace")) + 1

    def _where(self, node: ast.expr | ast.stmt) -> tuple[int, int]:
        return node.lineno, self._column(node.lineno, node.col_offset)

    def _code(self, node: ast.expr) -> str:
        """The expression exactly as written (comments and line breaks inside it kept)."""
        end_lineno = node.end_lineno or node.lineno
        end_col = node.end_col_offset if node.end_col_offset is not None else node.col_offset
        first = self._line(node.lineno).encode("utf-8")
        if end_lineno == node.lineno:
            piece = first[node.col_offset : end_col]
        else:
            middle = b"".join(
                self._line(n).encode("utf-8") for n in range(node.lineno + 1, end_lineno)
            )
            piece = first[node.col_offset :] + middle + self._line(end_lineno).encode()[:end_col]
        return piece.decode("utf-8", "replace").strip()

    # -- names ---------------------------------------------------------------------

    def _qnames(self, node: ast.AST) -> frozenset[str]:
        return self.names.qualified_names(node)

    def _is_scm_get_version(self, func: ast.expr) -> bool:
        if _SCM_GET_VERSION in self._qnames(func):
            return True
        # `from setuptools_scm import *` binds get_version unless the module defines its own
        return (
            self.star_import
            and isinstance(func, ast.Name)
            and func.id == "get_version"
            and self.names.resolve(func) is None
        )

    def _env_read(self, node: ast.expr) -> str | None:
        """``os.getenv("X")`` / ``os.environ.get("X")`` / ``os.environ["X"]`` -> ``X``."""
        if isinstance(node, ast.Call) and self._qnames(node.func) & _GETENV:
            args = _args(node)
            return _string(args[0][2]) if args else None
        if isinstance(node, ast.Subscript) and _ENVIRON in self._qnames(node.value):
            if isinstance(node.slice, (ast.Slice, ast.Tuple)):
                return None
            return _string(node.slice)
        return None

    # -- values ----------------------------------------------------------------------

    def _value(self, node: ast.expr, depth: int = 0) -> ArgValue:
        if isinstance(node, ast.NamedExpr):
            return self._value(node.value, depth)
        text = self._code(node)
        if isinstance(node, ast.Constant):
            v = node.value
            if isinstance(v, str) or v is None or isinstance(v, bool):
                return ArgValue(text, "literal", v)
            if isinstance(v, int):
                return ArgValue(text, "literal", v)
            return ArgValue(text, "unknown")
        env = self._env_read(node)
        if env is not None:
            return ArgValue(text, "env", env_var=env)
        if isinstance(node, ast.Dict):
            out: dict[str, object] = {}
            for key, val in zip(node.keys, node.values, strict=True):
                k = _string(key)
                if k is None:  # `**other` (key None) or a key that is not a literal string
                    return ArgValue(text, "unknown")
                out[k] = self._value(val, depth + 1).value
            return ArgValue(text, "literal", out)
        if isinstance(node, ast.Name) and depth < _MAX_NAME_DEPTH:
            return self._name_value(node, text, depth)
        return ArgValue(text, "unknown")

    def _name_value(self, node: ast.Name, text: str, depth: int) -> ArgValue:
        """A name is known when every binding its scope gives it assigns the same value."""
        found = self.names.resolve(node)
        if found is None:
            return ArgValue(text, "unknown")
        scope, bindings = found
        if len(bindings) == 1 and bindings[0].kind == "param":
            return self._param_value(node.id, scope, text)
        if any(b.kind != "assign" or b.value is None for b in bindings):
            return ArgValue(text, "unknown", via=node.id)
        values = [self._value(b.value, depth + 1) for b in bindings if b.value is not None]
        first = values[0]
        if all(
            v.kind == first.kind and v.value == first.value and v.env_var == first.env_var
            for v in values
        ):
            return ArgValue(text, first.kind, first.value, first.env_var, via=node.id)
        return ArgValue(text, "unknown", via=node.id)

    def _param_value(self, name: str, scope: Scope, text: str) -> ArgValue:
        """A parameter is known when every call of its function passes the same literal."""
        unknown = ArgValue(text, "unknown", via=name)
        fn = scope.node
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return unknown  # a lambda's parameter: its calls cannot be found by name
        if len(self.names.functions_by_name.get(fn.name, [])) != 1:
            return unknown
        positional = [p.arg for p in (*fn.args.posonlyargs, *fn.args.args)]
        index = positional.index(name) if name in positional else -1
        seen: list[ArgValue] = []
        for call in self.names.calls_by_name.get(fn.name, []):
            arg = None
            for i, (keyword, star, expr) in enumerate(_args(call)):
                if star:
                    return unknown
                if keyword == name or (keyword is None and i == index):
                    arg = expr
            if arg is None:
                return unknown
            passed = self._value(arg, depth=_MAX_NAME_DEPTH)  # literals only at the call site
            if passed.kind != "literal":
                return unknown
            seen.append(passed)
        if not seen or any(v.value != seen[0].value for v in seen):
            return unknown
        return ArgValue(
            text,
            "literal",
            seen[0].value,
            via=f"{name} (every call of {fn.name}() passes {seen[0].text})",
        )

    def _guard(self, test: ast.expr) -> Guard | None:
        negate = False
        while True:
            if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
                negate, test = not negate, test.operand
            elif isinstance(test, ast.NamedExpr):
                test = test.value
            else:
                break
        guard = self._plain_guard(test)
        return guard.negated() if guard is not None and negate else guard

    def _plain_guard(self, test: ast.expr) -> Guard | None:
        var = self._env_read(test)
        if var is not None:
            return Guard(var, True, "truthy")
        if isinstance(test, ast.Compare) and len(test.ops) == 1:
            op, right = test.ops[0], test.comparators[0]
            if isinstance(op, (ast.In, ast.NotIn)) and _ENVIRON in self._qnames(right):
                key = _string(test.left)
                if key is not None:
                    return Guard(key, isinstance(op, ast.In), "present")
            if isinstance(op, (ast.IsNot, ast.Is)) and _is_none(right):
                var = self._env_read(test.left)
                if var is not None:
                    return Guard(var, isinstance(op, ast.IsNot), "present")
        return None

    # -- the walk ------------------------------------------------------------------------

    def run(self) -> SetupPy:
        self._walk(self.tree.body, (), self.names.module, True)
        return SetupPy(
            self.path,
            self.imports_scm,
            tuple(self.calls),
            tuple(self.setups),
            tuple(self.envs),
            tuple(self.notes),
        )

    def _walk(
        self, body: Sequence[ast.stmt], guards: tuple[Guard, ...], scope: Scope, reachable: bool
    ) -> bool:
        """Walk a block; returns False when the block always ends in return/raise."""
        extra: tuple[Guard, ...] = ()
        for stmt in body:
            g = guards + extra
            if isinstance(stmt, ast.If):
                self._scan(stmt.test, g, scope, reachable)
                guard = self._guard(stmt.test)
                body_g = g + ((guard,) if guard else ())
                else_g = g + ((guard.negated(),) if guard else ())
                body_falls = self._walk(stmt.body, body_g, scope, reachable)
                else_falls = (
                    self._walk(stmt.orelse, else_g, scope, reachable) if stmt.orelse else True
                )
                if not body_falls and not else_falls:
                    reachable = False
                elif not body_falls and guard is not None:
                    extra += (guard.negated(),)
            elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                # decorators and defaults run where the function is defined; the body runs
                # when it is called (counted as run: vLLM calls its helper from setup())
                for expr in (*stmt.decorator_list, *stmt.args.defaults, *stmt.args.kw_defaults):
                    if expr is not None:
                        self._scan(expr, g, scope, reachable)
                inner = self.names.scope_for(stmt) or scope
                self._walk(stmt.body, (), inner, True)
            elif isinstance(stmt, ast.ClassDef):
                for part in (*stmt.decorator_list, *stmt.bases, *stmt.keywords):
                    self._scan(part, g, scope, reachable)
                self._walk(stmt.body, g, self.names.scope_for(stmt) or scope, reachable)
            elif isinstance(stmt, _COMPOUND):
                for header in _headers(stmt):
                    self._scan(header, g, scope, reachable)
                for sub in _bodies(stmt):
                    self._walk(sub, g, scope, reachable)
            else:
                self._scan(stmt, g, scope, reachable)
                if isinstance(stmt, (ast.Return, ast.Raise)):
                    reachable = False
        return reachable

    def _scan(
        self, node: ast.AST, guards: tuple[Guard, ...], scope: Scope, reachable: bool
    ) -> None:
        """Every call and environment assignment that running ``node`` runs, in source order
        (lambda and comprehension bodies included: they run where they are called)."""
        found: list[ast.Call | ast.Assign] = []
        stack: list[ast.AST] = [node]
        while stack:
            n = stack.pop()
            if isinstance(n, (ast.Call, ast.Assign)):
                found.append(n)
            stack.extend(ast.iter_child_nodes(n))
        found.sort(key=lambda n: (n.lineno, n.col_offset, -(n.end_lineno or 0), -_end(n)))
        for n in found:
            if isinstance(n, ast.Call):
                self._on_call(n, guards, scope, reachable)
            else:
                self._on_assign(n, guards, scope)

    def _on_call(
        self, node: ast.Call, guards: tuple[Guard, ...], scope: Scope, reachable: bool
    ) -> None:
        line, col = self._where(node)
        func = node.func
        function = _function_name(scope)
        if self._is_scm_get_version(func):
            positional: list[ArgValue] = []
            keywords: list[tuple[str, ArgValue]] = []
            star = False
            for keyword, stars, value in _args(node):
                if stars:
                    star = True
                elif keyword is not None:
                    keywords.append((keyword, self._value(value)))
                else:
                    positional.append(self._value(value))
            self.calls.append(
                GetVersionCall(
                    line, col, self._code(func), function, guards,
                    tuple(positional), tuple(keywords), star, reachable,
                )
            )  # fmt: skip
            return
        qn = self._qnames(func)
        if reachable and any(q.startswith("setuptools_scm.") for q in qn):
            self.notes.append(
                f"{self.path}:{line}:{col}: calls {self._code(func)}(...), "
                "which patchkit does not model"
            )
        if qn & _SETUP:
            kw = {k.arg: k.value for k in node.keywords if k.arg is not None}
            self.setups.append(
                SetupCall(
                    line,
                    col,
                    self._value(kw["version"]) if "version" in kw else None,
                    self._value(kw["name"]) if "name" in kw else None,
                    self._value(kw["use_scm_version"]) if "use_scm_version" in kw else None,
                    any(k.arg is None for k in node.keywords),
                    guards,
                )
            )
            return
        kind = next((w for w in _ENV_WRITERS if w in qn), None)
        if kind is None:
            return
        args = _args(node)
        if kind != "os.environ.update":
            if len(args) >= 2:
                name = self._value(args[0][2])
                if name.kind == "literal" and isinstance(name.value, str):
                    self._env(name.value, kind, self._value(args[1][2]), node, guards, function)
            return
        for keyword, _, value in args:
            if keyword is not None:
                self._env(keyword, kind, self._value(value), node, guards, function)
            elif isinstance(value, ast.Dict):  # update({...}) and update(**{...})
                for key, val in zip(value.keys, value.values, strict=True):
                    k = _string(key)
                    if k is not None:
                        self._env(k, kind, self._value(val), node, guards, function)

    def _on_assign(self, node: ast.Assign, guards: tuple[Guard, ...], scope: Scope) -> None:
        for t in node.targets:
            if not (
                isinstance(t, ast.Subscript)
                and _ENVIRON in self._qnames(t.value)
                and not isinstance(t.slice, (ast.Slice, ast.Tuple))
            ):
                continue
            key = self._value(t.slice)
            if key.kind == "literal" and isinstance(key.value, str):
                value = self._value(node.value)
                self._env(
                    key.value, "os.environ[...] =", value, node, guards, _function_name(scope)
                )

    def _env(
        self,
        name: str,
        kind: str,
        value: ArgValue,
        node: ast.expr | ast.stmt,
        guards: tuple[Guard, ...],
        function: str | None,
    ) -> None:
        if parse_name(name) is None:
            return
        line, col = self._where(node)
        self.envs.append(EnvAssignment(line, col, name, kind, value, guards, function))


def _end(node: ast.AST) -> int:
    return getattr(node, "end_col_offset", 0) or 0


def _function_name(scope: Scope) -> str | None:
    fn = scope.function
    return fn.name if fn is not None else None


_COMPOUND = (
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.With,
    ast.AsyncWith,
    ast.Try,
    *((ast.TryStar,) if hasattr(ast, "TryStar") else ()),
    ast.Match,
)


def _headers(stmt: ast.stmt) -> list[ast.AST]:
    """Expressions of a compound statement that run in the enclosing block."""
    if isinstance(stmt, (ast.For, ast.AsyncFor)):
        return [stmt.iter]
    if isinstance(stmt, ast.While):
        return [stmt.test]
    if isinstance(stmt, (ast.With, ast.AsyncWith)):
        return list(stmt.items)
    if isinstance(stmt, ast.Match):
        return [stmt.subject]
    return []


def _bodies(stmt: ast.stmt) -> list[Sequence[ast.stmt]]:
    out: list[Sequence[ast.stmt]] = []
    for attr in ("body", "orelse", "finalbody"):
        part = getattr(stmt, attr, None)
        if part:
            out.append(part)
    for handler in getattr(stmt, "handlers", ()):
        out.append(handler.body)
    for case in getattr(stmt, "cases", ()):
        out.append(case.body)
    return out
