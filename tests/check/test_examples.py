"""``patchkit check`` on the project's ``examples/`` downstream, and broken variants of it.

``examples/`` is a downstream repo shaped like the vLLM StartOS package with
the project's real vLLM patch series (``examples/patches`` holds copies of
``patches/*.yaml``). Each variant under ``fixtures/examples-variants/<name>/``
replaces the files that make one mistake; ``expected.json`` holds, written by
hand, the error and warning diagnostics (``[code, path, line, col]``) and any
extra flags. A finding on the patched copy ``.dockerfiles/docker/Dockerfile.cpu``
is reported at its source: the upstream file's line, or the patch file that wrote
the line (at its transform).

PKD002 (artifact input outside the cache key) is ignored by ``examples/pyproject.toml``
(``[tool.patchkit.lint]``, with the maintainers' reasons): it flags three places of the
upstream file that no patch of the series changes (an unpinned installer download and
the ``.deps`` cache mounts). ``test_examples_pkd002_findings_are_the_three_known_ones``
keeps them visible: the judgement is recorded, not hidden.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
VARIANTS = Path(__file__).parent / "fixtures" / "examples-variants"
NAMES = sorted(p.name for p in VARIANTS.iterdir() if (p / "expected.json").is_file())
COPY = ".dockerfiles/docker/Dockerfile.cpu"
# the manifest passes --build-arg VLLM_VERSION, so PKS007 (an ARG without default) is silent
BASELINE_WARNINGS = [["PKP003", COPY, 1, 1]]

Run = Callable[..., tuple[int, dict[str, object]]]
Found = Callable[[dict[str, object], str], list[list[object]]]

pytestmark = pytest.mark.skipif(
    not (EXAMPLES / "pyproject.toml").is_file(), reason="examples/ has no pyproject.toml"
)


def _copy(tmp_path: Path, variant: str | None = None) -> Path:
    repo = tmp_path / "examples"
    shutil.copytree(EXAMPLES, repo, ignore=shutil.ignore_patterns(".dockerfiles"))
    if variant is not None:
        source = VARIANTS / variant
        for path in sorted(source.rglob("*")):
            if path.is_file() and path.name != "expected.json":
                shutil.copyfile(path, repo / path.relative_to(source))
    return repo


def test_the_six_mistakes_are_covered() -> None:
    assert NAMES == [
        "dist-named-pretend",
        "drifted-anchor",
        "exver-rc0",
        "image-tag",
        "migration-newer",
        "unscoped-cache-mount",
    ]


def test_examples_pass_but_for_pkd002(tmp_path: Path, check_json: Run, found: Found) -> None:
    code, doc = check_json(_copy(tmp_path), "--ignore", "PKD002")
    assert code == 0
    assert found(doc, "error") == []
    assert found(doc, "warning") == BASELINE_WARNINGS


def test_examples_pass(check_json: Run, found: Found) -> None:
    code, doc = check_json(ROOT, "examples")
    assert found(doc, "error") == []
    assert code == 0


def test_examples_pkd002_findings_are_the_three_known_ones(
    tmp_path: Path, check_json: Run, found: Found
) -> None:
    repo = _copy(tmp_path)
    config = repo / "pyproject.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.split("[tool.patchkit.lint]")[0], encoding="utf-8")
    code, doc = check_json(tmp_path, "examples")
    assert code == 1
    # each at its source (issue 20): the download on the upstream line; the two .deps
    # mounts on lines the per-arch patch rewrote, so at that patch's transform
    assert found(doc, "error") == [
        ["PKD002", "examples/patches/cpu-deps-cache-per-arch.yaml", 21, 1],
        ["PKD002", "examples/patches/cpu-deps-cache-per-arch.yaml", 21, 1],
        ["PKD002", "examples/upstream/docker/Dockerfile.cpu", 25, 19],
    ]
    messages = sorted(
        d["message"]  # type: ignore[index]
        for d in doc["diagnostics"]  # type: ignore[union-attr]
        if d["code"] == "PKD002"  # type: ignore[index]
    )
    assert messages[0].endswith(
        f"(in the patched copy {COPY}:41, written by patch cpu-deps-cache-per-arch)"
    )
    assert messages[2].endswith(f"(in the patched copy {COPY}:25)")


@pytest.mark.parametrize("variant", NAMES)
def test_each_mistake_fails_with_its_code_and_place(
    variant: str, tmp_path: Path, check_json: Run, found: Found
) -> None:
    want = json.loads((VARIANTS / variant / "expected.json").read_text(encoding="utf-8"))
    code, doc = check_json(_copy(tmp_path, variant), "--ignore", "PKD002", *want["args"])
    assert code == 1, doc
    assert found(doc, "error") == sorted(want["errors"])
    assert found(doc, "warning") == sorted(want["warnings"])


def test_a_finding_on_a_line_a_patch_wrote_lands_on_that_patch_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 20: a GitHub annotation must land on a file of the pull request, not on the
    generated (git-ignored) copy."""
    from patchkit.cli.main import main

    repo = _copy(tmp_path, "dist-named-pretend")
    monkeypatch.chdir(repo)
    assert main(["check", "--format", "github", "--quiet", "--ignore", "PKD002"]) == 1
    (line,) = capsys.readouterr().out.splitlines()
    assert line.startswith(
        "::error file=patches/cpu-scm-pretend-version.yaml,line=15,col=1,title=PKS001::"
    )
    patch_line = (repo / "patches/cpu-scm-pretend-version.yaml").read_text().splitlines()[14]
    assert patch_line == "  text: |"  # the variant writes the dist-named variable with an insert
    assert (
        "(in the patched copy .dockerfiles/docker/Dockerfile.cpu:65, written by patch "
        "cpu-scm-pretend-version)" in line
    )
