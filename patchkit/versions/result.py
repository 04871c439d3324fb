"""``CheckResult``: the verdict on one version string, shared by every scheme.

A result never raises and always says the same things, whatever the scheme:
the ``input`` exactly as given, whether it is ``valid``, its ``normalized``
form (``None`` when invalid), the ``error`` with the ``span`` of the first bad
character, a ``suggestion`` when a fix is evident, and ``warnings`` for valid
strings that another tool would still rewrite or reject. ``render()`` is the
text the CLI prints (with a caret line), ``to_json()`` its JSON object.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from patchkit._source import Span

__all__ = ["SCHEME_NAMES", "CheckResult", "display"]

SCHEME_NAMES = {
    "exver": "ExVer",
    "exver-range": "ExVer range",
    "emver": "EmVer",
    "pep440": "PEP 440",
    "semver": "SemVer",
}


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One string checked against one scheme."""

    input: str
    scheme: str
    valid: bool
    normalized: str | None
    error: str | None = None
    suggestion: str | None = None
    span: Span | None = None
    warnings: tuple[str, ...] = field(default=())
    expected: tuple[str, ...] = field(default=())
    sdk_error: str | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "input": self.input,
            "scheme": self.scheme,
            "valid": self.valid,
            "normalized": self.normalized,
            "error": self.error,
            "suggestion": self.suggestion,
            "span": None if self.span is None else {"start": self.span.start, "end": self.span.end},
            "column": None if self.span is None else self.span.start + 1,
            "expected": list(self.expected),
            "warnings": list(self.warnings),
            "sdk_error": self.sdk_error,
        }

    def render(self) -> str:
        """Human text: a verdict line, the string with a caret under the fault, hints."""
        name = SCHEME_NAMES.get(self.scheme, self.scheme)
        shown = display(self.input)
        lines: list[str] = []
        if self.valid:
            head = f"{shown}: valid {name}"
            if self.normalized is not None and self.normalized != self.input:
                head += f", normalized {display(self.normalized)}"
            lines.append(head)
        else:
            where = f" at column {self.span.start + 1}" if self.span is not None else ""
            lines.append(f"{shown}: invalid {name}{where}: {self.error}")
            if self.span is not None:
                lines.extend(_caret(self.input, self.span))
        lines.extend(f"  warning: {w}" for w in self.warnings)
        if self.suggestion is not None and self.suggestion != self.input:
            lines.append(f"  hint: did you mean {display(self.suggestion)}?")
        return "\n".join(lines)


def _escape(ch: str) -> str:
    if ch.isprintable() and not (ch != " " and unicodedata.category(ch).startswith("Z")):
        return ch
    return ch.encode("unicode_escape").decode("ascii")


def display(text: str) -> str:
    """The string as shown in messages: quoted, control and odd space characters escaped."""
    return "'" + "".join(_escape(c) for c in text) + "'"


def _caret(text: str, span: Span) -> list[str]:
    # Show the escaped string on one line and put the caret under the escaped
    # form of the bad character (so a tab or a newline is pointed at too).
    pieces = [_escape(c) for c in text]
    prefix = sum(_width(p) for p in pieces[: span.start]) + 1  # + the opening quote
    width = _width(pieces[span.start]) if span.start < len(pieces) else 1
    return [f"    {display(text)}", "    " + " " * prefix + "^" + "~" * (width - 1)]


def _width(piece: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in piece)
