"""Reading TypeScript without running it: the one TypeScript reader of patchkit.

``Sources(root)`` parses a repo's modules on demand (tree-sitter);
``Program(sources, env)`` evaluates their exported constants under one
``process.env``; the values (``values.py``) say where each came from. The
build model (StartOS manifests) reads through it.
"""

from patchkit.typescript.modules import Program, Sources
from patchkit.typescript.values import (
    Arr,
    Bool,
    Func,
    Null,
    Num,
    Obj,
    Origin,
    Str,
    Undefined,
    Unknown,
    Value,
    truthy,
)

__all__ = [
    "Arr",
    "Bool",
    "Func",
    "Null",
    "Num",
    "Obj",
    "Origin",
    "Program",
    "Sources",
    "Str",
    "Undefined",
    "Unknown",
    "Value",
    "truthy",
]
