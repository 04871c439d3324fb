"""Suggested fixes for strings that are almost ExVer.

``suggest_exver`` repairs the mistakes people make when they write an ExVer
by hand or paste another scheme's version, and returns the result only if it
really is valid ExVer (and differs from the input):

- surrounding whitespace, a leading ``v``, an upper-case flavor;
- a missing downstream revision (``0.21.1-rc.0`` -> ``0.21.1-rc.0:0``);
- PEP 440 spellings (``0.21.1rc0``, ``0.21.1-rc0``, ``1.0.0-RC1``), converted
  with ``patchkit.versions.convert`` (local labels dropped, ``.devN`` kept as
  ``.dev.N``; post-releases get no suggestion: ExVer has no faithful form);
- letters and digits run together in a pre-release (``rc0`` -> ``rc.0``,
  ``dev132`` -> ``dev.132``), dashes or doubled dots between identifiers;
- non-ASCII digits (a FULLWIDTH DIGIT ONE -> ``1``) and ``+build`` metadata (dropped).

Every step is a linear scan, so a 100,000-character string is answered at once.
"""

from __future__ import annotations

import re
import unicodedata

from patchkit.versions._exver_model import ExVer, ExVerPart
from patchkit.versions.errors import ConversionError, VersionSyntaxError

__all__ = ["suggest_exver", "suggest_exver_part"]

_MAX_PEP440_LENGTH = 256  # packaging's regex is only asked about short strings
_TOKEN = re.compile(r"[a-zA-Z]+|[0-9]+")
_SEPARATORS = re.compile(r"[._\-]+")
_V_PREFIX = re.compile(r"\A[vV](?=[0-9])")


def _ascii_digits(text: str) -> str:
    if text.isascii():
        return text
    return "".join(
        str(unicodedata.digit(c)) if not c.isascii() and unicodedata.category(c) == "Nd" else c
        for c in text
    )


def _valid_part(text: str) -> ExVerPart | None:
    try:
        return ExVerPart.parse(text)
    except VersionSyntaxError:
        return None


def _from_pep440(text: str) -> ExVerPart | bool | None:
    """ExVer part for a PEP 440 string; ``False`` when it is PEP 440 but has no fair form."""
    if len(text) > _MAX_PEP440_LENGTH:
        return None
    from packaging.version import InvalidVersion, Version

    from patchkit.versions.convert import pep440_to_exver_part

    try:
        version = Version(text)
    except InvalidVersion:
        return None
    if version.post is not None and version.pre is None:
        return False
    try:
        return pep440_to_exver_part(version, drop_local=True, dev="suffix")
    except ConversionError:
        return False


def suggest_exver_part(text: str) -> str | None:
    """A valid ExVer version (no ``:``) close to ``text``, or ``None``."""
    candidate = _V_PREFIX.sub("", _ascii_digits(text.strip()), count=1)
    if (part := _valid_part(candidate)) is not None:
        return str(part)
    pep = _from_pep440(candidate)
    if pep is False:
        return None
    if isinstance(pep, ExVerPart):
        return str(pep)
    candidate = candidate.split("+", 1)[0]  # ExVer has no build metadata
    numbers, dash, prerelease = candidate.partition("-")
    numbers = ".".join(n for n in numbers.split(".") if n)
    if not numbers or not numbers.replace(".", "").isdigit():
        return None
    ids: list[str] = []
    for chunk in _SEPARATORS.split(prerelease) if dash else ():
        tokens = _TOKEN.findall(chunk)
        # Split "rc0" or "1a"; anything more mixed (a hash, say) is no pre-release to guess at.
        if "".join(tokens) != chunk or len(tokens) > 2:
            return None
        ids.extend(tokens)
    fixed = numbers + ("-" + ".".join(ids) if ids else "")
    part = _valid_part(fixed)
    return str(part) if part is not None else None


def suggest_exver(text: str) -> str | None:
    """A valid ExVer close to ``text`` (different from it), or ``None`` if none is evident.

    >>> suggest_exver("0.21.1-rc0:0")
    '0.21.1-rc.0:0'
    >>> suggest_exver("0.21.1rc0:0")
    '0.21.1-rc.0:0'
    >>> suggest_exver(" v0.21.1-rc.0")
    '0.21.1-rc.0:0'
    """
    from patchkit.versions.describe import looks_like_git_describe

    stripped = text.strip()
    if looks_like_git_describe(stripped):
        return _from_git_describe(stripped)
    flavor = ""
    if match := re.match(r"#([A-Za-z]*):", stripped):
        flavor = f"#{match[1].lower()}:" if match[1] else ""
        stripped = stripped[match.end() :]
    pieces = stripped.split(":")
    if len(pieces) == 1:
        pieces.append("0")
    if len(pieces) != 2:
        return None
    upstream = suggest_exver_part(pieces[0])
    downstream = suggest_exver_part(pieces[1] or "0")
    if upstream is None or downstream is None:
        return None
    try:
        fixed = str(ExVer.parse(f"{flavor}{upstream}:{downstream}"))
    except VersionSyntaxError:
        return None
    return fixed if fixed != text else None


def _from_git_describe(text: str) -> str | None:
    import datetime

    from patchkit.versions.convert import pep440_to_exver
    from patchkit.versions.describe import git_describe_to_pep440

    try:
        pep = git_describe_to_pep440(text, date=datetime.date(2000, 1, 1))
        return str(pep440_to_exver(pep, drop_local=True, dev="suffix"))
    except (ConversionError, VersionSyntaxError):
        return None
