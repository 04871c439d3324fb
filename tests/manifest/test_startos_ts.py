from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from patchkit.manifest.located import LocatedVersion, Unreadable
from patchkit.manifest.startos_ts import find_versions

FIX = Path(__file__).parent / "fixtures"


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def found(path: Path, **kw: object) -> list[LocatedVersion | Unreadable]:
    return list(find_versions(read(path), path.name, **kw))  # type: ignore[arg-type]


def assert_points_at_value(text: str, item: LocatedVersion) -> None:
    """The reported line/columns select exactly the value in the file."""
    line = text.splitlines()[item.line - 1]
    assert line[item.col - 1 : item.end_col - 1] == item.text
    assert text[item.start : item.end] == item.text


def test_current_version_file() -> None:
    path = FIX / "startos-pkg/startos/versions/current.ts"
    text = read(path)
    items = found(path)
    assert [(i.kind, i.line, i.col, i.end_col, i.text, i.name) for i in items] == [
        ("version", 9, 13, 21, "0.21.1:0", "v_0_21_1_0"),
        ("migration-key", 18, 8, 25, "0.20.0:0.4-beta.0", "v_0_21_1_0"),
        ("migration-key", 22, 9, 17, "0.19.2:1", "v_0_21_1_0"),
    ]
    for item in items:
        assert isinstance(item, LocatedVersion)
        assert_points_at_value(text, item)


def test_older_version_file() -> None:
    path = FIX / "startos-pkg/startos/versions/v_0_20_0_0_4_b0.ts"
    (item,) = found(path)
    assert (item.kind, item.line, item.col, item.end_col, item.text) == (
        "version", 4, 13, 30, "0.20.0:0.4-beta.0",
    )  # fmt: skip


def test_constants_file() -> None:
    path = FIX / "startos-pkg/startos/utils.ts"
    items = found(path, constant_names=("VLLM_VERSION", "BUILD_TAG"))
    assert [(i.kind, i.line, i.col, i.end_col, i.name) for i in items] == [
        ("constant", 2, 30, 37, "VLLM_VERSION"),
        ("constant", 6, 26, 48, "BUILD_TAG"),
    ]
    assert isinstance(items[0], LocatedVersion) and items[0].text == "v0.21.1"
    # a template literal over a constant of the same file is read (issue 18; it was PKM005)
    assert isinstance(items[1], LocatedVersion) and items[1].text == "vllm-v0.21.1"
    assert items[1].raw == "`vllm-${VLLM_VERSION}`"


def test_version_graph_names_current() -> None:
    path = FIX / "startos-pkg/startos/versions/index.ts"
    items = found(path)
    assert [(i.kind, i.line, i.col, i.text) for i in items] == [("current", 6, 12, "v_0_21_1_0")]


def test_every_way_to_name_current() -> None:
    items = found(FIX / "startos-ts/current-forms.ts")
    assert [(i.line, i.col, i.text) for i in items] == [
        (2, 10, "v0_4"),
        (3, 24, "v_0_3"),
        (4, 41, "v0360"),
        (5, 49, "v_1_0_0_0"),
    ]


def test_edge_cases_match_hand_written_expectations() -> None:
    path = FIX / "startos-ts/edge-cases.ts"
    expected = json.loads((FIX / "startos-ts/edge-cases.expected.json").read_text())
    items = found(path)
    assert len(items) == len(expected)
    for item, want in zip(items, expected, strict=True):
        assert (item.kind, item.line, item.col, item.end_col, item.name) == (
            want["kind"], want["line"], want["col"], want["end_col"], want["name"],
        )  # fmt: skip
        if "text" in want:
            assert isinstance(item, LocatedVersion) and item.text == want["text"]
        else:
            assert isinstance(item, Unreadable) and want["unreadable"] in item.reason


def test_crlf_and_lf_give_the_same_places() -> None:
    text = read(FIX / "startos-ts/edge-cases.ts")
    assert "\r" not in text
    lf = [(i.kind, i.line, i.col, i.end_col) for i in find_versions(text, "a.ts")]
    crlf = [
        (i.kind, i.line, i.col, i.end_col)
        for i in find_versions(text.replace("\n", "\r\n"), "a.ts")
    ]
    assert lf == crlf


def test_escaped_value_keeps_raw_spelling() -> None:
    text = "VersionInfo.of({ version: '0.21\\u002e1:0' })"
    (item,) = find_versions(text, "a.ts")
    assert isinstance(item, LocatedVersion)
    assert item.text == "0.21.1:0"
    assert item.raw == "0.21\\u002e1:0"
    assert text[item.start : item.end] == item.raw


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("VersionInfo.of(opts)", "not given an object literal"),
        ("VersionInfo.of({ releaseNotes: '' })", "no version property"),
        ("VersionInfo.of({ version: pick('a') })", "an expression"),
        ("VersionInfo.of({ version: 'never closed })", "unterminated string literal at line 1"),
        ("VersionInfo.of({ ...base })", "spread"),
    ],
)
def test_unreadable_shapes(source: str, reason: str) -> None:
    items = list(find_versions(source, "a.ts"))
    assert len(items) == 1
    assert isinstance(items[0], Unreadable)
    assert reason in items[0].reason


def test_text_in_comments_and_strings_is_not_code() -> None:
    text = (
        "// VersionInfo.of({ version: '1:0' })\nconst s = \"VersionInfo.of({ version: '2:0' })\"\n"
    )
    assert list(find_versions(text, "a.ts")) == []


# hypothesis: whatever surrounds a VersionInfo.of, the version is found where it is written
fillers = st.sampled_from([
    "", "\n", "// x 'y'\n", "/* `z` */", "const a = /'/g\n", "const b = `t${'u'}`\n",
    "f(a / b)\n", "const o = { version: 'not-this' }\n", "x = \"VersionInfo.of({version:'no'})\"\n",
])  # fmt: skip
versions = st.text(alphabet="0123456789.:-#abcrz", min_size=1, max_size=20)


@settings(max_examples=200)
@given(fillers, fillers, versions, st.sampled_from(["'", '"', "`"]))
def test_version_found_at_its_place_whatever_surrounds_it(
    before: str, after: str, version: str, quote: str
) -> None:
    head = before + "export const v_x = VersionInfo.of({\n  version: " + quote
    text = head + version + quote + ",\n})\n" + after
    items = [i for i in find_versions(text, "a.ts") if i.kind == "version"]
    assert len(items) == 1
    item = items[0]
    assert isinstance(item, LocatedVersion)
    assert item.start == len(head)
    assert item.text == version
    assert text[item.start : item.end] == version


@settings(max_examples=200)
@given(
    st.text(alphabet="VersionInfo.of({}):'\"`${}/*\n version other migrations,[]...", max_size=120)
)
def test_finder_never_raises_and_positions_point_into_the_text(text: str) -> None:
    for item in find_versions(text, "a.ts"):
        assert 0 <= item.start <= item.end <= len(text)
        if isinstance(item, LocatedVersion) and item.raw is None:
            assert text[item.start : item.end] == item.text


def test_invalid_escape_is_unreadable_not_guessed() -> None:
    (item,) = find_versions("VersionInfo.of({ version: '0.21\\x.1:0' })", "a.ts")
    assert isinstance(item, Unreadable)
    assert "invalid escape sequence" in item.reason


def test_satisfies_keeps_the_owner_and_is_read() -> None:
    text = (
        "import { VersionInfo, IMPOSSIBLE } from '@start9labs/start-sdk'\n"
        "const PREVIOUS = '29.3:10'\n"
        "export const current = VersionInfo.of({\n"
        "  version: '29.3:11',\n"
        "  migrations: { up: async () => {}, down: IMPOSSIBLE, other: { [PREVIOUS]: {} } },\n"
        "}).satisfies('29.3:10-beta.0')\n"
    )
    items = list(find_versions(text, "current.ts"))
    assert [(i.kind, i.line, i.text, i.name) for i in items if isinstance(i, LocatedVersion)] == [
        # a computed key over a constant: located where its text is written
        ("migration-key", 2, "29.3:10", "current"),
        ("version", 4, "29.3:11", "current"),  # named for the constant that holds the chain
        ("migration-key", 6, "29.3:10-beta.0", ""),  # what .satisfies claims
    ]
    assert "via const PREVIOUS" in items[0].context


def test_a_satisfies_chain_is_still_the_current_version(tmp_path: Path) -> None:
    from patchkit.config import load_config
    from patchkit.manifest.scan import scan

    versions = tmp_path / "startos/versions"
    versions.mkdir(parents=True)
    (versions / "v29.3.11.ts").write_text(
        "import { VersionInfo } from '@start9labs/start-sdk'\n"
        "export const v29_3_11 = VersionInfo.of({ version: '#knots:29.3:11', releaseNotes: '' })"
        ".satisfies('29.3:11')\n"
    )
    (versions / "v29.3.10.ts").write_text(
        "import { VersionInfo } from '@start9labs/start-sdk'\n"
        "export const v29_3_10 = VersionInfo.of({ version: '#knots:29.3:10', releaseNotes: '' })\n"
    )
    (versions / "index.ts").write_text(
        "import { VersionGraph } from '@start9labs/start-sdk'\n"
        "import { v29_3_11 } from './v29.3.11'\n"
        "import { v29_3_10 } from './v29.3.10'\n"
        "export const versionGraph = VersionGraph.of({ current: v29_3_11, other: [v29_3_10] })\n"
    )
    result = scan(load_config(tmp_path))
    assert result.currents is not None
    assert [c.item.text for c in result.currents] == ["#knots:29.3:11"]


def test_shorthand_version_property() -> None:
    # jellyfin-startos 2fba7b5: `const version = '…'` then VersionInfo.of({ version, ... })
    text = (
        "const version = '10.11.5:0-alpha.0'\n"
        "export const upstream = version.split(':')[0]\n"
        "export const v_10_11_5_0_a0 = VersionInfo.of({\n"
        "  version,\n"
        "  releaseNotes: 'Revamped for StartOS 0.4.0',\n"
        "})\n"
    )
    (item,) = find_versions(text, "v10.11.5.0.a0.ts")
    assert isinstance(item, LocatedVersion)
    assert (item.kind, item.line, item.col, item.text) == ("version", 1, 18, "10.11.5:0-alpha.0")
    assert item.name == "v_10_11_5_0_a0" and "via const version" in item.context


def test_shorthand_migrations_and_other() -> None:
    text = (
        "const other = { '1.0:0': {} }\n"
        "const migrations = { up: async () => {}, other }\n"
        "export const v_2 = VersionInfo.of({ version: '2.0:0', migrations })\n"
    )
    items = list(find_versions(text, "v2.ts"))
    assert [(i.kind, i.line, getattr(i, "text", None)) for i in items] == [
        ("migration-key", 1, "1.0:0"),
        ("version", 3, "2.0:0"),
    ]
