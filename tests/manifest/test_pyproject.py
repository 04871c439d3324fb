from __future__ import annotations

from pathlib import Path

import pytest

from patchkit.errors import SourceError
from patchkit.manifest.located import LocatedVersion, Unreadable
from patchkit.manifest.pyproject import find_versions

FIX = Path(__file__).parent / "fixtures/pyproject"


def test_project_version_exact_place() -> None:
    text = (FIX / "pyproject.toml").read_text()
    (item,) = find_versions(text, "pyproject.toml")
    assert isinstance(item, LocatedVersion)
    assert (item.kind, item.line, item.col, item.end_col, item.text) == (
        "version",
        7,
        15,
        21,
        "0.21.1",
    )
    assert item.context == "project.version"


@pytest.mark.parametrize(
    ("source", "line", "col", "text"),
    [
        ("[project]\r\nname = 'x'\r\nversion = '1.0'\r\n", 3, 12, "1.0"),
        ('[project]\nversion = """2.0"""\n', 2, 14, "2.0"),
        ("project.version = '3.0'\n", 1, 20, "3.0"),
        (
            "[project]\nname = 'version'\n[project.urls]\nversion = 'x'\n"
            "[tool.poetry]\nversion = '4.0'\n",
            6,
            12,
            "4.0",
        ),
    ],
)
def test_forms(source: str, line: int, col: int, text: str) -> None:
    found = [i for i in find_versions(source, "p.toml") if isinstance(i, LocatedVersion)]
    assert [(i.line, i.col, i.text) for i in found] == [(line, col, text)]


def test_dynamic_version_is_unreadable() -> None:
    (item,) = find_versions('[project]\nname = "x"\ndynamic = ["version"]\n', "p.toml")
    assert isinstance(item, Unreadable)
    assert "dynamic" in item.reason
    assert (item.line, item.col) == (3, 11)


def test_not_toml_is_a_located_error() -> None:
    with pytest.raises(SourceError) as info:
        list(find_versions("[project]\nversion = = 1\n", "p.toml"))
    assert (info.value.line, info.value.col) == (2, 11)
