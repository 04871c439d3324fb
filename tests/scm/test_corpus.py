"""patchkit scm over the real setup.py / pyproject.toml / Dockerfiles of 67 vLLM releases.

Expectations come from research/vllm-dockerfiles.md section 7 (how setup.py
obtains its version, per release range) and section 4 / finding 3 (upstream
only ever sets the generic variable), plus one thing read off the sdists by
eye: the 0.6.2 and 0.6.3 sdists return a literal version before their
get_version() call, so that call never runs. Corpus files are read in place,
never copied into the repository.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from packaging.version import Version

from patchkit.diagnostics import Severity
from patchkit.scm.check import check, wanted_names
from patchkit.scm.model import Upstream, honoured_names, load_upstream
from patchkit.scm.setters import find_setters

pytestmark = [pytest.mark.corpus, pytest.mark.slow]

GEN = "SETUPTOOLS_SCM_PRETEND_VERSION"


def _releases() -> list[Path]:
    base = os.environ.get("PATCHKIT_CORPUS")
    root = Path(base) / "vllm" if base else None
    if root is None or not root.is_dir():
        return []
    return sorted(
        (p for p in root.iterdir() if p.is_dir() and (p / "setup.py").exists()),
        key=lambda p: Version(p.name),
    )


RELEASES = _releases()
_LOADED: dict[Path, Upstream] = {}


def _load(path: Path) -> Upstream:
    if path not in _LOADED:
        _LOADED.clear()  # one release at a time: the fixture is module-scoped per release
        _LOADED[path] = load_upstream(path)
    return _LOADED[path]


@pytest.fixture(
    scope="module", params=RELEASES or [None], ids=[p.name for p in RELEASES] or ["absent"]
)
def release(request: pytest.FixtureRequest) -> Path:
    if request.param is None:
        pytest.skip("PATCHKIT_CORPUS is not set to a corpus with vllm/<version>/setup.py")
    return request.param  # type: ignore[no-any-return]


def test_setup_py_shape_per_release(release: Path) -> None:
    v = Version(release.name)
    up = _load(release)
    sp = up.setup_py
    assert sp is not None
    calls = sp.reachable_calls
    # no release passes dist_name, root or relative_to (section 7)
    for c in sp.calls:
        assert c.dist_name().state == "absent"
        assert not {"root", "relative_to", "dist_name"} & {k for k, _ in c.keywords}
    if v < Version("0.6.2"):
        assert not sp.imports_scm and not sp.calls and not up.uses_scm
    elif v < Version("0.6.3.post1"):
        assert len(sp.calls) == 1 and not calls and not up.uses_scm  # unreachable in the sdist
    elif v < Version("0.11.1"):
        assert len(calls) == 1 and not calls[0].guards and not up.self_sets
        assert [k for k, _ in calls[0].keywords] == ["write_to"]
    else:
        assert len(calls) == 2
        assert [g.describe() for c in calls for g in c.guards] == [
            "VLLM_VERSION_OVERRIDE is set and non-empty",
            "not (VLLM_VERSION_OVERRIDE is set and non-empty)",
        ]
        (a,) = up.self_sets
        assert (a.name, a.value.env_var) == (GEN, "VLLM_VERSION_OVERRIDE")
        want_kw = ["write_to", "git_describe_command"] if v >= Version("0.31.0") else ["write_to"]
        assert all([k for k, _ in c.keywords] == want_kw for c in calls)


def test_for_vllm_is_never_honoured(release: Path) -> None:
    up = _load(release)
    for major in up.majors:
        honoured, _ = honoured_names(up, major)
        names = [c.name for c in honoured]
        assert GEN + "_FOR_VLLM" not in names
        if up.uses_scm:
            assert names[0] == GEN
            assert ("VCS_VERSIONING_PRETEND_VERSION" in names) == (major >= 10)
            assert ("VLLM_VERSION_OVERRIDE" in names) == (
                Version(release.name) >= Version("0.11.1")
            )
        else:
            assert names == []


def test_upstream_dockerfiles_have_no_error_findings(release: Path) -> None:
    up = _load(release)
    paths = [
        str(p) for p in release.iterdir() if p.name.startswith("Dockerfile") or p.name == "docker"
    ]
    files = find_setters(paths, wanted_names(up))  # type: ignore[arg-type]
    errors = [d for d in check(up, files) if d.severity is Severity.ERROR]
    assert errors == []
