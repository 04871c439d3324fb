"""Edits that change only the bytes they must.

Every function here *computes* an ``Edit`` (replace ``text[start:end]`` with
``text``) from a parsed tree and never mutates anything. Callers collect the
edits of every patch and apply them together with ``apply_edits``, which
refuses overlapping edits (``EditConflict``) before anything is written: that
is how two patches touching one span are caught.

>>> from patchkit.dockerfile import parse
>>> src = "FROM a\\nRUN --mount=type=cache,target=/x make\\n"
>>> tree = parse(src)
>>> m = tree.instructions[1].mounts[0]
>>> apply_edits(src, [set_mount_option(tree, m, "id", "x-${TARGETARCH}")])
'FROM a\\nRUN --mount=type=cache,target=/x,id=x-${TARGETARCH} make\\n'
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from patchkit.dockerfile.mounts import Mount, MountOption, canonical_key
from patchkit.dockerfile.nodes import Dockerfile, Instruction, KeyValue

__all__ = [
    "Edit",
    "EditConflict",
    "apply_edits",
    "insert_after",
    "insert_before",
    "remove_instruction",
    "remove_mount_option",
    "rename_key",
    "set_mount_option",
    "set_value",
]


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` with ``text`` (an insertion when ``start == end``)."""

    start: int
    end: int
    text: str
    reason: str = ""  # who asked for it (patch id / rule code)

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"invalid edit span {self.start}..{self.end}")

    def overlaps(self, other: Edit) -> bool:
        """True when applying both is ambiguous: they share a character, or insert at one point,
        or one inserts strictly inside the other's span."""
        if self.start == self.end and other.start == other.end:
            return self.start == other.start
        if self.start == self.end:
            return other.start < self.start < other.end
        if other.start == other.end:
            return self.start < other.start < self.end
        return self.start < other.end and other.start < self.end


class EditConflict(ValueError):
    """Two different edits touch the same span; nothing was applied."""

    def __init__(self, a: Edit, b: Edit) -> None:
        who = " and ".join(r for r in (a.reason, b.reason) if r) or "two edits"
        super().__init__(
            f"{who} overlap: [{a.start}, {a.end}) -> {a.text!r} "
            f"vs [{b.start}, {b.end}) -> {b.text!r}"
        )
        self.a = a
        self.b = b


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply all ``edits`` to ``text`` at once (last to first); identical duplicates merge.

    Raises ``EditConflict`` if two different edits overlap, and ``ValueError``
    if an edit lies outside the text.
    """
    unique: list[Edit] = []
    seen: set[tuple[int, int, str]] = set()
    for e in edits:
        key = (e.start, e.end, e.text)
        if key in seen:
            continue
        seen.add(key)
        if e.end > len(text):
            raise ValueError(
                f"edit [{e.start}, {e.end}) is outside the text ({len(text)} characters)"
            )
        unique.append(e)
    unique.sort(key=lambda e: (e.start, e.end))
    for a, b in itertools.pairwise(unique):
        if a.overlaps(b):
            raise EditConflict(a, b)
    # Non-adjacent overlaps (an insertion inside a long replacement further back) are
    # caught too: with spans sorted, any overlap implies one between neighbours,
    # except an insertion strictly inside an earlier, longer replacement.
    for i, a in enumerate(unique):
        for b in unique[i + 1 :]:
            if b.start >= a.end:
                break
            if a.overlaps(b):
                raise EditConflict(a, b)
    out = text
    for e in reversed(unique):
        out = out[: e.start] + e.text + out[e.end :]
    return out


# -- mounts -----------------------------------------------------------------------

_UNSAFE_IN_MOUNT = frozenset(",\"' \t\r\n\\`")


def _check_mount_text(what: str, value: str) -> None:
    bad = sorted({ch for ch in value if ch in _UNSAFE_IN_MOUNT})
    if bad or (not value and what == "key"):
        raise ValueError(
            f"mount {what} {value!r} would need quoting ({', '.join(map(repr, bad)) or 'empty'}); "
            "patchkit writes plain mount options only"
        )


def set_mount_option(
    tree: Dockerfile, mount: Mount, key: str, value: str, *, reason: str = ""
) -> Edit:
    """Set ``key=value`` on a ``--mount``: replace the value if the key (or an alias) is there,
    else append ``,key=value`` at the end of that mount's value. Continuation layout, other
    options and quoting stay as written.
    """
    _check_mount_text("key", key)
    _check_mount_text("value", value)
    opt = mount.option(key)
    if opt is not None:
        if opt.value is None:
            return Edit(opt.start, opt.end, f"{opt.key}={value}", reason)
        return Edit(opt.value_start, opt.value_end, value, reason)
    flag = mount.flag
    at = flag.value_end
    if flag.value is None:
        return Edit(at, at, f"={key}={value}", reason)  # a bare `--mount`
    if not mount.options:
        return Edit(at, at, f"{key}={value}", reason)
    return Edit(at, at, f",{key}={value}", reason)


def remove_mount_option(tree: Dockerfile, mount: Mount, key: str, *, reason: str = "") -> Edit:
    """Remove ``key`` (or its alias) and one adjacent comma from a ``--mount``.

    Raises ``KeyError`` when the mount has no such key and ``ValueError`` when it
    is the mount's only option.
    """
    opt = mount.option(key)
    if opt is None:
        raise KeyError(f"mount has no {key!r} option")
    spans = mount.option_spans
    if len(spans) == 1:
        raise ValueError("cannot remove the only option of a --mount")
    i = spans.index(opt)
    if i > 0:
        prev: MountOption = spans[i - 1]
        return Edit(prev.end, opt.end, "", reason)
    nxt = spans[i + 1]
    return Edit(opt.start, nxt.start, "", reason)


# -- ENV / ARG ------------------------------------------------------------------------


def _pair(instr: Instruction, key: str) -> KeyValue:
    if instr.keyword not in ("ENV", "ARG", "LABEL"):
        raise ValueError(f"{instr.keyword} has no key=value pairs")
    kv = instr.pair(key)
    if kv is None:
        raise KeyError(f"{instr.keyword} on line {instr.start_line} has no key {key!r}")
    return kv


def rename_key(
    tree: Dockerfile, instr: Instruction, old: str, new: str, *, reason: str = ""
) -> Edit:
    """Rename an ENV / ARG / LABEL key in place (the value and its spelling are kept)."""
    if not new or any(ch in new for ch in "= \t\r\n\"'") or tree.escape in new:
        raise ValueError(f"invalid key {new!r}")
    kv = _pair(instr, old)
    return Edit(kv.key_start, kv.key_end, new, reason)


def quote_value(value: str, escape: str = "\\") -> str:
    """Spell ``value`` for ENV / ARG so BuildKit reads it back unchanged (``$VAR`` expands)."""
    if value and not any(ch in value for ch in " \t\r\n\"'" + escape) and "\\" not in value:
        return value
    out = value.replace(escape, escape + escape).replace('"', escape + '"')
    return f'"{out}"'


def set_value(
    tree: Dockerfile, instr: Instruction, key: str, value: str, *, reason: str = ""
) -> Edit:
    """Set the value of an ENV / ARG / LABEL key, quoting it if needed.

    ``ARG NAME`` without a default gains ``=value``. In the old ``ENV KEY value``
    form the whole value (to the end of the instruction) is replaced.
    """
    kv = _pair(instr, key)
    spelled = quote_value(value, tree.escape)
    if kv.value is None:
        return Edit(kv.key_end, kv.key_end, "=" + spelled, reason)
    if instr.keyword == "ENV" and tree.text[kv.key_end : kv.value_start].strip() != "=":
        # Old form: the value is the rest of the arguments, inner blanks included,
        # so plain text with spaces needs no quotes there.
        plain = (
            value
            and value.strip() == value
            and not any(c in value for c in "\"'\r\n" + tree.escape)
        )
        spelled = value if plain else spelled
    return Edit(kv.value_start, kv.value_end, spelled, reason)


# -- whole instructions -------------------------------------------------------------------


def _newline_for(tree: Dockerfile, instr: Instruction) -> str:
    return instr.line_ending or tree.newline


def insert_before(tree: Dockerfile, instr: Instruction, line: str, *, reason: str = "") -> Edit:
    """Insert ``line`` (one instruction, no line ending) on its own line before ``instr``,
    with ``instr``'s indentation and line ending."""
    _check_line(line)
    at = instr.line_start
    return Edit(at, at, instr.indent + line + _newline_for(tree, instr), reason)


def insert_after(tree: Dockerfile, instr: Instruction, line: str, *, reason: str = "") -> Edit:
    """Insert ``line`` on its own line after ``instr`` (after its heredoc bodies, if any)."""
    _check_line(line)
    if instr.continues_to_eof:
        raise ValueError(
            f"{instr.keyword} on line {instr.start_line} is still continued at the end of the "
            "file; "
            "a line after it would become part of it"
        )
    ending = instr.line_ending
    if ending:
        at = instr.end + len(ending)
        return Edit(at, at, instr.indent + line + ending, reason)
    # Last line of a file without a final newline: keep it that way.
    return Edit(instr.end, instr.end, tree.newline + instr.indent + line, reason)


def remove_instruction(tree: Dockerfile, instr: Instruction, *, reason: str = "") -> Edit:
    """Remove the whole line(s) of ``instr``, including its line ending."""
    start = instr.line_start
    ending = instr.line_ending
    if ending:
        return Edit(start, instr.end + len(ending), "", reason)
    # No line ending after it: take the one before it instead, so no blank line is left.
    text = tree.text
    if start > 0:
        prev = start - 2 if text.startswith("\r\n", start - 2) else start - 1
        return Edit(prev, instr.end, "", reason)
    return Edit(start, instr.end, "", reason)


def _check_line(line: str) -> None:
    if "\n" in line or "\r" in line:
        raise ValueError("insert one line at a time, without a line ending")


def mount_key_written(mount: Mount, key: str) -> str | None:
    """How ``key`` (or an alias) is spelled in ``mount``, or None."""
    opt = mount.option(canonical_key(key))
    return opt.key if opt is not None else None
