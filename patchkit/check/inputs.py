"""The files the build uses, as ``patchkit check`` reads them for the scm and lint areas.

Two sources:

- the **patched copies**: every file the patch series names, patched in
  memory (the series applied to the pristine upstream, exactly as ``patchkit
  apply`` would write it), labelled with its place in the output folder
  (``.dockerfiles/docker/Dockerfile.cpu``). Lines and columns are those of the
  patched text, which is the copy on disk whenever the ``status`` area passes;
- the **build files** (``build_files`` in ``[tool.patchkit]``): the
  downstream's own Dockerfiles, build scripts, Makefiles and workflows, read
  from disk. A build file that is also a patched copy is read from memory.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from patchkit.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from patchkit.config import Config
    from patchkit.engine import Plan

__all__ = ["BuildInput", "build_file_inputs", "patched_inputs"]


@dataclass(frozen=True, slots=True)
class BuildInput:
    """One file the build uses: repo-relative ``path``, its text, and where the text came from.

    ``kind``: ``dockerfile``, ``shell``, ``make``, ``yaml`` (a workflow) or
    None when neither the scm nor the lint area reads such a file.
    ``origin``: ``patched`` (a copy made in memory) or ``build_files``.
    """

    path: str
    text: str
    kind: str | None
    origin: str


def patched_inputs(the_plan: Plan, root: Path) -> list[BuildInput]:
    """The patched copies of a plan (every one a Dockerfile), labelled by their target."""
    from patchkit.check._status import rel_to

    return [
        BuildInput(rel_to(root, f.target), f.new, "dockerfile", "patched") for f in the_plan.files
    ]


def _kind(path: str, text: str) -> str | None:
    from patchkit.scm.setters import file_kind

    return file_kind(path, text)


def build_file_inputs(
    config: Config, already: Sequence[BuildInput] = ()
) -> tuple[list[BuildInput], list[Diagnostic]]:
    """Read the files ``config.build_files`` names; PKC002/PKC003 for entries that do not fit."""
    from patchkit._fs import read_source
    from patchkit.manifest._glob import expand

    known = {b.path for b in already}
    inputs: list[BuildInput] = []
    diagnostics: list[Diagnostic] = []
    seen: set[str] = set()
    for index, pattern in enumerate(config.build_files):
        matched = expand(config.root, pattern)
        if not matched:
            diagnostics.append(
                _config_diagnostic(
                    config,
                    index,
                    "PKC002",
                    f"build_files entry {pattern!r} matches no file",
                )
            )
            continue
        for rel in matched:
            if rel in known or rel in seen:
                continue
            seen.add(rel)
            text = read_source(config.resolve(rel))
            kind = _kind(rel, text)
            if kind is None:
                diagnostics.append(
                    Diagnostic(
                        "PKC003",
                        f"{rel} (from build_files) is neither a Dockerfile, a shell script, a "
                        "Makefile nor a workflow: nothing checks it",
                        rel,
                        1,
                        1,
                        Severity.WARNING,
                    )
                )
            inputs.append(BuildInput(rel, text, kind, "build_files"))
    return inputs, diagnostics


def _config_diagnostic(config: Config, index: int, code: str, message: str) -> Diagnostic:
    """A warning located at ``build_files[index]`` in the file that configures it
    (pyproject.toml or patchkit.toml), or at the ``--build-file`` flag when no file does."""
    path, line, col = "--build-file", 1, 1
    if config.source is not None and "build_files" in config.explicit:
        from patchkit._fs import read_source
        from patchkit._source import SourceText
        from patchkit._toml_spans import find_span
        from patchkit.check._status import rel_to

        text = read_source(config.source)
        base = () if config.source.name == "patchkit.toml" else ("tool", "patchkit")
        span = find_span(text, (*base, "build_files", index))
        if span is not None:  # else the entry came from the flag
            line, col = SourceText(text).line_col(span.value_start)
            path = rel_to(config.root, config.source)
    return Diagnostic(code, message, path, line, col, Severity.WARNING)
