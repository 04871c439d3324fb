"""``patchkit check`` judges the build the manifest describes: zero-config, on StartOS-shaped repos.

The repos are written here, shaped like vllm-startos at points of its history:
its first shape (a source build of the vllm submodule whose .git is a pointer
file, no pretend-version variable: setuptools-scm "was unable to detect
version"), its fix (a generated Dockerfile that sets the generic variable from
a build arg the manifest passes), and the prebuilt-image shape.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

Repo = Callable[[dict[str, str]], Path]

UPSTREAM_PYPROJECT = """[build-system]
requires = ["setuptools>=77", "setuptools-scm>=8"]
build-backend = "setuptools.build_meta"

[project]
name = "vllm"
dynamic = ["version"]

[tool.setuptools_scm]
"""

DOCKERFILE = """FROM ubuntu:22.04 AS base-common
RUN --mount=type=cache,target=/root/.cache/pip pip install uv

FROM base-common AS vllm-build
COPY . /workspace
RUN python -m build --wheel

FROM base-common AS vllm-dev
COPY . /dev-workspace
RUN pip install -e .

FROM base-common AS vllm-openai
RUN --mount=type=bind,from=vllm-build,src=/workspace/dist,target=/dist pip install /dist/*.whl
RUN --mount=type=cache,target=/workspace/.deps,sharing=locked git clone --depth 1 https://github.com/oneapi-src/oneDNN /workspace/.deps/onednn
"""

FIXED = DOCKERFILE.replace(
    "FROM ubuntu:22.04 AS base-common\n",
    "FROM ubuntu:22.04 AS base-common\nARG VLLM_VERSION\nENV SETUPTOOLS_SCM_PRETEND_VERSION=${VLLM_VERSION}\n",
)

MANIFEST = """import {{ setupManifest }} from '@start9labs/start-sdk'
const VLLM_VERSION = '0.21.1'
export const manifest = setupManifest({{
  id: 'vllm',
  images: {{
    vllm: {{
      source: {{ dockerBuild: {{ workdir: './vllm', dockerfile: '{dockerfile}'{args} }} }},
      arch: {arch},
    }},
  }},
}})
"""


def _package(
    repo: Repo,
    *,
    dockerfile: str,
    arch: str = "['x86_64']",
    args: str = "",
    files: dict[str, str] | None = None,
) -> Path:
    base = {
        ".gitmodules": '[submodule "vllm"]\n\tpath = vllm\n\turl = https://github.com/vllm-project/vllm\n',
        "vllm/.git": "gitdir: ../.git/modules/vllm\n",
        "vllm/pyproject.toml": UPSTREAM_PYPROJECT,
        "vllm/docker/Dockerfile.cpu": DOCKERFILE,
        "startos/manifest/index.ts": MANIFEST.format(dockerfile=dockerfile, arch=arch, args=args),
    }
    base.update(files or {})
    return repo(base)


def _check(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, dict[str, object]]:
    from patchkit.cli.main import main

    monkeypatch.chdir(root)
    code = main(["check", "--format", "json", "--upstream-version", "0.21.1", *args])
    return code, json.loads(capsys.readouterr().out)


def _codes(doc: dict[str, object], severity: str | None = None) -> list[tuple[object, ...]]:
    return sorted(
        (d["code"], d["path"], d["line"])  # type: ignore[index]
        for d in doc["diagnostics"]  # type: ignore[union-attr]
        if severity is None or d["severity"] == severity  # type: ignore[index]
    )


def test_first_shape_source_build_without_pretend_variable_fails(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _package(repo, dockerfile="./vllm/docker/Dockerfile.cpu")
    # PKD002 also reports the stand-in's clone into a .deps cache in the image stage
    # (issue 17: the image's stages are in its scope); these tests are about PKB/PKS
    code, doc = _check(root, monkeypatch, capsys, "--ignore", "PKD002")
    assert code == 1
    assert _codes(doc, "error") == [("PKB002", "startos/manifest/index.ts", 7)]
    (d,) = [x for x in doc["diagnostics"] if x["code"] == "PKB002"]  # type: ignore[union-attr,index]
    assert "submodule vllm" in d["message"] and "unable to detect the version" in d["message"]
    assert "scm-pretend-version" in d["fix"]
    # no patches/ folder: the status area is skipped, not an error
    status = [a for a in doc["areas"] if a["name"] == "status"][0]  # type: ignore[union-attr,index]
    assert status["status"] == "skipped" and "no patches/ folder" in status["summary"]


def test_the_fix_passes_a_build_arg_to_the_generic_variable(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _package(
        repo,
        dockerfile="./.dockerfiles/Dockerfile.cpu",
        args=", buildArgs: { VLLM_VERSION }",
        files={".dockerfiles/Dockerfile.cpu": FIXED},
    )
    # PKD002 also reports the stand-in's clone into a .deps cache in the image stage
    # (issue 17: the image's stages are in its scope); these tests are about PKB/PKS
    code, doc = _check(root, monkeypatch, capsys, "--ignore", "PKD002")
    assert _codes(doc, "error") == []
    # the ARG without default is passed by the manifest: no PKS007
    assert [c for c in _codes(doc) if c[0] == "PKS007"] == []
    assert code == 0


def test_the_fix_without_the_build_arg_is_still_broken_and_says_where_it_looked(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _package(
        repo,
        dockerfile="./.dockerfiles/Dockerfile.cpu",
        files={".dockerfiles/Dockerfile.cpu": FIXED},
    )
    code, doc = _check(root, monkeypatch, capsys)
    assert ("PKB002", "startos/manifest/index.ts", 7) in _codes(doc, "error")
    (warning,) = [d for d in doc["diagnostics"] if d["code"] == "PKS007"]  # type: ignore[union-attr,index]
    assert "Not passed by: image vllm (startos/manifest/index.ts:6:11)" in warning["message"]
    assert code == 1


def test_lint_judges_only_built_stages_and_platforms(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {".dockerfiles/Dockerfile.cpu": FIXED}
    one = _package(
        repo,
        dockerfile="./.dockerfiles/Dockerfile.cpu",
        args=", buildArgs: { VLLM_VERSION }",
        files=files,
    )
    code, doc = _check(one, monkeypatch, capsys)
    lint = [a for a in doc["areas"] if a["name"] == "lint"][0]  # type: ignore[union-attr,index]
    assert "for linux/amd64 on" in lint["summary"]
    # one platform: no PKD001; vllm-dev (COPY . before pip install -e) is not built: no PKD006
    assert [c for c in _codes(doc) if c[0] in ("PKD001", "PKD006")] == []


def test_two_platforms_share_the_deps_cache(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    files = {".dockerfiles/Dockerfile.cpu": FIXED}
    root = _package(
        repo,
        dockerfile="./.dockerfiles/Dockerfile.cpu",
        arch="['x86_64', 'aarch64']",
        args=", buildArgs: { VLLM_VERSION }",
        files=files,
    )
    code, doc = _check(root, monkeypatch, capsys)
    assert ("PKD001", ".dockerfiles/Dockerfile.cpu", 16) in _codes(doc)  # the .deps clone
    assert code == 1


def test_a_build_of_the_pristine_file_the_series_rewrites(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    patch = (
        "id: pretend\nsummary: set the generic pretend-version variable\n"
        "why: the submodule has no usable .git in the build context\n"
        'upstream: ">=0"\nfiles: ["docker/Dockerfile.cpu"]\n'
        "transform:\n  kind: scm-pretend-version\n  stage: base-common\n  arg: VLLM_VERSION\n"
    )
    root = _package(
        repo,
        dockerfile="./vllm/docker/Dockerfile.cpu",
        args=", buildArgs: { VLLM_VERSION }",
        files={"patches/10-pretend.yaml": patch},
    )
    code, doc = _check(root, monkeypatch, capsys, "--upstream", "vllm")
    errors = _codes(doc, "error")
    assert ("PKB001", "startos/manifest/index.ts", 7) in errors
    (d,) = [x for x in doc["diagnostics"] if x["code"] == "PKB001"]  # type: ignore[union-attr,index]
    assert ".dockerfiles/docker/Dockerfile.cpu" in d["message"]


def test_a_generated_dockerfile_that_is_not_there_names_its_writer(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _package(
        repo,
        dockerfile="./.dockerfiles/Dockerfile.cpu",
        args=", buildArgs: { VLLM_VERSION }",
        files={
            "Makefile": "cpu-%: patch-dockerfiles\n\t$(MAKE) $*\n\npatch-dockerfiles:\n\t./scripts/patch-dockerfiles.sh\n",
            "scripts/patch-dockerfiles.sh": '#!/usr/bin/env bash\nout=.dockerfiles\nmkdir -p "$out"\n',
        },
    )
    code, doc = _check(root, monkeypatch, capsys)
    (d,) = [x for x in doc["diagnostics"] if x["code"] == "PKB003"]  # type: ignore[union-attr,index]
    assert "make patch-dockerfiles (Makefile)" in d["message"]
    assert d["severity"] == "warning" and code == 0


def test_prebuilt_images_only_need_no_configuration(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from patchkit.cli.main import main

    root = repo({
        "startos/manifest/index.ts": (
            "import { setupManifest } from '@start9labs/start-sdk'\nconst V = '2.2.1'\n"
            "export const manifest = setupManifest({ images: { main: { source: "
            "{ dockerTag: `louislam/uptime-kuma:${V}` }, arch: ['x86_64', 'aarch64'] } } })\n"
        ),
        "startos/versions/current.ts": "import { VersionInfo } from '@start9labs/start-sdk'\n"
        "export const current = VersionInfo.of({ version: '2.2.1:0', releaseNotes: '', migrations: {} })\n",
    })  # fmt: skip
    monkeypatch.chdir(root)
    code = main(["check", "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0, doc
    status = {a["name"]: a["status"] for a in doc["areas"]}
    assert status == {
        "build": "ok",
        "manifest": "ok",
        "scm": "skipped",
        "status": "skipped",
        "lint": "ok",
    }


def test_a_build_arg_feeding_the_pretend_variable_is_held_against_the_upstream_version(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _package(
        repo,
        dockerfile="./.dockerfiles/Dockerfile.cpu",
        args=", buildArgs: { VLLM_VERSION }",
        files={".dockerfiles/Dockerfile.cpu": FIXED},
    )
    # the manifest passes 0.21.1; the upstream is 0.22.0
    # PKD002 also reports the stand-in's clone into a .deps cache in the image stage
    # (issue 17: the image's stages are in its scope); these tests are about PKB/PKS
    code, doc = _check(
        root, monkeypatch, capsys, "--ignore", "PKD002", "--upstream-version", "0.22.0"
    )
    assert _codes(doc, "error") == [("PKB006", "startos/manifest/index.ts", 2)]
    (d,) = [x for x in doc["diagnostics"] if x["code"] == "PKB006"]  # type: ignore[union-attr,index]
    assert "VLLM_VERSION=0.21.1, which becomes SETUPTOOLS_SCM_PRETEND_VERSION" in d["message"]
    assert "0.22.0 (--upstream-version)" in d["message"]
    assert code == 1
    # the same version written with a leading v or as 0.21.1.0 is the same PEP 440 version
    code, doc = _check(
        root, monkeypatch, capsys, "--ignore", "PKD002", "--upstream-version", "0.21.1.0"
    )
    assert _codes(doc, "error") == [] and code == 0


def test_a_pretend_variable_in_a_sibling_stage_does_not_reach_the_wheel_build(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # vLLM's CUDA Dockerfile sets the variable in csrc-build, but builds the wheel in `build`
    sibling = DOCKERFILE.replace(
        "FROM base-common AS vllm-build\n",
        'FROM base-common AS csrc-build\nENV SETUPTOOLS_SCM_PRETEND_VERSION="0.0.0+csrc.build"\n'
        "RUN python setup.py build_ext\n\nFROM base-common AS vllm-build\n",
    ).replace(
        "FROM base-common AS vllm-openai\n",
        "FROM base-common AS vllm-openai\nCOPY --from=csrc-build /x /x\n",
    )
    root = _package(
        repo,
        dockerfile="./vllm/docker/Dockerfile.cpu",
        files={"vllm/docker/Dockerfile.cpu": sibling},
    )
    code, doc = _check(root, monkeypatch, capsys)
    (d,) = [x for x in doc["diagnostics"] if x["code"] == "PKB002"]  # type: ignore[union-attr,index]
    assert "for the package build at vllm/docker/Dockerfile.cpu:10" in d["message"]
    assert code == 1


def test_a_variable_set_in_the_building_run_itself_counts(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Dockerfile.rocm's shape: export SETUPTOOLS_SCM_PRETEND_VERSION=$(cat ...) && setup.py bdist_wheel
    inline = DOCKERFILE.replace(
        "RUN python -m build --wheel\n",
        "RUN export SETUPTOOLS_SCM_PRETEND_VERSION=$(cat /tmp/version.txt) && python -m build --wheel\n",
    )
    root = _package(
        repo,
        dockerfile="./vllm/docker/Dockerfile.cpu",
        files={"vllm/docker/Dockerfile.cpu": inline},
    )
    code, doc = _check(root, monkeypatch, capsys)
    assert [x for x in doc["diagnostics"] if x["code"] == "PKB002"] == []  # type: ignore[union-attr,index]
