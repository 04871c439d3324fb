"""Loading patch files: the schema, located errors, and every malformed case through the CLI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from packaging.version import Version

from patchkit.errors import InputError, SourceError
from patchkit.series import load_series, parse_patch
from patchkit.states import PatchState

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MALFORMED = sorted(p.name for p in (FIXTURES / "malformed").iterdir() if p.is_dir())

GOOD = """\
id: ok
summary: s
why: w
files: [docker/Dockerfile.cpu]
transform:
  kind: cache-key-arg
  name: APP_COMMIT
  run: bdist_wheel
"""


def test_good_series_loads_in_file_order_with_every_field() -> None:
    series = load_series(FIXTURES / "series" / "good")
    assert [p.id for p in series.patches] == [
        "deps-cache-per-arch",
        "wheel-version",
        "commit-in-key",
        "old-only",
    ]
    first = series.patches[0]
    assert first.kind == "cache-mount-id"
    assert first.files == ("docker/Dockerfile.cpu",)
    assert first.params == {"target": ("/app-workspace/.deps",), "id": "deps-${TARGETARCH}"}
    assert "reference is not a tree" in first.why
    assert len(first.examples) == 2
    assert first.examples[1].state is PatchState.UPSTREAM
    assert first.examples[1].name == "upstream fixed it"
    assert first.examples[0].before.endswith("make deps\n")
    # field locations survive for later errors
    assert first.source[slice(*first.locations["transform.target"])].startswith(
        "/app-workspace/.deps"
    )


def test_upstream_specifier_counts_prereleases() -> None:
    series = load_series(FIXTURES / "series" / "good")
    per_arch = series.get("deps-cache-per-arch")
    assert per_arch is not None
    assert per_arch.applies_to(Version("0.10.0rc1")) is False  # below 0.10 even as pre-release
    assert per_arch.applies_to(Version("0.11.0rc1")) is True
    assert per_arch.applies_to(Version("0.10.2.dev3+gabc")) is True
    assert series.get("wheel-version").applies_to(Version("0.0.1"))  # type: ignore[union-attr]
    assert not series.get("old-only").applies_to(Version("0.10"))  # type: ignore[union-attr]


@pytest.mark.parametrize("case", MALFORMED)
def test_malformed_patch_is_a_located_error_exit_2_and_nothing_written(
    case: str,
    cli,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    folder = FIXTURES / "malformed" / case
    expected = (folder / "expected.txt").read_text(encoding="utf-8").strip()
    pwned = Path("/tmp/patchkit-pwned")
    if pwned.exists():
        pwned.unlink()
    out = tmp_path / "out"
    done = cli(
        "apply",
        "--upstream",
        str(FIXTURES / "upstream"),
        "--upstream-version",
        "0.10.1",
        "--patches",
        str(folder / "patches"),
        "--out",
        str(out),
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    first = done.stderr.splitlines()[0]
    assert ".yaml:" + expected in first, first
    assert not out.exists()
    assert not pwned.exists()


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("", None, "empty patch file"),
        ("- a\n- b\n", "1:1", "expected a mapping"),
        (GOOD.replace("summary: s", "summary: s\nsummary: t"), "3:1", "duplicate key 'summary'"),
        (GOOD.replace("why: w", "why:"), "3:1", "why: expected a string, got nothing (null)"),
        (GOOD.replace("why: w", "why: '  '"), "3:6", "why: expected a non-empty string"),
        (GOOD.replace("id: ok", "id: Not_OK"), "1:5", "id: expected lower-case letters"),
        (GOOD.replace("[docker/Dockerfile.cpu]", "[]"), "4:8", "files: expected at least one"),
        (GOOD.replace("[docker/Dockerfile.cpu]", "['docker\\\\Dockerfile']"), "4:9", "use '/'"),
        (
            GOOD.replace("[docker/Dockerfile.cpu]", "['**/Dockerfile']"),
            "4:9",
            "'**' is not supported",
        ),
        (
            GOOD.replace("[docker/Dockerfile.cpu]", "[true]"),
            "4:9",
            "files[0]: expected a string or a list",
        ),
        (GOOD + "---\nid: two\n", "9:1", "invalid YAML"),
        (
            GOOD.replace("  name: APP_COMMIT", "  name: [A]"),
            "7:9",
            "transform.name: expected a string",
        ),
        (
            GOOD.replace("  name: APP_COMMIT", "  name: 'A B'"),
            "7:9",
            "transform.name: expected a build-arg",
        ),
        (GOOD.replace("  run: bdist_wheel\n", ""), "6:3", "transform.run: give `stage`"),
        (GOOD + "examples:\n  - before: x\n", "10:5", "missing required field 'examples[0].after'"),
        (
            GOOD + "examples:\n  - {before: a, after: b, state: done}\n",
            "10:34",
            "examples[0].state: expected one of",
        ),
        (GOOD + "examples: {before: a}\n", "9:11", "examples: expected a list"),
        (GOOD + "examples:\n  - !!binary aGk=\n", "10:5", "YAML tag !!binary is not allowed"),
        (GOOD + "x: &a [1]\n", "9:1", "unknown key 'x'"),
        ("transform:\n  name: X\n", "1:1", "missing required field 'id'"),
        (
            GOOD.replace("  kind: cache-key-arg\n", ""),
            "6:3",
            "missing required field 'transform.kind'",
        ),
    ],
)
def test_schema_errors_name_line_field_and_expectation(
    text: str, where: str | None, message: str
) -> None:
    with pytest.raises(InputError) as info:
        parse_patch(text, "p.yaml")
    err = info.value
    if where is None:
        assert message in str(err)
        return
    assert isinstance(err, SourceError), err
    assert f"p.yaml:{where}: " in str(err), err.render()
    assert message in str(err), err.render()


def test_plain_numbers_are_strings_where_strings_are_expected() -> None:
    patch = parse_patch(GOOD.replace("  run: bdist_wheel", "  run: bdist_wheel\n  default: 0.10"))
    assert patch.params["default"] == "0.10"


def test_missing_patch_folder_says_how_to_give_one(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="--patches DIR"):
        load_series(tmp_path / "nope")


def test_files_are_normalised(tmp_path: Path) -> None:
    patch = parse_patch(GOOD.replace("[docker/Dockerfile.cpu]", "[./docker//Dockerfile.cpu]"))
    assert patch.files == ("docker/Dockerfile.cpu",)


def test_series_ignores_hidden_and_other_files(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / ".hidden.yaml").write_text("not: valid: yaml: [", encoding="utf-8")
    (tmp_path / "README.md").write_text("# notes\n", encoding="utf-8")
    assert [p.id for p in load_series(tmp_path).patches] == ["ok"]
    assert os.path.basename(load_series(tmp_path).patches[0].path) == "a.yaml"
