"""pyproject.toml reading (tomlkit) and which setuptools-scm majors a specifier admits."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from patchkit.errors import SourceError
from patchkit.scm.pyproject import RELEASES, admitted_majors, parse_pyproject

# Expected majors worked out by hand from the published release list
# (7.0.1-7.1.0, 8.0.1-8.3.1, 9.2.0-9.2.2, 10.0.2-10.3.4).
SPECS = [
    (">=8.0", (8, 9, 10)),
    (">=8", (8, 9, 10)),
    ("<8", (7,)),
    ("<=8.0.1", (7, 8)),
    ("~=9.1", (9,)),
    ("~=8.0", (8,)),
    ("==8.*", (8,)),
    ("!=9.*", (7, 8, 10)),
    (">=7,<9", (7, 8)),
    (">9.2.2", (9, 10)),  # a 9.2.3 would satisfy it: 9 stays admitted
    (">=10.4", (10,)),
    ("==10.3.4", (10,)),
    (">=8,<10.0.0", (8, 9)),
    (">=6", (7, 8, 9, 10)),
]


@pytest.mark.parametrize(("spec", "majors"), SPECS)
def test_admitted_majors(spec: str, majors: tuple[int, ...]) -> None:
    assert admitted_majors(spec) == majors


@given(st.sampled_from(RELEASES))
def test_pinning_a_release_admits_its_major(release: str) -> None:
    assert admitted_majors(f"=={release}") == (int(release.split(".")[0]),)


VLLM_LIKE = """\
[build-system]
requires = [
    "cmake>=3.26.1",
    "setuptools>=77.0.3,<81.0.0",
    "setuptools-scm>=8.0",
]
build-backend = "setuptools.build_meta"

[project]
name = "vllm"
dynamic = [ "version", "dependencies"]

[tool.setuptools_scm]
# no extra settings needed, presence enables setuptools-scm
"""


def test_vllm_like_pyproject() -> None:
    p = parse_pyproject(VLLM_LIKE)
    assert (p.name, p.dynamic_version, p.tool_section, p.tool_dist_name) == (
        "vllm",
        True,
        True,
        None,
    )
    assert p.requirement is not None
    assert (p.requirement.text, p.requirement.majors, p.requirement.line) == (
        "setuptools-scm>=8.0",
        (8, 9, 10),
        5,
    )
    assert not p.simple_extra


def test_simple_extra_dist_name_and_static_version() -> None:
    p = parse_pyproject(
        '[build-system]\nrequires = ["setuptools_scm[simple] ~= 9.2"]\n'
        '[project]\nname = "My.Pkg"\nversion = "1.0"\n'
        '[tool.setuptools_scm]\ndist_name = "renamed"\nfallback_version = "0.0.0"\n'
    )
    assert p.simple_extra and p.requirement is not None and p.requirement.majors == (9,)
    assert (p.static_version, p.tool_dist_name, p.tool_fallback_version) == (
        "1.0",
        "renamed",
        "0.0.0",
    )


def test_no_setuptools_scm_requirement() -> None:
    p = parse_pyproject('[build-system]\nrequires = ["setuptools"]\n')
    assert p.requirement is None and p.name is None and not p.tool_section


def test_not_toml_is_a_located_error() -> None:
    with pytest.raises(SourceError) as info:
        parse_pyproject('[project]\nname = "x"\nname = = 3\n', "up/pyproject.toml")
    assert info.value.path == "up/pyproject.toml"
    assert info.value.line == 3
    assert "not valid TOML" in info.value.render()


def test_requirement_admitting_no_known_major_is_an_error() -> None:
    with pytest.raises(SourceError) as info:
        parse_pyproject('[build-system]\nrequires = ["setuptools-scm<7"]\n', "p.toml")
    assert info.value.line == 2 and "admits none" in str(info.value)
