"""examples/: the downstream repo the README command runs on (`status`, `apply --diff`).

Runs the CLI as a process from examples/, with the project's real patch series
(examples/patches holds copies of patches/*.yaml, so a copied example works on its
own) on the self-written vLLM-shaped upstream.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SELECT: tuple[str, ...] = ()  # everything comes from examples/pyproject.toml [tool.patchkit]


def test_example_patches_are_the_projects_series():
    """Byte for byte, file for file: change patches/ and copy the change here."""
    copy, own = EXAMPLES / "patches", ROOT / "patches"
    assert not copy.is_symlink()
    mine = {p.name: p.read_bytes() for p in copy.iterdir()}
    theirs = {p.name: p.read_bytes() for p in own.glob("*.yaml")}
    assert sorted(mine) == sorted(theirs)
    stale = [name for name in mine if mine[name] != theirs[name]]
    assert stale == [], f"examples/patches differs from patches/ in {stale}: copy patches/ again"


def test_examples_hold_no_symlink():
    links = [str(p.relative_to(EXAMPLES)) for p in EXAMPLES.rglob("*") if p.is_symlink()]
    assert links == []


def test_status_on_the_example(cli):
    proc = cli("status", *SELECT, "--format", "json", cwd=EXAMPLES)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert (doc["upstream_version"], doc["upstream_version_source"]) == ("0.33.0", "config")
    states = {r["patch"]: r["state"] for r in doc["results"]}
    assert states == {
        "cpu-deps-cache-per-arch": "pending",
        "cpu-deps-cache-per-arch-0.9": "skipped",
        "cpu-rust-scm-pretend-version": "pending",
        "cpu-scm-pretend-version": "pending",
        "cpu-wheel-checksum": "pending",
    }


def test_apply_diff_then_apply_on_a_copy(cli, tmp_path: Path):
    work = tmp_path / "examples"
    shutil.copytree(EXAMPLES, work, symlinks=True)  # a copy: the checkout stays clean
    diff = cli("apply", *SELECT, "--diff", cwd=work)
    assert diff.returncode == 1, diff.stderr  # changes needed, nothing written
    assert "+ENV SETUPTOOLS_SCM_PRETEND_VERSION=${VLLM_VERSION}" in diff.stdout
    assert "id=vllm-cpu-deps-${TARGETARCH}" in diff.stdout
    assert not (work / ".dockerfiles").exists()
    wrote = cli("apply", *SELECT, cwd=work)
    assert wrote.returncode == 0, wrote.stderr
    patched = (work / ".dockerfiles" / "docker" / "Dockerfile.cpu").read_text(encoding="utf-8")
    assert "COPY --from=vllm-build /dist/wheel.sha256 /tmp/vllm-build-wheel.sha256" in patched
    upstream = (work / "upstream" / "docker" / "Dockerfile.cpu").read_text(encoding="utf-8")
    assert upstream == (EXAMPLES / "upstream" / "docker" / "Dockerfile.cpu").read_text(
        encoding="utf-8"
    )
    check = cli("apply", *SELECT, "--check", cwd=work)
    assert check.returncode == 0, check.stdout + check.stderr
