from __future__ import annotations

from pathlib import Path

import pytest

from patchkit.errors import SourceError
from patchkit.manifest.located import LocatedVersion, Unreadable
from patchkit.manifest.yaml_files import find_versions

FIX = Path(__file__).parent / "fixtures/yaml"


def items(name: str) -> list[LocatedVersion | Unreadable]:
    return list(find_versions((FIX / name).read_bytes().decode(), name))


def test_manifest_top_level_version_only() -> None:
    (item,) = items("manifest.yaml")
    assert isinstance(item, LocatedVersion)
    assert (item.kind, item.line, item.col, item.end_col, item.text) == (
        "version",
        4,
        10,
        18,
        "0.21.1.0",
    )


def test_workflow_env_entries() -> None:
    found = items("build.yml")
    summary = [
        (i.line, i.col, i.end_col, i.name, i.text if isinstance(i, LocatedVersion) else None)
        for i in found
    ]
    assert summary == [
        (4, 18, 25, "VLLM_VERSION", "v0.21.1"),
        (6, 19, 23, "PYTHON_VERSION", "3.10"),
        (11, 40, 46, "SETUPTOOLS_SCM_PRETEND_VERSION", "0.21.1"),
        (12, 20, 37, "NIGHTLY_TAG", None),
        (18, 33, 49, "IMAGE_TAG", "vllm-cpu:v0.21.1"),
        (18, 33, 49, "OTHER_TAG", "vllm-cpu:v0.21.1"),  # an alias is reported at its anchor
    ]
    assert found[3].context == "jobs.image.env.NIGHTLY_TAG"
    assert isinstance(found[3], Unreadable) and "expression" in found[3].reason
    assert found[4].context == "jobs.image.steps[1].env.IMAGE_TAG"


def test_plain_scalars_that_yaml_reads_as_numbers_are_marked() -> None:
    found = {i.name: i for i in items("build.yml") if isinstance(i, LocatedVersion)}
    assert found["PYTHON_VERSION"].value_type == "float"  # 3.10 is the float 3.1
    assert found["VLLM_VERSION"].value_type == "string"
    assert found["SETUPTOOLS_SCM_PRETEND_VERSION"].value_type == "string"


def test_positions_select_the_value() -> None:
    text = (FIX / "build.yml").read_text()
    for item in items("build.yml"):
        if isinstance(item, LocatedVersion):
            line = text.splitlines()[item.line - 1]
            assert line[item.col - 1 : item.end_col - 1] == item.text


def test_escapes_keep_the_raw_spelling() -> None:
    text = 'version: "0.21\\x2e1:0"\n'
    (item,) = find_versions(text, "m.yaml")
    assert isinstance(item, LocatedVersion)
    assert item.text == "0.21.1:0" and item.raw == "0.21\\x2e1:0"
    assert (item.line, item.col) == (1, 11)


def test_block_scalar_is_unreadable() -> None:
    (item,) = find_versions("version: |\n  1.0:0\n", "m.yaml")
    assert isinstance(item, Unreadable) and "block scalar" in item.reason


def test_several_documents() -> None:
    found = list(find_versions("version: '1:0'\n---\nversion: '2:0'\n", "m.yaml"))
    assert [(i.line, i.text) for i in found if isinstance(i, LocatedVersion)] == [
        (1, "1:0"),
        (3, "2:0"),
    ]


def test_invalid_yaml_is_a_located_error() -> None:
    text = (FIX / "invalid/unclosed.yaml").read_text()
    with pytest.raises(SourceError) as info:
        list(find_versions(text, "unclosed.yaml"))
    err = info.value
    assert err.path == "unclosed.yaml"
    assert err.line == 4  # the flow sequence is still open at the end of the file
    assert "not valid YAML" in str(err)
