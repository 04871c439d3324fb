"""Upstream versions as packagers write them, read and compared the way the StartOS SDK does.

A StartOS package declares ``<upstream>:<downstream>``; the upstream part is
an ExVer version that the SDK orders and compares (``Version.parse``,
``compare``; research ``exver.md`` §5). Upstream projects spell their
versions in many ways: git tags with a ``v`` (``v0.21.2-beta``), SemVer
pre-releases (``1.0.0-rc.1``), PEP 440 (``0.21.1rc0``), four or two numbers
(``1.5.3.3``, ``29.1``), and image tags with a variant suffix
(``1.35.7-alpine``, ``2026.6.12-de8a3de15``, ``v0.4.1-clientserver-v0.9.11``).

``read_upstream(text)`` says how the SDK reads such a string as an upstream
part, without rebuilding it through PEP 440 when the string is already one:

1. as written, or without a leading ``v``, when ``Version.parse`` accepts it
   (``0.21.2-beta`` stays ``0.21.2-beta``; ``29.1`` stays ``29.1``, which the
   SDK holds equal to ``29.1.0``);
2. else, without SemVer build metadata (``+build``);
3. else as PEP 440 mapped to ExVer (``0.21.1rc0`` → ``0.21.1-rc.0``);
4. else its leading numbers, the rest being a suffix (``1.5.3.knots20260210``
   → ``1.5.3``).

``match_upstream(text, upstream_part)`` compares by the SDK's equality. For
an image tag (``tag=True``) a word suffix that is no pre-release word
(``-alpine``, ``-apache``, ``-<sha>``) names a variant of the image, so the
numbers decide; and a tag whose numbers extend the upstream's
(``1.5.3.3`` for ``1.5.3``) is the image maker's rebuild of that version.

>>> read_upstream("v0.21.2-beta").part.__str__()
'0.21.2-beta'
>>> match_upstream("29.1.0", "29.1").same
True
>>> match_upstream("1.33.2-alpine", "1.34.1", tag=True).same
False
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from patchkit.versions._exver_model import ExVerPart

__all__ = ["UpstreamMatch", "UpstreamReading", "match_upstream", "read_upstream"]

_NUMBERS = re.compile(r"[0-9]+(?:\.[0-9]+)*")
#: Words that start a pre-release in the spellings packagers use (SemVer, PEP 440, git tags).
_PRE_WORDS = re.compile(r"(?i)(alpha|beta|rc|pre|preview|dev|a|b|c)(?![a-z])")


@dataclass(frozen=True, slots=True)
class UpstreamReading:
    """How the SDK reads ``text`` as an ExVer upstream part; ``how`` says by which rule."""

    text: str
    part: ExVerPart
    how: str
    suffix: str = ""  # what follows the numbers and is not part of the version


@dataclass(frozen=True, slots=True)
class UpstreamMatch:
    """The verdict of comparing a written upstream version with a package's upstream part."""

    same: bool
    reading: UpstreamReading
    upstream: ExVerPart
    # -1, 0, 1: the reading against the upstream part (the SDK's comparison); ``same`` may
    # hold where it is not 0, for the labelling conventions of image tags (``_labelled_same``)
    order: int

    @property
    def verdict(self) -> str:
        word = {-1: "older than", 0: "equal to", 1: "newer than"}[self.order]
        reading = self.reading
        if self.same and self.order != 0:
            word = f"by the SDK's order {word} {self.upstream}, but the same release as"
        return (
            f"the SDK reads {reading.text!r} as {reading.part} ({reading.how}), "
            f"{word} {self.upstream}"
        )


def _version_part(text: str) -> ExVerPart | None:
    from patchkit.versions.errors import VersionSyntaxError
    from patchkit.versions.exver import parse_version_part

    try:
        return parse_version_part(text)
    except VersionSyntaxError:
        return None


def read_upstream(text: str) -> UpstreamReading | None:
    """The ExVer upstream part ``text`` stands for, or None when it has no version in it."""
    body = text[1:] if text[:1] in "vV" and text[1:2].isdigit() else text
    prefix = "without the v" if body is not text else "as written"
    part = _version_part(body)
    if part is not None:
        return UpstreamReading(text, part, prefix)
    if "+" in body:
        part = _version_part(body.split("+", 1)[0])
        if part is not None:
            return UpstreamReading(text, part, "without the build metadata", body.split("+", 1)[1])
    try:
        from patchkit.versions.convert import pep440_to_exver_part

        converted = pep440_to_exver_part(body)
    except Exception:
        converted = None
    if converted is not None:
        return UpstreamReading(text, converted, f"PEP 440 {body}")
    m = _NUMBERS.match(body)
    if m is None:
        return None
    numbers = _version_part(m.group(0))
    if numbers is None:
        return None
    return UpstreamReading(text, numbers, "its numbers", body[m.end() :])


def _numbers(part: ExVerPart) -> tuple[int | float, ...]:
    out = list(part.numbers)
    while len(out) > 1 and out[-1] == 0:
        out.pop()
    return tuple(out)


def _variant_suffix(reading: UpstreamReading) -> bool:
    """True when what follows the numbers names an image variant, not a pre-release."""
    body = reading.text[1:] if reading.text[:1] in "vV" else reading.text
    m = _NUMBERS.match(body)
    if m is None or m.end() == len(body):
        return False
    rest = body[m.end() :]
    if rest[0] not in "-_.":
        return bool(_PRE_WORDS.match(rest)) is False
    word = rest[1:]
    if word.isdigit() and rest[0] == "-":
        return True  # a packaging revision (2026.7.1-2), as Debian and npm builds write it
    return not word[:1].isdigit() and _PRE_WORDS.match(word) is None


def _labelled_same(text: str, want: ExVerPart) -> UpstreamReading | None:
    """The reading of an image tag that is ``want`` under a packager's labelling, or None.

    Two conventions seen in StartOS packages, both about one release: a variant suffix
    after the version (``v0.17.2-alpha-docker``: the longest prefix that is a version is
    it), and a permanent bare pre-release word that one side writes and the other drops
    (RTL's images ``v0.15.4`` for its release ``0.15.4-beta``; Lightning Terminal's
    ``v0.15.0-alpha`` for ``0.15.0``). A numbered pre-release (``rc.1``, ``beta.2``) is a
    real pre-release and never matches the release.
    """
    body = text[1:] if text[:1] in "vV" and text[1:2].isdigit() else text
    cut = len(body)
    while True:
        cut = body.rfind("-", 0, cut)
        if cut <= 0:
            break
        suffix = body[cut + 1 :]
        if suffix[:1].isdigit() or _PRE_WORDS.match(suffix):
            continue  # -rc.1, -beta.2: a pre-release, not a name for the image
        part = _version_part(body[:cut])
        if part is not None and part == want:
            how = f"the version before the suffix {body[cut:]}"
            return UpstreamReading(text, part, how, body[cut:])
    reading = read_upstream(text)
    got = _version_part(body) or (reading.part if reading is not None else None)
    if got is None or _numbers(got) != _numbers(want):
        return None
    labels = [p.prerelease for p in (got, want) if p.prerelease]
    if len(labels) == 1 and len(labels[0]) == 1 and labels[0][0] in ("alpha", "beta"):
        how = f"the same release, labelled {labels[0][0]} on one side only"
        return UpstreamReading(text, got, how)
    return None


def match_upstream(
    text: str, upstream: str | ExVerPart, *, tag: bool = False
) -> UpstreamMatch | None:
    """Compare ``text`` (a tag, a constant, a version) with the upstream part by the SDK's rules.

    None when ``text`` has no version in it or ``upstream`` is not an ExVer version.
    """
    want = upstream if isinstance(upstream, ExVerPart) else _version_part(upstream)
    reading = read_upstream(text)
    if want is None or reading is None:
        return None
    order = (reading.part > want) - (reading.part < want)
    same = order == 0
    if not same and tag:
        labelled = _labelled_same(text, want)
        if labelled is not None:
            order = (labelled.part > want) - (labelled.part < want)
            return UpstreamMatch(True, labelled, want, order)
        body = text[1:] if text[:1] in "vV" else text
        m = _NUMBERS.match(body)
        got = _numbers(ExVerPart(tuple(int(n) for n in m.group(0).split(".")))) if m else ()
        base = _numbers(want)
        if got and (not want.prerelease) and _variant_suffix(reading) and got == base:
            same = True
        elif got and len(got) > len(base) and got[: len(base)] == base and not want.prerelease:
            same = True  # 1.5.3.3 for 1.5.3: the image maker's own rebuild of that release
        if same:
            how = (
                "its numbers" if len(got) <= len(base) else "its numbers, a rebuild of that release"
            )
            reading = UpstreamReading(text, reading.part, how, body[m.end() :] if m else "")
            order = 0
        elif got and m is not None and _variant_suffix(reading):
            # -alpine names the image variant: the numbers are the version
            numbers = ExVerPart(tuple(int(n) for n in m.group(0).split(".")))
            suffix = body[m.end() :]
            reading = UpstreamReading(
                text, numbers, f"its numbers; {suffix} names the image", suffix
            )
            order = (numbers > want) - (numbers < want)
    return UpstreamMatch(same, reading, want, order)
