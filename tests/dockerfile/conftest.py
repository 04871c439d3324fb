"""Shared helpers for the Dockerfile tree tests."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
ROUNDTRIP = sorted((FIXTURES / "roundtrip").glob("*.Dockerfile"))


def read_exact(path: Path) -> str:
    """A fixture's text with every byte kept (CRLF, BOM, tabs)."""
    return path.read_bytes().decode("utf-8")


class _Views:
    """The helpers below, handed to tests as the ``views`` fixture (importlib mode: no imports)."""

    def __init__(self) -> None:
        self.oracle = oracle_view
        self.tree = tree_view
        self.same = same
        self.read = read_exact


@pytest.fixture(scope="session")
def views() -> _Views:
    return _Views()


@pytest.fixture
def fixture_text():
    def load(name: str) -> str:
        return read_exact(FIXTURES / "roundtrip" / name)

    return load


def oracle_view(text: str) -> list[tuple[object, ...]] | str:
    """What BuildKit v0.12.5 (PyPI ``dockerfile`` 3.4.0) reports, or its error message."""
    import dockerfile

    try:
        cmds = dockerfile.parse_string(text)
    except dockerfile.GoParseError as exc:
        return f"error: {exc}"
    return [
        (
            c.cmd,
            c.start_line,
            c.end_line,
            tuple(c.flags),
            tuple(c.value),
            c.json,
            c.sub_cmd,
            tuple((h.name, h.content) for h in c.heredocs)
            if c.cmd and c.cmd.upper() != "ONBUILD"
            else (),
        )
        for c in cmds
    ]


def _go_bytes(s: str) -> str:
    """BuildKit's flag splitter walks bytes and turns each into a rune (U+0000-U+00FF), so
    non-ASCII flag text comes out garbled (é -> Ã©), in v0.12.5 and still today. patchkit
    keeps the real characters; the comparison garbles ours the same way."""
    return s if s.isascii() else s.encode("utf-8").decode("latin-1")


def tree_view(tree) -> list[tuple[object, ...]] | str:  # type: ignore[no-untyped-def]
    """The same facts read from a patchkit tree (or ``error: ...`` when it lists problems)."""
    if tree.problems:
        return "error: " + "; ".join(p.message for p in tree.problems)
    out = []
    for i in tree.instructions:
        json_form = i.exec_form is not None
        out.append(
            (
                i.keyword_raw or None,
                i.start_line,
                i.end_line,
                tuple(_go_bytes(f.text) for f in i.flags),
                tuple(i.values),
                json_form,
                i._logical().sub_cmd,
                tuple((h.name, h.body) for h in i.heredocs) if i.keyword != "ONBUILD" else (),
            )
        )
    return out


def same(ours: object, theirs: object) -> bool:
    """Equal views; for errors it is enough that both sides refuse the file."""
    if isinstance(ours, str) or isinstance(theirs, str):
        return isinstance(ours, str) and isinstance(theirs, str)
    return ours == theirs


@pytest.fixture(scope="session")
def dockerfile_strategy():  # type: ignore[no-untyped-def]
    """The hypothesis strategy of odd Dockerfiles (``strategies.py`` next to this file)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "_pk_df_strategies", Path(__file__).parent / "strategies.py"
    )
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod
