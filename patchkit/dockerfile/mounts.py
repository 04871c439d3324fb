"""``--mount`` values, read the way BuildKit reads them (``instructions/commands_runmount.go``).

The flag value (quotes already removed by the flag splitter) is one CSV record:
fields separated by commas, a field that *starts* with ``"`` is quoted (``""``
inside it is one quote); each field is ``key=value`` or a bare ``key`` (``ro``,
``rw``, ``required``); keys are compared lower-cased, later fields win, and
``target``/``dst``/``destination``, ``source``/``src``, ``readonly``/``ro``,
``readwrite``/``rw`` are aliases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from patchkit.dockerfile.nodes import Flag

__all__ = ["KEY_ALIASES", "Mount", "MountOption", "split_csv"]

#: lower-cased key -> the canonical key BuildKit stores it under.
KEY_ALIASES: dict[str, str] = {
    "dst": "target",
    "destination": "target",
    "src": "source",
    "ro": "readonly",
    "rw": "readwrite",
}


def canonical_key(key: str) -> str:
    """The canonical spelling of a mount key (``DST`` -> ``target``)."""
    k = key.lower()
    return KEY_ALIASES.get(k, k)


def split_csv(value: str) -> tuple[list[tuple[str, int, int]], str | None]:
    """Split one CSV record like Go's ``encoding/csv``: ``[(field, start, end)]`` and an error.

    ``start``/``end`` are offsets in ``value`` of the field as written (quotes
    included). On malformed quoting the fields read so far are returned with
    the error BuildKit would report.
    """
    fields: list[tuple[str, int, int]] = []
    n = len(value)
    pos = 0
    while True:
        start = pos
        if pos < n and value[pos] == '"':
            out: list[str] = []
            pos += 1
            while True:
                q = value.find('"', pos)
                if q < 0:
                    fields.append(("".join(out) + value[pos:], start, n))
                    return fields, 'extraneous or missing " in quoted-field'
                out.append(value[pos:q])
                if q + 1 < n and value[q + 1] == '"':
                    out.append('"')
                    pos = q + 2
                    continue
                pos = q + 1
                break
            if pos < n and value[pos] != ",":
                return fields, 'extraneous or missing " in quoted-field'
            fields.append(("".join(out), start, pos))
        else:
            comma = value.find(",", pos)
            stop = n if comma < 0 else comma
            text = value[pos:stop]
            if '"' in text:
                return fields, 'bare " in non-quoted-field'
            fields.append((text, start, stop))
            pos = stop
        if pos >= n:
            return fields, None
        pos += 1  # the comma


@dataclass(frozen=True, slots=True)
class MountOption:
    """One ``key[=value]`` field of a mount, with source offsets for edits.

    ``start``/``end`` cover the field as written; ``key_start``/``key_end`` the
    key; ``value_start``/``value_end`` the value (equal to ``end`` for a bare key).
    """

    key: str
    value: str | None
    start: int
    end: int
    key_start: int
    key_end: int
    value_start: int
    value_end: int


@dataclass(frozen=True, slots=True)
class Mount:
    """A ``RUN --mount=...`` flag, parsed.

    ``options`` keeps every field in order, keys as written; ``get`` resolves
    aliases and case the way BuildKit does (the last occurrence wins).
    """

    flag: Flag  # the flag this mount came from
    options: list[tuple[str, str | None]]
    option_spans: list[MountOption] = field(repr=False)
    error: str | None = None

    def get(self, key: str) -> str | None:
        """The value of ``key`` (aliases resolved, any case), or None when absent or bare."""
        want = canonical_key(key)
        found: str | None = None
        for k, v in self.options:
            if canonical_key(k) == want:
                found = v
        return found

    def has(self, key: str) -> bool:
        """True when the mount names ``key`` (or an alias), with or without a value."""
        want = canonical_key(key)
        return any(canonical_key(k) == want for k, _ in self.options)

    def option(self, key: str) -> MountOption | None:
        """The last option spelled as ``key`` or one of its aliases."""
        want = canonical_key(key)
        found: MountOption | None = None
        for opt in self.option_spans:
            if canonical_key(opt.key) == want:
                found = opt
        return found

    @property
    def type(self) -> str:
        """``bind`` unless a ``type=`` says otherwise (lower-cased, as BuildKit compares it)."""
        t = self.get("type")
        return t.lower() if t else "bind"

    @property
    def target(self) -> str | None:
        return self.get("target")

    @property
    def source(self) -> str | None:
        return self.get("source")

    @property
    def id(self) -> str | None:
        return self.get("id")

    @property
    def from_(self) -> str | None:
        return self.get("from")

    @property
    def sharing(self) -> str | None:
        return self.get("sharing")
