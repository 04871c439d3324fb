"""Builds in bake files, workflows, Makefiles and scripts; .gitmodules; where the config is found."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from patchkit.build import discover_build
from patchkit.build.gitmodules import read_gitmodules
from patchkit.config import find_config

Repo = Callable[[dict[str, str]], Path]

BAKE = """variable "TAG" { default = "1.4" }
group "default" { targets = ["app"] }
target "app" {
  context    = "upstream"
  dockerfile = "docker/Dockerfile"
  platforms  = ["linux/amd64", "linux/arm64"]
  args       = { VERSION = "${TAG}" }
  target     = "runtime"
}
"""

WORKFLOW = """name: image
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Build image
        uses: docker/build-push-action@v6
        with:
          context: ./app
          file: ./app/Dockerfile.prod
          platforms: linux/amd64,linux/arm64
          build-args: |
            VERSION=2.0
            COMMIT=${{ github.sha }}
          target: final
      - run: |
          docker buildx build --platform linux/riscv64 -f docker/Dockerfile.cli --build-arg A=1 .
"""


def test_bake_targets_with_variables(repo: Repo) -> None:
    (app,) = discover_build(find_config(repo({"docker-bake.hcl": BAKE}))).builds
    assert app.label == "bake target app"
    assert app.dockerfile.value == "upstream/docker/Dockerfile"  # type: ignore[union-attr]
    assert app.dockerfile.origin.line == 5  # type: ignore[union-attr]
    assert app.platforms.value == ("linux/amd64", "linux/arm64")
    assert app.build_args["VERSION"].value == "1.4"
    assert app.target is not None and app.target.value == "runtime"


def test_workflow_build_push_action_and_run_lines(repo: Repo) -> None:
    root = repo({".github/workflows/image.yml": WORKFLOW})
    action, command = discover_build(find_config(root)).builds
    assert action.source == "workflow" and action.image == "Build image"
    assert action.dockerfile.value == "app/Dockerfile.prod"  # type: ignore[union-attr]
    assert action.context.value == "app"  # type: ignore[union-attr]
    assert action.platforms.value == ("linux/amd64", "linux/arm64")
    assert action.build_args["VERSION"].value == "2.0"
    assert action.build_args["COMMIT"].value is None  # an expression: passed, value unknown
    assert action.target.value == "final"  # type: ignore[union-attr]
    assert command.source == "command"
    assert command.dockerfile.value == "docker/Dockerfile.cli"  # type: ignore[union-attr]
    assert (command.dockerfile.origin.path, command.dockerfile.origin.line) == (
        ".github/workflows/image.yml",
        19,
    )  # type: ignore[union-attr]
    assert command.platforms.value == ("linux/riscv64",)


def test_makefile_recipe_of_a_startos_0_3_package(repo: Repo) -> None:
    make = (
        "PKG_ID := x\n\n"
        "docker-images/aarch64.tar: Dockerfile docker_entrypoint.sh\n"
        "\tmkdir -p docker-images\n"
        "\t@docker buildx build --tag start9/$(PKG_ID)/main:$(PKG_VERSION) \\\n"
        "\t  --build-arg ARCH=aarch64 --platform=linux/arm64 -o type=docker,dest=docker-images/aarch64.tar .\n"
    )
    (b,) = discover_build(find_config(repo({"Makefile": make}))).builds
    assert b.dockerfile.value == "Dockerfile" and b.dockerfile.origin is None  # type: ignore[union-attr]
    assert b.context.value == "."  # type: ignore[union-attr]
    assert b.platforms.value == ("linux/arm64",) and b.platforms.origin.line == 6  # type: ignore[union-attr]
    assert b.build_args["ARCH"].value == "aarch64"


def test_script_podman_build(repo: Repo) -> None:
    root = repo(
        {
            "scripts/build.sh": '#!/bin/sh\ncd "$(dirname "$0")/.."\npodman build -f Containerfile --target app ctx\n'
        }
    )
    (b,) = discover_build(find_config(root)).builds
    assert (b.dockerfile.value, b.context.value, b.target.value) == ("Containerfile", "ctx", "app")  # type: ignore[union-attr]


def test_gitmodules_quoted_comments_and_sections(tmp_path: Path) -> None:
    (tmp_path / ".gitmodules").write_text(
        '# comment\n[submodule "lnd"]\n\tpath = "lnd"  \n\turl = git@github.com:lightningnetwork/lnd.git\n'
        '[core]\n\tpath = nope\n[submodule "empty"]\n\turl = x\n',
        encoding="utf-8",
    )
    (lnd,) = read_gitmodules(tmp_path)
    assert (lnd.name, lnd.path, lnd.url, lnd.origin.line) == (
        "lnd",
        "lnd",
        "git@github.com:lightningnetwork/lnd.git",
        3,
    )


def test_config_is_found_walking_up_and_patchkit_toml_wins(repo: Repo) -> None:
    root = repo({
        "patchkit.toml": 'upstream = "lnd"\n[lint]\nignore = ["PKD002"]\n',
        "pyproject.toml": '[tool.patchkit]\nupstream = "other"\n',
        "startos/versions/x.ts": "",
    })  # fmt: skip
    config = find_config(root / "startos" / "versions")
    assert config.root == root and config.source == root / "patchkit.toml"
    assert config.upstream == "lnd" and config.is_set("upstream") and not config.is_set("patches")
    assert config.lint.ignore == ("PKD002",)


def test_unknown_key_in_patchkit_toml_is_located(repo: Repo) -> None:
    from patchkit.errors import SourceError

    root = repo({"patchkit.toml": 'upstrem = "x"\n'})
    with pytest.raises(SourceError) as err:
        find_config(root)
    assert "unknown key 'upstrem' in patchkit.toml" in str(err.value)
    assert err.value.line == 1 and "did you mean 'upstream'" in (err.value.suggestion or "")


def test_patchkit_build_text_and_json(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from patchkit.cli.main import main

    root = repo({"docker-bake.hcl": BAKE})
    monkeypatch.chdir(root)
    assert main(["build"]) == 0
    text = capsys.readouterr().out
    assert "bake target app  (docker-bake.hcl:3:1)" in text
    assert "  dockerfile: upstream/docker/Dockerfile  (docker-bake.hcl:5:1)" in text
    assert main(["build", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["schema"] == "patchkit/build/v1"
    assert doc["builds"][0]["platforms"] == {
        "value": ["linux/amd64", "linux/arm64"],
        "path": "docker-bake.hcl",
        "line": 6,
        "col": 1,
    }


def test_the_docs_example_is_real_output(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from patchkit.cli.main import main

    root = Path(__file__).resolve().parents[2]
    doc = (root / "docs" / "build-model.md").read_text(encoding="utf-8")
    block = doc.split("$ cd examples && patchkit build\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(root / "examples")
    assert main(["build"]) == 0
    assert capsys.readouterr().out == block
