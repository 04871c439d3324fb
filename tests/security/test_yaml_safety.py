"""Patch files are read as plain data: no YAML tag constructs an object, nothing runs.

The loader only composes YAML nodes (``ruamel.yaml`` ``compose``, never
``load``) and accepts the standard scalar, list and mapping tags; any other tag
is refused with its location. Aliases are refused too, so a self-referencing
alias or a "billion laughs" document ends in a clear error, at once.
"""

from __future__ import annotations

import time

import pytest

TAGGED = [
    "!!python/object/apply:os.system ['touch {M}']",
    "!!python/object/apply:subprocess.check_call [['touch', '{M}']]",
    "!!python/object/new:os.system ['touch {M}']",
    "!!python/object:os.system {{}}",
    "!!python/name:os.system",
    "!!python/module:os",
    "!!binary aGVsbG8=",
    "!include other.yaml",
    "!!set {{a: null}}",
]


def _patch(value: str) -> str:
    return (
        f"id: p\nsummary: {value}\nwhy: w\nfiles: [docker/Dockerfile.cpu]\n"
        "transform:\n  kind: insert\n  anchor: {keyword: WORKDIR}\n  text: ENV A=1\n"
    )


@pytest.mark.parametrize("command", ["status", "apply", "test"])
@pytest.mark.parametrize("tagged", TAGGED, ids=[t.split()[0] for t in TAGGED])
def test_python_tags_are_refused_and_nothing_runs(command, tagged, hostile, cli_in) -> None:  # type: ignore[no-untyped-def]
    marker = hostile.markers / "yaml-ran"
    (hostile.patches / "10-deps.yaml").unlink()
    (hostile.patches / "p.yaml").write_text(_patch(tagged.format(M=marker)), encoding="utf-8")
    args = {
        "status": ["status", "--upstream", str(hostile.upstream), "--upstream-version", "1"],
        "apply": ["apply", "--upstream", str(hostile.upstream), "--upstream-version", "1",
                  "--out", str(hostile.root / "out")],
        "test": ["test"],
    }[command]  # fmt: skip
    proc = cli_in(*args, "--patches", str(hostile.patches), cwd=hostile.downstream)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "p.yaml:2:10: YAML tag" in proc.stderr and "is not allowed" in proc.stderr
    assert hostile.ran() == []
    assert not (hostile.root / "out").exists()


ALIASES = {
    "self-reference": "summary: &a [*a]\n",
    "mapping-self-reference": "summary: &a {b: *a}\n",
    "billion-laughs": "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
    + "".join(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]\n" for i in range(1, 10)),
    "merge-key": "base: &b {id: x}\n<<: *b\n",
    "deep-nesting": "summary: " + "[" * 2000 + "]" * 2000 + "\n",
}


@pytest.mark.parametrize("text", list(ALIASES.values()), ids=list(ALIASES))
def test_alias_bombs_and_deep_nesting_end_at_once_in_a_clear_error(text, tmp_path, cli_in) -> None:  # type: ignore[no-untyped-def]
    patches = tmp_path / "patches"
    patches.mkdir()
    (patches / "p.yaml").write_text(text, encoding="utf-8")
    start = time.monotonic()
    proc = cli_in("test", "--patches", str(patches), cwd=tmp_path)
    assert time.monotonic() - start < 30
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    assert "p.yaml" in proc.stderr


def test_manifest_yaml_is_composed_never_constructed(hostile) -> None:  # type: ignore[no-untyped-def]
    """The manifest reader (workflows, YAML manifests) also only composes nodes."""
    from patchkit.manifest.yaml_files import find_versions

    marker = hostile.markers / "manifest-yaml-ran"
    text = f"x: !!python/object/apply:os.system ['touch {marker}']\nversion: '1.0.0:0'\n"
    found = list(find_versions(text, "manifest.yaml"))
    assert [getattr(f, "text", None) for f in found] == ["1.0.0:0"]
    assert hostile.ran() == []
