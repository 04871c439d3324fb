"""The CI guide (docs/guides/ci.md) shows real output of `patchkit check` on the fixture
downstream, and the Python API guide's `run_check` example runs: these tests reproduce both."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def blocks() -> dict[str, str]:
    """The ```text blocks of the CI guide that start with a `$ patchkit check` line."""
    section = (ROOT / "docs/guides/ci.md").read_text(encoding="utf-8")
    found = {}
    for body in re.findall(r"```text\n(.*?)```", section, re.S):
        first, _, rest = body.partition("\n")
        if first.startswith("$ patchkit check"):
            found.setdefault(first, []).append(rest)  # type: ignore[attr-defined]
    return found  # type: ignore[return-value]


def run(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> str:
    from patchkit.cli.main import main

    monkeypatch.chdir(repo)
    main(["check", *args])
    return capsys.readouterr().out


def test_clean_and_broken_examples(
    repo_factory: Callable[..., Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    clean, broken = blocks()["$ patchkit check"]  # type: ignore[misc]
    assert run(repo_factory(), monkeypatch, capsys) == clean
    repo = repo_factory("exver-rc0")
    drifted = Path(__file__).parent / "fixtures/variants/drifted-anchor/vllm/docker/Dockerfile.cpu"
    (repo / "vllm/docker/Dockerfile.cpu").write_bytes(drifted.read_bytes())
    assert run(repo, monkeypatch, capsys) == broken
    (github,) = blocks()["$ patchkit check --format github --quiet"]  # type: ignore[misc]
    assert run(repo, monkeypatch, capsys, "--format", "github", "--quiet") == github


def test_python_example(
    repo_factory: Callable[..., Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = (ROOT / "docs/guides/python-api.md").read_text(encoding="utf-8")
    section = text[text.index("## Run the whole check") :]
    code = section[section.index("```python\n") + 10 :]
    code = code[: code.index("```")]
    monkeypatch.chdir(repo_factory())
    with pytest.raises(SystemExit) as done:
        exec(compile(code, "docs/guides/python-api.md", "exec"), {})
    assert done.value.code == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("build ok ")
    assert [line.split()[0] for line in out] == ["build", "manifest", "scm", "status", "lint"]
