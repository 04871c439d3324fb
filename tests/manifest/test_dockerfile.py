from __future__ import annotations

from pathlib import Path

from patchkit.manifest.dockerfile import find_versions
from patchkit.manifest.located import LocatedVersion, Unreadable

FIX = Path(__file__).parent / "fixtures/dockerfile"


def test_arg_and_env_defaults_with_exact_places() -> None:
    text = (FIX / "Dockerfile.startos").read_text()
    found = list(find_versions(text, "Dockerfile.startos"))
    assert [(i.line, i.col, i.end_col, i.name, i.context) for i in found] == [
        (2, 18, 25, "VLLM_VERSION", "ARG VLLM_VERSION"),
        (3, 21, 25, "PYTHON_VERSION", "ARG PYTHON_VERSION"),
        (
            8,
            36,
            42,
            "SETUPTOOLS_SCM_PRETEND_VERSION",
            "ENV SETUPTOOLS_SCM_PRETEND_VERSION (stage build)",
        ),
        (10, 15, 30, "IMAGE_TAG", "ENV IMAGE_TAG (stage build)"),
        (14, 19, 25, "CUDA_VERSION", "ENV CUDA_VERSION (stage final)"),
    ]
    texts = [i.text if isinstance(i, LocatedVersion) else None for i in found]
    assert texts == ["v0.21.1", "3.12", "0.21.1", None, "12.8.1"]
    assert isinstance(found[3], Unreadable) and "known only at build time" in found[3].reason
    for item in found:
        if isinstance(item, LocatedVersion):
            assert text[item.start : item.end] == item.text


def test_names_filter_and_arg_without_default() -> None:
    text = "ARG VLLM_VERSION\nARG A=1\nARG B_VERSION=2\n"
    assert [i.name for i in find_versions(text, "D", names=("*",))] == ["A", "B_VERSION"]


def test_continuation_lines_and_crlf() -> None:
    text = 'FROM x\r\nENV A=1 \\\r\n    VLLM_VERSION="v0.21.1"\r\n'
    (item,) = find_versions(text, "D")
    assert isinstance(item, LocatedVersion)
    assert (item.line, item.col, item.end_col, item.text) == (3, 19, 26, "v0.21.1")
