"""patchkit.scm._pyscope (Python's scoping rules over ``ast``) against two references.

* libcst's ``QualifiedNameProvider`` (test-only oracle): for every name and dotted
  name in the scoping fixtures, the scm fixtures and every corpus setup.py, the
  qualified names patchkit and libcst give agree on everything the setup.py
  analysis asks about (names under ``os``, ``setuptools`` and ``setuptools_scm``);
  the few places where libcst departs from the interpreter are listed and checked
  against the interpreter instead.
* The interpreter itself: small programs run in a subprocess (our own code, never
  upstream's) print what a name really is, and patchkit must say the same.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from patchkit.scm._pyscope import dotted_name, index_module

HERE = Path(__file__).resolve().parent
SCOPING = sorted((HERE / "fixtures" / "pyscope").glob("*.py"))
# every Python fixture of the scm tests but the one that is deliberately not Python
SCM_FIXTURES = sorted(
    p
    for p in (HERE / "fixtures").rglob("*.py")
    if p.parent.name != "pyscope" and p.name != "syntax_error.py"
)
_MODELLED = ("os", "setuptools", "setuptools_scm")

Key = tuple[int, int, int, int]


def _modelled(names: set[str] | frozenset[str]) -> frozenset[str]:
    return frozenset(n for n in names if n.split(".")[0] in _MODELLED)


def _char_col(lines: list[str], line: int, byte_col: int) -> int:
    return len(lines[line - 1].encode()[:byte_col].decode())


def patchkit_names(text: str) -> dict[Key, frozenset[str]]:
    tree = ast.parse(text)
    index = index_module(tree)
    lines = [*text.splitlines(keepends=True), ""]
    out: dict[Key, frozenset[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Name, ast.Attribute)) and isinstance(node.ctx, ast.Load):
            assert node.end_lineno is not None and node.end_col_offset is not None
            key = (
                node.lineno,
                _char_col(lines, node.lineno, node.col_offset),
                node.end_lineno,
                _char_col(lines, node.end_lineno, node.end_col_offset),
            )
            out[key] = _modelled(index.qualified_names(node))
    return out


def libcst_names(text: str) -> dict[Key, frozenset[str]]:
    libcst = pytest.importorskip("libcst")
    from libcst.metadata import MetadataWrapper, PositionProvider, QualifiedNameProvider

    wrapper = MetadataWrapper(libcst.parse_module(text))
    qn = wrapper.resolve(QualifiedNameProvider)
    pos = wrapper.resolve(PositionProvider)
    out: dict[Key, frozenset[str]] = {}
    for node, names in qn.items():
        if isinstance(node, (libcst.Name, libcst.Attribute)) and node in pos:
            r = pos[node]
            key = (r.start.line, r.start.column, r.end.line, r.end.column)
            resolved = names() if callable(names) else names  # lazy in libcst >= 1.2
            out[key] = _modelled({q.name for q in resolved})
    return out


# Where libcst is not the interpreter: (fixture, line, column) of the name. Each has a
# twin in test_resolution_matches_the_interpreter, where the interpreter decides.
LIBCST_DEPARTURES: set[tuple[str, int, int]] = {
    # a name used in a function above the line that binds it there: libcst takes the
    # enclosing binding; Python makes the name local (UnboundLocalError) -- "later-local"
    ("shadowing.py", 30, 8),
}


def _files() -> list[Path]:
    files = [*SCOPING, *SCM_FIXTURES]
    corpus = os.environ.get("PATCHKIT_CORPUS")
    if corpus:  # one of each distinct setup.py
        seen: dict[bytes, Path] = {}
        for p in sorted((Path(corpus) / "vllm").glob("*/setup.py")):
            seen.setdefault(p.read_bytes(), p)
        files += seen.values()
    return files


@pytest.mark.oracle
@pytest.mark.parametrize("path", _files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_qualified_names_agree_with_libcst(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    ours, theirs = patchkit_names(text), libcst_names(text)
    common = ours.keys() & theirs.keys()
    # positions are counted the same way: almost every name is found on both sides
    assert len(common) >= 0.95 * len(ours), (len(common), len(ours))
    differ = {k: (ours[k], theirs[k]) for k in sorted(common) if ours[k] != theirs[k]}
    expected = {(line, col) for name, line, col in LIBCST_DEPARTURES if name == path.name}
    assert {k[:2] for k in differ} == expected
    # and the comparison is not vacuous: each file has names the analysis cares about
    if path.parent.name == "pyscope" or path.name == "setup.py":
        assert any(ours[k] for k in common)


def _interpreter_answer(program: str) -> str:
    """Run ``program`` (our own test code, with stub setuptools/setuptools_scm modules) and
    return the qualified name of what its ``probe()`` returns, or the NameError it raises."""
    prelude = (
        "import sys, types\n"
        "for _m in ('setuptools_scm', 'setuptools'):\n"
        "    _mod = types.ModuleType(_m); sys.modules[_m] = _mod\n"
        "    for _f in ('get_version', 'setup'):\n"
        "        _fn = (lambda *a, **k: None); _fn.__qualname__ = _m + '.' + _f\n"
        "        setattr(_mod, _f, _fn)\n"
    )
    epilogue = (
        "\ntry:\n    print(probe().__qualname__)\n"
        "except NameError as e:\n    print(type(e).__name__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-I", "-c", prelude + program + epilogue],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


_SCM = ("setuptools_scm.", "setuptools.")


@pytest.mark.parametrize(
    "program",
    [
        # a def in the same module shadows the import for code that runs after it
        "from setuptools_scm import get_version\n"
        "def probe():\n    return get_version\n"
        "def get_version(): pass\n",
        # a name imported in a class body is not visible inside its methods
        "def get_version(): pass\n"
        "class C:\n    from setuptools_scm import get_version\n"
        "    def m(self):\n        return get_version\n"
        "probe = C().m\n",
        # ...nor is a class attribute: the module's import is what the method sees
        "from setuptools_scm import get_version\n"
        "class C:\n    get_version = print\n"
        "    def m(self):\n        return get_version\n"
        "probe = C().m\n",
        # `global` in a function rebinds the module's name (only once that function runs)
        "import setuptools_scm as s\n"
        "def f():\n    global s\n    s = None\n"
        "def probe():\n    return s.get_version\n",
        # bound anywhere in a function makes a name local there, even below its use
        "from setuptools_scm import get_version\n"
        "def probe():\n    return get_version\n    get_version = None\n",
        # a parameter shadows the import
        "from setuptools_scm import get_version\n"
        "def probe(get_version=print):\n    return get_version\n",
        # nonlocal reaches the enclosing function's binding
        "from setuptools_scm import get_version\n"
        "def outer():\n    get_version = print\n"
        "    def inner():\n        nonlocal get_version\n        return get_version\n"
        "    return inner\n"
        "probe = outer()\n",
    ],
    ids=[
        "def-shadows",
        "class-import",
        "class-attr-invisible",
        "global",
        "later-local",
        "parameter",
        "nonlocal",
    ],
)
def test_resolution_matches_the_interpreter(program: str) -> None:
    real = _interpreter_answer(program)
    tree = ast.parse(program)
    index = index_module(tree)
    returned = [
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Return)
        and n.value is not None
        and (d := dotted_name(n.value)) is not None
        and d[0].endswith("get_version")
    ]
    assert len(returned) == 1
    candidates = index.qualified_names(returned[0])
    # patchkit names every binding the name may have (it does not follow the order the
    # code runs in); what the interpreter found must be one of them
    if real.startswith(_SCM):
        assert real in candidates
    else:
        assert candidates and not all(q.startswith(_SCM) for q in candidates), (real, candidates)
