"""ExVer, the StartOS "extended version": the one grammar, its parse functions and errors.

The grammar below is the one ``@start9labs/start-sdk`` 2.0.9 implements (read
back from its Peggy-generated parser; research ``exver.md`` §3 and §6). It is a
PEG: alternatives are tried in order, a repetition never backtracks, and the
whole input must be consumed::

    ExtendedVersion := Flavor? Version ":" Version
    Flavor          := "#" [a-z]* ":"              # "#:" is allowed and means no flavor
    Version         := Number ("." Number)* PreRelease?
    Number          := [0-9]+                      # leading zeros allowed, read by parseInt
    PreRelease      := "-" Segment ("." Segment)*
    Segment         := "."? ([0-9]+ | [a-zA-Z]+)   # one identifier: all digits OR all letters

    VersionRange    := Atom (_ (("||" | "&&") _)? Atom)*    # no operator means &&
    Atom            := Parens | Anchor | Not | "*" | "!" | FlavorAtom
    Parens          := "(" _ VersionRange _ ")"
    Anchor          := CmpOp? _ VersionSpec                # no operator means ^
    VersionSpec     := Flavor? Version (":" Version)?      # no downstream means :0
    Not             := "!" _ Atom
    FlavorAtom      := "#" [a-z]*
    CmpOp           := ">=" | "<=" | ">" | "<" | "=" | "!=" | "^" | "~"
    _               := [ \\t\\n\\r]*

Each ``_parse_*`` function below implements one rule and quotes it in its
docstring. Failures are recorded the way Peggy records them (see
``_tokenizer.py``), so a ``VersionSyntaxError`` names the same offset as the
SDK and carries the SDK's message verbatim (``sdk_message``) next to
patchkit's own explanation and suggested fix.

Every rule consumes at least one character per step and never re-reads
input, so parsing is linear in the length of the text; nesting of ranges
(parentheses, ``!``) is capped at ``MAX_RANGE_DEPTH``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from patchkit.versions._exver_model import ExVer, ExVerPart, Identifier
from patchkit.versions._jsnumber import MAX_SAFE_INTEGER, js_number
from patchkit.versions._range_model import (
    OPERATORS,
    AllOf,
    Anchor,
    AnyOf,
    AnyVersion,
    FlavorIs,
    Not,
    NoVersion,
    VersionRange,
)
from patchkit.versions._tokenizer import END_OF_INPUT, Rule, SyntaxFailure, Token, Tokenizer
from patchkit.versions.errors import VersionSyntaxError

__all__ = [
    "MAX_RANGE_DEPTH",
    "ExVer",
    "ExVerPart",
    "ParsedExVer",
    "Quirk",
    "VersionRange",
    "VersionSyntaxError",
    "parse_exver",
    "parse_exver_detailed",
    "parse_range",
    "parse_version_part",
]

#: Longer strings get a diagnosis but no suggested fix (nobody retypes 4 KiB of version).
MAX_SUGGESTION_INPUT = 4096

#: Deepest nesting of ``(`` and ``!`` accepted in a range (the SDK's limit is its JS stack).
MAX_RANGE_DEPTH = 200

_OPERATOR_RULES = {f"OP{op}": Rule.literal(op) for op in OPERATORS}

RULES: dict[str, Rule] = {
    "HASH": Rule.literal("#"),
    "COLON": Rule.literal(":"),
    "DOT": Rule.literal("."),
    "DASH": Rule.literal("-"),
    "DIGITS": Rule.char_class("0-9", min_count=1),
    "LETTERS": Rule.char_class("a-zA-Z", min_count=1),
    "FLAVOR": Rule.char_class("a-z", min_count=0),
    "WS": Rule(re.compile(r"[ \t\n\r]*"), "whitespace", repeats=True),
    "LPAREN": Rule.literal("("),
    "RPAREN": Rule.literal(")"),
    "OR": Rule.literal("||"),
    "AND": Rule.literal("&&"),
    "BANG": Rule.literal("!"),
    "STAR": Rule.literal("*"),
    **_OPERATOR_RULES,
}


# --- raw syntax nodes (tokens kept, so positions survive for diagnostics) ---------------


@dataclass(frozen=True, slots=True)
class _RawSegment:
    token: Token  # DIGITS or LETTERS
    extra_dot: bool  # written with the tolerated extra "." before it


@dataclass(frozen=True, slots=True)
class _RawVersion:
    numbers: tuple[Token, ...]
    prerelease: tuple[_RawSegment, ...]


@dataclass(frozen=True, slots=True)
class _RawExVer:
    flavor: Token | None  # the FLAVOR token (possibly empty text)
    upstream: _RawVersion
    downstream: _RawVersion | None  # None only in a range's VersionSpec


# --- the grammar ----------------------------------------------------------------------


def _parse_extended_version(t: Tokenizer) -> _RawExVer | None:
    """ExtendedVersion := Flavor? Version ":" Version"""
    start = t.position
    flavor = _parse_flavor(t)
    upstream = _parse_version(t)
    if upstream is not None and t.check("COLON"):
        downstream = _parse_version(t)
        if downstream is not None:
            return _RawExVer(flavor, upstream, downstream)
    t.position = start
    return None


def _parse_flavor(t: Tokenizer) -> Token | None:
    """Flavor := "#" [a-z]* ":" """
    start = t.position
    if t.check("HASH"):
        name = t.check("FLAVOR")
        if name is not None and t.check("COLON"):
            return name
    t.position = start
    return None


def _parse_version(t: Tokenizer) -> _RawVersion | None:
    """Version := Number ("." Number)* PreRelease?"""
    numbers = _parse_numbers(t)
    if numbers is None:
        return None
    return _RawVersion(numbers, _parse_prerelease(t) or ())


def _parse_numbers(t: Tokenizer) -> tuple[Token, ...] | None:
    """Number ("." Number)*   with   Number := [0-9]+"""
    first = t.check("DIGITS")
    if first is None:
        return None
    numbers = [first]
    while True:
        mark = t.position
        if t.check("DOT") and (number := t.check("DIGITS")) is not None:
            numbers.append(number)
            continue
        t.position = mark
        return tuple(numbers)


def _parse_prerelease(t: Tokenizer) -> tuple[_RawSegment, ...] | None:
    """PreRelease := "-" Segment ("." Segment)*"""
    start = t.position
    if not t.check("DASH"):
        return None
    first = _parse_segment(t)
    if first is None:
        t.position = start
        return None
    segments = [first]
    while True:
        mark = t.position
        if t.check("DOT") and (segment := _parse_segment(t)) is not None:
            segments.append(segment)
            continue
        t.position = mark
        return tuple(segments)


def _parse_segment(t: Tokenizer) -> _RawSegment | None:
    """Segment := "."? ([0-9]+ | [a-zA-Z]+)"""
    start = t.position
    extra_dot = t.check("DOT") is not None
    token = t.check("DIGITS") or t.check("LETTERS")
    if token is None:
        t.position = start
        return None
    return _RawSegment(token, extra_dot)


def _parse_range(t: Tokenizer, depth: int) -> VersionRange | None:
    """VersionRange := Atom (_ (("||" | "&&") _)? Atom)*      (folded left to right)"""
    result = _parse_atom(t, depth)
    if result is None:
        return None
    while True:
        mark = t.position
        t.check("WS")
        op_mark = t.position
        op = t.check("OR") or t.check("AND")
        if op is not None:
            t.check("WS")
        else:
            t.position = op_mark
        right = _parse_atom(t, depth)
        if right is None:
            t.position = mark
            return result
        result = (
            AnyOf(result, right) if op is not None and op.name == "OR" else AllOf(result, right)
        )


def _parse_atom(t: Tokenizer, depth: int) -> VersionRange | None:
    """Atom := Parens | Anchor | Not | "*" | "!" | FlavorAtom"""
    if depth > MAX_RANGE_DEPTH:
        raise _TooDeep(t.position)
    parsed = _parse_parens(t, depth) or _parse_anchor(t) or _parse_not(t, depth)
    if parsed is not None:
        return parsed
    if t.check("STAR"):
        return AnyVersion()
    if t.check("BANG"):
        return NoVersion()
    return _parse_flavor_atom(t)


def _parse_parens(t: Tokenizer, depth: int) -> VersionRange | None:
    """Parens := "(" _ VersionRange _ ")" """
    start = t.position
    if t.check("LPAREN"):
        t.check("WS")
        inner = _parse_range(t, depth + 1)
        if inner is not None:
            t.check("WS")
            if t.check("RPAREN"):
                return inner
    t.position = start
    return None


def _parse_anchor(t: Tokenizer) -> VersionRange | None:
    """Anchor := CmpOp? _ VersionSpec"""
    start = t.position
    operator = next((op for op in OPERATORS if t.check(f"OP{op}")), None)
    t.check("WS")
    spec = _parse_version_spec(t)
    if spec is None:
        t.position = start
        return None
    return Anchor(operator or "^", _build_exver(spec))


def _parse_version_spec(t: Tokenizer) -> _RawExVer | None:
    """VersionSpec := Flavor? Version (":" Version)?"""
    start = t.position
    flavor = _parse_flavor(t)
    upstream = _parse_version(t)
    if upstream is None:
        t.position = start
        return None
    mark = t.position
    downstream = _parse_version(t) if t.check("COLON") else None
    if downstream is None:
        t.position = mark
    return _RawExVer(flavor, upstream, downstream)


def _parse_not(t: Tokenizer, depth: int) -> VersionRange | None:
    """Not := "!" _ Atom"""
    start = t.position
    if t.check("BANG"):
        t.check("WS")
        value = _parse_atom(t, depth + 1)
        if value is not None:
            return Not(value)
    t.position = start
    return None


def _parse_flavor_atom(t: Tokenizer) -> VersionRange | None:
    """FlavorAtom := "#" [a-z]*"""
    if not t.check("HASH"):
        return None
    name = t.check("FLAVOR")
    return FlavorIs(name.text if name is not None else "")


class _TooDeep(Exception):
    def __init__(self, position: int) -> None:
        self.position = position


# --- from syntax to values ---------------------------------------------------------------


def _build_part(raw: _RawVersion) -> ExVerPart:
    numbers = tuple(js_number(tok.text) for tok in raw.numbers)
    prerelease: tuple[Identifier, ...] = tuple(
        js_number(seg.token.text) if seg.token.name == "DIGITS" else seg.token.text
        for seg in raw.prerelease
    )
    return ExVerPart(numbers, prerelease)


def _build_exver(raw: _RawExVer) -> ExVer:
    downstream = _build_part(raw.downstream) if raw.downstream is not None else ExVerPart((0,))
    flavor = raw.flavor.text if raw.flavor is not None else None
    return ExVer(flavor or None, _build_part(raw.upstream), downstream)


@dataclass(frozen=True, slots=True)
class Quirk:
    """Something the SDK accepts but rewrites, or another StartOS gate rejects.

    ``kind`` is one of ``leading-zero``, ``extra-dot``, ``empty-flavor``,
    ``unsafe-number`` (above 2**53-1: the SDK rounds it), ``numeric-prerelease-start``.
    ``start``/``end`` are offsets into the parsed text.
    """

    kind: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class ParsedExVer:
    """An ``ExVer`` plus the quirks of its spelling (for warnings)."""

    value: ExVer
    quirks: tuple[Quirk, ...]


def _is_unsafe(digits: str) -> bool:
    significant = digits.lstrip("0")
    return len(significant) > 16 or (len(significant) == 16 and int(significant) > MAX_SAFE_INTEGER)


def _quirks(raw: _RawExVer) -> tuple[Quirk, ...]:
    found: list[Quirk] = []
    if raw.flavor is not None and raw.flavor.text == "":
        found.append(Quirk("empty-flavor", raw.flavor.position - 1, raw.flavor.position + 1, "#:"))
    for part in (raw.upstream, raw.downstream):
        if part is None:
            continue
        digit_tokens = list(part.numbers) + [
            s.token for s in part.prerelease if s.token.name == "DIGITS"
        ]
        for tok in digit_tokens:
            end = tok.position + len(tok.text)
            if len(tok.text) > 1 and tok.text.startswith("0"):
                found.append(Quirk("leading-zero", tok.position, end, tok.text))
            if _is_unsafe(tok.text):
                found.append(Quirk("unsafe-number", tok.position, end, tok.text))
        for seg in part.prerelease:
            if seg.extra_dot:
                found.append(Quirk("extra-dot", seg.token.position - 1, seg.token.position, "."))
        if part.prerelease and part.prerelease[0].token.name == "DIGITS":
            tok = part.prerelease[0].token
            found.append(
                Quirk(
                    "numeric-prerelease-start", tok.position, tok.position + len(tok.text), tok.text
                )
            )
    return tuple(sorted(found, key=lambda q: (q.start, q.kind)))


# --- entry points -------------------------------------------------------------------------


def parse_exver_detailed(text: str) -> ParsedExVer:
    """Parse an ExtendedVersion and report the quirks of its spelling."""
    t = Tokenizer(text, RULES)
    raw = _parse_extended_version(t)
    if raw is None or not t.at_end:
        raise _syntax_error(t.failure(matched=raw is not None), "exver")
    return ParsedExVer(_build_exver(raw), _quirks(raw))


def parse_exver(text: str) -> ExVer:
    """Parse ``[#flavor:]upstream:downstream`` exactly as StartOS SDK 2.0.9 does.

    >>> str(parse_exver("0.21.1-rc.0:0"))
    '0.21.1-rc.0:0'
    >>> parse_exver("0.21.1-rc0:0")
    Traceback (most recent call last):
    ...
    patchkit.versions.errors.VersionSyntaxError: <input>:1:10: expected ".", ":" or a letter, ...
    """
    return parse_exver_detailed(text).value


def parse_version_part(text: str) -> ExVerPart:
    """Parse one version without ``:`` (the SDK's ``Version.parse``), e.g. ``0.21.1-rc.0``."""
    t = Tokenizer(text, RULES)
    raw = _parse_version(t)
    if raw is None or not t.at_end:
        raise _syntax_error(t.failure(matched=raw is not None), "exver-version")
    return _build_part(raw)


def parse_range(text: str) -> VersionRange:
    """Parse a version range (the SDK's ``VersionRange.parse``), e.g. ``>=0.21.1:0 <0.22:0``."""
    t = Tokenizer(text, RULES)
    try:
        parsed = _parse_range(t, 0)
    except _TooDeep as deep:
        raise VersionSyntaxError(
            f"ranges nested deeper than {MAX_RANGE_DEPTH} levels are not supported",
            text=text,
            offset=deep.position,
            scheme="exver-range",
        ) from None
    if parsed is None or not t.at_end:
        raise _syntax_error(t.failure(matched=parsed is not None), "exver-range")
    return parsed


# --- explaining a failure -------------------------------------------------------------------

_HUMAN = {
    "[0-9]": "a digit",
    "[a-zA-Z]": "a letter",
    "[a-z]": "a lowercase letter",
    END_OF_INPUT: "the end of the string",
    "whitespace": "whitespace",
}


def _human_expected(expected: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(_HUMAN.get(e, e) for e in expected)


def _join(items: tuple[str, ...]) -> str:
    if len(items) <= 2:
        return " or ".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


def describe_char(ch: str | None) -> str:
    """How a found character is named: ``"0"``, ``"\\t" (tab)``, ``"…" (U+FF11 FULLWIDTH …)``."""
    if ch is None:
        return "the end of the string"
    if ch.isascii():
        if ch.isprintable():
            return '"\\""' if ch == '"' else f'"{ch}"'
        escaped = ch.encode("unicode_escape").decode("ascii")
        return f'"{escaped}" ({_CONTROL_NAMES.get(ch, "control character")})'
    name = unicodedata.name(ch, "")
    return f'"{ch}" (U+{ord(ch):04X}{" " + name if name else ""})'


_CONTROL_NAMES = {"\t": "tab", "\n": "newline", "\r": "carriage return", "\0": "NUL"}


def _explain(failure: SyntaxFailure, scheme: str) -> str | None:
    """Why the character at the failure offset is wrong, in ExVer's terms."""
    text, pos, found = failure.source, failure.position, failure.found
    expected = set(failure.expected)
    before = text[pos - 1] if pos > 0 else "\0"  # "\0": a sentinel no check below matches
    if found is not None and (found in " \t\r\n" or unicodedata.category(found).startswith("Z")):
        return "whitespace is not allowed in a version"
    if before == "." and (found is None or found in ":.-") and "[0-9]" in expected:
        return '"." must be followed by a number' + (" or a word" if "[a-zA-Z]" in expected else "")
    if before == "-" and (found is None or found == ":") and "[a-zA-Z]" in expected:
        return 'a pre-release needs at least one identifier after "-"'
    if found is None:
        if '":"' in expected and scheme == "exver":
            return (
                'an ExVer needs a downstream revision after ":" (the package revision), e.g. "…:0"'
            )
        if before == ":":
            return '":" must be followed by a version'
        return None
    if pos == 0 and scheme != "exver-range":
        if found in "vV":
            return 'ExVer has no "v" prefix'
        if unicodedata.category(found) != "Nd":
            return 'an ExVer starts with a number (or a "#flavor:" prefix)'
    if found in "vV" and "[0-9]" in expected and before in "#:":
        return 'ExVer has no "v" prefix'
    if unicodedata.category(found) == "Nd" and not found.isascii():
        return "only the ASCII digits 0-9 are allowed"
    if found.isascii() and found.isdigit() and "[a-zA-Z]" in expected and before.isalpha():
        word, digits = _word_before(text, pos), _digits_at(text, pos)
        return (
            "a pre-release identifier is all letters or all digits: "
            f'write "{word}.{digits}", not "{word}{digits}"'
        )
    if found.isascii() and found.isalpha() and before.isdigit():
        if '"-"' in expected:
            return (
                'a pre-release starts with "-" and its identifiers are separated by dots, '
                'e.g. "1.0.0-rc.1"'
            )
        if "[0-9]" in expected:
            return "a pre-release identifier is all letters or all digits: separate them with a dot"
    if found.isascii() and found.isalpha() and before == "." and expected == {"[0-9]"}:
        return (
            'the numbers of a version are digits only: pre-release words go after "-" '
            '(e.g. "0.21.1-rc.0"), and ExVer has no post-releases'
        )
    if "[a-z]" in expected and '":"' in expected:
        return "a flavor is lowercase ASCII letters only"
    if found == "+":
        return 'ExVer has no build metadata ("+…")'
    if found == "." and before in ".-:":
        return "empty version component"
    if found == ":" and before == ":":
        return 'empty version before this ":"'
    if found == ":" and END_OF_INPUT in expected:
        return (
            'an ExVer has one ":" between upstream and downstream '
            '(plus an optional "#flavor:" prefix)'
        )
    if found == "-" and before in "-.":
        return "pre-release identifiers are separated by dots"
    if found == "-" and before.isalnum() and '"."' in expected and "[0-9]" not in expected:
        return "pre-release identifiers are separated by dots, not dashes"
    return None


def _word_before(text: str, pos: int) -> str:
    start = pos
    while start > 0 and text[start - 1].isascii() and text[start - 1].isalpha():
        start -= 1
    return text[start:pos]


def _digits_at(text: str, pos: int) -> str:
    end = pos
    while end < len(text) and text[end].isascii() and text[end].isdigit():
        end += 1
    return text[pos:end]


def _syntax_error(failure: SyntaxFailure, scheme: str) -> VersionSyntaxError:
    expected = _human_expected(failure.expected)
    message = f"expected {_join(expected)}, found {describe_char(failure.found)}"
    why = _explain(failure, scheme)
    if why:
        message += f"; {why}"
    suggestion = None
    if scheme == "exver" and len(failure.source) <= MAX_SUGGESTION_INPUT:
        from patchkit.versions.suggest import suggest_exver

        suggestion = suggest_exver(failure.source)
    return VersionSyntaxError(
        message,
        text=failure.source,
        offset=failure.position,
        scheme=scheme,
        expected=expected,
        suggestion=suggestion,
        sdk_message=failure.sdk_message,
    )
