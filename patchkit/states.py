"""The five states a patch can be in for one upstream file.

Every patch reports one state per file it names, computed from the file as it
is (never from memory of a previous run), so a bump script can trust it:

- ``pending``: the anchor is there and the change is still needed;
- ``applied``: the file already carries exactly this patch's change;
- ``upstream``: upstream satisfies the patch's intent by its own means (for
  example a cache mount that already has a per-architecture id): the patch
  can be retired;
- ``drifted``: the anchor is gone, upstream changed shape; the message names
  what was looked for (`patchkit rule PKP001` says what to do);
- ``skipped``: the upstream version is outside the patch's ``upstream`` range.

Transforms report the first four; only the engine says ``skipped``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

__all__ = ["FileState", "Inspection", "PatchState"]


class PatchState(str, Enum):
    """One patch's state on one file. The value is the name scripts see in JSON."""

    PENDING = "pending"
    APPLIED = "applied"
    UPSTREAM = "upstream"
    DRIFTED = "drifted"
    SKIPPED = "skipped"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class Inspection:
    """What a transform found in one file: its state, why, and any warnings.

    ``warnings`` are facts the author should know that do not change the state
    (for example a ``# syntax=`` directive pinning a frontend too old to expand
    variables in ``--mount`` options).
    """

    state: PatchState
    message: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FileState:
    """The state of patch ``patch`` on ``file`` (a path relative to the upstream root)."""

    patch: str
    file: str
    state: PatchState
    message: str
    warnings: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        doc: dict[str, object] = {
            "patch": self.patch,
            "file": self.file,
            "state": self.state.value,
            "message": self.message,
        }
        if self.warnings:
            doc["warnings"] = list(self.warnings)
        return doc
