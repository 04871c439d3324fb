"""Numbers as the StartOS SDK reads them: ``parseInt(digits, 10)``, a JavaScript double.

The SDK stores every version component in a JS number. Below 2**53 that is
exact; above, it is rounded to the nearest double, and from 10**21 on
``toString()`` prints it in exponent form (``1.2345678901234568e+21``). A run
of more than 309 digits is ``Infinity``. patchkit reproduces this so that its
normalised strings and its comparisons agree with the SDK's on every input,
and warns wherever the rounding shows (see ``check.py``).
"""

from __future__ import annotations

import math

__all__ = ["MAX_SAFE_INTEGER", "U64_MAX", "js_add_one", "js_number", "js_number_text"]

#: Largest integer a JS number holds exactly (Number.MAX_SAFE_INTEGER).
MAX_SAFE_INTEGER = 2**53 - 1
#: Largest number StartOS's Rust ``exver`` crate accepts in a version (usize on 64-bit).
U64_MAX = 2**64 - 1

# A double is at most ~1.8e308; 310 or more significant digits is always Infinity.
_MAX_FINITE_DIGITS = 309


def js_number(digits: str) -> int | float:
    """``parseInt(digits, 10)`` as an exact ``int``, or ``math.inf``.

    ``digits`` is a non-empty run of ASCII digits. Never converts more than a
    few hundred digits (CPython limits int() of huge decimal strings), so it is
    linear in ``len(digits)``.
    """
    significant = digits.lstrip("0")
    if len(significant) <= 15:  # < 10**15 < 2**53: exact
        return int(significant or "0")
    if len(significant) > _MAX_FINITE_DIGITS:
        return math.inf
    exact = int(significant)
    if exact <= MAX_SAFE_INTEGER:
        return exact
    try:
        return int(float(exact))  # round-half-even to the nearest double, like V8
    except OverflowError:
        return math.inf


def js_add_one(value: int | float) -> int | float:
    """``value + 1`` in JS double arithmetic (the SDK's ``^``/``~`` bounds use it)."""
    if isinstance(value, float) or value + 1 <= MAX_SAFE_INTEGER:
        return value + 1
    result = float(value) + 1.0
    return math.inf if math.isinf(result) else int(result)


def js_number_text(value: int | float) -> str:
    """``Number.prototype.toString()`` for a value produced by ``js_number``."""
    if isinstance(value, float):
        return "Infinity"
    if value <= MAX_SAFE_INTEGER:
        return str(value)
    # Shortest round-trip digits (Python's repr and JS agree on them), laid out
    # the ECMAScript way: padded with zeros up to 21 digits, exponent form after.
    mantissa, _, exponent = repr(float(value)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    if fraction == "0":
        fraction = ""
    point = len(whole) + (int(exponent) if exponent else 0)
    significant = (whole + fraction).rstrip("0")
    if point <= 21:
        return significant + "0" * (point - len(significant))
    if len(significant) == 1:
        return f"{significant}e+{point - 1}"
    return f"{significant[0]}.{significant[1:]}e+{point - 1}"
