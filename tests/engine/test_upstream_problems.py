"""A problem the upstream file already has is the upstream's, wherever the patches move it.

Issue 21, item 2: a ``cache-mount-id`` patch inserts ``ARG TARGETARCH`` above
the RUN it edits and adds ``,id=...`` to its mount. A refusal the upstream
RUN already had (a ``--mout`` typo, a heredoc it never closes) then sits one
line lower in different text; it must not be blamed on the patch (which was
exit 3, "a bug of ours").
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from patchkit import engine
from patchkit.errors import SourceError
from patchkit.series import parse_patch

PATCH = """\
id: per-arch
summary: s
why: w
files: [docker/Dockerfile]
transform:
  kind: cache-mount-id
  target: /x
  id: x-${TARGETARCH}
"""

UPSTREAM = {
    "flag-typo": "FROM a\nRUN --mout=type=bind,target=/y --mount=type=cache,target=/x make\n",
    "open-heredoc": "FROM a\nRUN --mount=type=cache,target=/x <<EOF\nmake\n",
    "typo-below": (
        "FROM a\nRUN --mount=type=cache,target=/x make\nRUN --mout=type=bind,target=/y b\n"
    ),
}


@pytest.mark.parametrize("case", sorted(UPSTREAM))
def test_a_problem_upstream_already_had_does_not_block_the_patch(case: str) -> None:
    text = UPSTREAM[case]
    result = engine.apply_to_text(text, [parse_patch(PATCH, "p.yaml")], path="Dockerfile")
    assert result.changed
    assert "ARG TARGETARCH\nRUN --m" in result.text and ",id=x-${TARGETARCH}" in result.text


def test_the_same_problem_added_by_a_patch_is_still_found() -> None:
    # the typo is upstream's; an insert adding another RUN with the same typo is the patch's
    insert = PATCH.replace(
        "  kind: cache-mount-id\n  target: /x\n  id: x-${TARGETARCH}\n",
        "  kind: insert\n  anchor: {keyword: FROM}\n  text: RUN --mout=type=bind,target=/y c\n",
    )
    text = UPSTREAM["flag-typo"]
    with pytest.raises(SourceError, match=r"line 2: unknown flag: --mout"):
        engine.apply_to_text(text, [parse_patch(insert, "p.yaml")], path="Dockerfile")


@pytest.mark.parametrize("case", sorted(UPSTREAM))
def test_apply_writes_the_copy_and_exits_0(
    cli: Callable[..., subprocess.CompletedProcess[str]], tmp_path: Path, case: str
) -> None:
    (tmp_path / "up" / "docker").mkdir(parents=True)
    (tmp_path / "up" / "docker" / "Dockerfile").write_text(UPSTREAM[case], encoding="utf-8")
    (tmp_path / "patches").mkdir()
    (tmp_path / "patches" / "p.yaml").write_text(PATCH, encoding="utf-8")
    done = cli(
        "apply",
        *("--upstream", "up", "--upstream-version", "1", "--patches", "patches", "--out", "out"),
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert ",id=x-${TARGETARCH}" in (tmp_path / "out/docker/Dockerfile").read_text()
