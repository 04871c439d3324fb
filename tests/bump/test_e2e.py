"""End to end: a downstream git repo with a real submodule, bumped from v0.33.0 to v0.34.0."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from patchkit.cli.main import main

from .conftest import CURRENT_TS, MANIFEST, ROOT, release_ts, snapshot

Make = Callable[[str], Path]
Move = Callable[[Path, str], None]

# what the version places hold after the bump, written out by hand
MANIFEST_034 = MANIFEST.replace(
    "const VLLM_VERSION = '0.33.0'", "const VLLM_VERSION = '0.34.0'"
).replace("vllm/vllm-openai:v0.33.0", "vllm/vllm-openai:v0.34.0")
CURRENT_034 = CURRENT_TS.replace("version: '0.33.0:2'", "version: '0.34.0:0'")
INDEX_034 = """\
import { VersionGraph } from '@start9labs/start-sdk'
import { v_0_32_0_0 } from './v0.32.0.0'
import { v_0_33_0_2 } from './v0.33.0.2'
import { v_0_34_0_0 } from './v0.34.0.0'

export const versionGraph = VersionGraph.of({
  current: v_0_34_0_0,
  other: [v_0_32_0_0, v_0_33_0_2],
})
"""
# the new release file is the current one with its name and version changed; the release
# notes stay the maintainer's (still the 0.33.0 text until they edit it)
NEW_RELEASE = release_ts("v_0_34_0_0", "0.34.0:0").replace(
    "Update vLLM to 0.34.0", "Update vLLM to 0.33.0"
)


def _bump(pkg: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.chdir(pkg)
    return main(["bump", "--color", "never", *args])


def _text(pkg: Path, rel: str) -> str:
    return (pkg / rel).read_bytes().decode("utf-8")


@pytest.mark.parametrize("convention", ["current", "per-release"])
def test_bump_updates_every_version_place_and_writes_the_copies(
    downstream: Make,
    move_submodule: Move,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    convention: str,
) -> None:
    pkg = downstream(convention)
    before = snapshot(pkg)
    move_submodule(pkg, "v0.34.0")
    assert _bump(pkg, monkeypatch, "v0.34.0") == 0
    out = capsys.readouterr().out
    assert "upstream 0.34.0 (git describe --match 'v[0-9]*': v0.34.0-0-g" in out
    assert _text(pkg, "startos/manifest/index.ts") == MANIFEST_034
    if convention == "current":
        assert _text(pkg, "startos/versions/current.ts") == CURRENT_034
        assert (
            "startos/versions/current.ts:4:13: the current version: '0.33.0:2' -> '0.34.0:0'" in out
        )
    else:
        assert _text(pkg, "startos/versions/index.ts") == INDEX_034
        assert _text(pkg, "startos/versions/v0.34.0.0.ts") == NEW_RELEASE
        # the old release file stays as it was: other versions migrate through it
        assert (pkg / "startos/versions/v0.33.0.2.ts").read_bytes() == before[
            "startos/versions/v0.33.0.2.ts"
        ]
    copy = _text(pkg, ".dockerfiles/docker/Dockerfile.cpu")
    assert "id=vllm-cpu-deps-${TARGETARCH}" in copy
    assert "ENV SETUPTOOLS_SCM_PRETEND_VERSION=${VLLM_VERSION}" in copy
    # nothing else changed: the upstream stays pristine, other files keep every byte
    after = snapshot(pkg)
    changed = {k for k in after if before.get(k) != after[k]}
    expected = {"startos/manifest/index.ts", ".dockerfiles/docker/Dockerfile.cpu"}
    expected |= (
        {"startos/versions/current.ts"}
        if convention == "current"
        else {"startos/versions/index.ts", "startos/versions/v0.34.0.0.ts"}
    )
    assert changed == expected
    assert (
        subprocess.run(
            ["git", "-C", str(pkg / "vllm"), "status", "--porcelain"],
            capture_output=True,
            text=True,
        ).stdout
        == ""
    )
    # apply and check, other commands, agree the copies and the manifest are up to date
    monkeypatch.chdir(pkg)
    assert main(["apply", "--check"]) == 0

    # a second bump changes nothing
    capsys.readouterr()
    assert _bump(pkg, monkeypatch) == 0
    assert snapshot(pkg) == after
    assert "nothing to do" in capsys.readouterr().out
    assert _bump(pkg, monkeypatch, "--check") == 0


def test_drifted_patch_writes_nothing_and_exits_1(
    downstream: Make,
    move_submodule: Move,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    pkg = downstream("current")
    move_submodule(pkg, "v0.35.0")  # renames the wheel stage: two patches drift
    before = snapshot(pkg)
    assert _bump(pkg, monkeypatch) == 1
    captured = capsys.readouterr()
    assert "drifted: cpu-scm-pretend-version on docker/Dockerfile.cpu: no stage 'vllm-build'" in (
        captured.err
    )
    assert "drifted: cpu-wheel-checksum on docker/Dockerfile.cpu" in captured.err
    assert "nothing written" in captured.err
    assert snapshot(pkg) == before
    assert not (pkg / ".dockerfiles").exists()


KILLER = """
import os, signal, sys
real = os.replace
done = []

def replace(src, dst):
    real(src, dst)
    done.append(dst)
    if len(done) == int(sys.argv[1]):
        os.kill(os.getpid(), signal.SIGKILL)

os.replace = replace
from patchkit.cli.main import main
sys.exit(main(["bump"]))
"""


@pytest.mark.parametrize("convention", ["current", "per-release"])
@pytest.mark.parametrize("kill_after", [1, 2, 3])
def test_kill_during_bump_leaves_every_file_whole_and_a_rerun_finishes(
    downstream: Make,
    move_submodule: Move,
    monkeypatch: pytest.MonkeyPatch,
    convention: str,
    kill_after: int,
) -> None:
    pkg = downstream(convention)
    move_submodule(pkg, "v0.34.0")
    before = snapshot(pkg)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run(
        [sys.executable, "-c", KILLER, str(kill_after)], cwd=pkg, env=env, capture_output=True
    )
    assert proc.returncode == -signal.SIGKILL
    killed = snapshot(pkg)
    # every file is old or new, whole; temporary files may be left behind
    news = {"startos/manifest/index.ts": MANIFEST_034.encode()}
    if convention == "current":
        news["startos/versions/current.ts"] = CURRENT_034.encode()
    else:
        news["startos/versions/index.ts"] = INDEX_034.encode()
        news["startos/versions/v0.34.0.0.ts"] = NEW_RELEASE.encode()
    renamed = 0
    for rel, data in killed.items():
        if ".patchkit-tmp" in rel:
            continue
        if rel == ".dockerfiles/docker/Dockerfile.cpu":
            renamed += 1
            continue  # written whole by rename (checked against apply below)
        if data != before.get(rel):
            assert data == news[rel], rel
            renamed += 1
    assert renamed == kill_after
    # the current version is renamed last: until then it still says 0.33.0
    current = "current.ts" if convention == "current" else "index.ts"
    total = 1 + len(news)  # the patched copy and the version files
    if kill_after < total:
        assert killed[f"startos/versions/{current}"] == before[f"startos/versions/{current}"]

    assert _bump(pkg, monkeypatch) == 0
    done = snapshot(pkg)
    # the rerun removed the temporary files the killed one left (their writer is gone)
    assert not [k for k in done if ".patchkit-tmp" in k]
    for rel, data in news.items():
        assert done[rel] == data, rel
    assert main(["apply", "--check"]) == 0
    assert _bump(pkg, monkeypatch, "--check") == 0


def test_a_write_that_fails_writes_nothing(
    downstream: Make,
    move_submodule: Move,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import patchkit._fs
    from patchkit.errors import WriteError

    pkg = downstream("current")
    move_submodule(pkg, "v0.34.0")
    before = snapshot(pkg)
    real = patchkit._fs.stage_write

    def full_disk(path: object, text: str, **kw: object) -> patchkit._fs.StagedWrite:
        if str(path).endswith("current.ts"):  # staged after the copy and the manifest
            raise WriteError(f"{path}: writing failed (No space left on device)")
        return real(path, text, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(patchkit._fs, "stage_write", full_disk)
    assert _bump(pkg, monkeypatch) == 2
    assert "No space left on device" in capsys.readouterr().err
    # nothing changed, no temporary file left, not even the copies' folder
    assert snapshot(pkg) == before
    assert not (pkg / ".dockerfiles").exists()
