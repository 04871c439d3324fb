"""The manifests guide (docs/guides/manifests.md) shows real output: these tests reproduce it."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from patchkit.cli.output import render_diagnostics
from patchkit.config import ConfigKeyError, load_config
from patchkit.manifest.scan import check_manifests

ROOT = Path(__file__).resolve().parents[2]
FIX = Path(__file__).parent / "fixtures"


def section() -> str:
    return (ROOT / "docs/guides/manifests.md").read_text(encoding="utf-8")


def test_check_output_example(tmp_path: Path) -> None:
    root = tmp_path / "pkg"
    shutil.copytree(FIX / "startos-pkg", root)
    current = root / "startos/versions/current.ts"
    current.write_text(current.read_text().replace("'0.21.1:0'", "'0.21.1-rc0:0'"))
    utils = root / "startos/utils.ts"
    utils.write_text(utils.read_text().replace("'v0.21.1'", "'v0.21.0'"))
    out = io.StringIO()
    render_diagnostics(check_manifests(load_config(root)), "text", out)
    assert out.getvalue() in section()


def test_config_error_example(tmp_path: Path) -> None:
    root = tmp_path / "pkg"
    shutil.copytree(FIX / "startos-pkg", root)
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace("version_constants", "version-constants"))
    with pytest.raises(ConfigKeyError) as info:
        load_config(root)
    rendered = info.value.render().replace(str(pyproject), "pyproject.toml")
    assert rendered + "\n" in section()
