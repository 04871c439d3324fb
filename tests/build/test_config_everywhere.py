"""One configuration everywhere: the patch commands find it walking up and honour its folders."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _main(*args: str) -> int:
    from patchkit.cli.main import main

    return main(list(args))


def test_new_and_test_use_the_configured_patches_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "patchkit.toml").write_text(
        'patches = "docker-patches"\nupstream = "vllm"\nupstream_version = "0.33.0"\n',
        encoding="utf-8",
    )
    shutil.copytree(ROOT / "examples" / "upstream", tmp_path / "vllm")
    (tmp_path / "startos").mkdir()
    monkeypatch.chdir(tmp_path / "startos")  # a subfolder: the config is found walking up
    assert _main("new", "--kind", "insert", "my-patch") == 0
    created = tmp_path / "docker-patches" / "my-patch.yaml"
    assert created.is_file()
    assert not (tmp_path / "startos" / "patches").exists()
    assert "../docker-patches/my-patch.yaml" in capsys.readouterr().out
    # finds the patch in the configured folder, and its example passes
    assert _main("test", "my-patch") == 0
    assert "no patch 'my-patch'" not in capsys.readouterr().err


def test_status_from_a_subfolder_uses_the_repo_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "examples", repo, ignore=shutil.ignore_patterns(".dockerfiles"))
    (repo / ".git").mkdir()
    monkeypatch.chdir(repo / "startos")
    assert _main("status") == 0
    out = capsys.readouterr().out
    assert "cpu-deps-cache-per-arch" in out


def test_the_only_submodule_is_the_default_upstream(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from patchkit.cli.options import load_cli_config

    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitmodules").write_text(
        '[submodule "lnd"]\n\tpath = vendor/lnd\n\turl = x\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    assert load_cli_config().upstream == "vendor/lnd"  # type: ignore[union-attr]
    (tmp_path / ".gitmodules").write_text(
        '[submodule "a"]\n\tpath = a\n[submodule "b"]\n\tpath = b\n', encoding="utf-8"
    )
    assert load_cli_config() is None  # two submodules: nothing to choose by
