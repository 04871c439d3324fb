"""ExVer version ranges (the SDK's ``VersionRange``): values, printing, satisfaction.

Parsing lives in ``exver.py``. A range is a tree of atoms; ``str()`` prints it
exactly as the SDK's ``toString()`` does (operators fold left to right, so
``a || b && c`` prints as ``(a || b) && c``), and ``satisfied_by`` follows the
SDK's ``satisfies`` with StartOS's (correct) ordering:

- ``^v``: ``>= v`` and below ``v`` with its first non-zero upstream number
  bumped and the rest zeroed (downstream ``0``); ``~v`` bumps the number after
  that one. When there is none to bump the range matches nothing (``~1:0``).
- A version of another flavor fails every comparison except ``!=``.
- ``#flavor`` matches every version of that flavor; a bare ``#`` matches nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from patchkit.versions._exver_model import ExVer, ExVerPart
from patchkit.versions._jsnumber import js_add_one

__all__ = [
    "OPERATORS",
    "AllOf",
    "Anchor",
    "AnyOf",
    "AnyVersion",
    "FlavorIs",
    "NoVersion",
    "Not",
    "VersionRange",
]

#: A comparison of two versions: -1, 0, 1, or None for different flavors.
Compare = Callable[[ExVer, ExVer], "int | None"]

#: Comparison operators of an anchor, in the order the grammar tries them.
OPERATORS = (">=", "<=", ">", "<", "=", "!=", "^", "~")


class VersionRange:
    """Base of every range node. ``VersionRange.parse(text)`` parses one."""

    __slots__ = ()

    @classmethod
    def parse(cls, text: str) -> VersionRange:
        """Parse a range (the SDK's ``VersionRange.parse``); raises ``VersionSyntaxError``."""
        from patchkit.versions.exver import parse_range

        return parse_range(text)

    def satisfied_by(self, version: ExVer) -> bool:
        """Whether ``version`` lies in this range, under StartOS's ordering."""
        return self._satisfied(version, ExVer.compare)

    def _satisfied(self, version: ExVer, cmp: Compare) -> bool:
        """Satisfaction under a given comparison (``sdk.py`` passes the SDK's buggy one).

        Iterative, because ``a && b && c ...`` is a left-deep tree as long as the text.
        """
        values: list[bool] = []
        stack: list[tuple[VersionRange, bool]] = [(self, False)]
        while stack:
            node, expanded = stack.pop()
            if isinstance(node, (AllOf, AnyOf)):
                if expanded:
                    right, left = values.pop(), values.pop()
                    values.append(left and right if isinstance(node, AllOf) else left or right)
                else:
                    stack += [(node, True), (node.right, False), (node.left, False)]
            elif isinstance(node, Not):
                if expanded:
                    values.append(not values.pop())
                else:
                    stack += [(node, True), (node.value, False)]
            else:
                values.append(node._leaf_satisfied(version, cmp))
        return values[0]

    def _leaf_satisfied(self, version: ExVer, cmp: Compare) -> bool:
        raise NotImplementedError

    def _pieces(self) -> list[str | tuple[VersionRange, str]]:
        """What ``toString`` prints: text, and children with the kind of their parent."""
        raise NotImplementedError

    def _needs_parens(self, parent: str) -> bool:
        """``toStringParens``: the SDK's rule for when a child needs parentheses."""
        return False

    def __str__(self) -> str:
        out: list[str] = []
        stack: list[str | tuple[VersionRange, str]] = [(self, "")]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                out.append(item)
                continue
            node, parent = item
            pieces = node._pieces()
            if parent and node._needs_parens(parent):
                pieces = ["(", *pieces, ")"]
            stack.extend(reversed(pieces))
        return "".join(out)


@dataclass(frozen=True, slots=True)
class Anchor(VersionRange):
    """``>=1.0:0``; an anchor written without an operator means ``^``."""

    operator: str
    version: ExVer

    def _pieces(self) -> list[str | tuple[VersionRange, str]]:
        return [f"{self.operator}{self.version}"]

    def _needs_parens(self, parent: str) -> bool:
        return parent == "Not"

    def _leaf_satisfied(self, version: ExVer, compare: Compare) -> bool:
        cmp = compare(version, self.version)
        op = self.operator
        if op == "!=":
            return cmp != 0
        if op == "=":
            return cmp == 0
        if op == ">":
            return cmp == 1
        if op == "<":
            return cmp == -1
        if op == ">=":
            return cmp in (0, 1)
        if op == "<=":
            return cmp in (-1, 0)
        bound = _bump(self.version, minor=op == "~")
        return cmp in (0, 1) and compare(version, bound) == -1


def _bump(version: ExVer, *, minor: bool) -> ExVer:
    """The SDK's ``incrementMajor`` / ``incrementMinor`` (exclusive upper bound of ^ / ~)."""
    numbers = version.upstream.numbers
    first = next((i for i, n in enumerate(numbers) if n != 0), -1)
    target = first + 1 if (minor and first != -1) else first
    bumped = tuple(
        0 if i > target else (js_add_one(n) if i == target else n) for i, n in enumerate(numbers)
    )
    return ExVer(version.flavor, ExVerPart(bumped), ExVerPart((0,)))


@dataclass(frozen=True, slots=True)
class AllOf(VersionRange):
    """``left && right`` (also two atoms written side by side)."""

    left: VersionRange
    right: VersionRange

    def _pieces(self) -> list[str | tuple[VersionRange, str]]:
        return [(self.left, "And"), " && ", (self.right, "And")]

    def _needs_parens(self, parent: str) -> bool:
        return parent != "And"


@dataclass(frozen=True, slots=True)
class AnyOf(VersionRange):
    """``left || right``."""

    left: VersionRange
    right: VersionRange

    def _pieces(self) -> list[str | tuple[VersionRange, str]]:
        return [(self.left, "Or"), " || ", (self.right, "Or")]

    def _needs_parens(self, parent: str) -> bool:
        return parent != "Or"


@dataclass(frozen=True, slots=True)
class Not(VersionRange):
    """``!atom``."""

    value: VersionRange

    def _pieces(self) -> list[str | tuple[VersionRange, str]]:
        return ["!", (self.value, "Not")]


@dataclass(frozen=True, slots=True)
class FlavorIs(VersionRange):
    """``#knots``: every version of that flavor. ``#`` (empty) matches nothing."""

    flavor: str

    def _pieces(self) -> list[str | tuple[VersionRange, str]]:
        return [f"#{self.flavor}"]

    def _leaf_satisfied(self, version: ExVer, cmp: Compare) -> bool:
        # The SDK compares with == against a null flavor, so "" never matches.
        return self.flavor != "" and self.flavor == version.flavor


@dataclass(frozen=True, slots=True)
class AnyVersion(VersionRange):
    """``*``."""

    def _pieces(self) -> list[str | tuple[VersionRange, str]]:
        return ["*"]

    def _needs_parens(self, parent: str) -> bool:
        return parent == "Not"

    def _leaf_satisfied(self, version: ExVer, cmp: Compare) -> bool:
        return True


@dataclass(frozen=True, slots=True)
class NoVersion(VersionRange):
    """``!`` on its own: matches nothing."""

    def _pieces(self) -> list[str | tuple[VersionRange, str]]:
        return ["!"]

    def _needs_parens(self, parent: str) -> bool:
        return parent == "Not"

    def _leaf_satisfied(self, version: ExVer, cmp: Compare) -> bool:
        return False
