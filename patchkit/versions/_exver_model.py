"""ExVer value objects: ``ExVerPart`` (one version), ``ExVer`` (flavor, upstream, downstream).

Parsing lives in ``exver.py`` (the one grammar); this module only holds values
and their ordering. Values compare through one cached key tuple (like
``packaging.version.Version``), so hashing and all six comparisons agree.

Ordering follows StartOS (the Rust ``exver`` crate) and the SDK wherever the
SDK is right:

- numbers compare component by component, a missing component counts as 0
  (``1:0 == 1.0.0:0``); leading zeros are gone after parsing;
- a release ranks above any pre-release of the same numbers;
- pre-release identifiers compare pairwise: numbers numerically, words by
  code unit (``RC < alpha < beta < dev < rc``), **a number below a word**,
  and a list that is a prefix of another is smaller (``rc.1 < rc.1.dev.5``);
- the upstream version decides first, then the downstream revision.

The SDK 2.0.9 mis-orders some mixed number/word pre-releases (research
``exver.md`` §5); ``patchkit.versions.sdk_compare`` reproduces that bug and
``sdk_ordering_hazards`` finds the pairs it affects. Numbers are held as the
SDK holds them (JavaScript doubles: exact below 2**53, rounded above, see
``_jsnumber.py``), so two strings the SDK reads as equal compare equal here.

Versions of different flavors are incomparable in StartOS: ``compare()``
returns ``None`` for them. The Python operators still give a total order (the
flavor first, unflavored before any flavor, then alphabetical) so that
``sorted()`` works; that is the order the SDK's ``compareLexicographic`` means
to give.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from patchkit.versions._jsnumber import js_number_text

__all__ = ["ExVer", "ExVerPart", "Identifier"]

#: A pre-release identifier: a number (as the SDK reads it) or a word of ASCII letters.
Identifier = int | float | str

_WORD = re.compile(r"[a-zA-Z]+\Z")
_FLAVOR = re.compile(r"[a-z]*\Z")

# Key of one identifier: numbers sort before words (Rust's derived Ord on its enum).
_IdKey = tuple[int, int | float | str]
_PartKey = tuple[tuple[int | float, ...], int, tuple[_IdKey, ...]]


def _part_key(numbers: tuple[int | float, ...], prerelease: tuple[Identifier, ...]) -> _PartKey:
    trimmed = list(numbers)
    while trimmed and trimmed[-1] == 0:  # a missing component counts as 0
        trimmed.pop()
    ids = tuple((1, i) if isinstance(i, str) else (0, i) for i in prerelease)
    return (tuple(trimmed), 0 if prerelease else 1, ids)


@dataclass(frozen=True, slots=True, eq=False)
class ExVerPart:
    """One version: dot-separated numbers and optional pre-release identifiers.

    This is what the SDK calls a ``Version``: the upstream part and the
    downstream part of an ``ExVer`` are each one. ``str()`` prints it the way
    the SDK's ``toString()`` does.

    >>> str(ExVerPart.parse("0.21.1-rc.0"))
    '0.21.1-rc.0'
    >>> ExVerPart.parse("1.0") == ExVerPart.parse("1")
    True
    """

    numbers: tuple[int | float, ...]
    prerelease: tuple[Identifier, ...] = ()
    _key: _PartKey = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not self.numbers:
            raise ValueError("a version needs at least one number")
        for n in self.numbers + tuple(i for i in self.prerelease if not isinstance(i, str)):
            if isinstance(n, bool) or n < 0:
                raise ValueError(f"version numbers are non-negative, got {n!r}")
        for i in self.prerelease:
            if isinstance(i, str) and not _WORD.match(i):
                raise ValueError(f"a pre-release word is ASCII letters only, got {i!r}")
        object.__setattr__(self, "_key", _part_key(self.numbers, self.prerelease))

    @classmethod
    def parse(cls, text: str) -> ExVerPart:
        """Parse one version (the SDK's ``Version.parse``); raises ``VersionSyntaxError``."""
        from patchkit.versions.exver import parse_version_part

        return parse_version_part(text)

    @property
    def is_prerelease(self) -> bool:
        return bool(self.prerelease)

    def __str__(self) -> str:
        out = ".".join(js_number_text(n) for n in self.numbers)
        if self.prerelease:
            out += "-" + ".".join(
                i if isinstance(i, str) else js_number_text(i) for i in self.prerelease
            )
        return out

    def __repr__(self) -> str:
        return f"<ExVerPart({str(self)!r})>"

    def __hash__(self) -> int:
        return hash(self._key)

    def __eq__(self, other: object) -> bool:
        return self._key == other._key if isinstance(other, ExVerPart) else NotImplemented

    def __lt__(self, other: ExVerPart) -> bool:
        return self._key < other._key if isinstance(other, ExVerPart) else NotImplemented

    def __le__(self, other: ExVerPart) -> bool:
        return self._key <= other._key if isinstance(other, ExVerPart) else NotImplemented

    def __gt__(self, other: ExVerPart) -> bool:
        return self._key > other._key if isinstance(other, ExVerPart) else NotImplemented

    def __ge__(self, other: ExVerPart) -> bool:
        return self._key >= other._key if isinstance(other, ExVerPart) else NotImplemented


_ExVerKey = tuple[str, _PartKey, _PartKey]


@dataclass(frozen=True, slots=True, eq=False)
class ExVer:
    """A StartOS extended version: ``[#flavor:]upstream:downstream``.

    ``flavor`` is ``None`` for an unflavored version (an empty flavor, ``#:``,
    is read as none, as the SDK does). ``str()`` is the SDK's ``toString()``.

    >>> v = ExVer.parse("#knots:26.1.20240325:0")
    >>> v.flavor, str(v.upstream), str(v.downstream)
    ('knots', '26.1.20240325', '0')
    >>> ExVer.parse("0.21.1-rc.0:0") < ExVer.parse("0.21.1:0")
    True
    """

    flavor: str | None
    upstream: ExVerPart
    downstream: ExVerPart
    _key: _ExVerKey = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.flavor is not None and not _FLAVOR.match(self.flavor):
            raise ValueError(f"a flavor is lowercase ASCII letters only, got {self.flavor!r}")
        if self.flavor == "":
            object.__setattr__(self, "flavor", None)
        object.__setattr__(
            self, "_key", (self.flavor or "", self.upstream._key, self.downstream._key)
        )

    @classmethod
    def parse(cls, text: str) -> ExVer:
        """Parse an extended version (the SDK's ``ExtendedVersion.parse``).

        Raises ``VersionSyntaxError`` naming the first bad character, what the
        grammar expected there, the SDK's own message and a suggested fix.
        """
        from patchkit.versions.exver import parse_exver

        return parse_exver(text)

    def compare(self, other: ExVer) -> int | None:
        """-1, 0 or 1 as StartOS orders the two; ``None`` when the flavors differ."""
        if self.flavor != other.flavor:
            return None
        return (self._key > other._key) - (self._key < other._key)

    def __str__(self) -> str:
        prefix = f"#{self.flavor}:" if self.flavor else ""
        return f"{prefix}{self.upstream}:{self.downstream}"

    def __repr__(self) -> str:
        return f"<ExVer({str(self)!r})>"

    def __hash__(self) -> int:
        return hash(self._key)

    def __eq__(self, other: object) -> bool:
        return self._key == other._key if isinstance(other, ExVer) else NotImplemented

    def __lt__(self, other: ExVer) -> bool:
        return self._key < other._key if isinstance(other, ExVer) else NotImplemented

    def __le__(self, other: ExVer) -> bool:
        return self._key <= other._key if isinstance(other, ExVer) else NotImplemented

    def __gt__(self, other: ExVer) -> bool:
        return self._key > other._key if isinstance(other, ExVer) else NotImplemented

    def __ge__(self, other: ExVer) -> bool:
        return self._key >= other._key if isinstance(other, ExVer) else NotImplemented
