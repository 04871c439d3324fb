"""Read an upstream ``setup.py`` with libcst, without importing or running it.

What it finds (``research/setuptools-scm.md``, "Rules for a static checker"):

* every call of setuptools-scm's ``get_version``, whatever the import form
  (``import setuptools_scm [as m]``, ``from setuptools_scm import get_version
  [as g]``, a star import, an import inside a function), with its arguments:
  ``dist_name`` as a literal, a name bound to a literal, something patchkit
  cannot resolve, or absent; ``root``, ``relative_to``, ``fallback_version``,
  ``version_scheme``, ``local_scheme``, ``write_to`` and the rest as written.
  A local function that merely shares the name does not count; names are
  resolved through libcst's scope analysis, not matched as text;
* ``setuptools.setup(...)`` calls with their ``version=``, ``name=`` and
  ``use_scm_version=`` arguments (``version=`` makes the build hook stand down);
* ``os.environ[...] = …`` (and ``setdefault`` / ``update`` / ``os.putenv``) of
  pretend-version variables, with the value's source: a literal, or another
  environment variable such as vLLM's ``VLLM_VERSION_OVERRIDE``;
* for each of those, the *guards*: ``if os.getenv("X"):`` / ``"X" in os.environ``
  around it, including the early-return shape vLLM uses (statements after
  ``if guard: … return`` run only when the guard is false). Code after a
  ``return`` or ``raise`` in the same block is unreachable and reported apart.

Calls inside functions count as executed: vLLM calls its helper from
``setup(version=get_vllm_version())``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import libcst as cst
from libcst.metadata import (
    MetadataWrapper,
    PositionProvider,
    QualifiedNameProvider,
    ScopeProvider,
)

from patchkit._source import SourceText, splitlines_offset
from patchkit.errors import SourceError
from patchkit.scm.names import parse_name

__all__ = [
    "GET_VERSION_PARAMS",
    "ArgValue",
    "DistName",
    "EnvAssignment",
    "GetVersionCall",
    "Guard",
    "SetupCall",
    "SetupPy",
    "parse_setup_py",
]

# Positional parameters of setuptools_scm.get_version, per major (from each
# release's signature): a dist_name passed positionally is the 13th (7.x) or
# the 15th (8.x to 10.x) argument.
_P7 = (
    "root", "version_scheme", "local_scheme", "write_to", "write_to_template",
    "relative_to", "tag_regex", "parentdir_prefix_version", "fallback_version",
    "fallback_root", "parse", "git_describe_command", "dist_name", "version_cls",
    "normalize", "search_parent_directories",
)  # fmt: skip
_P8 = (
    "root", "version_scheme", "local_scheme", "write_to", "write_to_template",
    "version_file", "version_file_template", "relative_to", "tag_regex",
    "parentdir_prefix_version", "fallback_version", "fallback_root", "parse",
    "git_describe_command", "dist_name", "version_cls", "normalize",
    "search_parent_directories",
)  # fmt: skip
GET_VERSION_PARAMS: Mapping[int, tuple[str, ...]] = {
    7: _P7,
    8: _P8,
    9: (*_P8, "scm"),
    10: (*_P8, "scm"),
}

_SCM_GET_VERSION = "setuptools_scm.get_version"
_SETUP = frozenset({"setuptools.setup"})
_ENVIRON = "os.environ"
_GETENV = frozenset({"os.getenv", "os.environ.get"})

ValueKind = Literal["literal", "env", "unknown"]


@dataclass(frozen=True, slots=True)
class ArgValue:
    """An argument as written (``text``) and what patchkit could make of it.

    ``kind`` is ``literal`` (``value`` holds a str, bool, None or a dict of
    such), ``env`` (the value of environment variable ``env_var``), or
    ``unknown``. ``via`` names the variable a literal was resolved through.
    """

    text: str
    kind: ValueKind
    value: object = None
    env_var: str | None = None
    via: str | None = None

    @property
    def known(self) -> bool:
        return self.kind == "literal"


@dataclass(frozen=True, slots=True)
class DistName:
    """What a ``get_version`` call passes as ``dist_name``.

    ``state``: ``absent`` (not passed), ``none`` (``None``), ``known`` (a string
    patchkit resolved, in ``value``), ``unknown`` (``reason`` says why).
    """

    state: Literal["absent", "none", "known", "unknown"]
    value: str | None = None
    text: str | None = None
    reason: str = ""

    @property
    def name(self) -> str | None:
        return self.value if self.state == "known" else None


@dataclass(frozen=True, slots=True)
class Guard:
    """A condition on an environment variable around a statement.

    ``mode="truthy"``: ``os.getenv(var)`` / ``os.environ.get(var)`` is used as a
    truth value (set and non-empty); ``mode="present"``: ``var in os.environ``
    (or ``is not None``). ``when_set`` False means the negation.
    """

    var: str
    when_set: bool = True
    mode: Literal["truthy", "present"] = "truthy"

    def negated(self) -> Guard:
        return Guard(self.var, not self.when_set, self.mode)

    def holds(self, env: Mapping[str, str]) -> bool:
        state = self.var in env if self.mode == "present" else bool(env.get(self.var))
        return state == self.when_set

    def describe(self) -> str:
        what = "is set and non-empty" if self.mode == "truthy" else "is present"
        return f"{self.var} {what}" if self.when_set else f"not ({self.var} {what})"


@dataclass(frozen=True, slots=True)
class GetVersionCall:
    """One ``setuptools_scm.get_version(...)`` call site."""

    line: int
    col: int
    callee: str
    function: str | None
    guards: tuple[Guard, ...]
    positional: tuple[ArgValue, ...]
    keywords: tuple[tuple[str, ArgValue], ...]
    star_args: bool
    reachable: bool = True

    def argument(self, name: str, major: int = 10) -> ArgValue | None:
        """The argument bound to parameter ``name`` under ``major``'s signature."""
        for key, value in self.keywords:
            if key == name:
                return value
        params = GET_VERSION_PARAMS.get(major, _P8)
        if name in params:
            index = params.index(name)
            if index < len(self.positional):
                return self.positional[index]
        return None

    def dist_name(self, major: int = 10) -> DistName:
        arg = self.argument("dist_name", major)
        if arg is None:
            if self.star_args:
                return DistName("unknown", reason="the call passes *args/**kwargs")
            return DistName("absent")
        if arg.kind == "literal":
            if arg.value is None:
                return DistName("none", text=arg.text)
            if isinstance(arg.value, str):
                return DistName("known", arg.value, arg.text)
            return DistName("unknown", text=arg.text, reason="dist_name is not a string")
        if arg.kind == "env":
            return DistName(
                "unknown",
                text=arg.text,
                reason=f"dist_name comes from environment variable {arg.env_var}",
            )
        return DistName("unknown", text=arg.text, reason=f"patchkit cannot resolve {arg.text!r}")

    def fallback_version(self, major: int = 10) -> ArgValue | None:
        arg = self.argument("fallback_version", major)
        if arg is None or (arg.kind == "literal" and arg.value is None):
            return None
        return arg


@dataclass(frozen=True, slots=True)
class SetupCall:
    """A ``setuptools.setup(...)`` call: what decides whether the build hook runs."""

    line: int
    col: int
    version: ArgValue | None
    name: ArgValue | None
    use_scm_version: ArgValue | None
    star_kwargs: bool
    guards: tuple[Guard, ...] = ()

    @property
    def passes_version(self) -> bool:
        """``version=`` given (and not the literal ``None``): the hook stands down on 8+."""
        return self.version is not None and not (
            self.version.kind == "literal" and self.version.value is None
        )

    @property
    def scm_keyword(self) -> bool | None:
        """True/False when ``use_scm_version`` is clearly (in)active, None when unknown."""
        v = self.use_scm_version
        if v is None:
            return False
        if v.kind == "literal":
            return bool(v.value)
        return True if v.text.startswith(("lambda", "{")) else None


@dataclass(frozen=True, slots=True)
class EnvAssignment:
    """setup.py setting a pretend variable in its own environment before a call."""

    line: int
    col: int
    name: str
    kind: str
    value: ArgValue
    guards: tuple[Guard, ...]
    function: str | None


@dataclass(frozen=True, slots=True)
class SetupPy:
    """Everything patchkit read from one ``setup.py``."""

    path: str
    imports_scm: bool
    calls: tuple[GetVersionCall, ...]
    setup_calls: tuple[SetupCall, ...]
    env_assignments: tuple[EnvAssignment, ...]
    notes: tuple[str, ...] = ()

    @property
    def reachable_calls(self) -> tuple[GetVersionCall, ...]:
        return tuple(c for c in self.calls if c.reachable)


def parse_setup_py(text: str, path: str = "setup.py") -> SetupPy:
    """Analyse ``text`` as a setup.py; raise ``SourceError`` when it is not Python.

    The syntax check uses :func:`ast.parse` (compiles, never runs) because its
    positions are exact; libcst then builds the tree that the analysis reads.
    """
    import ast

    try:
        ast.parse(text, filename=path)
    except SyntaxError as exc:
        if "\x00" in text:
            pos = text.find("\x00")
            raise SourceError(
                "not valid Python: a NUL byte (binary content?)", path=path, text=text, offset=pos
            ) from exc
        # Python ends lines at a lone CR too; patchkit's line table does not
        offset = splitlines_offset(text, exc.lineno or 1, (exc.offset or 1) - 1, python=True)
        raise SourceError(
            f"not valid Python: {exc.msg}", path=path, text=text, offset=min(offset, len(text))
        ) from exc
    except ValueError as exc:  # NUL bytes
        pos = text.find("\x00")
        raise SourceError(
            f"not valid Python: {exc}", path=path, text=text, offset=max(pos, 0)
        ) from exc
    except (RecursionError, MemoryError) as exc:  # CPython's parser on deep nesting
        raise _too_deep(text, path) from exc
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        src = SourceText(text)
        line = max(1, min(exc.raw_line, text.count("\n") + 1))
        offset = min(src.offset(line, 1) + max(exc.raw_column, 0), len(text))
        raise SourceError(
            f"libcst cannot parse this: {exc.message}", path=path, text=text, offset=offset
        ) from exc
    except (RecursionError, MemoryError) as exc:
        raise _too_deep(text, path) from exc
    try:
        return _Analyser(module, path).run()
    except RecursionError as exc:  # libcst's visitors recurse once per nesting level
        raise _too_deep(text, path) from exc


def _too_deep(text: str, path: str) -> SourceError:
    """Expressions nested hundreds of levels deep (``1+1+...``, ``a.b.b...``) exhaust the
    recursion of the parsers patchkit reads setup.py with; a real setup.py never does."""
    return SourceError(
        "cannot analyse this file: an expression is nested too deeply for the Python "
        "parsers patchkit uses (hundreds of levels)",
        path=path,
        text=text,
        offset=0,
        suggestion="this is not a setup.py a build would use; check that the path is right",
    )


# --------------------------------------------------------------------------- analysis


@dataclass
class _Scope:
    """Bindings of one function (or the module) that literal resolution may follow."""

    name: str | None
    params: set[str] = field(default_factory=set)
    param_order: list[str] = field(default_factory=list)
    bindings: dict[str, list[cst.BaseExpression]] = field(default_factory=dict)
    parent: _Scope | None = None


class _BindingCollector(cst.CSTVisitor):
    """First pass: for every function, its parameters and its ``name = expr`` bindings."""

    def __init__(self) -> None:
        self.module = _Scope(None)
        self.scopes: dict[cst.FunctionDef, _Scope] = {}
        self.by_name: dict[str, list[_Scope]] = {}
        self.call_sites: dict[str, list[cst.Call]] = {}
        self._stack: list[_Scope] = [self.module]

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name):
            self.call_sites.setdefault(node.func.value, []).append(node)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        scope = _Scope(node.name.value, parent=self._stack[-1])
        self.by_name.setdefault(node.name.value, []).append(scope)
        p = node.params
        for param in (*p.posonly_params, *p.params, *p.kwonly_params):
            scope.params.add(param.name.value)
            scope.param_order.append(param.name.value)
        for star in (p.star_arg, p.star_kwarg):
            if isinstance(star, cst.Param):
                scope.params.add(star.name.value)
        self.scopes[node] = scope
        self._stack.append(scope)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._stack.pop()

    def _bind(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        if isinstance(target, cst.Name):
            self._stack[-1].bindings.setdefault(target.value, []).append(value)

    def visit_Assign(self, node: cst.Assign) -> None:
        for t in node.targets:
            self._bind(t.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._bind(node.target, node.value)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind(node.target, node.value)


class _Analyser:
    def __init__(self, module: cst.Module, path: str) -> None:
        self.path = path
        self.wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        self.module = self.wrapper.module
        # One resolve_many: the scope pass QualifiedNameProvider needs is shared
        # with ScopeProvider instead of being run twice (about 40% of the analysis).
        self.wrapper.resolve_many([QualifiedNameProvider, PositionProvider, ScopeProvider])
        # resolve() now returns the cached, precisely typed mappings at no cost.
        self._qn = self.wrapper.resolve(QualifiedNameProvider)
        self._pos = self.wrapper.resolve(PositionProvider)
        self._scopes_meta = self.wrapper.resolve(ScopeProvider)
        binder = _BindingCollector()
        self.module.visit(binder)
        self.binder = binder
        self.calls: list[GetVersionCall] = []
        self.setups: list[SetupCall] = []
        self.envs: list[EnvAssignment] = []
        self.notes: list[str] = []
        self.star_import = False
        self.imports_scm = False

    # -- helpers ---------------------------------------------------------------

    def _qnames(self, node: cst.CSTNode) -> set[str]:
        value = self._qn.get(node)
        if value is None:
            return set()
        if callable(value):
            value = value()
        return {q.name for q in value}

    def _where(self, node: cst.CSTNode) -> tuple[int, int]:
        rng = self._pos[node]
        return rng.start.line, rng.start.column + 1

    def _code(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node).strip()

    def _is_scm_get_version(self, func: cst.BaseExpression) -> bool:
        names = self._qnames(func)
        if _SCM_GET_VERSION in names:
            return True
        if self.star_import and isinstance(func, cst.Name) and func.value == "get_version":
            scope = self._scopes_meta.get(func)
            return scope is not None and not scope.assignments[func.value]
        return False

    def _env_read(self, node: cst.BaseExpression) -> str | None:
        """``os.getenv("X")`` / ``os.environ.get("X")`` / ``os.environ["X"]`` -> ``X``."""
        if isinstance(node, cst.Call) and self._qnames(node.func) & _GETENV and node.args:
            return _string(node.args[0].value)
        if (
            isinstance(node, cst.Subscript)
            and _ENVIRON in self._qnames(node.value)
            and len(node.slice) == 1
            and isinstance(node.slice[0].slice, cst.Index)
        ):
            return _string(node.slice[0].slice.value)
        return None

    def _value(self, node: cst.BaseExpression, scope: _Scope | None, depth: int = 0) -> ArgValue:
        text = self._code(node)
        if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
            v = node.evaluated_value
            return ArgValue(text, "literal", v) if isinstance(v, str) else ArgValue(text, "unknown")
        if isinstance(node, cst.Name) and node.value in ("None", "True", "False"):
            return ArgValue(
                text, "literal", {"None": None, "True": True, "False": False}[node.value]
            )
        if isinstance(node, cst.Integer):
            return ArgValue(text, "literal", int(node.value, 0))
        env = self._env_read(node)
        if env is not None:
            return ArgValue(text, "env", env_var=env)
        if isinstance(node, cst.NamedExpr):
            return self._value(node.value, scope, depth)
        if isinstance(node, cst.Dict):
            out: dict[str, object] = {}
            for el in node.elements:
                if not isinstance(el, cst.DictElement):
                    return ArgValue(text, "unknown")
                key = _string(el.key)
                if key is None:
                    return ArgValue(text, "unknown")
                out[key] = self._value(el.value, scope, depth + 1).value
            return ArgValue(text, "literal", out)
        if isinstance(node, cst.Name) and depth < 8:
            found = self._lookup(node.value, scope)
            if found is None:
                return ArgValue(text, "unknown")
            if found == "param":
                return self._param_value(node.value, scope, text)
            inner_scope, exprs = found
            values = [self._value(e, inner_scope, depth + 1) for e in exprs]
            first = values[0]
            if all(
                v.kind == first.kind and v.value == first.value and v.env_var == first.env_var
                for v in values
            ):
                return ArgValue(text, first.kind, first.value, first.env_var, via=node.value)
            return ArgValue(text, "unknown", via=node.value)
        return ArgValue(text, "unknown")

    def _param_value(self, name: str, scope: _Scope | None, text: str) -> ArgValue:
        """A parameter is known when every call of its function passes the same literal."""
        s = scope
        while s is not None and name not in s.params:
            s = s.parent
        unknown = ArgValue(text, "unknown", via=name)
        if s is None or s.name is None or len(self.binder.by_name.get(s.name, [])) != 1:
            return unknown
        sites = self.binder.call_sites.get(s.name, [])
        index = s.param_order.index(name) if name in s.param_order else -1
        seen: list[ArgValue] = []
        for call in sites:
            arg = None
            for i, a in enumerate(call.args):
                if a.star:
                    return unknown
                by_name = a.keyword is not None and a.keyword.value == name
                if by_name or (a.keyword is None and i == index):
                    arg = a.value
            if arg is None:
                return unknown
            value = self._value(arg, None, depth=8)  # literals only: no scope at the call site
            if value.kind != "literal":
                return unknown
            seen.append(value)
        if not seen or any(v.value != seen[0].value for v in seen):
            return unknown
        return ArgValue(
            text,
            "literal",
            seen[0].value,
            via=f"{name} (every call of {s.name}() passes {seen[0].text})",
        )

    def _lookup(
        self, name: str, scope: _Scope | None
    ) -> tuple[_Scope, list[cst.BaseExpression]] | Literal["param"] | None:
        s = scope
        while s is not None:
            if name in s.params:
                return "param"
            if name in s.bindings:
                return s, s.bindings[name]
            s = s.parent
        return None

    def _guard(self, test: cst.BaseExpression) -> Guard | None:
        if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
            inner = self._guard(test.expression)
            return inner.negated() if inner else None
        if isinstance(test, cst.NamedExpr):
            return self._guard(test.value)
        var = self._env_read(test)
        if var is not None:
            return Guard(var, True, "truthy")
        if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
            comp = test.comparisons[0]
            op = comp.operator
            if isinstance(op, (cst.In, cst.NotIn)) and _ENVIRON in self._qnames(comp.comparator):
                key = _string(test.left)
                if key is not None:
                    return Guard(key, isinstance(op, cst.In), "present")
            if isinstance(op, (cst.IsNot, cst.Is)) and _is_none(comp.comparator):
                var = self._env_read(test.left)
                if var is not None:
                    return Guard(var, isinstance(op, cst.IsNot), "present")
        return None

    # -- the walk ----------------------------------------------------------------

    def run(self) -> SetupPy:
        for node in self.module.body:
            self._note_imports(node)
        self._walk(self.module.body, (), self.binder.module, True)
        return SetupPy(
            self.path,
            self.imports_scm,
            tuple(self.calls),
            tuple(self.setups),
            tuple(self.envs),
            tuple(self.notes),
        )

    def _note_imports(self, node: cst.CSTNode) -> None:
        class _Imports(cst.CSTVisitor):
            def __init__(self, outer: _Analyser) -> None:
                self.outer = outer

            def visit_Import(self, node: cst.Import) -> None:
                for alias in node.names:
                    if self.outer._code(alias.name).split(".")[0] == "setuptools_scm":
                        self.outer.imports_scm = True

            def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
                mod = self.outer._code(node.module) if node.module else ""
                if mod.split(".")[0] == "setuptools_scm":
                    self.outer.imports_scm = True
                    if isinstance(node.names, cst.ImportStar) and mod == "setuptools_scm":
                        self.outer.star_import = True

        node.visit(_Imports(self))

    def _walk(
        self,
        body: Sequence[cst.BaseStatement | cst.BaseSmallStatement],
        guards: tuple[Guard, ...],
        scope: _Scope,
        reachable: bool,
    ) -> bool:
        """Walk a block; returns False when the block always ends in return/raise."""
        extra: tuple[Guard, ...] = ()
        for stmt in body:
            g = guards + extra
            if isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    self._scan(small, g, scope, reachable)
                    if isinstance(small, (cst.Return, cst.Raise)):
                        reachable = False
            elif isinstance(stmt, cst.If):
                self._scan(stmt.test, g, scope, reachable)
                guard = self._guard(stmt.test)
                body_g = g + ((guard,) if guard else ())
                else_g = g + ((guard.negated(),) if guard else ())
                body_falls = self._walk(stmt.body.body, body_g, scope, reachable)
                else_falls = True
                if isinstance(stmt.orelse, cst.If):
                    else_falls = self._walk([stmt.orelse], else_g, scope, reachable)
                elif isinstance(stmt.orelse, cst.Else):
                    else_falls = self._walk(stmt.orelse.body.body, else_g, scope, reachable)
                if not body_falls and not else_falls:
                    reachable = False
                elif not body_falls and guard is not None:
                    extra += (guard.negated(),)
            elif isinstance(stmt, cst.FunctionDef):
                for dec in stmt.decorators:
                    self._scan(dec, g, scope, reachable)
                inner = self.binder.scopes.get(stmt, scope)
                self._walk(_block(stmt.body), (), inner, True)
            else:
                for header in _headers(stmt):
                    self._scan(header, g, scope, reachable)
                for sub in _bodies(stmt):
                    self._walk(sub, g, scope, reachable)
        return reachable

    def _scan(
        self, node: cst.CSTNode, guards: tuple[Guard, ...], scope: _Scope, reachable: bool
    ) -> None:
        outer = self

        class _Finder(cst.CSTVisitor):
            def visit_Call(self, node: cst.Call) -> None:
                outer._on_call(node, guards, scope, reachable)

            def visit_Assign(self, node: cst.Assign) -> None:
                outer._on_assign(node, guards, scope)

            def visit_Lambda(self, node: cst.Lambda) -> bool:
                return True

        node.visit(_Finder())

    def _on_call(
        self, node: cst.Call, guards: tuple[Guard, ...], scope: _Scope, reachable: bool
    ) -> None:
        line, col = self._where(node)
        func = node.func
        qn = self._qnames(func)
        if self._is_scm_get_version(func):
            positional: list[ArgValue] = []
            keywords: list[tuple[str, ArgValue]] = []
            star = False
            for arg in node.args:
                if arg.star:
                    star = True
                elif arg.keyword is not None:
                    keywords.append((arg.keyword.value, self._value(arg.value, scope)))
                else:
                    positional.append(self._value(arg.value, scope))
            self.calls.append(
                GetVersionCall(
                    line, col, self._code(func), scope.name, guards,
                    tuple(positional), tuple(keywords), star, reachable,
                )
            )  # fmt: skip
            return
        if any(q.startswith("setuptools_scm.") for q in qn) and reachable:
            self.notes.append(
                f"{self.path}:{line}:{col}: calls {self._code(func)}(...), "
                "which patchkit does not model"
            )
        if qn & _SETUP:
            kw = {a.keyword.value: a.value for a in node.args if a.keyword is not None}
            star_kwargs = any(a.star == "**" for a in node.args)
            self.setups.append(
                SetupCall(
                    line,
                    col,
                    self._value(kw["version"], scope) if "version" in kw else None,
                    self._value(kw["name"], scope) if "name" in kw else None,
                    self._value(kw["use_scm_version"], scope) if "use_scm_version" in kw else None,
                    star_kwargs,
                    guards,
                )
            )
            return
        # os.environ.setdefault / update, os.putenv
        if isinstance(func, cst.Attribute):
            target_q = self._qnames(func)
            kind = None
            if "os.environ.setdefault" in target_q:
                kind = "os.environ.setdefault"
            elif "os.putenv" in target_q:
                kind = "os.putenv"
            elif "os.environ.update" in target_q:
                kind = "os.environ.update"
            if kind in ("os.environ.setdefault", "os.putenv") and len(node.args) >= 2:
                name = self._value(node.args[0].value, scope)
                if name.kind == "literal" and isinstance(name.value, str):
                    self._env(
                        name.value,
                        kind,
                        self._value(node.args[1].value, scope),
                        node,
                        guards,
                        scope,
                    )
            elif kind == "os.environ.update":
                for arg in node.args:
                    if arg.keyword is not None:
                        self._env(
                            arg.keyword.value,
                            kind,
                            self._value(arg.value, scope),
                            node,
                            guards,
                            scope,
                        )
                    elif isinstance(arg.value, cst.Dict):
                        for el in arg.value.elements:
                            if isinstance(el, cst.DictElement):
                                key = _string(el.key)
                                if key is not None:
                                    self._env(
                                        key, kind, self._value(el.value, scope), node, guards, scope
                                    )

    def _on_assign(self, node: cst.Assign, guards: tuple[Guard, ...], scope: _Scope) -> None:
        for target in node.targets:
            t = target.target
            if not (
                isinstance(t, cst.Subscript)
                and _ENVIRON in self._qnames(t.value)
                and len(t.slice) == 1
                and isinstance(t.slice[0].slice, cst.Index)
            ):
                continue
            key = self._value(t.slice[0].slice.value, scope)
            if key.kind == "literal" and isinstance(key.value, str):
                value = self._value(node.value, scope)
                self._env(key.value, "os.environ[...] =", value, node, guards, scope)

    def _env(
        self,
        name: str,
        kind: str,
        value: ArgValue,
        node: cst.CSTNode,
        guards: tuple[Guard, ...],
        scope: _Scope,
    ) -> None:
        if parse_name(name) is None:
            return
        line, col = self._where(node)
        self.envs.append(EnvAssignment(line, col, name, kind, value, guards, scope.name))


def _string(node: cst.BaseExpression | None) -> str | None:
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        v = node.evaluated_value
        return v if isinstance(v, str) else None
    return None


def _is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def _block(body: cst.BaseSuite) -> Sequence[cst.BaseStatement | cst.BaseSmallStatement]:
    if isinstance(body, cst.IndentedBlock):
        return body.body
    if isinstance(body, cst.SimpleStatementSuite):
        return body.body
    return ()


def _headers(stmt: cst.CSTNode) -> list[cst.CSTNode]:
    """Expressions of a compound statement that run in the enclosing block."""
    if isinstance(stmt, (cst.For,)):
        return [stmt.iter]
    if isinstance(stmt, cst.While):
        return [stmt.test]
    if isinstance(stmt, cst.With):
        return list(stmt.items)
    if isinstance(stmt, cst.ClassDef):
        return [*stmt.decorators, *stmt.bases, *stmt.keywords]
    if isinstance(stmt, cst.Match):
        return [stmt.subject]
    return []


def _bodies(stmt: cst.CSTNode) -> list[Sequence[cst.BaseStatement | cst.BaseSmallStatement]]:
    out: list[Sequence[cst.BaseStatement | cst.BaseSmallStatement]] = []
    for attr in ("body", "orelse", "finalbody"):
        part = getattr(stmt, attr, None)
        if part is None:
            continue
        if isinstance(part, cst.BaseSuite):
            out.append(_block(part))
        elif isinstance(part, (cst.Else, cst.Finally)):
            out.append(_block(part.body))
    for handler in getattr(stmt, "handlers", ()):
        out.append(_block(handler.body))
    for case in getattr(stmt, "cases", ()):
        out.append(_block(case.body))
    return out
