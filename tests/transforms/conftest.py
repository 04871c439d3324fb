"""Transform fixtures: ``fixtures/<kind>/<case>/`` holds

- ``transform.yaml``: the patch file's ``transform:`` mapping;
- ``before``: the Dockerfile as upstream has it;
- ``after``: what the patch must make of it (absent: the file stays as it is);
- ``state``: the state expected on ``before``;
- ``message`` / ``warning`` (optional): text the state message / a warning must contain.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from patchkit.series import Patch, parse_patch

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def patch_from_transform(transform_yaml: str, patch_id: str = "t") -> Patch:
    body = "".join(f"  {line}\n" for line in transform_yaml.splitlines())
    text = f"id: {patch_id}\nsummary: s\nwhy: w\nfiles: [Dockerfile]\ntransform:\n{body}"
    return parse_patch(text, f"<{patch_id}>")


@pytest.fixture
def make_patch() -> Callable[..., Patch]:
    return patch_from_transform
