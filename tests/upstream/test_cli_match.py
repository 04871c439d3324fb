"""--match on status/apply: the tags that give the upstream its version (vLLM's crates tag too)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

SERIES = Path(__file__).parent / "fixtures" / "range-series"
CPU = """\
FROM ubuntu:22.04 AS vllm-build
RUN --mount=type=cache,target=/vllm-workspace/.deps,sharing=locked \\
    python3 setup.py bdist_wheel --dist-dir=dist
"""


@pytest.fixture
def crate_tagged(sandbox):
    up = sandbox()
    up.commit("release", files={"docker/Dockerfile.cpu": CPU})
    up.tag("v0.33.0", annotated=True)
    up.commit("crate release")
    up.tag("proto-v0.4.0")
    return up


def _deps_state(proc) -> tuple[str, str]:
    doc = json.loads(proc.stdout)
    deps = next(r for r in doc["results"] if r["patch"] == "deps-id")
    return doc["upstream_version"], deps["state"]


def test_default_glob_would_take_the_crate_tag(crate_tagged, cli):
    proc = cli(
        "status", "--upstream", str(crate_tagged.root), "--patches", str(SERIES), "--format", "json"
    )
    assert proc.returncode == 0, proc.stderr
    assert _deps_state(proc) == ("0.4.0", "skipped")  # setuptools-scm's default would do the same


def test_match_selects_the_release_tags(crate_tagged, cli):
    proc = cli(
        "status",
        "--upstream",
        str(crate_tagged.root),
        "--patches",
        str(SERIES),
        "--match",
        "v[0-9]*",
        "--format",
        "json",
    )
    assert proc.returncode == 0, proc.stderr
    version, state = _deps_state(proc)
    assert version.startswith("0.33.1.dev1+g") and state == "pending"


def test_shallow_upstream_is_refused_by_status(crate_tagged, cli, tmp_path):
    import subprocess

    clone = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{crate_tagged.root}", str(clone)],
        check=True,
        env=crate_tagged.env(),
    )
    # the crate tag is in the clone (it points at HEAD) but v0.33.0's commit is cut off
    proc = cli("status", "--upstream", str(clone), "--patches", str(SERIES), "--match", "v[0-9]*")
    assert proc.returncode == 2
    assert "shallow" in proc.stderr and "--upstream-version" in proc.stderr
