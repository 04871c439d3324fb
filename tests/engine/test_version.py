"""Deciding the upstream version: flag, configuration, or git describe as PEP 440."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest

from patchkit.engine import resolve_upstream_version
from patchkit.errors import UsageError


def test_flag_wins_over_config_and_git(tmp_path: Path) -> None:
    got = resolve_upstream_version(tmp_path, "v0.10.1", SimpleNamespace(upstream_version="0.9"))
    assert str(got) == "0.10.1" and got.source == "--upstream-version"


def test_config_is_used_when_no_flag(tmp_path: Path) -> None:
    got = resolve_upstream_version(tmp_path, None, SimpleNamespace(upstream_version="0.9.2"))
    assert str(got) == "0.9.2" and got.source == "config"


def test_bad_explicit_version_is_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not a PEP 440 version"):
        resolve_upstream_version(tmp_path, "0.21.1-rc0:0")


def test_plain_folder_without_version_says_how_to_give_one(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as info:
        resolve_upstream_version(tmp_path)
    assert "--upstream-version" in str(info.value)
    assert "not a git checkout" in str(info.value)


def test_git_tag_is_the_version(tmp_path: Path, make_git_repo: Callable[..., Path]) -> None:
    (tmp_path / "f").write_text("x\n", encoding="utf-8")
    make_git_repo(tmp_path, "v0.10.1")
    got = resolve_upstream_version(tmp_path)
    assert str(got) == "0.10.1"
    assert got.source.startswith("git describe --match '*[0-9]*': v0.10.1-0-g")


def test_commits_after_the_tag_make_a_dev_release(
    tmp_path: Path, make_git_repo: Callable[..., Path], run_git: Callable[..., str]
) -> None:
    git = run_git
    (tmp_path / "f").write_text("x\n", encoding="utf-8")
    make_git_repo(tmp_path, "v0.10.1")
    (tmp_path / "f").write_text("y\n", encoding="utf-8")
    git(tmp_path, "commit", "-qam", "next")
    node = git(tmp_path, "rev-parse", "HEAD")[:9]  # setuptools-scm 10 keeps 9 hex digits
    assert str(resolve_upstream_version(tmp_path)) == f"0.10.2.dev1+g{node}"


def test_untagged_repo_is_an_error(tmp_path: Path, make_git_repo: Callable[..., Path]) -> None:
    (tmp_path / "f").write_text("x\n", encoding="utf-8")
    make_git_repo(tmp_path)
    with pytest.raises(UsageError, match="no tags"):
        resolve_upstream_version(tmp_path)


def test_subfolder_does_not_borrow_the_enclosing_repo_tags(
    tmp_path: Path, make_git_repo: Callable[..., Path]
) -> None:
    sub = tmp_path / "vendor" / "upstream"
    sub.mkdir(parents=True)
    (sub / "f").write_text("x\n", encoding="utf-8")
    make_git_repo(tmp_path, "v9.9.9")
    with pytest.raises(UsageError, match="inside the git checkout"):
        resolve_upstream_version(sub)


def test_git_hook_variables_do_not_redirect_the_describe(
    tmp_path: Path, make_git_repo: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    upstream, other = tmp_path / "upstream", tmp_path / "other"
    for folder, tag in ((upstream, "v0.10.1"), (other, "v9.0")):
        folder.mkdir()
        (folder / "f").write_text("x\n", encoding="utf-8")
        make_git_repo(folder, tag)
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))  # as a git hook would export it
    assert str(resolve_upstream_version(upstream)) == "0.10.1"
