"""``lint --target``: findings only in the stages the target needs (FROM, COPY --from, RUN --mount from)."""

from __future__ import annotations

from pathlib import Path

import pytest

from patchkit.dockerfile import parse
from patchkit.lint.built import built_stages

TEXT = """FROM ubuntu AS dev
COPY . /src
RUN pip install -r /src/requirements.txt

FROM ubuntu AS wheel
RUN make wheel

FROM ubuntu AS tools
RUN make tools

FROM wheel AS final
COPY --from=tools /t /t
RUN --mount=type=bind,from=dev,target=/d true
"""


def test_built_stages_follow_from_copy_and_mounts() -> None:
    tree = parse(TEXT)
    assert built_stages(tree) == {0, 1, 2, 3}  # final mounts from dev, copies from tools
    assert built_stages(tree, "wheel") == {1}
    assert built_stages(tree, "TOOLS") == {2}  # stage names are case-insensitive
    assert built_stages(tree, "nope") is None


def test_lint_target_keeps_findings_of_needed_stages_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from patchkit.cli.main import main

    path = tmp_path / "Dockerfile"
    path.write_text(
        TEXT.replace("RUN --mount=type=bind,from=dev,target=/d true\n", ""), encoding="utf-8"
    )
    main(["lint", str(path)])
    assert ":3:1: PKD006" in capsys.readouterr().out  # dev's install after COPY .
    assert main(["lint", "--target", "final", str(path)]) == 0  # final never builds dev
    capsys.readouterr()
    assert main(["lint", "--target", "nope", str(path)]) == 2
    assert "no stage of that name (stages: dev, wheel, tools, final)" in capsys.readouterr().err
