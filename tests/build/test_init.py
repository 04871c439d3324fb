"""``patchkit init``: writes only what discovery cannot tell, all or nothing, and a second run is a no-op."""

from __future__ import annotations

from pathlib import Path

import pytest

MANIFEST = (
    "import { setupManifest } from '@start9labs/start-sdk'\n"
    "export const manifest = setupManifest({ images: { main: { source: { dockerBuild: "
    "{ workdir: './lnd' } }, arch: ['x86_64'] } } })\n"
)


def _main(*args: str) -> int:
    from patchkit.cli.main import main

    return main(list(args))


def _repo(tmp_path: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    (tmp_path / ".git").mkdir()
    return tmp_path


def test_zero_config_repo_gets_only_the_gitignore_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _repo(tmp_path, {
        "startos/manifest/index.ts": MANIFEST,
        ".gitmodules": '[submodule "lnd"]\n\tpath = lnd\n',
        ".gitignore": "node_modules",
    })  # fmt: skip
    monkeypatch.chdir(root)
    assert _main("init", "--check") == 1
    assert (root / ".gitignore").read_text() == "node_modules"  # --check writes nothing
    assert _main("init") == 0
    assert (root / ".gitignore").read_text() == (
        "node_modules\n# patched copies written by `patchkit apply`\n/.dockerfiles/\n"
    )
    assert not (root / "patchkit.toml").exists()
    out = capsys.readouterr().out
    assert "found upstream: lnd/" in out and "patchkit check" in out
    assert _main("init", "--check") == 0  # a second run has nothing to do


def test_an_upstream_among_several_submodules_is_written_where_the_config_lives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _repo(tmp_path, {
        ".gitmodules": '[submodule "a"]\n\tpath = a\n[submodule "b"]\n\tpath = b\n',
        "pyproject.toml": "[project]\nname = 'x'  # keep me\n\n[tool.patchkit]\nout = 'copies'\n",
    })  # fmt: skip
    monkeypatch.chdir(root)
    assert _main("init") == 0
    assert "several submodules (a, b)" in capsys.readouterr().out
    assert _main("init", "--upstream", "b") == 0
    text = (root / "pyproject.toml").read_text()
    assert text.startswith("[project]\nname = 'x'  # keep me\n")
    assert 'upstream = "b"' in text and "out = 'copies'" in text
    assert "/copies/" in (root / ".gitignore").read_text()


def test_a_default_manifests_entry_that_finds_nothing_is_no_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    # a StartOS 0.3.x package: manifest.yaml, no startos/*.ts, no pyproject.toml
    root = _repo(
        tmp_path, {"manifest.yaml": "id: x\nversion: 1.10.1.1\n", "Dockerfile": "FROM alpine\n"}
    )
    monkeypatch.chdir(root)
    from patchkit.cli.main import main

    assert main(["check", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [d["code"] for d in doc["diagnostics"]] == []
    # configured, the same entry warns, at the place it is configured
    (root / "patchkit.toml").write_text('manifests = ["startos/**/*.ts"]\n', encoding="utf-8")
    main(["check", "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert [(d["code"], d["path"], d["line"]) for d in doc["diagnostics"]] == [
        ("PKM012", "patchkit.toml", 1)
    ]
