"""The version in a pyproject.toml: ``project.version`` or ``tool.poetry.version``, located.

tomlkit reads the value; its position comes from scanning the source text
(``patchkit._toml_spans``), so ``line``/``col`` point at the first character
inside the quotes. A version listed in ``project.dynamic`` is computed by the
build backend and reported as ``Unreadable``, as is a value that is not a string.
"""

from __future__ import annotations

from collections.abc import Iterator

from patchkit._source import SourceText
from patchkit._toml_spans import TomlSpan, scan_toml
from patchkit.errors import SourceError
from patchkit.manifest.located import ItemKind, LocatedVersion, Unreadable, located, unreadable

__all__ = ["find_versions"]

_FILE_KIND = "pyproject"
_CANDIDATES = (("project", "version"), ("tool", "poetry", "version"))


def find_versions(text: str, path: str) -> Iterator[LocatedVersion | Unreadable]:
    """Yield ``project.version`` (and ``tool.poetry.version``) of a pyproject.toml.

    Raises ``SourceError`` naming the line and column when the text is not TOML.
    """
    import tomlkit
    from tomlkit.exceptions import ParseError

    src = SourceText(text)
    try:
        doc = tomlkit.parse(text).unwrap()
    except ParseError as exc:
        offset = src.offset(max(exc.line, 1), max(exc.col, 0) + 1) if text else 0
        raise SourceError(
            f"not valid TOML: {str(exc).split(' at line ')[0]}",
            path=path,
            text=text,
            offset=min(offset, len(text)),
        ) from exc
    spans: dict[tuple[str | int, ...], TomlSpan] = {}
    for span in scan_toml(text):
        spans.setdefault(span.path, span)
    project = doc.get("project")
    if (
        isinstance(project, dict)
        and "version" in (project.get("dynamic") or [])
        and "version" not in project
    ):
        where = spans.get(("project", "dynamic"))
        start, end = (where.value_start, where.value_end) if where else (0, 0)
        yield unreadable(
            src,
            path,
            start,
            end,
            kind=ItemKind.VERSION,
            context="project.version",
            name="version",
            reason="project.version is dynamic: the build backend computes it",
            file_kind=_FILE_KIND,
        )
    for keys in _CANDIDATES:
        value: object = doc
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        if value is None:
            continue
        found = spans.get(keys)
        context = ".".join(keys)
        if found is None:  # written in a form the scanner does not follow; still report the value
            start = end = 0
        else:
            start, end = found.value_start, found.value_end
        if not isinstance(value, str):
            yield unreadable(
                src,
                path,
                start,
                end,
                kind=ItemKind.VERSION,
                context=context,
                name="version",
                reason=f"{context} is not a string",
                file_kind=_FILE_KIND,
            )
            continue
        quote = 3 if text.startswith(('"""', "'''"), start) else 1
        yield located(
            src,
            path,
            start + quote,
            max(start + quote, end - quote),
            text=value,
            kind=ItemKind.VERSION,
            context=context,
            name="version",
            file_kind=_FILE_KIND,
        )
