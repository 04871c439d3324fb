"""Differential: patchkit's setuptools-scm emulation against the real setuptools-scm releases.

Every expected value comes from running setuptools-scm itself (in the venvs that
``.ci/setup-scm.sh`` exports as ``PATCHKIT_SCM_VENVS``) on the same throwaway repositories.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from patchkit.upstream.scm_version import public_part, scm_version
from patchkit.upstream.version import read_upstream_version

EPOCH = 1_767_225_600  # 2026-01-01 00:00 UTC, the date label of dirty trees
TODAY = datetime.fromtimestamp(EPOCH, tz=timezone.utc).date()
VLLM = "v[0-9]*"
DEFAULT = "*[0-9]*"


def _exact(up: Any) -> str:
    up.commit("one", a="1\n")
    up.tag("v0.33.0")
    return VLLM


def _after_release(up: Any) -> str:
    up.commit("one", a="1\n")
    up.tag("v0.33.0", annotated=True)
    for i in range(3):
        up.commit(f"c{i}", a=f"{i}\n")
    return VLLM


def _after_rc(up: Any) -> str:
    up.commit("one")
    up.tag("v0.21.1rc0")
    up.commit("two")
    up.commit("three")
    return VLLM


def _four_part(up: Any) -> str:
    up.commit("one")
    up.tag("v0.10.1.1")
    up.commit("two")
    return VLLM


def _post(up: Any) -> str:
    up.commit("one")
    up.tag("v0.6.1.post2")
    up.commit("two")
    return VLLM


def _dev0_tag(up: Any) -> str:
    up.commit("one")
    up.tag("v1.0.0.dev0")
    up.commit("two")
    up.commit("three")
    return VLLM


def _dirty_exact(up: Any) -> str:
    up.commit("one", a="1\n")
    up.tag("v0.33.0")
    up.write("a", "changed\n")
    return VLLM


def _dirty_after(up: Any) -> str:
    up.commit("one", a="1\n")
    up.tag("v0.32.0")
    up.commit("two", a="2\n")
    up.write("a", "changed\n")
    return VLLM


def _crate_tag_nearer(up: Any) -> str:
    up.commit("one")
    up.tag("v0.31.0")
    up.commit("crate")
    up.tag("proto-v0.3.0")
    up.commit("more")
    return VLLM


def _crate_tag_default_glob(up: Any) -> str:
    _crate_tag_nearer(up)
    return DEFAULT


def _prefixed_tag(up: Any) -> str:
    up.commit("one")
    up.tag("release-1.2")
    up.commit("two")
    return DEFAULT


def _uppercase_and_leading_zero(up: Any) -> str:
    up.commit("one")
    up.tag("V1.02.0RC1")
    up.commit("two")
    return DEFAULT


def _merge(up: Any) -> str:
    up.commit("base")
    up.tag("v0.30.0")
    up.git("checkout", "-q", "-b", "release")
    up.commit("release fix")
    up.tag("v0.30.1")
    up.git("checkout", "-q", "main")
    up.commit("main work")
    up.commit("more main work")
    up.git("merge", "-q", "--no-ff", "-m", "merge release", "release")
    return VLLM


SCENARIOS: dict[str, Callable[[Any], str]] = {
    "exact": _exact,
    "after-release": _after_release,
    "after-rc": _after_rc,
    "four-part": _four_part,
    "post": _post,
    "dev0-tag": _dev0_tag,
    "dirty-exact": _dirty_exact,
    "dirty-after": _dirty_after,
    "crate-tag-nearer": _crate_tag_nearer,
    "crate-tag-default-glob": _crate_tag_default_glob,
    "prefixed-tag": _prefixed_tag,
    "uppercase-leading-zero": _uppercase_and_leading_zero,
    "merge": _merge,
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, sandbox_cls) -> dict[str, tuple[Path, str]]:
    base = tmp_path_factory.mktemp("scm")
    out = {}
    for name, make in SCENARIOS.items():
        up = sandbox_cls(base / name)
        out[name] = (up.root, make(up))
    return out


def _ours(root: Path, match: str) -> str:
    return read_upstream_version(root, match=match, today=TODAY).pep440


def test_full_version_equals_setuptools_scm_10(built, venvs, real_scm):
    if "10" not in venvs:
        pytest.skip("PATCHKIT_SCM_VENVS has no setuptools-scm 10 venv")
    real = real_scm(venvs["10"], list(built.values()), EPOCH)
    ours = {str(root): _ours(root, match) for root, match in built.values()}
    mismatches = {Path(k).name: (ours[k], v) for k, v in real.items() if ours[k] != v}
    assert not mismatches, (
        f"(patchkit, setuptools-scm 10) differ: {json.dumps(mismatches, indent=1)}"
    )


@pytest.mark.parametrize("major", ["8", "9"])
def test_public_version_equals_older_majors(built, venvs, real_scm, major):
    if major not in venvs:
        pytest.skip(f"PATCHKIT_SCM_VENVS has no setuptools-scm {major} venv")
    real = real_scm(venvs[major], list(built.values()), EPOCH)
    ours = {str(root): public_part(_ours(root, match)) for root, match in built.values()}
    mismatches = {Path(k).name: (ours[k], v) for k, v in real.items() if ours[k] != public_part(v)}
    assert not mismatches, f"(patchkit, setuptools-scm {major}) differ: {mismatches}"


def test_scm_version_requires_a_date_only_when_dirty():
    from patchkit.upstream.git import Describe

    clean = Describe("v1.0.0", 1, "a" * 40)
    assert scm_version(clean) == "1.0.1.dev1+gaaaaaaaaa"
    with pytest.raises(ValueError):
        scm_version(Describe("v1.0.0", 1, "a" * 40, dirty=True))
