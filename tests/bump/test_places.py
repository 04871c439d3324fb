"""The bump planner, place by place: spelling kept, flavors kept, revision back to 0."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

from patchkit.bump import NewVersion
from patchkit.bump.graph import rename
from patchkit.bump.places import respell
from patchkit.bump.plan import plan_bump
from patchkit.config import load_config
from patchkit.versions.exver import parse_version_part

NEW = NewVersion(pep440="0.34.0", written="0.34.0", tag="v0.34.0", source="test")
OLD = [parse_version_part("0.33.0")]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0.33.0", "0.34.0"),
        ("v0.33.0", "v0.34.0"),  # the tag prefix is kept
        ("V0.33.0", "V0.34.0"),
        ("0.33", "0.34.0"),  # the SDK holds 0.33 equal to 0.33.0
        ("0.33.0-alpine", "0.34.0-alpine"),  # an image variant suffix is kept
        ("v0.33.0-apache", "v0.34.0-apache"),
        ("0.33.0+cu121", "0.34.0+cu121"),
        ("0.32.0", None),  # another version: not the one being left
        ("0.33.0.1", None),  # an image maker's rebuild of 0.33.0: the maintainer decides
        ("0.33.0rc1", None),
        ("0.33.0-beta", None),
        ("latest", None),
        # a commit id of the old build (searxng's 2026.6.12-de8a3de15): no such tag exists for
        # the new release; a word made of hex letters only is still a variant suffix
        ("0.33.0-de8a3de15", None),
        ("v0.33.0-0a1b2c3d4e5f60718293a4b5c6d7e8f901234567", None),
        ("0.33.0-deadbeef", "0.34.0-deadbeef"),
        ("0.33.0-alpine3", "0.34.0-alpine3"),
    ],
)
def test_respell_keeps_the_spelling(value: str, expected: str | None) -> None:
    assert respell(value, OLD, NEW) == expected


def test_respell_uses_pep440_where_the_value_is_pep440() -> None:
    new = NewVersion(pep440="0.22.0rc1", written="0.22.0rc1", tag=None, source="test")
    assert respell("0.21.1rc0", [parse_version_part("0.21.1-rc.0")], new) == "0.22.0rc1"


def test_respell_beta_tags() -> None:
    new = NewVersion(pep440="0.21.2b0", written="0.21.2-beta", tag="v0.21.2-beta", source="t")
    old = [parse_version_part("0.21.1-beta")]
    assert respell("v0.21.1-beta", old, new) == "v0.21.2-beta"
    assert respell("0.21.1-beta-docker", old, new) == "0.21.2-beta-docker"


@pytest.mark.parametrize(
    ("encoded", "old", "new", "expected"),
    [
        ("v1.102.3.0", "1.102.3:0", "1.104.0:0", "1.104.0.0"),
        ("v_0_21_1_beta_0", "0.21.1-beta:0", "0.21.2-beta:0", "_0_21_2_beta_0"),
        ("v0.21.1-beta_0", "0.21.1-beta:0", "0.21.2-beta:0", "0.21.2-beta_0"),
        ("v2026.4.2_2", "2026.4.2:2", "2026.5:0", "2026.5_0"),
        ("v_2_3_0_1", "2.3.0:1", "2.4.0:0", "_2_4_0_0"),
        ("v_0_20_0_0", "#nvidia:0.20.0:0", "#nvidia:0.21.0:0", "_0_21_0_0"),
        ("current", "1.0:0", "2.0:0", None),
        ("v9.9.9.9", "1.0.0:0", "2.0.0:0", None),  # the name encodes another version
    ],
)
def test_rename_keeps_the_naming_style(
    encoded: str, old: str, new: str, expected: str | None
) -> None:
    assert rename(encoded, old, new) == expected


def test_docstring_examples() -> None:
    import patchkit.bump.graph
    import patchkit.bump.places

    for module in (patchkit.bump.places, patchkit.bump.graph):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0


def _repo(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    return root


def _new_texts(root: Path, new: NewVersion = NEW) -> dict[str, str | None]:
    plan = plan_bump(load_config(root), new, None)
    return {c.rel: c.new for c in plan.changes}


CURRENT = """\
import { VersionInfo } from '@start9labs/start-sdk'

export const current = VersionInfo.of({
  version: '{v}',
  releaseNotes: 'notes',
  migrations: { up: async () => {}, down: async () => {} },
})
"""


def test_current_version_flavor_kept_revision_back_to_zero(tmp_path: Path) -> None:
    root = _repo(
        tmp_path,
        {"startos/versions/current.ts": CURRENT.replace("{v}", "#knots:0.33.0:7")},
    )
    got = _new_texts(root)
    assert got == {"startos/versions/current.ts": CURRENT.replace("{v}", "#knots:0.34.0:0")}


def test_current_version_already_at_the_upstream_is_left_alone(tmp_path: Path) -> None:
    # 0.34 is 0.34.0 for the SDK: nothing to do, the revision stays
    root = _repo(tmp_path, {"startos/versions/current.ts": CURRENT.replace("{v}", "0.34:3")})
    assert _new_texts(root) == {}


def test_crlf_and_other_bytes_are_kept(tmp_path: Path) -> None:
    text = CURRENT.replace("{v}", "0.33.0:1").replace("\n", "\r\n") + "// tail\t \r\n"
    root = _repo(tmp_path, {"startos/versions/current.ts": text})
    assert _new_texts(root) == {
        "startos/versions/current.ts": text.replace("'0.33.0:1'", "'0.34.0:0'")
    }


MANIFEST = """\
import { setupManifest } from '@start9labs/start-sdk'

export const FOO_VERSION = 'v0.33.0'
const SCHEMA_VERSION = '0.33.0'

export const manifest = setupManifest({
  id: 'foo',
  images: {
    main: { source: { dockerTag: `ghcr.io/foo/foo:${FOO_VERSION}` } },
    db: { source: { dockerTag: 'postgres:16' } },
  },
})
"""


def test_constants_and_tags_of_the_package_only(tmp_path: Path) -> None:
    root = _repo(
        tmp_path,
        {
            "startos/versions/current.ts": CURRENT.replace("{v}", "0.33.0:2"),
            "startos/manifest/index.ts": MANIFEST,
        },
    )
    got = _new_texts(root)
    # FOO_VERSION names the package and feeds its image tag; SCHEMA_VERSION holds the same
    # text but is no version of the upstream: left alone
    assert got["startos/manifest/index.ts"] == MANIFEST.replace(
        "FOO_VERSION = 'v0.33.0'", "FOO_VERSION = 'v0.34.0'"
    )


def test_configured_constant_and_literal_tag_with_suffix(tmp_path: Path) -> None:
    manifest = MANIFEST.replace(
        "`ghcr.io/foo/foo:${FOO_VERSION}`", "'ghcr.io/foo/foo:0.33.0-alpine'"
    )
    root = _repo(
        tmp_path,
        {
            "pyproject.toml": '[tool.patchkit]\nversion_constants = ["SCHEMA_VERSION"]\n',
            "startos/versions/current.ts": CURRENT.replace("{v}", "0.33.0:2"),
            "startos/manifest/index.ts": manifest,
        },
    )
    got = _new_texts(root)
    assert got["startos/manifest/index.ts"] == (
        manifest.replace("FOO_VERSION = 'v0.33.0'", "FOO_VERSION = 'v0.34.0'")
        .replace("SCHEMA_VERSION = '0.33.0'", "SCHEMA_VERSION = '0.34.0'")
        .replace("foo:0.33.0-alpine", "foo:0.34.0-alpine")
    )


def test_dockerfile_arg_default_of_a_built_image(tmp_path: Path) -> None:
    manifest = """\
import { setupManifest } from '@start9labs/start-sdk'
export const manifest = setupManifest({
  id: 'foo',
  images: { main: { source: { dockerBuild: { dockerfile: './Dockerfile' } } } },
})
"""
    dockerfile = "FROM debian:12\nARG FOO_VERSION=v0.33.0\nARG OTHER=0.33.0\nRUN true\n"
    root = _repo(
        tmp_path,
        {
            "startos/versions/current.ts": CURRENT.replace("{v}", "0.33.0:0"),
            "startos/manifest/index.ts": manifest,
            "Dockerfile": dockerfile,
        },
    )
    got = _new_texts(root)
    assert got["Dockerfile"] == dockerfile.replace("FOO_VERSION=v0.33.0", "FOO_VERSION=v0.34.0")


INDEX = """\
import { VersionGraph } from '@start9labs/start-sdk'
import { v_1_2_0_0 } from './v1.2.0.0'
import { v_1_3_0_1 } from './v1.3.0.1'

export const versionGraph = VersionGraph.of({
  current: v_1_3_0_1,
  other: [
    v_1_2_0_0,
  ],
})
"""

RELEASE = """\
import { VersionInfo } from '@start9labs/start-sdk'

export const {name} = VersionInfo.of({
  version: '{v}',
  releaseNotes: 'notes of {v}',
  migrations: { up: async () => {}, down: async () => {} },
})
"""


def _release(name: str, v: str) -> str:
    return RELEASE.replace("{name}", name).replace("{v}", v)


def test_per_release_file_and_multi_line_graph(tmp_path: Path) -> None:
    root = _repo(
        tmp_path,
        {
            "startos/versions/index.ts": INDEX,
            "startos/versions/v1.2.0.0.ts": _release("v_1_2_0_0", "1.2.0:0"),
            "startos/versions/v1.3.0.1.ts": _release("v_1_3_0_1", "1.3.0:1"),
        },
    )
    new = NewVersion(pep440="1.4.0", written="1.4.0", tag="v1.4.0", source="test")
    got = _new_texts(root, new)
    assert got["startos/versions/index.ts"] == (
        INDEX.replace(
            "import { v_1_3_0_1 } from './v1.3.0.1'\n",
            "import { v_1_3_0_1 } from './v1.3.0.1'\nimport { v_1_4_0_0 } from './v1.4.0.0'\n",
        )
        .replace("current: v_1_3_0_1", "current: v_1_4_0_0")
        .replace("    v_1_2_0_0,\n", "    v_1_2_0_0,\n    v_1_3_0_1,\n")
    )
    # a copy of the current file: its notes stay the maintainer's to rewrite
    assert got["startos/versions/v1.4.0.0.ts"] == _release("v_1_4_0_0", "1.4.0:0").replace(
        "notes of 1.4.0:0", "notes of 1.3.0:1"
    )


def test_per_release_file_whose_name_says_nothing_is_rewritten_in_place(tmp_path: Path) -> None:
    root = _repo(
        tmp_path,
        {
            "startos/versions/index.ts": INDEX.replace("'./v1.3.0.1'", "'./latest'"),
            "startos/versions/v1.2.0.0.ts": _release("v_1_2_0_0", "1.2.0:0"),
            "startos/versions/latest.ts": _release("v_1_3_0_1", "1.3.0:1"),
        },
    )
    new = NewVersion(pep440="1.4.0", written="1.4.0", tag="v1.4.0", source="test")
    plan = plan_bump(load_config(root), new, None)
    assert {c.rel: c.new for c in plan.changes} == {
        "startos/versions/latest.ts": _release("v_1_3_0_1", "1.3.0:1").replace(
            "version: '1.3.0:1'", "version: '1.4.0:0'"
        )
    }
    assert any("rewriting the version in place" in n for n in plan.notes)


def test_a_tag_pinned_by_digest_is_left_to_the_maintainer(tmp_path: Path) -> None:
    # a new tag with the old digest would still pull the old image: neither the tag nor
    # the constant it is built from is rewritten, and the summary says why
    manifest = MANIFEST.replace(
        "`ghcr.io/foo/foo:${FOO_VERSION}`", "`ghcr.io/foo/foo:${FOO_VERSION}@sha256:${'a' * 64}`"
    ).replace("${'a' * 64}", "a" * 64)
    root = _repo(
        tmp_path,
        {
            "startos/versions/current.ts": CURRENT.replace("{v}", "0.33.0:2"),
            "startos/manifest/index.ts": manifest,
        },
    )
    plan = plan_bump(load_config(root), NEW, None)
    assert [c.rel for c in plan.changes] == ["startos/versions/current.ts"]
    assert len(plan.skipped) == 1
    assert "pinned by digest" in plan.skipped[0]
    assert plan.skipped[0].startswith("startos/manifest/index.ts:3:")


def test_a_copied_migration_is_flagged(tmp_path: Path) -> None:
    migrating = _release("v_1_3_0_1", "1.3.0:1").replace(
        "up: async () => {}", "up: async () => { await move() }"
    )
    root = _repo(
        tmp_path,
        {
            "startos/versions/index.ts": INDEX,
            "startos/versions/v1.2.0.0.ts": _release("v_1_2_0_0", "1.2.0:0"),
            "startos/versions/v1.3.0.1.ts": migrating,
        },
    )
    new = NewVersion(pep440="1.4.0", written="1.4.0", tag="v1.4.0", source="test")
    plan = plan_bump(load_config(root), new, None)
    created = [c for c in plan.changes if c.original is None]
    assert [(c.rel, c.copies_migration) for c in created] == [
        ("startos/versions/v1.4.0.0.ts", True)
    ]
    # an empty up (the usual new release file) is not flagged
    (root / "startos/versions/v1.3.0.1.ts").write_text(_release("v_1_3_0_1", "1.3.0:1"))
    plan = plan_bump(load_config(root), new, None)
    assert [c.copies_migration for c in plan.changes if c.original is None] == [False]


def test_configured_upstream_version_moves_with_the_bump(tmp_path: Path) -> None:
    pyproject = '[tool.patchkit]\nupstream_version = "0.33.0"  # until the submodule lands\n'
    root = _repo(
        tmp_path,
        {
            "pyproject.toml": pyproject,
            "startos/versions/current.ts": CURRENT.replace("{v}", "0.33.0:2"),
        },
    )
    got = _new_texts(root)
    assert got["pyproject.toml"] == pyproject.replace('"0.33.0"', '"0.34.0"')


def test_tag_template_that_adds_the_v(tmp_path: Path) -> None:
    manifest = MANIFEST.replace("FOO_VERSION = 'v0.33.0'", "FOO_VERSION = '0.33.0'").replace(
        "`ghcr.io/foo/foo:${FOO_VERSION}`", "`ghcr.io/foo/foo:v${FOO_VERSION}`"
    )
    root = _repo(
        tmp_path,
        {
            "startos/versions/current.ts": CURRENT.replace("{v}", "0.33.0:2"),
            "startos/manifest/index.ts": manifest,
        },
    )
    plan = plan_bump(load_config(root), NEW, None)
    assert {c.rel: c.new for c in plan.changes}["startos/manifest/index.ts"] == manifest.replace(
        "FOO_VERSION = '0.33.0'", "FOO_VERSION = '0.34.0'"
    )
    assert plan.skipped == ()


VARIANT_INDEX = """\
import { VersionGraph } from '@start9labs/start-sdk'
import { current as baseCurrent } from './current'
import * as nvidia from './nvidia'

const variant = process.env.VARIANT || 'cpu'

export const versionGraph = VersionGraph.of({
  current: variant === 'nvidia' ? nvidia.current : baseCurrent,
  other: [],
})
"""


def test_per_variant_version_files_each_move_with_their_flavor(tmp_path: Path) -> None:
    nvidia = CURRENT.replace("{v}", "#nvidia:0.33.0:2")
    root = _repo(
        tmp_path,
        {
            "startos/versions/index.ts": VARIANT_INDEX,
            "startos/versions/current.ts": CURRENT.replace("{v}", "0.33.0:1"),
            "startos/versions/nvidia/index.ts": nvidia,
        },
    )
    assert _new_texts(root) == {
        "startos/versions/current.ts": CURRENT.replace("{v}", "0.34.0:0"),
        "startos/versions/nvidia/index.ts": CURRENT.replace("{v}", "#nvidia:0.34.0:0"),
    }
