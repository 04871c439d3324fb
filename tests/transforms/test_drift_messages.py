"""A drifted patch's message says what the file has now and where to read what to do."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from patchkit.dockerfile import parse
from patchkit.series import Patch
from patchkit.states import PatchState

RENAMED = """\
FROM python:3.12 AS base
FROM base AS vllm-wheel
RUN python setup.py bdist_wheel
FROM base AS vllm-openai
"""


@pytest.mark.parametrize(
    "transform",
    [
        "kind: cache-key-arg\nname: VLLM_COMMIT\nstage: vllm-build\nrun: bdist_wheel",
        "kind: scm-pretend-version\nstage: vllm-build\narg: VLLM_VERSION",
    ],
)
def test_a_missing_stage_lists_the_stages_the_file_has(
    transform: str, make_patch: Callable[..., Patch]
) -> None:
    result = make_patch(transform).transform.analyze(parse(RENAMED))
    assert result.state is PatchState.DRIFTED
    assert "no stage 'vllm-build' (the file's stages: base, vllm-wheel, vllm-openai)" in (
        result.message
    )
    assert result.message.endswith("upstream changed shape (what to do: patchkit rule PKP001)")
