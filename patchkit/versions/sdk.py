"""The StartOS SDK's own comparison, bug included, and a detector for where it bites.

SDK 2.0.9's ``Version.compare`` means to rank a number below a word (and a
shorter pre-release below a longer one) when two pre-releases differ in the
*type* of an identifier. It looks up the type of identifier **1** instead of
the current one (``typeof this.prerelease[1]``), so (research ``exver.md`` §5):

- ``1.0.0-1:0`` vs ``1.0.0-alpha:0`` is "less" in both directions;
- ``1.0.0-1.a:0`` vs ``1.0.0-a:0`` is "greater" (correct: less);
- ``1.0.0-x.y.3:0`` vs ``1.0.0-x.y.z:0`` is "equal" (no case matches, the loop
  runs on and ends).

patchkit orders versions the correct way (StartOS's Rust ``exver`` crate:
numbers before words, shorter prefix first), so it deliberately differs from
the SDK on exactly the pairs where this bug fires. ``sdk_compare`` reproduces
the SDK (the differential test checks it against the real SDK), and
``sdk_ordering_hazards`` lists the pairs of a set of versions on which the
SDK and StartOS disagree; the manifest checker warns with it. The practical
rule that avoids all of it: start every pre-release with a word (``rc.1``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from patchkit.versions._exver_model import ExVer, ExVerPart, Identifier
from patchkit.versions._range_model import VersionRange

__all__ = ["OrderingHazard", "sdk_compare", "sdk_ordering_hazards", "sdk_satisfied_by"]


def _typeof(ids: tuple[Identifier, ...], i: int) -> str:
    if i >= len(ids):
        return "undefined"
    return "string" if isinstance(ids[i], str) else "number"


def _sdk_part_compare(a: ExVerPart, b: ExVerPart) -> int:
    """``Version.compare`` of SDK 2.0.9, transcribed with its bug."""
    for i in range(max(len(a.numbers), len(b.numbers))):
        x = a.numbers[i] if i < len(a.numbers) else 0
        y = b.numbers[i] if i < len(b.numbers) else 0
        if x > y:
            return 1
        if x < y:
            return -1
    if not a.prerelease and b.prerelease:
        return 1
    if a.prerelease and not b.prerelease:
        return -1
    for i in range(max(len(a.prerelease), len(b.prerelease))):
        ta, tb = _typeof(a.prerelease, i), _typeof(b.prerelease, i)
        if ta == tb:
            p, q = a.prerelease[i], b.prerelease[i]
            if isinstance(p, str) or isinstance(q, str):  # both words (same type)
                p, q = str(p), str(q)
            if p > q:  # type: ignore[operator]  # both numbers, or both words
                return 1
            if p < q:  # type: ignore[operator]
                return -1
            continue
        # The bug: the type of identifier 1 of `a`, not of identifier i.
        case = f"{_typeof(a.prerelease, 1)}:{tb}"
        if case == "number:string":
            return -1
        if case == "string:number":
            return 1
        if case in ("number:undefined", "string:undefined"):
            return 1
        if case in ("undefined:number", "undefined:string"):
            return -1
        # No case matched: the SDK's loop just moves on to the next identifier.
    return 0


def sdk_compare(a: ExVer, b: ExVer) -> int | None:
    """What ``ExtendedVersion.compare`` of SDK 2.0.9 returns: -1, 0, 1, or None (flavors differ).

    >>> sdk_compare(ExVer.parse("1.0.0-1:0"), ExVer.parse("1.0.0-alpha:0"))
    -1
    >>> sdk_compare(ExVer.parse("1.0.0-alpha:0"), ExVer.parse("1.0.0-1:0"))
    -1
    """
    if a.flavor != b.flavor:
        return None
    up = _sdk_part_compare(a.upstream, b.upstream)
    return up if up != 0 else _sdk_part_compare(a.downstream, b.downstream)


def sdk_satisfied_by(version_range: VersionRange, version: ExVer) -> bool:
    """``VersionRange.satisfiedBy`` of SDK 2.0.9 (its comparisons carry the bug)."""
    return version_range._satisfied(version, sdk_compare)


@dataclass(frozen=True, slots=True)
class OrderingHazard:
    """Two versions the SDK orders differently from StartOS.

    ``correct`` is ``a.compare(b)``; ``sdk`` and ``sdk_reversed`` are what the
    SDK answers for ``(a, b)`` and for ``(b, a)``.
    """

    a: ExVer
    b: ExVer
    correct: int
    sdk: int | None
    sdk_reversed: int | None

    @property
    def message(self) -> str:
        words = {-1: "older than", 0: "the same as", 1: "newer than", None: "incomparable with"}
        return (
            f"the StartOS SDK 2.0.9 mis-orders {self.a} and {self.b}: StartOS says {self.a} is "
            f"{words[self.correct]} {self.b}, the SDK says {words[self.sdk]} (and, asked "
            "the other way "
            f"round, that {self.b} is {words[self.sdk_reversed]} {self.a}); a number and a "
            "word at the "
            "same pre-release position trigger an SDK bug: start every pre-release with a "
            "word (rc.1)"
        )


def sdk_ordering_hazards(versions: Iterable[ExVer]) -> tuple[OrderingHazard, ...]:
    """Every pair of ``versions`` on which the SDK's comparison disagrees with StartOS's.

    Only pairs of the same flavor can disagree (other pairs are incomparable on
    both sides). Quadratic in the number of distinct versions, which is fine for
    a manifest's version history.

    >>> history = [ExVer.parse(s) for s in ("1.0.0-1:0", "1.0.0-alpha:0", "1.0.0-rc.1:0")]
    >>> [(str(h.a), str(h.b)) for h in sdk_ordering_hazards(history)]
    [('1.0.0-1:0', '1.0.0-alpha:0')]
    """
    unique: list[ExVer] = []
    seen: set[tuple[str | None, str]] = set()
    for v in versions:
        ident = (v.flavor, str(v))
        if ident not in seen:
            seen.add(ident)
            unique.append(v)
    found: list[OrderingHazard] = []
    for i, a in enumerate(unique):
        for b in unique[i + 1 :]:
            correct = a.compare(b)
            if correct is None:
                continue
            forward, backward = sdk_compare(a, b), sdk_compare(b, a)
            if forward != correct or backward != -correct:
                found.append(OrderingHazard(a, b, correct, forward, backward))
    return tuple(found)
