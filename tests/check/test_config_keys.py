"""The ``[tool.patchkit]`` keys ``check`` added (``build_files``, bare-path ``manifests``), and
that every key is a flag of ``patchkit check``."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from patchkit.config import (
    Config,
    ConfigError,
    ConfigKeyError,
    ManifestSpec,
    add_config_arguments,
    apply_overrides,
    load_config,
)


def write(tmp_path: Path, body: str) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.patchkit]\n" + body, encoding="utf-8")
    return tmp_path


def test_build_files(tmp_path: Path) -> None:
    cfg = load_config(write(tmp_path, 'build_files = ["build.sh", ".github/workflows/*.yml"]\n'))
    assert cfg.build_files == ("build.sh", ".github/workflows/*.yml")
    assert Config(root=tmp_path).build_files == ()


@pytest.mark.parametrize(
    ("line", "message", "col"),
    [
        ('build_files = "build.sh"', "build_files must be an array of strings, got a string", 15),
        ('build_files = ["../up.sh"]', "build_files '../up.sh' leaves the repo root", 15),
        ('build_files = ["/abs.sh"]', "is absolute", 15),
    ],
)
def test_bad_build_files(tmp_path: Path, line: str, message: str, col: int) -> None:
    with pytest.raises(ConfigKeyError) as info:
        load_config(write(tmp_path, line + "\n"))
    assert message in info.value.message
    assert (info.value.line, info.value.col) == (2, col)


def test_a_manifest_may_be_a_bare_path(tmp_path: Path) -> None:
    cfg = load_config(
        write(tmp_path, 'manifests = ["startos/versions/current.ts", { path = "a.yml" }]\n')
    )
    assert cfg.manifests == (
        ManifestSpec("startos/versions/current.ts", "startos-ts", "exver"),
        ManifestSpec("a.yml", "yaml", "exver"),
    )


def test_a_bare_path_of_unknown_kind_is_located(tmp_path: Path) -> None:
    with pytest.raises(ConfigKeyError) as info:
        load_config(write(tmp_path, 'manifests = ["VERSION.txt"]\n'))
    assert "cannot tell the kind of 'VERSION.txt'" in info.value.message
    assert (info.value.line, info.value.col) == (2, 14)


def test_the_build_file_flag(tmp_path: Path) -> None:
    parser = argparse.ArgumentParser()
    add_config_arguments(parser)
    args = parser.parse_args(["--build-file", "a.sh,b.sh", "--build-file", "Dockerfile"])
    assert apply_overrides(Config(root=tmp_path), args).build_files == (
        "a.sh",
        "b.sh",
        "Dockerfile",
    )
    with pytest.raises(ConfigError, match="leaves the repo root"):
        apply_overrides(Config(root=tmp_path), parser.parse_args(["--build-file", "../x"]))


def test_every_key_is_a_flag_of_check() -> None:
    from patchkit.cli.main import build_parser
    from patchkit.config import _FLAGS, CONFIG_KEYS

    sub = build_parser()._subparsers._group_actions[0].choices["check"]  # type: ignore[union-attr]
    flags = {opt for action in sub._actions for opt in action.option_strings}
    assert {flag for _, flag, _ in _FLAGS} <= flags
    # every key (lint's two sub-keys count as lint) has a flag
    assert {key.split(".")[0] for key, _, _ in _FLAGS} == {k.name for k in CONFIG_KEYS}
