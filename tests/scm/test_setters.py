"""Finding the places that set pretend variables, against fixtures/setters/expected-*.tsv.

Each expected row gives the line and column of the name and the exact text
``NAME=value`` as written, so a wrong span shows as a text mismatch.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from patchkit._source import SourceText
from patchkit.errors import InputError, SourceError
from patchkit.scm._shell import scan_shell
from patchkit.scm.names import is_pretend_name
from patchkit.scm.setters import file_kind, find_setters, scan_file

FIX = Path(__file__).resolve().parent / "fixtures" / "setters"
FILES = [
    ("Dockerfile", "dockerfile", "expected-Dockerfile.tsv"),
    ("build.sh", "shell", "expected-build.sh.tsv"),
    ("Makefile", "make", "expected-Makefile.tsv"),
    (".github/workflows/build.yml", "yaml", "expected-build.yml.tsv"),
]


def _rows(tsv: Path) -> list[list[str]]:
    lines = tsv.read_text(encoding="utf-8").splitlines()
    return [ln.split("\t") for ln in lines if ln and not ln.startswith("#")]


@pytest.mark.parametrize(("name", "kind", "expected"), FILES, ids=[f[0] for f in FILES])
def test_setters_in_file(name: str, kind: str, expected: str) -> None:
    path = FIX / name
    text = path.read_text(encoding="utf-8")
    src = SourceText(text)
    found = scan_file(str(path), kind, is_pretend_name)
    got = []
    for s in found.setters:
        written = text[src.offset(s.line, s.col) : src.offset(s.end_line, s.end_col)]
        value = "<expands>" if s.value is None else s.value
        got.append([str(s.line), str(s.col), written, value, s.kind, "yes" if s.exported else "no"])
    assert got == _rows(FIX / expected)


def test_dockerfile_contexts_follow_stages() -> None:
    found = scan_file(str(FIX / "Dockerfile"), "dockerfile", is_pretend_name)
    names = [[found.setters[i].line for i in c.setters] for c in found.contexts]
    # stage child inherits base's ENV (lines 6, 7) and adds its ARG (11); the
    # inline assignment at 14 is only in its own command's context; the heredoc
    # script's export (19) in that RUN's; the unrelated stage sees nothing.
    assert [6, 7] in names
    assert [6, 7, 11, 14] in names
    assert [6, 7, 11, 15] in names
    assert [6, 7, 11, 19] in names
    assert all(1 not in n for n in names)  # the global ARG reaches no RUN


def test_folder_walk_picks_recognised_files() -> None:
    files = find_setters([str(FIX)], is_pretend_name)
    kinds = sorted((Path(f.path).name, f.kind) for f in files)
    assert kinds == [
        ("Dockerfile", "dockerfile"),
        ("Makefile", "make"),
        ("build.sh", "shell"),
        ("build.yml", "yaml"),
    ]


def test_file_kinds_by_name_and_shebang() -> None:
    assert file_kind("docker/Dockerfile.cpu") == "dockerfile"
    assert file_kind("x/cpu.Dockerfile") == "dockerfile"
    # BuildKit's per-Dockerfile ignore file sits beside it and is not one
    assert file_kind("docker/Dockerfile.dockerignore") is None
    assert file_kind("x/cpu.Dockerfile.dockerignore") is None
    assert file_kind("GNUmakefile") == "make"
    assert file_kind("ci/build") is None
    assert file_kind("ci/build", "#!/usr/bin/env bash\n") == "shell"


def test_unknown_kind_and_missing_file_are_input_errors(tmp_path: Path) -> None:
    odd = tmp_path / "notes.txt"
    odd.write_text("SETUPTOOLS_SCM_PRETEND_VERSION=1\n")
    with pytest.raises(InputError, match="cannot tell what kind"):
        find_setters([str(odd)], is_pretend_name)
    with pytest.raises(InputError, match="no such file"):
        find_setters([str(tmp_path / "missing")], is_pretend_name)


def test_binary_file_is_a_located_error(tmp_path: Path) -> None:
    bad = tmp_path / "Dockerfile"
    bad.write_bytes(b"FROM x\nENV A=\xff\xfe\n")
    with pytest.raises(SourceError) as info:
        find_setters([str(bad)], is_pretend_name)
    assert (info.value.line, info.value.col) == (2, 7)
    assert "byte offset 13" in str(info.value)


def test_yaml_syntax_error_is_located(tmp_path: Path) -> None:
    bad = tmp_path / "wf.yml"
    bad.write_text("jobs:\n  a:\n    env: [\n")
    with pytest.raises(SourceError) as info:
        find_setters([str(bad)], is_pretend_name)
    assert info.value.line >= 3


_VALUE = st.text(alphabet="0123456789.+abcrv-_", min_size=1, max_size=12)


@given(
    _VALUE, st.sampled_from(["", "export ", "env "]), st.sampled_from(["", "cd x && ", "true; "])
)
def test_shell_assignment_round_trip(value: str, how: str, before: str) -> None:
    text = f"{before}{how}SETUPTOOLS_SCM_PRETEND_VERSION={value} pip wheel .\n"
    (a,) = scan_shell(text, is_pretend_name)
    assert a.value == value and a.exported
    assert text[a.name_start : a.value_end] == f"SETUPTOOLS_SCM_PRETEND_VERSION={value}"


@given(_VALUE)
def test_quoted_values_unquote_and_expansions_do_not(value: str) -> None:
    for quoted in (f"'{value}'", f'"{value}"'):
        (a,) = scan_shell(f"export SETUPTOOLS_SCM_PRETEND_VERSION={quoted}\n", is_pretend_name)
        assert a.value == value and a.raw_value == quoted
    (b,) = scan_shell(f'export SETUPTOOLS_SCM_PRETEND_VERSION="{value}$X"\n', is_pretend_name)
    assert b.value is None
