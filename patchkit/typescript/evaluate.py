"""Evaluate a TypeScript expression statically: the part of the language manifests are written in.

Known: string, number, boolean, null and undefined literals; template
literals; object literals (shorthand, computed keys that evaluate to a
string, spreads) and arrays (spreads); names declared in the module or
imported from the repo's files; ``a.b``, ``a?.b``, ``a['b']``; ``||``,
``??``, ``&&``, ``===``/``!==``/``==``/``!=``, ``? :``, ``!``, string ``+``;
the type-only wrappers (``as``, ``satisfies``, ``!``, ``<T>x``, parentheses);
calls of arrow functions whose body is one expression (``const mutable =
(v) => v as Mutable<T>``); ``process.env.NAME``; and the StartOS SDK's
``setupManifest(...)`` / ``buildManifest(...)``, whose result is the
manifest object they are given, and ``VersionInfo.of({...})`` /
``VersionGraph.of({...})``, read as the options object they are given (and
``VersionInfo.of({...}).satisfies(range)`` as the same VersionInfo).

Everything else is ``Unknown`` with the reason and the place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from patchkit.typescript.syntax import node_text
from patchkit.typescript.values import (
    Arr,
    Bool,
    Func,
    Null,
    Num,
    Obj,
    Str,
    Undefined,
    Unknown,
    Value,
    truthy,
)

if TYPE_CHECKING:
    from patchkit.typescript.modules import Module, Program
    from patchkit.typescript.syntax import Node

__all__ = ["SDK_MANIFEST_CALLS", "SDK_OF_CLASSES", "Scope", "decode_string", "evaluate"]

#: SDK functions whose result is the manifest object passed to them (their last object argument).
SDK_MANIFEST_CALLS = frozenset(("setupManifest", "buildManifest"))
#: SDK classes whose ``X.of(options)`` keeps the options object: a package's versions
#: (``VersionInfo.of({ version, migrations })``) and its version graph
#: (``VersionGraph.of({ current, other })``), read as those objects.
SDK_OF_CLASSES = frozenset(("VersionInfo", "VersionGraph"))

_WRAPPERS = frozenset(
    ("parenthesized_expression", "as_expression", "satisfies_expression", "non_null_expression")
)
_MAX_DEPTH = 200


@dataclass(frozen=True, slots=True)
class Scope:
    program: Program
    module: Module
    local: dict[str, Value] = field(default_factory=dict)
    depth: int = 0


def decode_string(node: Node) -> str | None:
    """The value of a ``string`` node (every JavaScript escape), None when an escape is invalid."""
    from patchkit.manifest.ts_tokens import tokenize

    tokens = tokenize(node_text(node))
    return tokens[0].value if len(tokens) == 1 and tokens[0].kind == "string" else None


def _decode_escape(text: str) -> str | None:
    from patchkit.manifest.ts_tokens import tokenize

    tokens = tokenize('"' + text + '"')
    return tokens[0].value if len(tokens) == 1 else None


def evaluate(node: Node | None, scope: Scope) -> Value:
    """The value of expression ``node`` in ``scope``."""
    module = scope.module
    if node is None:
        return Undefined(module.origin(module.tree.root_node))
    origin = module.origin(node)
    if scope.depth > _MAX_DEPTH:
        return Unknown(origin, reason="expression nested too deeply")
    t = node.type
    handler = _HANDLERS.get(t)
    if handler is not None:
        return handler(node, scope)
    if t in _WRAPPERS:
        inner = node.named_children[0] if node.named_children else None
        return evaluate(inner, _deeper(scope))
    if t == "type_assertion":
        inner = node.named_children[-1] if node.named_children else None
        return evaluate(inner, _deeper(scope))
    if t == "number":
        try:
            return Num(origin, value=float(node_text(node).replace("_", "")))
        except ValueError:
            return Unknown(origin, reason=f"number {node_text(node)}")
    if t == "true" or t == "false":
        return Bool(origin, value=t == "true")
    if t == "null":
        return Null(origin)
    if t == "undefined":
        return Undefined(origin)
    if t == "ERROR":
        return Unknown(origin, reason="a syntax error")
    return Unknown(origin, reason=f"a {t.replace('_', ' ')} is not read statically")


def _deeper(scope: Scope) -> Scope:
    return Scope(scope.program, scope.module, scope.local, scope.depth + 1)


def _string(node: Node, scope: Scope) -> Value:
    origin = scope.module.origin(node)
    value = decode_string(node)
    if value is None:
        return Unknown(origin, reason="a string with an invalid escape")
    return Str(origin, value=value)


def _template(node: Node, scope: Scope) -> Value:
    origin = scope.module.origin(node)
    out: list[str] = []
    parts: list[Str] = []
    env: frozenset[str] = frozenset()
    for child in node.children:
        if child.type == "string_fragment":
            out.append(node_text(child))
        elif child.type == "escape_sequence":
            decoded = _decode_escape(node_text(child))
            if decoded is None:
                return Unknown(origin, reason="a template with an invalid escape")
            out.append(decoded)
        elif child.type == "template_substitution":
            expr = child.named_children[0] if child.named_children else None
            value = evaluate(expr, _deeper(scope))
            env |= value.env
            text = _as_text(value)
            if text is None:
                reason = value.reason if isinstance(value, Unknown) else "not a string"
                sub = node_text(expr) if expr is not None else ""
                return Unknown(origin, reason=f"${{{sub}}}: {reason}", env=env)
            if isinstance(value, Str):
                parts.append(value)
            out.append(text)
    return Str(origin, value="".join(out), parts=tuple(parts), env=env)


def _as_text(value: Value) -> str | None:
    """JavaScript's String(value) for the values whose text is certain."""
    if isinstance(value, Str):
        return value.value
    if isinstance(value, Num):
        return str(int(value.value)) if value.value.is_integer() else repr(value.value)
    if isinstance(value, Bool):
        return "true" if value.value else "false"
    if isinstance(value, Null):
        return "null"
    if isinstance(value, Undefined):
        return "undefined"
    return None


def _identifier(node: Node, scope: Scope) -> Value:
    name = node_text(node)
    origin = scope.module.origin(node)
    if name in scope.local:
        return scope.local[name]
    if name == "undefined":
        return Undefined(origin)
    return scope.program.lookup(scope.module, name, origin)


def _key(node: Node, scope: Scope) -> str | Value:
    """A property key's text, or the Unknown that stopped it."""
    if node.type in ("property_identifier", "identifier"):
        return node_text(node)
    if node.type == "string":
        decoded = decode_string(node)
        return decoded if decoded is not None else Unknown(scope.module.origin(node), reason="key")
    if node.type == "number":
        return node_text(node)
    if node.type == "computed_property_name":
        computed = evaluate(node.named_children[0] if node.named_children else None, _deeper(scope))
        text = _as_text(computed)
        if text is None:
            return computed if isinstance(computed, Unknown) else Unknown(computed.origin, reason="key")
        return text
    return Unknown(scope.module.origin(node), reason=f"a {node.type} key")


def _object(node: Node, scope: Scope) -> Value:
    origin = scope.module.origin(node)
    props: dict[str, Value] = {}
    partial: list[str] = []
    for child in node.named_children:
        if child.type == "pair":
            key_node = child.child_by_field_name("key")
            key = _key(key_node, scope) if key_node is not None else None
            if not isinstance(key, str):
                partial.append(key.reason if isinstance(key, Unknown) else "a computed key")
                continue
            props[key] = evaluate(child.child_by_field_name("value"), _deeper(scope))
        elif child.type == "shorthand_property_identifier":
            props[node_text(child)] = _identifier(child, scope)
        elif child.type == "spread_element":
            spread = evaluate(
                child.named_children[0] if child.named_children else None, _deeper(scope)
            )
            if isinstance(spread, Obj):
                props.update(spread.props)
                partial.extend(spread.partial)
            elif not isinstance(spread, (Null, Undefined)):
                partial.append(
                    f"...{node_text(child)[3:]}: "
                    + (spread.reason if isinstance(spread, Unknown) else "not an object")
                )
        elif child.type == "method_definition":
            name = child.child_by_field_name("name")
            if name is not None:
                props[node_text(name)] = Unknown(scope.module.origin(child), reason="a method")
    return Obj(origin, props=props, partial=tuple(partial))


def _array(node: Node, scope: Scope) -> Value:
    origin = scope.module.origin(node)
    items: list[Value] = []
    for child in node.named_children:
        if child.type == "spread_element":
            spread = evaluate(
                child.named_children[0] if child.named_children else None, _deeper(scope)
            )
            if isinstance(spread, Arr):
                items.extend(spread.items)
            else:
                return Unknown(origin, reason=f"a spread of {node_text(child)[3:]}")
        else:
            items.append(evaluate(child, _deeper(scope)))
    return Arr(origin, items=tuple(items))


def _property(obj: Value, key: str, origin_node: Node, scope: Scope, env: frozenset[str]) -> Value:
    origin = scope.module.origin(origin_node)
    env = env | obj.env
    if isinstance(obj, Obj):
        got = obj.props.get(key)
        if got is not None:
            return _with_env(got, env)
        if obj.partial:
            return Unknown(origin, reason=f"{key} may come from {obj.partial[0]}", env=env)
        return Undefined(origin, env=env)
    if isinstance(obj, Arr):
        if key == "length":
            return Num(origin, value=float(len(obj.items)), env=env)
        if key.isdigit():
            index = int(key)
            return _with_env(obj.items[index], env) if index < len(obj.items) else Undefined(origin)
        return Unknown(origin, reason=f"array property {key}", env=env)
    if isinstance(obj, Str) and key == "length":
        return Num(origin, value=float(len(obj.value)), env=env)
    if isinstance(obj, Unknown):
        return Unknown(origin, reason=obj.reason, env=env)
    return Unknown(origin, reason=f"property {key} of a {type(obj).__name__.lower()}", env=env)


def _with_env(value: Value, env: frozenset[str]) -> Value:
    if not env or env <= value.env:
        return value
    from dataclasses import replace

    return replace(value, env=value.env | env)


def _is_process_env(node: Node | None) -> bool:
    return (
        node is not None
        and node.type == "member_expression"
        and node.child_by_field_name("object") is not None
        and node.child_by_field_name("object").text == b"process"  # type: ignore[union-attr]
        and (node.child_by_field_name("property") or node).text == b"env"
    )


def _env_value(name: str, node: Node, scope: Scope) -> Value:
    origin = scope.module.origin(node)
    env = frozenset((name,))
    scope.program.note_env(env, [])
    value = scope.program.env.get(name)
    return Undefined(origin, env=env) if value is None else Str(origin, value=value, env=env)


def _member(node: Node, scope: Scope) -> Value:
    obj_node = node.child_by_field_name("object")
    prop = node.child_by_field_name("property")
    if prop is None:
        return Unknown(scope.module.origin(node), reason="a member expression")
    if _is_process_env(obj_node):
        return _env_value(node_text(prop), node, scope)
    obj = evaluate(obj_node, _deeper(scope))
    optional = node.child_by_field_name("optional_chain") is not None
    if optional and isinstance(obj, (Null, Undefined)):
        return Undefined(scope.module.origin(node), env=obj.env)
    return _property(obj, node_text(prop), node, scope, frozenset())


def _subscript(node: Node, scope: Scope) -> Value:
    obj_node = node.child_by_field_name("object")
    index_node = node.child_by_field_name("index")
    index = evaluate(index_node, _deeper(scope))
    if _is_process_env(obj_node) and isinstance(index, Str):
        return _env_value(index.value, node, scope)
    obj = evaluate(obj_node, _deeper(scope))
    if index.env and isinstance(obj, Obj):
        # a variant map: every key is a value the selector may take
        scope.program.note_env(index.env, list(obj.props))
    key = _as_text(index)
    if key is None:
        reason = index.reason if isinstance(index, Unknown) else "not a key"
        return Unknown(scope.module.origin(node), reason=reason, env=index.env | obj.env)
    return _property(obj, key, node, scope, index.env)


def _binary(node: Node, scope: Scope) -> Value:
    op_node = node.child_by_field_name("operator")
    op = op_node.type if op_node is not None else ""
    origin = scope.module.origin(node)
    left = evaluate(node.child_by_field_name("left"), _deeper(scope))
    if op in ("||", "&&", "??"):
        if op == "??":
            decided: bool | None = (
                None if isinstance(left, Unknown) else not isinstance(left, (Null, Undefined))
            )
        else:
            t = truthy(left)
            decided = None if t is None else (t if op == "||" else not t)
        if decided is None:
            return Unknown(
                origin, reason=left.reason if isinstance(left, Unknown) else op, env=left.env
            )
        if decided:
            return left
        right = evaluate(node.child_by_field_name("right"), _deeper(scope))
        if op != "&&" and isinstance(left, Undefined) and isinstance(right, Str) and not right.env:
            # `process.env.VARIANT || 'cpu'`: the value the program takes with VARIANT unset
            for name in left.env:
                scope.program.env_defaults.setdefault(name, right.value)
        return _with_env(right, left.env)
    right = evaluate(node.child_by_field_name("right"), _deeper(scope))
    env = left.env | right.env
    if op in ("===", "!==", "==", "!="):
        for a, b in ((left, right), (right, left)):
            if a.env and isinstance(b, Str) and not b.env:
                scope.program.note_env(a.env, [b.value])
        if isinstance(left, Unknown) or isinstance(right, Unknown):
            return Unknown(origin, reason="a comparison with an unknown value", env=env)
        if not all(isinstance(v, (Str, Num, Bool, Null, Undefined)) for v in (left, right)):
            return Unknown(origin, reason="a comparison of objects", env=env)
        same = _same(left, right, loose=op in ("==", "!="))
        return Bool(origin, value=same if op in ("===", "==") else not same, env=env)
    if op == "+":
        if isinstance(left, Num) and isinstance(right, Num):
            return Num(origin, value=left.value + right.value, env=env)
        ltext, rtext = _as_text(left), _as_text(right)
        if (isinstance(left, Str) or isinstance(right, Str)) and ltext is not None and rtext is not None:
            parts = tuple(v for v in (left, right) if isinstance(v, Str))
            return Str(origin, value=ltext + rtext, parts=parts, env=env)
    return Unknown(origin, reason=f"the operator {op}", env=env)


def _same(a: Value, b: Value, loose: bool) -> bool:
    if loose and isinstance(a, (Null, Undefined)) and isinstance(b, (Null, Undefined)):
        return True
    if type(a) is not type(b):
        return False
    return getattr(a, "value", None) == getattr(b, "value", None)


def _ternary(node: Node, scope: Scope) -> Value:
    condition = evaluate(node.child_by_field_name("condition"), _deeper(scope))
    if condition.env and not isinstance(condition, Bool):
        # `ROCM ? a : b` on process.env.ROCM: set (any non-empty value) is the other branch
        scope.program.note_env(condition.env, ["1"])
    t = truthy(condition)
    if t is None:
        reason = condition.reason if isinstance(condition, Unknown) else "condition"
        return Unknown(scope.module.origin(node), reason=reason, env=condition.env)
    branch = node.child_by_field_name("consequence" if t else "alternative")
    return _with_env(evaluate(branch, _deeper(scope)), condition.env)


def _unary(node: Node, scope: Scope) -> Value:
    op_node = node.child_by_field_name("operator")
    op = op_node.type if op_node is not None else ""
    arg = evaluate(node.child_by_field_name("argument"), _deeper(scope))
    origin = scope.module.origin(node)
    if op == "!":
        t = truthy(arg)
        return (
            Unknown(origin, reason="!", env=arg.env)
            if t is None
            else Bool(origin, value=not t, env=arg.env)
        )
    if op == "-" and isinstance(arg, Num):
        return Num(origin, value=-arg.value, env=arg.env)
    return Unknown(origin, reason=f"the operator {op}", env=arg.env)


def _arrow(node: Node, scope: Scope) -> Value:
    origin = scope.module.origin(node)
    body = node.child_by_field_name("body")
    params: list[str] = []
    single = node.child_by_field_name("parameter")
    if single is not None:
        params.append(node_text(single))
    formal = node.child_by_field_name("parameters")
    for p in formal.named_children if formal is not None else ():
        pattern = (
            p.child_by_field_name("pattern")
            if p.type in ("required_parameter", "optional_parameter")
            else None
        )
        if pattern is None or pattern.type != "identifier":
            return Unknown(origin, reason="a function with a parameter pattern")
        params.append(node_text(pattern))
    if body is None or body.type == "statement_block":
        return Unknown(origin, reason="a function with a statement body")
    return Func(origin, params=tuple(params), body=body, module=scope.module)


def _call(node: Node, scope: Scope) -> Value:
    origin = scope.module.origin(node)
    callee = node.child_by_field_name("function")
    args_node = node.child_by_field_name("arguments")
    arg_nodes = [
        a
        for a in (args_node.named_children if args_node is not None else ())
        if a.type != "comment"
    ]
    name = _sdk_call_name(callee, scope)
    if name in SDK_OF_CLASSES:
        value = evaluate(arg_nodes[0], _deeper(scope)) if arg_nodes else Undefined(origin)
        if name == "VersionGraph" and not isinstance(value, Obj) and arg_nodes:
            # the older form VersionGraph.of(current, ...others)
            others = tuple(evaluate(a, _deeper(scope)) for a in arg_nodes[1:])
            return Obj(origin, props={"current": value, "other": Arr(origin, items=others)})
        if isinstance(value, (Obj, Unknown)):
            return value
        return Unknown(origin, reason=f"{name}.of() of a {type(value).__name__.lower()}")
    if name in SDK_MANIFEST_CALLS:
        for arg in reversed(arg_nodes):
            value = evaluate(arg, _deeper(scope))
            if isinstance(value, Obj):
                return value
        return Unknown(origin, reason=f"{name}() without an object argument")
    if callee is not None and callee.type == "member_expression":
        prop = callee.child_by_field_name("property")
        if prop is not None and node_text(prop) == "satisfies":
            # VersionInfo.of({...}).satisfies(range): the same version, claiming more ranges
            info = evaluate(callee.child_by_field_name("object"), _deeper(scope))
            if isinstance(info, Obj) and "version" in info.props:
                claimed = tuple(evaluate(a, _deeper(scope)) for a in arg_nodes)
                props = {**info.props, "satisfies": Arr(origin, items=claimed)}
                return Obj(info.origin, props=props, partial=info.partial)
    if (
        callee is not None
        and callee.type == "identifier"
        and callee.text == b"String"
        and len(arg_nodes) == 1
    ):
        if "String" not in scope.module.bindings:  # the global String(), not a shadowing one
            value = evaluate(arg_nodes[0], _deeper(scope))
            text = _as_text(value)
            if text is not None:
                return Str(
                    origin,
                    value=text,
                    parts=(value,) if isinstance(value, Str) else (),
                    env=value.env,
                )
            return (
                value
                if isinstance(value, Unknown)
                else Unknown(origin, reason="String() of an object")
            )
    func = evaluate(callee, _deeper(scope))
    if isinstance(func, Func):
        args = [evaluate(a, _deeper(scope)) for a in arg_nodes]
        local = {
            p: (args[i] if i < len(args) else Undefined(origin)) for i, p in enumerate(func.params)
        }
        module: Module = func.module  # type: ignore[assignment]
        return evaluate(func.body, Scope(scope.program, module, local, scope.depth + 1))  # type: ignore[arg-type]
    text = node_text(callee) if callee is not None else "?"
    reason = func.reason if isinstance(func, Unknown) else "not a function"
    return Unknown(origin, reason=f"a call of {text} ({reason})")


def _sdk_call_name(callee: Node | None, scope: Scope) -> str | None:
    """``setupManifest`` when the callee is that SDK function (imported, or ``sdk.setupManifest``)."""
    if callee is None:
        return None
    if callee.type == "identifier":
        name = node_text(callee)
        binding = scope.module.bindings.get(name)
        if (
            binding is not None
            and binding.kind == "import"
            and binding.spec
            and "start9labs" in binding.spec
        ):
            return binding.name
        return None
    if callee.type == "member_expression":
        prop = callee.child_by_field_name("property")
        obj = callee.child_by_field_name("object")
        if prop is not None and node_text(prop) in SDK_MANIFEST_CALLS:
            return node_text(prop)
        if (
            prop is not None
            and node_text(prop) == "of"
            and obj is not None
            and obj.type == "identifier"
            and node_text(obj) in SDK_OF_CLASSES
        ):
            binding = scope.module.bindings.get(node_text(obj))
            if binding is None or binding.kind == "import":
                return node_text(obj)
    return None


_HANDLERS = {
    "string": _string,
    "template_string": _template,
    "identifier": _identifier,
    "object": _object,
    "array": _array,
    "member_expression": _member,
    "subscript_expression": _subscript,
    "binary_expression": _binary,
    "ternary_expression": _ternary,
    "unary_expression": _unary,
    "arrow_function": _arrow,
    "call_expression": _call,
}
