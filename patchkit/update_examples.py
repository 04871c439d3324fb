"""Rewrite the ``after:`` blocks of a patch file from what its transform makes (``test --update``).

Only the value of each ``after:`` whose example failed is replaced: the span
of that YAML value in the file's text, spliced last-to-first, so comments,
quoting, key order and every other example stay byte for byte. The result is
read back before it is returned: each rewritten example must hold exactly the
new text, and nothing else of the patch may have changed.

An example is updated only when the transform decided what the example
expects: the state it names, or (naming none) any state but ``drifted``, so
an anchor that stopped matching is never written down as the expected result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from patchkit.errors import InternalError
from patchkit.states import PatchState

if TYPE_CHECKING:
    from patchkit.engine import ExampleOutcome
    from patchkit.series import Patch

__all__ = ["Update", "updated_text"]


@dataclass(frozen=True, slots=True)
class Update:
    """The new text of a patch file, the examples rewritten, and those left as they were."""

    text: str
    rewritten: tuple[int, ...]
    refused: tuple[tuple[int, str], ...]


def updated_text(patch: Patch, outcomes: Sequence[ExampleOutcome]) -> Update:
    """``patch``'s file text with each failing ``before -> after`` example's ``after`` rewritten."""
    from patchkit.scaffold import block_scalar
    from patchkit.series import parse_patch

    edits: list[tuple[int, int, str]] = []
    rewritten: list[int] = []
    refused: list[tuple[int, str]] = []
    for o in outcomes:
        if o.ok or o.check != "before -> after":
            continue
        ex = patch.examples[o.index]
        if o.got is None or o.found is None:
            refused.append((o.index, "the transform raised an error on 'before'"))
            continue
        if ex.state is not None and o.found is not ex.state:
            refused.append(
                (
                    o.index,
                    f"the example expects {ex.state.value}, the transform says {o.found.value}",
                )
            )
            continue
        if ex.state is None and o.found is PatchState.DRIFTED:
            refused.append((o.index, f"the transform says drifted ({o.reason})"))
            continue
        if o.got == ex.after:
            continue  # only the state or 'after -> after' failed: nothing to write
        extent = patch.extents.get(f"examples[{o.index}].after")
        if extent is None:
            refused.append((o.index, "its 'after' was not found in the file"))
            continue
        start, end, column = extent
        old = patch.source[start:end]
        trailing = old[len(old.rstrip("\r\n")) :]
        indent = " " * (column + 2)
        if trailing:  # a block: the new one brings its own first line break
            new = block_scalar(o.got, indent)
            new = new + trailing[1:] if new.endswith("\n") else new + trailing
        else:  # a quoted value: stay on its line
            new = _quoted(o.got)
        edits.append((start, end, new))
        rewritten.append(o.index)
    text = patch.source
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    if edits:
        again = parse_patch(text, patch.path)
        want = {
            o.index: o.got
            for o in outcomes
            if o.index in rewritten and o.check == "before -> after"
        }
        for i, ex in enumerate(again.examples):
            expected = want.get(i, patch.examples[i].after)
            if ex.after != expected or ex.before != patch.examples[i].before:
                raise InternalError(
                    f"{patch.path}: rewriting example {i + 1}'s 'after' did not read back as "
                    "the transform's text"
                )
    return Update(text, tuple(rewritten), tuple(refused))


def _quoted(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)
