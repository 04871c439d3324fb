from __future__ import annotations

import argparse
import os
import shutil
from dataclasses import fields
from pathlib import Path

import pytest

from patchkit.config import (
    CONFIG_KEYS,
    Config,
    ConfigKeyError,
    ConfigProblems,
    LintSettings,
    ManifestSpec,
    add_config_arguments,
    apply_overrides,
    load_config,
)
from patchkit.errors import ConfigError, InputError, SourceError

FIX = Path(__file__).parent / "fixtures/config"


def repo(tmp_path: Path, fixture: str | None) -> Path:
    if fixture is not None:
        shutil.copy(FIX / fixture, tmp_path / "pyproject.toml")
    return tmp_path


def test_defaults_without_pyproject(tmp_path: Path) -> None:
    cfg = load_config(tmp_path)
    assert cfg == Config(root=tmp_path)
    assert cfg.source is None
    assert (cfg.upstream, cfg.patches, cfg.out, cfg.builder) == (
        "upstream",
        "patches",
        ".dockerfiles",
        "buildkit",
    )
    assert cfg.platforms == ("linux/amd64", "linux/arm64")
    # a StartOS 0.3.x manifest.yaml is read by default too (as EmVer, see scan.scheme_for)
    assert cfg.manifests == (
        ManifestSpec("startos/**/*.ts", "startos-ts", "exver"),
        ManifestSpec("manifest.yaml", "yaml", "exver"),
    )
    assert cfg.upstream_version is None and cfg.version_file_pattern is None
    assert cfg.version_constants == () and cfg.lint == LintSettings()


def test_defaults_without_table(tmp_path: Path) -> None:
    cfg = load_config(repo(tmp_path, "notable.toml"))
    assert cfg.source is None
    assert cfg.upstream == "upstream"


def test_full_config(tmp_path: Path) -> None:
    cfg = load_config(repo(tmp_path, "full.toml"))
    assert cfg.source == tmp_path / "pyproject.toml"
    assert cfg.upstream == "vllm"
    assert cfg.upstream_version == "0.21.1rc0"
    assert cfg.platforms == ("linux/amd64", "linux/arm64/v8")
    assert cfg.builder == "buildah"
    assert cfg.version_constants == ("VLLM_VERSION", "*_IMAGE_TAG")
    assert cfg.version_file_pattern == "startos/versions/v_*.ts"
    assert cfg.manifests == (
        ManifestSpec("startos/**/*.ts", "startos-ts", "exver"),
        ManifestSpec(".github/workflows/*.yml", "yaml", "pep440"),
        ManifestSpec("docker/Containerfile", "dockerfile", "pep440"),
    )
    assert cfg.lint == LintSettings(select=("PKD",), ignore=("PKD003",))
    assert cfg.is_version_constant("VLLM_VERSION") and cfg.is_version_constant("CPU_IMAGE_TAG")
    assert not cfg.is_version_constant("PYTHON_VERSION")


def test_unknown_key_names_file_line_and_nearest_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigKeyError) as info:
        load_config(repo(tmp_path, "typo.toml"))
    err = info.value
    assert isinstance(err, ConfigError) and err.exit_code == 2
    path = tmp_path / "pyproject.toml"
    assert err.render() == (
        f"{path}:3:1: unknown key 'version-constants' in [tool.patchkit]\n"
        'version-constants = ["VLLM_VERSION"]\n'
        "^~~~~~~~~~~~~~~~~\n"
        "hint: did you mean 'version_constants'?"
    )


def test_every_problem_is_reported_with_its_place(tmp_path: Path) -> None:
    with pytest.raises(ConfigProblems) as info:
        load_config(repo(tmp_path, "many.toml"))
    problems = info.value.problems
    summary = [(p.line, p.col, p.suggestion) for p in problems if isinstance(p, SourceError)]
    assert len(summary) == len(problems)
    assert summary == [
        (2, 1, "did you mean 'upstream'?"),
        (3, 11, None),
        (4, 13, 'write ["linux/amd64"]'),
        (5, 11, "one of: buildkit, buildah"),
        (7, 38, "did you mean 'startos-ts'?"),
        (8, 22, "did you mean 'scheme'?"),
        (9, 12, "add kind = one of startos-ts, yaml, pyproject, dockerfile"),
        (12, 1, "did you mean 'select'?"),
    ]
    assert "leaves the repo root" in problems[1].message
    rendered = info.value.render()
    assert rendered.count("pyproject.toml:") == 8


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("upstream = 3", "upstream must be a string, got an integer"),
        ('upstream = "/abs/vllm"', "is absolute"),
        ('out = "a/../../b"', "leaves the repo root"),
        ('out = "~/x"', "is absolute"),
        ('patches = "a\\\\b"', "uses '\\'"),
        ('upstream_version = "v-bad"', "not a valid PEP 440 version"),
        ('version_constants = ["VLLM VERSION"]', "is not an identifier"),
        ('lint = ["PKD"]', "lint must be a table"),
        ('manifests = "startos"', "manifests must be an array of tables"),
        ('manifests = [{ kind = "yaml" }]', "has no path"),
        ('platforms = ["amd64"]', "is not a platform"),
        ('version_file_pattern = "../v*.ts"', "leaves the repo root"),
    ],
)
def test_bad_values(tmp_path: Path, line: str, message: str) -> None:
    (tmp_path / "pyproject.toml").write_text(f"[tool.patchkit]\n{line}\n")
    with pytest.raises(ConfigKeyError) as info:
        load_config(tmp_path)
    assert message in info.value.message
    assert info.value.line == 2


def test_not_toml_is_a_located_input_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as info:
        load_config(repo(tmp_path, "nottoml.toml"))
    assert info.value.line == 2
    assert "not valid TOML" in info.value.message


def test_root_must_be_a_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        load_config(tmp_path / "missing")


def test_resolve_refuses_a_symlink_out_of_the_repo(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    os.symlink(outside, root / "upstream")
    cfg = Config(root=root)
    with pytest.raises(ConfigError, match="outside the repo root"):
        cfg.resolve("upstream")
    (root / "patches").mkdir()
    assert cfg.resolve("patches") == root / "patches"


# -- flags ------------------------------------------------------------------------------------


def parser(keys: list[str] | None = None) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser()
    add_config_arguments(p, keys)
    return p


def test_every_key_has_a_flag_and_every_field_a_key() -> None:
    field_names = {f.name for f in fields(Config)} - {"root", "source", "explicit"}
    assert {k.name for k in CONFIG_KEYS} == field_names
    help_text = parser().format_help()
    for flag in (
        "--upstream",
        "--upstream-version",
        "--patches",
        "--out",
        "--manifest",
        "--platform",
        "--builder",
        "--select",
        "--ignore",
        "--version-constant",
        "--version-file-pattern",
    ):
        assert flag in help_text


def test_flags_override_config(tmp_path: Path) -> None:
    cfg = load_config(repo(tmp_path, "full.toml"))
    args = parser().parse_args([
        "--upstream", "src/vllm", "--platform", "linux/amd64", "--builder", "buildkit",
        "--manifest", "a.yml", "--manifest", "pyproject.toml::semver", "--select", "PKD001,PKD002",
        "--version-constant", "A_VERSION", "--version-constant", "B_TAG",
    ])  # fmt: skip
    new = apply_overrides(cfg, args)
    assert new.upstream == "src/vllm"
    assert new.platforms == ("linux/amd64",)
    assert new.builder == "buildkit"
    assert new.manifests == (
        ManifestSpec("a.yml", "yaml", "exver"),
        ManifestSpec("pyproject.toml", "pyproject", "semver"),
    )
    assert new.lint == LintSettings(select=("PKD001", "PKD002"), ignore=("PKD003",))
    assert new.version_constants == ("A_VERSION", "B_TAG")
    # untouched keys keep their configured values
    assert new.upstream_version == "0.21.1rc0" and new.out == ".dockerfiles"


def test_no_flags_no_change(tmp_path: Path) -> None:
    cfg = load_config(repo(tmp_path, "full.toml"))
    assert apply_overrides(cfg, parser().parse_args([])) == cfg


def test_a_subset_of_flags() -> None:
    help_text = parser(["upstream", "lint"]).format_help()
    assert "--upstream" in help_text and "--select" in help_text
    assert "--platform" not in help_text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--upstream", "../x"], "--upstream '../x' leaves the repo root"),
        (["--builder", "docker"], "--builder 'docker' is not one of buildkit, buildah"),
        (["--platform", "amd64"], "is not a platform"),
        (["--manifest", "x.txt"], "cannot tell the kind"),
        (["--upstream-version", "latest"], "not a valid PEP 440 version"),
    ],
)
def test_bad_flag_values_name_the_flag(tmp_path: Path, argv: list[str], message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        apply_overrides(Config(root=tmp_path), parser().parse_args(argv))


def test_explicit_names_the_keys_the_file_and_the_flags_set(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.patchkit]\nupstream = "vllm"\n', encoding="utf-8")
    config = load_config(tmp_path)
    assert config.explicit == {"upstream"} and config.is_set("upstream")
    assert not config.is_set("platforms") and config.platforms == ("linux/amd64", "linux/arm64")
    args = parser().parse_args(["--platform", "linux/arm64"])
    overridden = apply_overrides(config, args)
    assert overridden.explicit == {"upstream", "platforms"}
