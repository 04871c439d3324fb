"""TypeScript syntax trees from tree-sitter (tree-sitter-typescript), loaded on first use.

Why tree-sitter: the StartOS manifest is a program (constants, imports,
template literals, spreads, variant maps chosen by ``process.env``), and a
real grammar reads all of it the way TypeScript does; the measurements that
led to it are in docs/build-model.md. The parser is a compiled extension,
imported only by the commands that read TypeScript, so ``patchkit --help``
does not pay for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tree_sitter import Node, Parser

__all__ = ["Node", "descendants", "first_error", "member_call", "node_text", "parse_typescript"]


@cache
def _parser() -> Parser:
    import tree_sitter_typescript
    from tree_sitter import Language, Parser

    return Parser(Language(tree_sitter_typescript.language_typescript()))


def parse_typescript(source: bytes) -> Any:
    """The tree-sitter tree of ``source`` (UTF-8). Never raises on bad syntax: see ``first_error``."""
    return _parser().parse(source)


def node_text(node: Node) -> str:
    return (node.text or b"").decode("utf-8", "replace")


def first_error(node: Node) -> Node | None:
    """The first ERROR or MISSING node under ``node`` (document order), if any."""
    if not node.has_error:
        return None
    stack = [node]
    while stack:
        n = stack.pop()
        if n.is_error or n.is_missing:
            return n
        stack.extend(reversed([c for c in n.children if c.has_error or c.is_missing]))
    return None


def descendants(node: Node, *types: str) -> Iterator[Node]:
    """``node`` and every node under it (a depth-first walk, last child first; callers that
    need source order sort by ``start_byte``), only those of ``types`` when given."""
    stack = [node]
    while stack:
        n = stack.pop()
        stack.extend(n.children)
        if not types or n.type in types:
            yield n


def member_call(node: Node) -> tuple[Node, bytes] | None:
    """``(object, property name)`` of a call ``object.property(...)``; None for anything else."""
    if node.type != "call_expression":
        return None
    callee = node.child_by_field_name("function")
    if callee is None or callee.type != "member_expression":
        return None
    obj, prop = callee.child_by_field_name("object"), callee.child_by_field_name("property")
    if obj is None or prop is None:
        return None
    return obj, prop.text or b""
