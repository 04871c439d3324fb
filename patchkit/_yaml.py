"""YAML at the boundary: round-trip loading (positions kept, no arbitrary objects built).

ruamel.yaml's round-trip loader keeps each node's line and column
(``node.lc``) and, unlike the unsafe loader, never constructs Python objects
from tags. Errors become ``SourceError`` at the marked place, or ``InputError``.
"""

from __future__ import annotations

from typing import Any

from patchkit._source import splitlines_offset
from patchkit.errors import InputError, SourceError

__all__ = ["load_roundtrip"]


def load_roundtrip(path: str, text: str) -> Any:
    """The document of ``text`` (the first one), or an error naming ``path`` and the place."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="rt", pure=True)
    try:
        return yaml.load(text)
    except RecursionError as exc:  # the composer recurses once per nesting level
        raise InputError("not valid YAML here: nested too deeply", path) from exc
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        offset = splitlines_offset(text, mark.line + 1, mark.column) if mark is not None else 0
        raise SourceError(
            f"not valid YAML: {exc.problem or exc}",
            path=path,
            text=text,
            offset=min(offset, len(text)),
        ) from exc
    except YAMLError as exc:
        raise InputError(f"not valid YAML: {exc}", path) from exc
