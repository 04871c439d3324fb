"""The manifest checks on a StartOS-style package and on broken variants (one mistake each)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from patchkit.config import load_config
from patchkit.diagnostics import Severity
from patchkit.manifest.check import check_items, check_version_file_names
from patchkit.manifest.scan import check_manifests, find_in_text, scan

FIX = Path(__file__).parent / "fixtures"
VARIANTS = json.loads((FIX / "variants.json").read_text())["variants"]


def package(tmp_path: Path) -> Path:
    root = tmp_path / "pkg"
    shutil.copytree(FIX / "startos-pkg", root)
    return root


def test_the_package_is_clean(tmp_path: Path) -> None:
    root = package(tmp_path)
    assert check_manifests(load_config(root)) == []


def test_scan_finds_every_file_and_item(tmp_path: Path) -> None:
    result = scan(load_config(package(tmp_path)))
    assert result.files == (
        "startos/utils.ts",
        "startos/versions/current.ts",
        "startos/versions/index.ts",
        "startos/versions/v_0_20_0_0_4_b0.ts",
        ".github/workflows/build.yml",
        "Dockerfile",
    )
    assert [(i.path, i.kind, i.scheme) for i in result.items if i.kind == "version"] == [
        ("startos/versions/current.ts", "version", "exver"),
        ("startos/versions/v_0_20_0_0_4_b0.ts", "version", "exver"),
    ]


@pytest.mark.parametrize("variant", VARIANTS, ids=[v["name"] for v in VARIANTS])
def test_broken_variant(tmp_path: Path, variant: dict[str, object]) -> None:
    root = package(tmp_path)
    edit = variant["edit"]
    assert isinstance(edit, dict)
    target = root / edit["file"]
    text = target.read_text()
    assert text.count(edit["old"]) == 1, "the variant's edit must be unambiguous"
    target.write_text(text.replace(edit["old"], edit["new"]))
    if "rename" in variant:
        old, new = variant["rename"]  # type: ignore[misc]
        (root / old).rename(root / new)
    found = check_manifests(load_config(root))
    assert [[d.code, d.path, d.line, d.col] for d in found] == variant["expected"]
    if "fix" in variant:
        assert found[0].fix == variant["fix"]


def test_upstream_version_argument_overrides_config(tmp_path: Path) -> None:
    found = check_manifests(load_config(package(tmp_path)), upstream_version="0.22.0")
    assert [(d.code, d.path, d.line) for d in found] == [
        ("PKM003", ".github/workflows/build.yml", 4),
        ("PKM008", ".github/workflows/build.yml", 9),
        ("PKM003", "Dockerfile", 2),
        ("PKM008", "Dockerfile", 4),
        ("PKM003", "startos/utils.ts", 2),
        ("PKM006", "startos/versions/current.ts", 9),
    ]


def items_of(name: str, kind: str, text: str, **kw: object) -> list[object]:
    return find_in_text(text, name, kind, **kw)  # type: ignore[arg-type]


def test_yaml_number_is_flagged() -> None:
    text = "version: 1.10\n"
    found = check_items(items_of("manifest.yaml", "yaml", text, scheme="pep440"))  # type: ignore[arg-type]
    assert [(d.code, d.line, d.col, d.fix) for d in found] == [
        ("PKM010", 1, 10, "quote it: '1.10'")
    ]


def test_order_hazard_between_two_versions() -> None:
    a = "export const a = VersionInfo.of({ version: '1.0.0-1:0' })\n"
    b = "export const b = VersionInfo.of({ version: '1.0.0-alpha:0' })\n"
    found = check_items(items_of("a.ts", "startos-ts", a) + items_of("b.ts", "startos-ts", b))  # type: ignore[arg-type]
    codes = [(d.code, d.path, d.severity) for d in found]
    assert ("PKM011", "b.ts", Severity.WARNING) in codes


def test_flavored_migration_key_is_not_ordered_against_an_unflavored_version() -> None:
    text = (
        "export const k = VersionInfo.of({ version: '1.0:0', "
        "migrations: { other: { '#knots:9.0:0': {} } } })"
    )
    assert check_items(items_of("k.ts", "startos-ts", text)) == []  # type: ignore[arg-type]


def test_range_keys_are_left_to_the_range_grammar() -> None:
    text = (
        "export const k = VersionInfo.of({ version: '29.0:0', "
        "migrations: { other: { ['^28']: {}, '>=1:0 <2:0': {} } } })"
    )
    assert check_items(items_of("k.ts", "startos-ts", text)) == []  # type: ignore[arg-type]


def test_pep440_manifest_not_normalised_is_a_warning() -> None:
    text = '[project]\nversion = "v1.0"\n'
    found = check_items(items_of("pyproject.toml", "pyproject", text, scheme="pep440"))  # type: ignore[arg-type]
    assert [(d.code, d.severity, d.line, d.col, d.fix) for d in found] == [
        ("PKM007", Severity.WARNING, 2, 12, "write '1.0'"),
    ]


def test_unconfigured_constants_are_not_checked() -> None:
    text = "export const PYTHON_VERSION = `${x}`\nexport const CUDA_VERSION = '12.8.1'\n"
    found = check_items(items_of("u.ts", "startos-ts", text), upstream_version="0.21.1")  # type: ignore[arg-type]
    assert found == []


def test_constant_checked_against_current_without_upstream_version() -> None:
    text = (
        "export const VLLM_VERSION = 'v0.20.0'\n"
        "export const v_0_21_1_0 = VersionInfo.of({ version: '0.21.1:0' })\n"
    )
    found = check_items(items_of("c.ts", "startos-ts", text), version_constants=["VLLM_VERSION"])  # type: ignore[arg-type]
    assert [(d.code, d.line, d.col) for d in found] == [("PKM003", 1, 30)]


@pytest.mark.parametrize(
    ("a", "b", "hazard"),
    [
        ("1.0.0-1:0", "1.0.0-alpha:0", True),
        ("1.0.0-1.a:0", "1.0.0-a:0", True),  # research/exver.md §5: the SDK says +1
        ("1.0.0-rc.1.1:0", "1.0.0-rc.1.a:0", True),  # mixed at position 3, asked both ways
        ("1.0.0-rc.1:0", "1.0.0-rc.alpha:0", False),  # at position 2 the SDK's bug looks right
        ("1.0:0-1", "1.0.0:0-beta", True),  # downstream, after equal upstream parts
        ("1.0.0-1:0", "2.0.0-alpha:0", False),  # decided by the release numbers first
        ("1.0.0-rc.1:0", "1.0.0-beta.alpha:0", False),  # decided by rc vs beta first
        ("1.0.0-1:0-1", "1.0.1:0-alpha", False),
        ("#a:1.0.0-1:0", "1.0.0-alpha:0", False),  # flavors are never compared
    ],
)
def test_order_hazard_only_where_the_comparison_reaches(a: str, b: str, hazard: bool) -> None:
    text = (
        f"export const a = VersionInfo.of({{ version: '{a}' }})\n"
        f"export const b = VersionInfo.of({{ version: '{b}' }})\n"
        "export { a as current }\n"
    )
    found = [d.code for d in check_items(items_of("v.ts", "startos-ts", text))]  # type: ignore[arg-type]
    assert ("PKM011" in found) is hazard


@pytest.mark.parametrize(
    ("file_name", "const", "version", "agrees"),
    [
        ("v_0_20_0_0_4_b0.ts", "v_0_20_0_0_4_b0", "0.20.0:0.4-beta.0", True),
        ("v0.20.0.0.4-beta.0.ts", "v_0_20_0_0_4_b0", "0.20.0:0.4-beta.0", True),
        ("v2.1.6.0-alpha.1.ts", "v_2_1_6_0_alpha1", "2.1.6:0-alpha.1", True),
        ("v0.3.6.0.ts", "v0360", "0.3.6:0", True),  # compact constant name
        ("v0.6.ts", "v0_6", "0.6:1-beta.0", True),  # names that encode the upstream part only
        ("v_0_20_0_0_4_b0.ts", "v_0_20_0_0_4_b0", "0.20.0:0.4-beta.1", False),
        ("v_0_21_0_0.ts", "v_0_21_1_0", "0.21.1:0", False),  # the file was not renamed
        ("v_0_21_1_0.ts", "v_0_21_0_0", "0.21.1:0", False),  # the constant was not renamed
        ("v0.19.2.1.b0.ts", "v0_19_2_beta_1_beta_0", "0.19.2-beta:1-beta.1", False),
        # the SDK holds 29.1 equal to 29.1.0, so a name may spell either (bitcoin-core-startos)
        ("v29_1_0_2-beta.1.ts", "v29_1_0_2_beta1", "29.1:2-beta.1", True),
        ("v29_1_0_2.ts", "v29_1_0_2", "29.1:2", True),
        ("v29_1_2.ts", "v29_1_2", "29.1.0:2", True),
        ("v29_2_0_2.ts", "v29_2_0_2", "29.1:2", False),
        ("v29_1_0_2.ts", "v29_1_0_2", "29.1.2:0", False),
    ],
)
def test_version_file_name_conventions(
    file_name: str, const: str, version: str, agrees: bool
) -> None:
    text = f"export const {const} = VersionInfo.of({{ version: '{version}' }})\n"
    items = items_of(f"startos/versions/{file_name}", "startos-ts", text)
    found = check_version_file_names(items, "startos/versions/v*.ts")  # type: ignore[arg-type]
    assert (found == []) is agrees
    if not agrees:
        assert [d.code for d in found] == ["PKM004"]


def test_version_file_name_fix_follows_the_file_style() -> None:
    text = "export const v_0_20_0_0_4_b0 = VersionInfo.of({ version: '0.20.1:0.5-beta.2' })\n"
    items = items_of("startos/versions/v_0_20_0_0_4_b0.ts", "startos-ts", text)
    (found,) = check_version_file_names(items, "startos/versions/v_*.ts")  # type: ignore[arg-type]
    assert found.fix == (
        "rename the file v_0_20_1_0_5_b2.ts and rename the constant v_0_20_1_0_5_b2, "
        "or fix the version"
    )


@pytest.mark.parametrize(
    ("current", "upstream", "tag", "finding"),
    [
        # lnd's tag v0.21.2-beta: PEP 440 makes it 0.21.2b0 (ExVer 0.21.2-beta.0, which the SDK
        # orders above 0.21.2-beta); the tag as written is what the package follows
        ("0.21.2-beta:1", "0.21.2b0", "v0.21.2-beta", False),
        ("0.21.2-beta:1", "0.21.2b0", None, True),
        ("0.21.1-beta:7", "0.21.2b0", "v0.21.2-beta", True),
        ("29.1:2", "29.1.0", "v29.1.0", False),  # equal by the SDK
        ("0.17.0-alpha:7", "0.17.0a0", "v0.17.0-alpha", False),
        ("0.21.1-rc.0:0", "0.21.1rc0", "v0.21.1rc0", False),
        ("0.21.1:0", "0.21.1rc0", "v0.21.1rc0", True),
    ],
)
def test_current_against_the_upstream_tag(
    current: str, upstream: str, tag: str | None, finding: bool
) -> None:
    from patchkit.manifest.check import check_current_upstream

    text = f"export const current = VersionInfo.of({{ version: '{current}' }})\n"
    (item,) = [i for i in items_of("current.ts", "startos-ts", text) if i.kind == "version"]
    found = check_current_upstream(item, upstream, tag)  # type: ignore[arg-type]
    assert bool(found) is finding
    if finding and tag is not None:
        assert f"tag {tag}" in found[0].message and "the SDK reads" in found[0].message
