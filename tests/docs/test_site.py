"""The documentation site builds with `mkdocs build --strict`: a broken link or anchor,
a page missing from the nav, or a nav entry without a page fails the build.

Skipped when MkDocs is not installed (the `docs` and `test` extras bring it), except in
CI (CI=true), where a missing MkDocs is a failure: the site must be checked there.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _mkdocs_available() -> bool:
    try:
        import material  # noqa: F401
        import mkdocs  # noqa: F401
    except ImportError:
        return False
    return True


def _build(project: Path, site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


def test_site_builds_strict(tmp_path: Path) -> None:
    if not _mkdocs_available():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("mkdocs and mkdocs-material are not installed: pip install -e '.[test]'")
        pytest.skip("mkdocs and mkdocs-material are not installed (pip install -e '.[docs]')")
    site = tmp_path / "site"
    done = _build(ROOT, site)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (site / "index.html").is_file()
    # the pages included from the repository root carry their text
    assert "vLLM submodule bump" in (site / "updating-vllm/index.html").read_text("utf-8")
    assert "Test oracles" in (site / "contributing/index.html").read_text("utf-8")


def test_a_page_left_out_of_the_nav_fails_the_build(tmp_path: Path) -> None:
    """The configuration makes an orphan page an error, not a silent unreachable page."""
    if not _mkdocs_available():
        pytest.skip("mkdocs and mkdocs-material are not installed (pip install -e '.[docs]')")
    for name in ("mkdocs.yml", "UPDATING.md", "CONTRIBUTING.md"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    (tmp_path / "patchkit").symlink_to(ROOT / "patchkit")  # the reference hook reads it
    (tmp_path / "docs/orphan.md").write_text("# Nobody links here\n", encoding="utf-8")
    done = _build(tmp_path, tmp_path / "site")
    assert done.returncode != 0
    assert "orphan.md" in done.stdout + done.stderr
