"""Every option that takes several values accepts ``--x A,B``, ``--x A --x B`` and both."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from patchkit.cli.main import build_parser, main
from patchkit.config_keys import ListAction, split_list

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def _options(parser: argparse.ArgumentParser, path: str = "") -> dict[str, list[argparse.Action]]:
    """Command line -> its optional actions, for every parser under ``parser``."""
    found: dict[str, list[argparse.Action]] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                found.update(_options(child, f"{path} {name}".strip()))
        elif action.option_strings:
            found.setdefault(path, []).append(action)
    return found


OPTIONS = _options(build_parser())
LISTS = {
    (command, a.option_strings[-1])
    for command, actions in OPTIONS.items()
    for a in actions
    if isinstance(a, ListAction)
}


def test_the_list_options_are_the_ones_known() -> None:
    assert {
        ("lint", "--select"),
        ("lint", "--ignore"),
        ("lint", "--platform"),
        ("apply", "--patch"),
        ("check", "--select"),
        ("check", "--ignore"),
        ("check", "--platform"),
        ("check", "--manifest"),
        ("check", "--version-constant"),
        ("check", "--build-file"),
    } <= LISTS


def test_no_option_takes_several_values_another_way() -> None:
    # a plain append (only --x A --x B) or nargs (--x A B) would be a second convention
    for command, actions in OPTIONS.items():
        for a in actions:
            assert not isinstance(a, argparse._AppendAction), (command, a.option_strings)
            assert a.nargs in (None, 0), (command, a.option_strings, a.nargs)


@pytest.mark.parametrize(("command", "flag"), sorted(LISTS), ids=lambda v: str(v))
def test_each_list_option_splits_commas_and_repeats(command: str, flag: str) -> None:
    action = next(a for a in OPTIONS[command] if flag in a.option_strings)
    parser = argparse.ArgumentParser()
    results = []
    for given in (["A,B,C"], ["A", "B", "C"], ["A,B", "C"], [" A , B,", ",C"]):
        ns = argparse.Namespace(**{action.dest: None})
        for value in given:
            action(parser, ns, value, flag)
        results.append(getattr(ns, action.dest))
    assert results == [["A", "B", "C"]] * 4
    assert "comma-separated, or repeat the flag" in (action.help or "")


def test_split_list_keeps_absent_apart_from_empty() -> None:
    assert split_list(None) is None  # not given: the configured value applies
    assert split_list([","]) == []
    assert split_list(["a,b", "c"]) == ["a", "b", "c"]


def test_lint_select_repeated_equals_comma_separated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    (tmp_path / "Dockerfile").write_text(
        "FROM ubuntu:22.04\nRUN --mount=type=cache,target=/root/.deps make deps\n"
        "RUN --mount=type=bind,from=build,target=/w pip install /w/x.whl\n",
        encoding="utf-8",
    )
    outs = []
    for args in (
        ["--select", "PKD001,PKD002", "--platform", "linux/amd64,linux/arm64"],
        [
            "--select",
            "PKD001",
            "--select",
            "PKD002",
            "--platform",
            "linux/amd64",
            "--platform",
            "linux/arm64",
        ],
    ):
        main(["lint", "Dockerfile", "--format", "json", *args])
        outs.append(capsys.readouterr().out)
    assert outs[0] == outs[1]
    assert '"PKD001"' in outs[0]
    main(
        [
            "lint",
            "Dockerfile",
            "--format",
            "json",
            "--select",
            "PKD001",
            "--ignore",
            "PKD001,PKD002",
        ]
    )
    assert '"PKD001"' not in capsys.readouterr().out


def test_apply_patch_repeated_equals_comma_separated(
    downstream: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = ["cpu-deps-cache-per-arch", "cpu-scm-pretend-version"]
    assert main(["apply", "--diff", "--patch", ",".join(ids)]) == 1
    together = capsys.readouterr()
    assert main(["apply", "--diff", "--patch", ids[0], "--patch", ids[1]]) == 1
    assert capsys.readouterr() == together
    assert f"({', '.join(ids)} alone)" in together.out
    assert main(["apply", "--diff", "--patch", ids[0]]) == 1
    assert capsys.readouterr().out != together.out


def test_check_platform_repeated_equals_comma_separated(
    downstream: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["check", "--platform", "linux/amd64", "--platform", "linux/s390x"])
    repeated = capsys.readouterr().out
    main(["check", "--platform", "linux/amd64,linux/s390x"])
    assert capsys.readouterr().out == repeated
    assert "linux/amd64, linux/s390x" in repeated
