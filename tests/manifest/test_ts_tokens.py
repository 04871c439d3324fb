from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from patchkit.manifest.ts_tokens import tokenize


def kinds(text: str) -> list[tuple[str, str]]:
    return [(t.kind, t.text) for t in tokenize(text)]


# -- examples -------------------------------------------------------------------------------


def test_comments_hide_strings() -> None:
    text = "// 'a'\n/* \"b\" `c` */ x"
    assert kinds(text) == [("ident", "x")]


def test_strings_hide_comments() -> None:
    toks = tokenize("'// no' \"/* no */\"")
    assert [t.value for t in toks] == ["// no", "/* no */"]


@pytest.mark.parametrize(
    ("source", "value"),
    [
        (r"'a\'b'", "a'b"),
        (r'"a\"b"', 'a"b'),
        (r"'\x41\u0042\u{43}'", "ABC"),
        (r"'\n\t\\'", "\n\t\\"),
        ("'a\\\nb'", "ab"),  # a line continuation inside a string
        (r"'\0'", "\0"),
        (r"'\q'", "q"),  # a needless escape is the character itself
    ],
)
def test_string_escapes(source: str, value: str) -> None:
    (tok,) = tokenize(source)
    assert tok.kind == "string"
    assert tok.value == value


@pytest.mark.parametrize("source", [r"'\x4'", r"'\u00G1'", r"'\u{110000}'", r"'\1'"])
def test_invalid_escape_has_no_value(source: str) -> None:
    (tok,) = tokenize(source)
    assert tok.kind == "string"
    assert tok.value is None
    assert tok.error == "invalid escape sequence"


def test_template_without_substitution_is_a_literal() -> None:
    (tok,) = tokenize("`0.21.1:0`")
    assert tok.kind == "template"
    assert tok.is_literal_string
    assert tok.value == "0.21.1:0"


def test_template_substitutions_nest() -> None:
    text = "`a${ `b${c}` }d${ {e: '}'}.e }`"
    (tok,) = tokenize(text)
    assert tok.kind == "template"
    assert tok.value is None
    assert [text[s.start : s.end] for s in tok.substitutions] == [" `b${c}` ", " {e: '}'}.e "]
    inner = tok.substitutions[0].tokens[0]
    assert inner.kind == "template"
    assert [text[s.start : s.end] for s in inner.substitutions] == ["c"]


def test_template_crlf_is_cooked_as_lf() -> None:
    (tok,) = tokenize("`a\r\nb`")
    assert tok.value == "a\nb"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("x = /'/; y = 'z'", ["ident", "punct", "regex", "punct", "ident", "punct", "string"]),
        ("a / 'b' / c", ["ident", "punct", "string", "punct", "ident"]),
        (
            "f(x) / 2 / 'q'",
            ["ident", "punct", "ident", "punct", "punct", "number", "punct", "string"],
        ),
        ("return /[/']/.test(s)", ["ident", "regex", "punct", "ident", "punct", "ident", "punct"]),
    ],
)
def test_regex_versus_division(source: str, expected: list[str]) -> None:
    assert [t.kind for t in tokenize(source)] == expected


def test_unterminated_string_is_an_error_token_and_lexing_goes_on() -> None:
    toks = tokenize("a = 'oops\nb = 'fine'")
    assert [(t.kind, t.text) for t in toks] == [
        ("ident", "a"),
        ("punct", "="),
        ("error", "'oops"),
        ("ident", "b"),
        ("punct", "="),
        ("string", "'fine'"),
    ]


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("x /* never closed", "unterminated comment"),
        ("`open ${ a", "unterminated template literal"),
        ("`open", "unterminated template literal"),
    ],
)
def test_unterminated_at_end(source: str, error: str) -> None:
    last = tokenize(source)[-1]
    assert last.kind == "error"
    assert last.error == error
    assert last.end == len(source)


def test_punctuators_are_greedy() -> None:
    assert [t.text for t in tokenize("a=>b...c?.d===e")] == [
        "a", "=>", "b", "...", "c", "?.", "d", "===", "e",
    ]  # fmt: skip


def test_numbers() -> None:
    assert kinds("1e-3 0x1E 1_000n .5") == [
        ("number", "1e-3"), ("number", "0x1E"), ("number", "1_000n"), ("number", ".5"),
    ]  # fmt: skip


# -- properties -----------------------------------------------------------------------------

ts_alphabet = st.sampled_from(
    [*"abc019 _$'\"`\\/*{}()[]$.:;,=+-\n\r\t#?!<>|&", "${", "//", "/*", "*/"]
)
ts_like = st.lists(ts_alphabet, max_size=60).map("".join)


def _check_invariants(text: str) -> None:
    toks = tokenize(text)
    pos = 0
    for tok in toks:
        assert pos <= tok.start <= tok.end <= len(text)
        assert text[tok.start : tok.end] == tok.text
        assert tok.end > tok.start
        pos = tok.end
        if tok.kind == "string":
            assert tok.text[0] in "'\"" and tok.text[-1] == tok.text[0] and len(tok.text) >= 2
        if tok.kind == "template":
            assert tok.text[0] == "`" and tok.text[-1] == "`"
            for sub in tok.substitutions:
                assert tok.start < sub.start <= sub.end < tok.end
                assert text[sub.start - 2 : sub.start] == "${" and text[sub.end] == "}"


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(ts_like)
@example("`${`${'}'}`}`")
@example("'\\")
@example("/[/")
def test_never_raises_and_tokens_tile_the_text(text: str) -> None:
    _check_invariants(text)


@settings(max_examples=300)
@given(st.text(max_size=200))
def test_never_raises_on_any_text(text: str) -> None:
    _check_invariants(text)


# A JavaScript string literal whose decoded value is known: JSON escaping is valid JavaScript.
literal_values = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\u2028\u2029"),
    max_size=30,
)
prefixes = st.sampled_from(
    ["", "x = ", "f(", "// c\n", "/* c */ ", "a / ", "{ k: ", "`t${u}` + ", "/re/g, "]
)
suffixes = st.sampled_from(["", ";", ")", " // 'c'", " + 'x'", ",\n", " /* ` */"])


@settings(max_examples=400)
@given(prefixes, literal_values, suffixes, st.booleans())
def test_a_literal_in_code_is_found_at_its_place(
    prefix: str, value: str, suffix: str, single: bool
) -> None:
    literal = json.dumps(value)
    if single:  # the same literal with single quotes
        literal = "'" + literal[1:-1].replace('\\"', '"').replace("'", "\\'") + "'"
    text = prefix + literal + suffix
    start = len(prefix)
    found = [t for t in tokenize(text) if t.kind == "string" and t.start == start]
    assert len(found) == 1
    tok = found[0]
    assert tok.end == start + len(literal)
    assert tok.value == value
