"""EmVer: the version scheme of StartOS 0.3.x ``manifest.yaml`` (crate ``emver`` 0.1).

StartOS 0.3.x (and its ``start-sdk pack``) reads a package's ``version:``
with ``emver::Version::from_str`` (Start9Labs/emver-rs, ``src/emver.rs``
up to 0.1.7, the same code the npm package ``@start9labs/emver`` 0.1.1
ships as WebAssembly). Its grammar, read from that source::

    version := decimal ("." decimal)*      # nom separated_list1, 1 to 4 items
    decimal := [0-9]+                      # parsed into a usize

The parser is not anchored at the end: it reads the longest prefix that
fits and drops the rest (``1.2.3-beta`` is read as ``1.2.3``; ``1..2`` as
``1``). Five or more numbers fail; so does a number above ``usize`` (2**64-1
on a 64-bit StartOS). Missing numbers are 0; ``Display`` prints three
numbers, and the fourth (the *revision*, the packager's own) only when it is
not 0. Versions compare as the tuple of four numbers.

StartOS 0.4's SDK reads these versions once more when a package migrates
(``ExtendedVersion.parseEmver``): exactly three or four numbers, nothing
else. ``check_emver`` therefore accepts what 0.3.x accepts and warns where
the text is not read whole, or where 0.4's reader would refuse it.

>>> check_emver("1.10.1.1").valid
True
>>> check_emver("1.10.1.1:0").warnings[0][:40]
'StartOS 0.3.x reads only "1.10.1.1" of i'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from patchkit._source import Span
from patchkit.versions.result import CheckResult

__all__ = ["EmVer", "check_emver", "parse_emver_prefix"]

_USIZE_MAX = 2**64 - 1
_PREFIX = re.compile(r"[0-9]+(?:\.[0-9]+)*")


@dataclass(frozen=True, slots=True, order=True)
class EmVer:
    """A 0.3.x version: major, minor, patch and the packager's revision; ordered as a tuple."""

    major: int
    minor: int
    patch: int
    revision: int = 0

    def __str__(self) -> str:
        base = f"{self.major}.{self.minor}.{self.patch}"
        return base if self.revision == 0 else f"{base}.{self.revision}"

    def compare(self, other: EmVer) -> int:
        return (self > other) - (self < other)


def parse_emver_prefix(text: str) -> tuple[EmVer, int] | None:
    """What ``emver::Version::from_str`` makes of ``text``: the value and how many characters
    it read; None when it refuses the text."""
    m = _PREFIX.match(text)
    if m is None:
        return None
    numbers = m.group(0).split(".")
    if len(numbers) > 4:
        return None
    values = [int(n) for n in numbers]
    if any(v > _USIZE_MAX for v in values):
        return None
    values += [0] * (4 - len(values))
    return EmVer(*values), m.end()


def check_emver(text: str) -> CheckResult:
    """Validate a StartOS 0.3.x ``manifest.yaml`` version exactly as the 0.3.x code reads it."""
    got = parse_emver_prefix(text)
    if got is None:
        m = _PREFIX.match(text)
        if m is None:
            at = 0
            error = "an EmVer version starts with a number (no v, no space)"
            fix = text[1:] if text[:1] in "vV" and parse_emver_prefix(text[1:]) else None
        elif len(m.group(0).split(".")) > 4:
            at = len(".".join(m.group(0).split(".")[:4]))
            error = "EmVer has at most four numbers (major.minor.patch.revision)"
            fix = None
        else:
            at = 0
            error = "a number above 18446744073709551615"
            fix = None
        return CheckResult(
            text,
            "emver",
            False,
            None,
            error=error,
            suggestion=fix,
            span=Span(at, min(at + 1, max(len(text), at + 1))),
        )
    value, used = got
    warnings: list[str] = []
    count = len(text[:used].split("."))
    if used < len(text):
        warnings.append(f'StartOS 0.3.x reads only "{text[:used]}" of it and drops "{text[used:]}"')
    elif count < 3:
        warnings.append(
            "StartOS 0.4 reads a 0.3.x version when the package migrates, and accepts only "
            "three or four numbers"
        )
    if any(len(n) > 1 and n.startswith("0") for n in text[:used].split(".")):
        warnings.append("a leading zero: the number is read without it")
    # StartOS 0.3.x keeps the version as written next to the value; only a text it does not
    # read whole is rewritten
    normalized = text if used == len(text) else str(value)
    return CheckResult(text, "emver", True, normalized, warnings=tuple(warnings))
