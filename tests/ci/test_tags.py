"""The tag scheme: one tag per release, ``v`` + ``patchkit.__version__``; the documented
``uses: OWNER/patchkit@...`` and pre-commit ``rev:`` examples name the current release."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = (
    "docs/guides/github-action.md",
    "docs/guides/pre-commit.md",
    ".pre-commit-hooks.yaml",
    "action.yml",
)
# every place a document names a patchkit release
PINS = (
    re.compile(r"patchkit@(v[^\s\"'`)]+)"),
    re.compile(r"^\s*#?\s*rev: (v\S+)", re.MULTILINE),
    re.compile(r"frozen: (v[^\s)`]+)"),
    re.compile(r"patchkit-downstream==(\d[^\s\"'`)]*)"),
)


def _version() -> str:
    from patchkit import __version__

    return __version__


def test_the_version_makes_a_tag_of_the_scheme() -> None:
    version = _version()
    assert re.fullmatch(r"\d+\.\d+\.\d+", version), "a release is MAJOR.MINOR.PATCH"
    from packaging.version import Version

    assert str(Version(version)) == version  # PEP 440 normal form: the tag reads as the wheel


@pytest.mark.parametrize("name", DOCS)
def test_documented_pins_name_the_current_release(name: str) -> None:
    text = (ROOT / name).read_text(encoding="utf-8")
    found = [m.group(1) for pattern in PINS for m in pattern.finditer(text)]
    if name.endswith(".md") or name == ".pre-commit-hooks.yaml":
        assert found, f"{name} shows no pinned example"
    version = _version()
    for pin in found:
        assert pin in (f"v{version}", version), (
            f"{name}: {pin!r} is not the release in patchkit/__init__.py (v{version}); "
            "update the examples with the version"
        )


def test_the_docs_say_what_works_before_the_first_tag() -> None:
    action = (ROOT / "docs/guides/github-action.md").read_text(encoding="utf-8")
    hook = (ROOT / "docs/guides/pre-commit.md").read_text(encoding="utf-8")
    assert "uses: OWNER/patchkit@<full commit sha>" in action
    assert "rev: <full commit sha>" in hook and "pre-commit autoupdate --freeze" in hook


def test_every_release_tag_names_a_commit_of_that_version() -> None:
    tags = subprocess.run(
        ["git", "tag", "--list", "v[0-9]*"], cwd=ROOT, capture_output=True, text=True
    )
    if tags.returncode != 0:
        pytest.skip("not a git checkout")
    for tag in tags.stdout.split():
        init = subprocess.run(
            ["git", "show", f"{tag}:patchkit/__init__.py"],
            cwd=ROOT, capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        (version,) = re.findall(r'^__version__ = "([^"]+)"', init, re.MULTILINE)
        assert tag == f"v{version}", f"tag {tag} names a commit of patchkit {version}"
