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


def test_the_lint_table_takes_every_key_patchkit_lint_reads(tmp_path: Path) -> None:
    from patchkit.config import LintSettings

    cfg = load_config(
        write(
            tmp_path,
            'platforms = ["linux/amd64", "linux/arm64"]\n'
            "[tool.patchkit.lint]\n"
            'select = ["PKD"]\n'
            'platforms = ["linux/arm64"]\n'
            'builder = "buildah"\n'
            'package-caches = "locked"\n'
            'cache-key-arg = "VLLM_COMMIT"\n',
        )
    )
    assert cfg.lint == LintSettings(
        select=("PKD",),
        platforms=("linux/arm64",),
        builder="buildah",
        package_caches="locked",
        cache_key_arg="VLLM_COMMIT",
    )
    # the flags win over both the top-level keys and the lint table
    parser = argparse.ArgumentParser()
    add_config_arguments(parser)
    args = parser.parse_args(
        ["--platform", "linux/amd64", "--package-caches", "share", "--cache-key-arg", "K"]
    )
    new = apply_overrides(cfg, args)
    assert new.platforms == ("linux/amd64",) and new.lint.platforms is None
    assert new.lint.package_caches == "share" and new.lint.cache_key_arg == "K"
    assert new.lint.builder == "buildah"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('package-caches = "shared"', "lint.package-caches 'shared' is not one of"),
        ('cache-key-arg = "A B"', "lint.cache-key-arg 'A B' is not an ARG name"),
        (
            'cache-key-arg = "PATCHKIT_CACHE_KEY"',
            "BuildKit's SecretsUsedInArgOrEnv check flags this name",
        ),
        ('builder = "docker"', "lint.builder 'docker' is not one of buildkit, buildah"),
        ('package_caches = "share"', "unknown key 'package_caches' in [tool.patchkit.lint]"),
    ],
)
def test_bad_lint_values_are_located(tmp_path: Path, line: str, message: str) -> None:
    with pytest.raises(ConfigKeyError) as info:
        load_config(write(tmp_path, "[tool.patchkit.lint]\n" + line + "\n"))
    assert message in info.value.message
    assert info.value.line == 3


def test_patchkit_lint_reads_the_top_level_platforms_and_builder() -> None:
    from patchkit.lint.config import parse_settings

    top = '[tool.patchkit]\nplatforms = ["linux/amd64", "linux/arm64"]\nbuilder = "buildah"\n'
    settings = parse_settings(top, "pyproject.toml")
    assert settings is not None
    assert settings.platforms == ("linux/amd64", "linux/arm64") and settings.builder == "buildah"
    both = parse_settings(top + '[tool.patchkit.lint]\nbuilder = "buildkit"\n', "pyproject.toml")
    assert both is not None and both.builder == "buildkit" and both.platforms is not None
    assert parse_settings('[tool.patchkit]\nupstream = "vllm"\n', "pyproject.toml") is None
