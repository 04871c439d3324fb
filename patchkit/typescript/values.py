"""What the static reader knows about a TypeScript expression: a value and where it came from.

Each value carries its ``Origin`` (file, 1-based line and column of the
expression that produced it) and the environment variables it depends on
(``env``: ``process.env.VARIANT || 'cpu'`` is the string ``'cpu'`` that
depends on ``VARIANT``). What cannot be known without running the program is
an ``Unknown`` with the reason, never a guess.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

__all__ = [
    "Arr",
    "Bool",
    "Func",
    "Null",
    "Num",
    "Obj",
    "Origin",
    "Str",
    "Undefined",
    "Unknown",
    "Value",
    "truthy",
]


@dataclass(frozen=True, slots=True)
class Origin:
    """A place in a file: repo-relative ``path``, 1-based ``line`` and ``col`` (characters)."""

    path: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True, slots=True)
class Value:
    origin: Origin
    env: frozenset[str] = field(default=frozenset(), kw_only=True)


@dataclass(frozen=True, slots=True)
class Str(Value):
    """A string. ``parts``: the strings a template literal was built from (their own origins)."""

    value: str
    parts: tuple[Str, ...] = field(default=(), kw_only=True)


@dataclass(frozen=True, slots=True)
class Num(Value):
    value: float


@dataclass(frozen=True, slots=True)
class Bool(Value):
    value: bool


@dataclass(frozen=True, slots=True)
class Null(Value):
    pass


@dataclass(frozen=True, slots=True)
class Undefined(Value):
    pass


@dataclass(frozen=True, slots=True)
class Obj(Value):
    """An object literal's properties, in source order (later keys win, as in JavaScript)."""

    props: Mapping[str, Value]
    # why some keys may be missing from ``props`` (a spread of an unknown value...)
    partial: tuple[str, ...] = field(default=(), kw_only=True)

    def get(self, key: str) -> Value | None:
        return self.props.get(key)


@dataclass(frozen=True, slots=True)
class Arr(Value):
    items: tuple[Value, ...]

    def __iter__(self) -> Iterator[Value]:
        return iter(self.items)


@dataclass(frozen=True, slots=True)
class Func(Value):
    """An arrow function whose body is one expression: parameter names and the body node."""

    params: tuple[str, ...]
    body: object  # a tree-sitter node
    module: object  # the Module it was written in


@dataclass(frozen=True, slots=True)
class Unknown(Value):
    """A value the reader cannot tell without running the program; ``reason`` says why."""

    reason: str


def truthy(value: Value) -> bool | None:
    """JavaScript truthiness, or None when the value is not known."""
    if isinstance(value, Unknown):
        return None
    if isinstance(value, (Null, Undefined)):
        return False
    if isinstance(value, Str):
        return value.value != ""
    if isinstance(value, Num):
        return value.value != 0
    if isinstance(value, Bool):
        return value.value
    return True
