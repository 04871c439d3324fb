"""A lossless Dockerfile syntax tree that reads instructions the way BuildKit does.

>>> from patchkit.dockerfile import parse
>>> tree = parse("FROM alpine AS base\\nRUN --mount=type=cache,target=/root/.cache echo hi\\n")
>>> tree.stages[0].name, tree.instructions[1].mounts[0].target
('base', '/root/.cache')

The API contract other layers code against is ``docs/dockerfile-api.md``.
"""

from __future__ import annotations

from patchkit.dockerfile.instruction_errors import instruction_errors, refusals
from patchkit.dockerfile.mounts import Mount, MountOption
from patchkit.dockerfile.nodes import (
    Dockerfile,
    Flag,
    Heredoc,
    Instruction,
    KeyValue,
    ParseProblem,
    Trivia,
)
from patchkit.dockerfile.parser import parse
from patchkit.dockerfile.stages import PLATFORM_ARGS, Stage

__all__ = [
    "PLATFORM_ARGS",
    "Dockerfile",
    "Flag",
    "Heredoc",
    "Instruction",
    "KeyValue",
    "Mount",
    "MountOption",
    "ParseProblem",
    "Stage",
    "Trivia",
    "instruction_errors",
    "parse",
    "refusals",
]
