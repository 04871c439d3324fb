"""Where a Dockerfile sets a setuptools-scm pretend-version variable.

Three forms (research/vllm-dockerfiles.md §4): ``ENV NAME=value`` / ``ARG
NAME=value``, an inline assignment before a command in a RUN (``NAME=value
bash build.sh``), and ``export NAME=value`` inside a RUN. Each is reported
with the span of the name and, when the value is a literal, of the value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from patchkit.dockerfile import Dockerfile, Instruction

__all__ = ["PRETEND_NAME", "Setter", "setters"]

PRETEND_NAME = re.compile(r"^(?:SETUPTOOLS_SCM|VCS_VERSIONING)_PRETEND_VERSION(?:_FOR_\w+)?$")
_INLINE = re.compile(
    r"(?:^|(?<=[\s;&|(]))(?:export\s+)?"
    r"(?P<name>(?:SETUPTOOLS_SCM|VCS_VERSIONING)_PRETEND_VERSION(?:_FOR_\w+)?)="
    r"(?P<value>\"[^\"\n]*\"|'[^'\n]*'|[^\s;&|]*)"
)


@dataclass(frozen=True, slots=True)
class Setter:
    """One place that sets a pretend variable."""

    instruction: Instruction
    form: str  # ENV | ARG | RUN
    name: str
    value: str | None  # unquoted literal, None when declared without a value
    name_start: int
    name_end: int
    value_start: int | None
    value_end: int | None


def setters(tree: Dockerfile) -> Iterator[Setter]:
    """Every ENV/ARG/RUN setting of a pretend-version variable, in file order."""
    for instr in tree.instructions:
        if instr.keyword in ("ENV", "ARG"):
            for kv in instr.pairs:
                if PRETEND_NAME.match(kv.key):
                    has_value = kv.value is not None
                    yield Setter(
                        instr,
                        instr.keyword,
                        kv.key,
                        kv.value,
                        kv.key_start,
                        kv.key_end,
                        kv.value_start if has_value else None,
                        kv.value_end if has_value else None,
                    )
        elif instr.keyword == "RUN":
            raw = instr.raw
            for m in _INLINE.finditer(raw):
                value = m.group("value")
                vstart, vend = m.start("value"), m.end("value")
                if value[:1] in "\"'" and len(value) >= 2:
                    value, vstart, vend = value[1:-1], vstart + 1, vend - 1  # keep the quotes
                yield Setter(
                    instr,
                    "RUN",
                    m.group("name"),
                    value,
                    instr.start + m.start("name"),
                    instr.start + m.end("name"),
                    instr.start + vstart,
                    instr.start + vend,
                )
