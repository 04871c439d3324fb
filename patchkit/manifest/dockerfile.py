"""Version strings in Dockerfiles: ARG and ENV defaults whose names look like versions.

Read through the lossless Dockerfile tree (``patchkit.dockerfile.parse``), so
continuation lines, quotes, the escape directive and heredocs are handled the
way BuildKit handles them. Each ``ARG NAME=value`` / ``ENV NAME=value`` (or
``ENV NAME value``) whose name matches ``names`` becomes a ``constant`` item
with the value's exact place (inside its quotes). An ``ARG`` without a default
has nothing to read and is skipped; a value that refers to another variable
(``ENV VLLM_VERSION=${VERSION}``) is known only at build time and is reported as
``Unreadable``.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator, Sequence

from patchkit._source import SourceText
from patchkit.manifest.located import ItemKind, LocatedVersion, Unreadable, located, unreadable

__all__ = ["DEFAULT_NAMES", "find_versions"]

#: ARG/ENV names reported when the caller names none.
DEFAULT_NAMES = ("*VERSION*", "*_TAG")
_FILE_KIND = "dockerfile"


def find_versions(
    text: str, path: str, *, names: Sequence[str] = DEFAULT_NAMES
) -> Iterator[LocatedVersion | Unreadable]:
    """Yield ARG/ENV defaults of a Dockerfile whose names match ``names``, in source order.

    Never raises: the tree parser accepts any text.
    """
    from patchkit.dockerfile import parse

    tree = parse(text, path=path)
    src = SourceText(text)
    for instr in tree.instructions:
        if instr.keyword not in ("ARG", "ENV"):
            continue
        stage = instr.stage
        where = "" if stage is None else f" (stage {stage.name or stage.index})"
        for pair in instr.pairs:
            if pair.value is None or not any(fnmatch.fnmatchcase(pair.key, p) for p in names):
                continue
            context = f"{instr.keyword} {pair.key}{where}"
            raw = (
                pair.raw_value
                if pair.raw_value is not None
                else text[pair.value_start : pair.value_end]
            )
            if "$" in pair.value:
                yield unreadable(
                    src, path, pair.value_start, pair.value_end, kind=ItemKind.CONSTANT,
                    context=context, name=pair.key, file_kind=_FILE_KIND,
                    reason=f"{pair.key} refers to a variable ({pair.value}), "
                    "known only at build time",
                )  # fmt: skip
                continue
            start, end = pair.value_start, pair.value_end
            if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
                start, end = start + 1, end - 1
            yield located(
                src, path, start, end, text=pair.value, kind=ItemKind.CONSTANT, context=context,
                name=pair.key, file_kind=_FILE_KIND,
            )  # fmt: skip
