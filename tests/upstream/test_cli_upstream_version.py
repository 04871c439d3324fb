"""`patchkit upstream-version` as a whole process on throwaway repositories."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path


def test_json_for_a_bump_script(sandbox, cli):
    up = sandbox()
    up.commit("one")
    up.tag("v0.33.0")
    head = up.commit("two")
    proc = cli("upstream-version", str(up.root), "--match", "v[0-9]*", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["schema"] == "patchkit/upstream-version/v1"
    assert doc["describe"] == {"tag": "v0.33.0", "distance": 1, "commit": head, "dirty": False}
    assert doc["pep440"] == f"0.33.1.dev1+g{head[:9]}"
    assert doc["public"] == "0.33.1.dev1"
    assert doc["exver_upstream"] == "0.33.1-dev.1"
    assert doc["exver"] == "0.33.1-dev.1:0"


def test_release_tag_text_and_revision(sandbox, cli):
    up = sandbox()
    up.commit("one")
    up.tag("v0.21.1rc0", annotated=True)
    proc = cli("upstream-version", str(up.root), "--revision", "2")
    assert proc.returncode == 0, proc.stderr
    assert "PEP 440:          0.21.1rc0\n" in proc.stdout
    assert "ExVer upstream:   0.21.1-rc.0\n" in proc.stdout
    assert "suggested ExVer:  0.21.1-rc.0:2\n" in proc.stdout


def test_shallow_clone_is_an_error_with_the_fix(sandbox, cli, tmp_path: Path):
    up = sandbox()
    up.commit("one")
    up.tag("v0.33.0")
    up.commit("two")
    up.commit("three")
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{up.root}", str(clone)],
        check=True,
        env=up.env(),
    )
    proc = cli("upstream-version", str(clone))
    assert proc.returncode == 2
    assert "shallow clone" in proc.stderr
    assert "fetch --unshallow --tags" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_shallow_clone_exactly_on_a_tag_is_exact(sandbox, cli, tmp_path: Path):
    up = sandbox()
    up.commit("one")
    up.commit("two")
    up.tag("v0.33.0")
    clone = tmp_path / "clone"
    subprocess.run(
        [
            "git",
            "clone",
            "-q",
            "--depth",
            "1",
            "--branch",
            "v0.33.0",
            f"file://{up.root}",
            str(clone),
        ],
        check=True,
        env=up.env(),
        capture_output=True,
    )
    proc = cli("upstream-version", str(clone), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["pep440"] == "0.33.0"


def test_tagless_checkout_is_an_error_not_a_guess(sandbox, cli):
    up = sandbox()
    up.commit("one")
    proc = cli("upstream-version", str(up.root))
    assert proc.returncode == 2
    assert "no tags" in proc.stderr and "fetch --tags" in proc.stderr
    assert "0.1.dev" not in proc.stdout


def test_no_tag_matches_the_glob(sandbox, cli):
    up = sandbox()
    up.commit("one")
    up.tag("proto-v0.3.0")
    proc = cli("upstream-version", str(up.root), "--match", "v[0-9]*")
    assert proc.returncode == 2
    assert "no tag reachable from HEAD matches 'v[0-9]*'" in proc.stderr


def test_tag_that_is_not_a_version(sandbox, cli):
    up = sandbox()
    up.commit("one")
    up.tag("build2")
    proc = cli("upstream-version", str(up.root))
    assert proc.returncode == 2
    assert "'build2'" in proc.stderr


def test_dirty_checkout_dated_by_source_date_epoch(sandbox, cli):
    up = sandbox()
    up.commit("one", a="1\n")
    up.tag("v1.0.0")
    up.write("a", "2\n")
    proc = cli(
        "upstream-version",
        str(up.root),
        "--format",
        "json",
        env={"SOURCE_DATE_EPOCH": "1767225600"},
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["pep440"].endswith(".d20260101") and doc["describe"]["dirty"] is True


def test_folder_inside_another_checkout(sandbox, cli):
    up = sandbox()
    up.commit("one", sub__x="1")
    up.tag("v1.0.0")
    proc = cli("upstream-version", str(up.root / "sub"))
    assert proc.returncode == 2
    assert "inside the git checkout" in proc.stderr
