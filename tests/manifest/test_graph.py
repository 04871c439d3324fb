"""Issue 18: current from the version graph (per variant), image tags and EmVer, on small trees.

The trees under ``fixtures/graph``, ``fixtures/images`` and ``fixtures/emver`` are
written for these tests in the shapes real StartOS packages use (an alias of
current re-exported under another name; the early 0.4 ``export { x as current }``;
a current chosen by ``process.env.VARIANT``; an image tag built from a constant;
a Dockerfile ``FROM`` of the upstream image; a 0.3.x ``manifest.yaml``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from patchkit.check.run import run_check
from patchkit.config import load_config
from patchkit.diagnostics import Diagnostic
from patchkit.manifest.scan import check_manifests, scan

FIX = Path(__file__).parent / "fixtures"


def copy(tmp_path: Path, name: str) -> Path:
    root = tmp_path / "pkg"
    shutil.copytree(FIX / name, root)
    return root


def manifest_findings(root: Path) -> list[Diagnostic]:
    report = run_check(load_config(root))
    (area,) = [a for a in report.areas if a.name == "manifest"]
    return list(area.diagnostics)


def test_current_through_an_alias_and_a_re_export(tmp_path: Path) -> None:
    root = copy(tmp_path, "graph/alias")
    result = scan(load_config(root))
    assert result.currents is not None
    (current,) = result.currents
    assert current.item.text == "2.0:1-beta.1"
    assert current.item.path == "startos/install/versions/v2.0_1-beta.1.ts"
    assert current.variant is None
    # no PKM009: the graph names current; the action's `const current = await ...` is no version
    assert check_manifests(load_config(root)) == []


def test_export_as_current_is_the_current_version(tmp_path: Path) -> None:
    root = copy(tmp_path, "graph/export-current")
    found = check_manifests(load_config(root))
    # `{...} as any` is read through the cast; the version is really invalid ExVer
    assert [(d.code, d.path, d.line) for d in found] == [
        ("PKM001", "startos/install/versions/v0.4.0.0.ts", 4)
    ]


def test_each_variant_has_its_own_current(tmp_path: Path) -> None:
    root = copy(tmp_path, "graph/variants")
    result = scan(load_config(root))
    assert result.currents is not None
    got = sorted((c.variant, c.default_variant, c.item.text) for c in result.currents)
    assert got == [
        ("VARIANT=cpu", True, "1.2.0:0"),
        ("VARIANT=nvidia", False, "#nvidia:1.3.0:0"),
    ]
    # the cpu version is a template over a constant of another file, read and located
    cpu = next(c for c in result.currents if c.variant == "VARIANT=cpu")
    assert (cpu.item.path, cpu.item.line, cpu.item.col) == ("startos/versions/current.ts", 5, 12)
    # each image is judged against its own variant's current: no finding
    assert manifest_findings(root) == []


def test_a_variant_whose_image_lags_is_named(tmp_path: Path) -> None:
    root = copy(tmp_path, "graph/variants")
    images = root / "startos/manifest/images.ts"
    images.write_text(
        images.read_text().replace("CUDA_VERSION = '1.3.0'", "CUDA_VERSION = '1.2.9'")
    )
    (d,) = manifest_findings(root)
    assert (d.code, d.path, d.line) == ("PKM013", "startos/manifest/images.ts", 2)
    assert "[VARIANT=nvidia]" in d.message
    assert "startos/versions/nvidia/index.ts:4" in d.message
    assert "older than 1.3.0" in d.message


def test_image_tag_built_from_a_constant_points_at_the_constant(tmp_path: Path) -> None:
    root = copy(tmp_path, "images/tag")
    (d,) = manifest_findings(root)
    assert (d.code, d.path, d.line, d.col) == ("PKM013", "startos/manifest/index.ts", 4, 24)
    assert "vaultwarden/server:1.33.2-alpine" in d.message  # the tag, and where it is
    assert "'1.34.1:1' (startos/versions/v1.34.1.1.ts:4:13)" in d.message  # the version
    assert "older than 1.34.1" in d.message


@pytest.mark.parametrize(
    ("tag", "findings"),
    [
        ("1.34.1", 0),  # -alpine names the image's variant: same release
        ("1.34.1.3", 0),  # the image maker's rebuild of 1.34.1
        ("1.34.0", 1),
        ("1.35.0", 1),
    ],
)
def test_tag_agreement_by_the_sdk(tmp_path: Path, tag: str, findings: int) -> None:
    root = copy(tmp_path, "images/tag")
    manifest = root / "startos/manifest/index.ts"
    manifest.write_text(manifest.read_text().replace("'1.33.2'", f"'{tag}'"))
    assert len(manifest_findings(root)) == findings


def test_helper_images_are_not_the_upstream(tmp_path: Path) -> None:
    root = copy(tmp_path, "images/tag")
    manifest = root / "startos/manifest/index.ts"
    manifest.write_text(manifest.read_text().replace("'1.33.2'", "'1.34.1'"))
    # postgres:16.4-alpine is another project's version: never held against 1.34.1
    assert manifest_findings(root) == []


def test_dockerfile_from_of_the_upstream_image(tmp_path: Path) -> None:
    root = copy(tmp_path, "images/from")
    (d,) = manifest_findings(root)
    assert (d.code, d.path, d.line) == ("PKM013", "Dockerfile", 2)
    assert "FROM lightninglabs/lnd:v0.19.1-beta" in d.message
    assert "older than 0.19.2-beta" in d.message
    dockerfile = root / "Dockerfile"
    dockerfile.write_text(dockerfile.read_text().replace("v0.19.1-beta", "v0.19.2-beta"))
    assert manifest_findings(root) == []


def test_dockerfile_arg_of_the_upstream_version(tmp_path: Path) -> None:
    root = copy(tmp_path, "images/from")
    dockerfile = root / "Dockerfile"
    text = dockerfile.read_text().replace("v0.19.1-beta", "v0.19.2-beta")
    dockerfile.write_text(text.replace("LND_VERSION=v0.19.2-beta", "LND_VERSION=v0.18.5-beta"))
    (d,) = manifest_findings(root)
    assert (d.code, d.path, d.line, d.col) == ("PKM013", "Dockerfile", 1, 17)
    assert "ARG LND_VERSION=v0.18.5-beta" in d.message


def test_a_startos_03_manifest_is_emver(tmp_path: Path) -> None:
    root = copy(tmp_path, "emver")
    assert check_manifests(load_config(root)) == []  # 1.10.1.1 is right for StartOS 0.3.x
    manifest = root / "manifest.yaml"
    manifest.write_text(manifest.read_text().replace("1.10.1.1", "v1.10.1.1"))
    (d,) = check_manifests(load_config(root))
    assert (d.code, d.line, d.col) == ("PKM001", 3, 10)
    assert "EmVer" in d.message and d.fix == "write '1.10.1.1'"


def test_an_explicit_scheme_wins_over_emver(tmp_path: Path) -> None:
    root = copy(tmp_path, "emver")
    (root / "patchkit.toml").write_text(
        'manifests = [{ path = "manifest.yaml", kind = "yaml", scheme = "exver" }]\n'
    )
    (d,) = check_manifests(load_config(root))
    assert d.code == "PKM001" and "ExVer" in d.message


def _git(root: Path, *args: str) -> None:
    import subprocess

    subprocess.run(
        ["git", "-C", str(root), *args],
        check=True,
        capture_output=True,
        env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
             "GIT_COMMITTER_EMAIL": "t@t", "PATH": __import__("os").environ["PATH"],
             "HOME": str(root)},
    )  # fmt: skip


@pytest.mark.parametrize(
    ("pinned", "findings"),
    [
        ("54bbf516c2d1f0a9e8b7c6d5e4f3a2b1c0d9e8f7", 0),
        ("1111111111111111111111111111111111111111", 1),
    ],
)
def test_a_nightly_sha_tag_against_the_submodule_commit(
    tmp_path: Path, pinned: str, findings: int
) -> None:
    root = copy(tmp_path, "images/nightly")
    (root / "gitmodules").rename(root / ".gitmodules")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "update-index", "--add", "--cacheinfo", f"160000,{pinned},vllm")
    _git(root, "commit", "-q", "-m", "pin")
    (root / "vllm").mkdir()
    found = [d for d in manifest_findings(root) if d.code == "PKM013"]
    assert len(found) == findings
    if findings:
        (d,) = found
        assert (d.path, d.line) == ("startos/manifest/index.ts", 4)  # the constant
        assert "upstream commit 54bbf516c2d1" in d.message and "pinned to 111111111111" in d.message


def test_a_stale_constant_found_by_the_build_arg_it_feeds(tmp_path: Path) -> None:
    # no version_constants configured: UPSTREAM_VLLM_VERSION is judged because it flows into
    # the build arg VLLM_VERSION of the vllm image; PYTHON_VERSION names another project
    root = copy(tmp_path, "images/buildarg")
    (d,) = manifest_findings(root)
    assert (d.code, d.path, d.line, d.col) == ("PKM013", "startos/manifest/index.ts", 3, 38)
    assert "build arg VLLM_VERSION=0.21.0" in d.message
    assert "'0.21.1:0' (startos/versions/current.ts:4:13)" in d.message


def test_an_official_base_image_is_not_the_package_upstream(tmp_path: Path) -> None:
    # start9-pages-startos (28ac537): the only image is nginx:1.27.3-alpine, version 0.2.0:0
    root = copy(tmp_path, "images/tag")
    manifest = root / "startos/manifest/index.ts"
    text = manifest.read_text()
    start = text.index("    vaultwarden: {")
    end = text.index("    postgres: {")
    manifest.write_text(
        text[:start] + text[end:].replace("postgres:16.4-alpine", "nginx:1.27.3-alpine")
    )
    assert manifest_findings(root) == []
