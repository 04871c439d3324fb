"""Version strings in YAML manifests and GitHub workflow files (ruamel.yaml, exact positions).

What it finds:

- the top-level ``version:`` of each document (kind ``version``), as in a StartOS
  0.3 ``manifest.yaml`` or a Helm ``Chart.yaml``. Only the top level: a
  ``version:`` nested in a workflow step's ``with:`` belongs to an action.
- every entry of an ``env:`` mapping, at any depth (workflow, job and step
  env), whose name matches ``env_names`` (kind ``constant``, ``name`` the
  variable): ``VLLM_VERSION: v0.21.1``, ``SETUPTOOLS_SCM_PRETEND_VERSION: 0.21.1``.

Positions come from ruamel.yaml's composed node marks, so they are exact for
plain, single- and double-quoted scalars. A value reached through an alias
(``*x``) is reported where its anchor's value is written. A block scalar
(``|`` or ``>``), a mapping or a list where a string belongs, and a
``${{ ... }}`` expression are reported as ``Unreadable``.

``value_type`` tells when YAML does not read a plain scalar as the string
written: ``version: 1.10`` is the float 1.1 (``value_type == "float"``), which
is how GitHub Actions would pass it on, so the checker can say "quote it".
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator, Sequence
from dataclasses import replace

from patchkit._source import SourceText
from patchkit.errors import SourceError
from patchkit.manifest.located import ItemKind, LocatedVersion, Unreadable, located, unreadable

__all__ = ["DEFAULT_ENV_NAMES", "find_versions"]

#: ``env:`` entries reported when the caller names none.
DEFAULT_ENV_NAMES = ("*VERSION*", "*_TAG")

_FILE_KIND = "yaml"
_TYPES = {
    "tag:yaml.org,2002:float": "float",
    "tag:yaml.org,2002:int": "int",
    "tag:yaml.org,2002:bool": "bool",
    "tag:yaml.org,2002:null": "null",
    "tag:yaml.org,2002:timestamp": "timestamp",
}


def find_versions(
    text: str, path: str, *, env_names: Sequence[str] = DEFAULT_ENV_NAMES
) -> Iterator[LocatedVersion | Unreadable]:
    """Yield the version strings of a YAML file (all documents), in source order.

    Raises ``SourceError`` (with line and column) when the text is not YAML.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    src = SourceText(text)
    yaml = YAML(typ="rt")
    try:
        documents = list(yaml.compose_all(text))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        offset = mark.index if mark is not None else 0
        problem = exc.problem or exc.context or "invalid YAML"
        raise SourceError(
            f"not valid YAML: {problem}", path=path, text=text, offset=min(offset, len(text))
        ) from exc
    except YAMLError as exc:
        raise SourceError(f"not valid YAML: {exc}", path=path, text=text, offset=0) from exc
    items: list[LocatedVersion | Unreadable] = []
    for doc in documents:
        if doc is None:
            continue
        items.extend(_top_level_version(src, path, doc))
        items.extend(_env_entries(src, path, doc, (), tuple(env_names), set()))
    items.sort(key=lambda it: (it.start, it.end))
    yield from items


def _dotted(parts: tuple[str, ...]) -> str:
    """``jobs.build.steps[1].env.X`` from its parts (indices attach without a dot)."""
    out = ""
    for part in parts:
        out += part if part.startswith("[") or not out else "." + part
    return out


def _key_text(node: object) -> str | None:
    from ruamel.yaml.nodes import ScalarNode

    return node.value if isinstance(node, ScalarNode) else None


def _top_level_version(
    src: SourceText, path: str, doc: object
) -> Iterator[LocatedVersion | Unreadable]:
    from ruamel.yaml.nodes import MappingNode

    if not isinstance(doc, MappingNode):
        return
    for key, value in doc.value:
        if _key_text(key) == "version":
            yield _scalar(
                src, path, value, kind=ItemKind.VERSION, context="version", name="version"
            )


def _env_entries(
    src: SourceText,
    path: str,
    node: object,
    keypath: tuple[str, ...],
    names: tuple[str, ...],
    seen: set[int],
) -> Iterator[LocatedVersion | Unreadable]:
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    if id(node) in seen:  # an alias of a node already walked
        return
    seen.add(id(node))
    if isinstance(node, MappingNode):
        for key, value in node.value:
            name = _key_text(key)
            label = name if name is not None else "?"
            if name == "env" and isinstance(value, MappingNode):
                for var_key, var_value in value.value:
                    var = _key_text(var_key)
                    if var is None or not any(fnmatch.fnmatchcase(var, p) for p in names):
                        continue
                    context = _dotted((*keypath, "env", var))
                    yield _scalar(
                        src, path, var_value, kind=ItemKind.CONSTANT, context=context, name=var
                    )
            yield from _env_entries(src, path, value, (*keypath, label), names, seen)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            yield from _env_entries(src, path, item, (*keypath, f"[{index}]"), names, seen)


def _scalar(
    src: SourceText, path: str, node: object, *, kind: str, context: str, name: str
) -> LocatedVersion | Unreadable:
    from ruamel.yaml.nodes import ScalarNode

    text = src.text
    start, end = node.start_mark.index, node.end_mark.index  # type: ignore[attr-defined]
    if not isinstance(node, ScalarNode):
        what = "a mapping" if node.__class__.__name__ == "MappingNode" else "a list"
        return unreadable(
            src,
            path,
            start,
            end,
            kind=kind,
            context=context,
            name=name,
            reason=f"{context} is {what}, not a string",
            file_kind=_FILE_KIND,
        )
    value = node.value
    style = node.style
    if style in ("|", ">"):
        return unreadable(
            src,
            path,
            start,
            end,
            kind=kind,
            context=context,
            name=name,
            reason=f"{context} is a block scalar ({style}); write the version on one line",
            file_kind=_FILE_KIND,
        )
    if style in ("'", '"'):
        quote = text.find(style, start, end)
        inner_start = quote + 1 if quote != -1 else start
        inner_end = end - 1 if end - 1 >= inner_start else end
    else:
        # a plain scalar may be preceded by an anchor or tag ("&x 1.2.3", "!!str 1.0")
        inner_end = end
        inner_start = end - len(value) if text[end - len(value) : end] == value else start
    if "${{" in value:
        return unreadable(
            src,
            path,
            inner_start,
            inner_end,
            kind=kind,
            context=context,
            name=name,
            reason=f"{context} is a GitHub Actions expression, known only when the workflow runs",
            file_kind=_FILE_KIND,
        )
    item = located(
        src,
        path,
        inner_start,
        inner_end,
        text=value,
        kind=kind,
        context=context,
        name=name,
        file_kind=_FILE_KIND,
    )
    if style is None:
        value_type = _TYPES.get(str(node.tag))
        if value_type is not None:
            item = replace(item, value_type=value_type)
    return item
