"""Load a patch series: ``patches/*.yaml``, validated, with every field located.

A patch file is plain data (strings, lists, mappings)::

    id: cpu-deps-cache-per-arch          # unique in the series; a-z 0-9 . _ -
    summary: Per-arch id for the .deps cache mount
    why: >                               # why the patch exists (kept for reviewers)
      x86 and arm builds otherwise share the cache ...
    upstream: ">=0.10"                   # PEP 440 specifier over the upstream version;
                                         # pre-releases count; omitted or "" = every version
    files: [docker/Dockerfile.cpu]       # paths or globs relative to the upstream root
    transform:
      kind: cache-mount-id               # one of patchkit.transforms.TRANSFORMS
      target: /vllm-workspace/.deps      # ... and that kind's parameters
    examples:                            # worked examples; `patchkit test` runs them
      - before: |
          FROM ubuntu:22.04 AS base
          ...
        after: |
          ...
        state: pending                   # optional: the state expected on `before`

The file is parsed by ruamel.yaml's composer only: nodes are turned into
values here, so no YAML tag can construct an object (``!!python/object`` and
any other non-standard tag is refused), and every error names the file, the
line and column, the field, and what was expected. Unknown keys are errors,
with the closest known key suggested.
"""

from __future__ import annotations

import difflib
import os
import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from patchkit._fs import list_folder, read_source
from patchkit.errors import InputError, SourceError
from patchkit.states import PatchState
from patchkit.transforms.base import Param, ParamError

if TYPE_CHECKING:
    from packaging.specifiers import SpecifierSet
    from packaging.version import Version
    from ruamel.yaml.nodes import Node

    from patchkit.transforms.base import Transform

__all__ = [
    "Example",
    "Patch",
    "Series",
    "load_patch",
    "load_series",
    "parse_patch",
    "placeholders",
    "scaffold_kind",
    "scaffold_patch",
]

_ID = re.compile(r"[a-z0-9][a-z0-9._-]*\Z")
_T = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_T + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_ALLOWED_TAGS = _SCALAR_TAGS | {_T + "map", _T + "seq"}
_MAX_DEPTH = 32  # nesting levels; real patch files use 3
#: Longest new patch name: the file is NAME.yaml, and while it is written a temporary
#: ``.NAME.yaml.<pid>.<random>.patchkit-tmp`` beside it must fit in 255 bytes too.
_MAX_NAME = 100
_EXAMPLE_STATES = tuple(s.value for s in PatchState if s is not PatchState.SKIPPED)

_TOP: tuple[Param, ...] = (
    Param("id", "str", "unique name of the patch (a-z, 0-9, '.', '_', '-')", required=True),
    Param("summary", "str", "one line saying what the patch changes", required=True),
    Param("why", "str", "why the patch exists: the failure it prevents", required=True),
    Param("upstream", "str", "PEP 440 specifier over the upstream version", default=""),
    Param("files", "strs", "paths or globs relative to the upstream root", required=True),
    Param("transform", "map", "the transform kind and its parameters", required=True),
    Param("examples", "list", "worked examples: before/after pairs", default=()),
)
_EXAMPLE: tuple[Param, ...] = (
    Param("before", "str", "the file before the patch", required=True),
    Param("after", "str", "the file after the patch", required=True),
    Param("name", "str", "a label for test output"),
    Param("state", "str", "the state expected on 'before'", choices=_EXAMPLE_STATES),
)


@dataclass(frozen=True, slots=True)
class Example:
    """A worked example: ``before`` must become ``after``, and ``after`` must stay as it is."""

    before: str
    after: str
    name: str | None
    state: PatchState | None
    line: int


@dataclass(frozen=True, slots=True, eq=False)
class Patch:
    """One validated patch file.

    Patches compare by identity (one loaded file is one patch).
    ``locations`` maps field names (``files[1]``, ``transform.target``) to
    ``(offset, end)`` in ``source`` so later checks (a ``files`` entry that
    escapes the upstream tree through a symlink) can point at the line.
    """

    id: str
    summary: str
    why: str
    upstream: SpecifierSet
    files: tuple[str, ...]
    kind: str
    params: Mapping[str, object]
    transform: Transform
    examples: tuple[Example, ...]
    path: str
    source: str = field(repr=False)
    locations: Mapping[str, tuple[int, int]] = field(repr=False)
    #: field name -> (offset, end, column of its key): the whole value as written (a
    #: block scalar with its trailing line breaks), for byte-local rewrites (test --update)
    extents: Mapping[str, tuple[int, int, int]] = field(default_factory=dict, repr=False)

    def applies_to(self, version: Version) -> bool:
        """Whether ``version`` is inside this patch's ``upstream`` range (pre-releases count)."""
        return self.upstream.contains(version, prereleases=True)

    def error(self, field_name: str, message: str, suggestion: str | None = None) -> SourceError:
        """A ``SourceError`` pointing at ``field_name`` in this patch file."""
        offset, end = self.locations.get(field_name, (0, 1))
        return SourceError(
            f"{field_name}: {message}",
            path=self.path,
            text=self.source,
            offset=offset,
            end=end,
            suggestion=suggestion,
        )


@dataclass(frozen=True, slots=True)
class Series:
    """The patches of one folder, in file-name order (the order they apply in)."""

    directory: str
    patches: tuple[Patch, ...]

    def get(self, patch_id: str) -> Patch | None:
        return next((p for p in self.patches if p.id == patch_id), None)


def load_series(
    directory: str | os.PathLike[str],
    *,
    registry: Sequence[type[Transform]] | None = None,
) -> Series:
    """Load every ``*.yaml`` / ``*.yml`` file of ``directory``, sorted by name.

    Raises ``InputError`` when the folder is missing, ``SourceError`` for the
    first invalid patch file, or for a patch id used twice.
    """
    folder = Path(directory)
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "no such folder"
        raise InputError(f"{what}; give the patch folder with --patches DIR", str(folder))
    names = sorted(
        p
        for p in list_folder(folder)
        if p.suffix in (".yaml", ".yml") and not p.name.startswith(".")
    )
    patches: list[Patch] = []
    seen: dict[str, Patch] = {}
    for path in names:
        patch = load_patch(path, registry=registry)
        if patch.id in seen:
            raise patch.error(
                "id", f"patch id {patch.id!r} is already used by {seen[patch.id].path}"
            )
        seen[patch.id] = patch
        patches.append(patch)
    return Series(str(folder), tuple(patches))


def load_patch(
    path: str | os.PathLike[str], *, registry: Sequence[type[Transform]] | None = None
) -> Patch:
    """Read and validate one patch file."""
    return parse_patch(read_source(path), os.fspath(path), registry=registry)


def parse_patch(
    text: str, path: str = "<patch>", *, registry: Sequence[type[Transform]] | None = None
) -> Patch:
    """Validate the text of one patch file; raise ``SourceError`` at the first problem."""
    if registry is None:
        from patchkit.transforms import TRANSFORMS

        registry = TRANSFORMS
    return _Reader(text, path, {t.kind: t for t in registry}).patch()


class _Reader:
    """Turns composed YAML nodes into a ``Patch``, locating every error."""

    def __init__(self, text: str, path: str, kinds: Mapping[str, type[Transform]]) -> None:
        self.text = text
        self.path = path
        self.kinds = kinds
        self.locations: dict[str, tuple[int, int]] = {}
        self.extents: dict[str, tuple[int, int, int]] = {}
        self.keys: dict[int, Node] = {}  # id(value node) -> its key node

    # -- locating ---------------------------------------------------------

    def _span(self, node: Node) -> tuple[int, int]:
        key = self.keys.get(id(node))
        if key is not None and node.tag == _T + "null" and not node.value:
            node = key  # an empty value has no text of its own: point at its key
        start = self._offset(node.start_mark)
        end = self._offset(node.end_mark) if node.end_mark else start + 1
        # a block scalar ends at the next line: point at its first line only
        line_end = self.text.find("\n", start)
        if line_end != -1 and end > line_end:
            end = line_end
        return start, max(end, start + 1)

    def _offset(self, mark: object) -> int:
        """A YAML mark as an offset into the text.

        The mark's character index, not its line and column: YAML also ends
        lines at a lone CR, NEL, U+2028 and U+2029, which patchkit's line
        numbers (like BuildKit's) do not count.
        """
        index = getattr(mark, "index", 0)
        return min(max(index if isinstance(index, int) else 0, 0), len(self.text))

    def _error(self, node: Node | None, message: str, suggestion: str | None = None) -> SourceError:
        start, end = self._span(node) if node is not None else (0, 1)
        return SourceError(
            message, path=self.path, text=self.text, offset=start, end=end, suggestion=suggestion
        )

    def _remember(self, name: str, node: Node) -> None:
        self.locations[name] = self._span(node)

    # -- YAML ---------------------------------------------------------------

    def _compose(self) -> Node:
        from ruamel.yaml import YAML
        from ruamel.yaml.error import MarkedYAMLError, YAMLError

        yaml = YAML(typ="safe", pure=True)
        try:
            node: Node | None = yaml.compose(self.text)
        except MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            offset = self._offset(mark) if mark else 0
            problem = " ".join(p for p in (exc.context, exc.problem) if p)
            raise SourceError(
                f"invalid YAML: {problem or exc}", path=self.path, text=self.text, offset=offset
            ) from exc
        except YAMLError as exc:
            raise InputError(f"invalid YAML: {exc}", self.path) from exc
        except RecursionError as exc:  # the composer recurses once per nesting level
            raise InputError(
                "invalid patch file: YAML nested too deeply (a patch file nests a few levels)",
                self.path,
            ) from exc
        if node is None:
            raise InputError(
                "empty patch file; expected a mapping with id, summary, why, files, transform",
                self.path,
            )
        self._check_tags(node)
        return node

    def _check_tags(self, root: Node) -> None:
        """Refuse non-standard tags, aliases and deep nesting, visiting each node once.

        An alias (``*name``) makes the composer hand back the anchored node a
        second time: refusing it keeps a patch file a tree, so a self-referencing
        alias cannot recurse forever and a "billion laughs" document cannot
        make the reader walk the same nodes exponentially often.
        """
        from ruamel.yaml.nodes import MappingNode, SequenceNode

        seen: set[int] = set()
        todo: list[tuple[Node, int]] = [(root, 0)]
        while todo:
            node, depth = todo.pop()
            if id(node) in seen:
                raise self._error(
                    node,
                    "this value is used again through a YAML alias (*name); a patch file "
                    "does not allow aliases",
                    "write the value out in full where the alias is",
                )
            seen.add(id(node))
            if node.tag not in _ALLOWED_TAGS:
                tag = str(node.tag).replace(_T, "!!")
                raise self._error(
                    node,
                    f"YAML tag {tag} is not allowed: a patch file holds plain strings, lists "
                    "and mappings",
                    "remove the tag",
                )
            if depth > _MAX_DEPTH:
                raise self._error(
                    node, f"nested deeper than {_MAX_DEPTH} levels; a patch file nests a few"
                )
            if isinstance(node, MappingNode):
                for key, value in reversed(node.value):
                    todo.append((value, depth + 1))
                    todo.append((key, depth + 1))
            elif isinstance(node, SequenceNode):
                todo.extend((item, depth + 1) for item in reversed(node.value))

    # -- typed readers --------------------------------------------------------

    def _mapping(
        self, node: Node, schema: tuple[Param, ...], where: str
    ) -> dict[str, tuple[Param, Node]]:
        """Check a mapping against ``schema``: no unknown or duplicate keys, nothing missing."""
        from ruamel.yaml.nodes import MappingNode, ScalarNode

        label = f"{where}: " if where else ""
        if not isinstance(node, MappingNode):
            raise self._error(
                node, f"{label}expected a mapping with keys {', '.join(p.name for p in schema)}"
            )
        known = {p.name: p for p in schema}
        found: dict[str, tuple[Param, Node]] = {}
        for key, value in node.value:
            if not isinstance(key, ScalarNode) or key.tag != _T + "str":
                raise self._error(key, f"{label}keys must be plain strings")
            name = key.value
            full = f"{where}.{name}" if where else name
            if name not in known:
                close = difflib.get_close_matches(name, list(known), n=1)
                raise self._error(
                    key,
                    f"unknown key {full!r}; expected one of: {', '.join(known)}",
                    f"did you mean {close[0]!r}?" if close else None,
                )
            if name in found:
                raise self._error(key, f"duplicate key {full!r}")
            found[name] = (known[name], value)
            self.keys[id(value)] = key
            self.extents[full] = (
                self._offset(value.start_mark),
                self._offset(value.end_mark),
                int(getattr(key.start_mark, "column", 0)),
            )
            self._remember(full, value)
        for param in schema:
            if param.required and param.name not in found:
                full = f"{where}.{param.name}" if where else param.name
                raise self._error(
                    node,
                    f"missing required field {full!r}: expected {param.expected()} ({param.doc})",
                )
        return found

    def _value(self, node: Node, param: Param, name: str) -> object:
        """Convert a node to the value ``param`` describes."""
        from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

        self._remember(name, node)
        if param.type == "str":
            return self._string(node, param, name)
        if param.type == "strs":
            if isinstance(node, ScalarNode):
                return (self._string(node, param, name),)
            if isinstance(node, SequenceNode):
                items = []
                for i, item in enumerate(node.value):
                    items.append(self._string(item, param, f"{name}[{i}]"))
                    self._remember(f"{name}[{i}]", item)
                return tuple(items)
            raise self._error(node, f"{name}: expected {param.expected()}")
        if param.type == "bool":
            if isinstance(node, ScalarNode) and node.tag == _T + "bool":
                return node.value.lower() == "true"
            raise self._error(node, f"{name}: expected true or false, got {self._show(node)}")
        if param.type == "map":
            if not isinstance(node, MappingNode):
                raise self._error(node, f"{name}: expected {param.expected()}")
            return self._params(node, param.fields, name)
        raise AssertionError(f"unknown parameter type {param.type!r}")

    def _string(self, node: Node, param: Param, name: str) -> str:
        from ruamel.yaml.nodes import ScalarNode

        if not isinstance(node, ScalarNode) or node.tag in (_T + "null", _T + "bool"):
            raise self._error(node, f"{name}: expected {param.expected()}, got {self._show(node)}")
        value = str(node.value)
        if param.choices and value not in param.choices:
            close = difflib.get_close_matches(value, list(param.choices), n=1)
            raise self._error(
                node,
                f"{name}: expected {param.expected()}, got {value!r}",
                f"did you mean {close[0]!r}?" if close else None,
            )
        return value

    @staticmethod
    def _show(node: Node) -> str:
        from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

        if isinstance(node, MappingNode):
            return "a mapping"
        if isinstance(node, SequenceNode):
            return "a list"
        if isinstance(node, ScalarNode) and node.tag == _T + "null":
            return "nothing (null)"
        return repr(node.value) if isinstance(node, ScalarNode) else "a node"

    def _params(self, node: Node, schema: tuple[Param, ...], where: str) -> dict[str, object]:
        found = self._mapping(node, schema, where)
        values: dict[str, object] = {}
        for param in schema:
            full = f"{where}.{param.name}" if where else param.name
            if param.name in found:
                values[param.name] = self._value(found[param.name][1], param, full)
            elif param.default is not None:
                values[param.name] = param.default
        return values

    # -- the patch ------------------------------------------------------------

    def patch(self) -> Patch:
        from packaging.specifiers import InvalidSpecifier, SpecifierSet

        root = self._compose()
        top = self._mapping(root, _TOP, "")
        get = {name: node for name, (_, node) in top.items()}

        patch_id = self._string(get["id"], _TOP[0], "id")
        if not _ID.match(patch_id):
            raise self._error(
                get["id"],
                f"id: expected lower-case letters, digits, '.', '_' or '-' (starting with a "
                f"letter or digit), got {patch_id!r}",
            )
        summary = self._string(get["summary"], _TOP[1], "summary").strip()
        why = self._string(get["why"], _TOP[2], "why").strip()
        for name, value in (("summary", summary), ("why", why)):
            if not value:
                raise self._error(get[name], f"{name}: expected a non-empty string")

        spec_text = ""
        if "upstream" in get:
            spec_text = self._string(get["upstream"], _TOP[3], "upstream").strip()
        try:
            upstream = SpecifierSet(spec_text)
        except InvalidSpecifier as exc:
            raise self._error(
                get["upstream"],
                f"upstream: expected a PEP 440 version specifier such as '>=0.10' or "
                f"'>=0.10,<0.20', got {spec_text!r} ({exc})",
                f"write '=={spec_text}' for exactly that version"
                if re.fullmatch(r"[0-9][0-9a-z.+!-]*", spec_text)
                else None,
            ) from exc

        files = self._files(get["files"])
        kind, params, transform = self._transform(get["transform"])
        examples = self._examples(get.get("examples"))
        self._remember("id", get["id"])
        return Patch(
            id=patch_id,
            summary=summary,
            why=why,
            upstream=upstream,
            files=files,
            kind=kind,
            params=params,
            transform=transform,
            examples=examples,
            path=self.path,
            source=self.text,
            locations=dict(self.locations),
            extents=dict(self.extents),
        )

    def _files(self, node: Node) -> tuple[str, ...]:
        from ruamel.yaml.nodes import SequenceNode

        raw = self._value(node, _TOP[4], "files")
        assert isinstance(raw, tuple)
        if not raw:
            raise self._error(node, "files: expected at least one path or glob")
        items = node.value if isinstance(node, SequenceNode) else [node]
        out = []
        for i, (value, item) in enumerate(zip(raw, items, strict=True)):
            out.append(self._file(value, item, f"files[{i}]"))
        return tuple(out)

    def _file(self, value: str, node: Node, name: str) -> str:
        """A path or glob relative to the upstream root that cannot climb out of it."""
        if not value.strip():
            raise self._error(
                node, f"{name}: expected a path relative to the upstream root, got ''"
            )
        if "\\" in value:
            raise self._error(
                node, f"{name}: use '/' between folders, got {value!r}", value.replace("\\", "/")
            )
        if value.startswith("/") or re.match(r"[A-Za-z]:", value):
            raise self._error(
                node,
                f"{name}: expected a path relative to the upstream root, got the absolute "
                f"path {value!r}",
                value.lstrip("/"),
            )
        parts = value.split("/")
        if ".." in parts:
            raise self._error(
                node,
                f"{name}: {value!r} climbs out of the upstream tree with '..'; "
                "patches may only name files inside it",
            )
        if "**" in value:
            raise self._error(node, f"{name}: '**' is not supported; name the folder explicitly")
        return posixpath.normpath(value)

    def _transform(self, node: Node) -> tuple[str, dict[str, object], Transform]:
        from ruamel.yaml.nodes import MappingNode, ScalarNode

        if not isinstance(node, MappingNode):
            raise self._error(node, "transform: expected a mapping with 'kind' and its parameters")
        kind_node = next(
            (v for k, v in node.value if isinstance(k, ScalarNode) and k.value == "kind"), None
        )
        if kind_node is None:
            raise self._error(
                node,
                "missing required field 'transform.kind'; expected one of: "
                + ", ".join(self.kinds),
            )
        kind = self._string(kind_node, Param("kind", "str", ""), "transform.kind")
        if kind not in self.kinds:
            close = difflib.get_close_matches(kind, list(self.kinds), n=1)
            raise self._error(
                kind_node,
                f"transform.kind: unknown kind {kind!r}; expected one of: {', '.join(self.kinds)}",
                f"did you mean {close[0]!r}?" if close else None,
            )
        cls = self.kinds[kind]
        schema = (Param("kind", "str", "the transform kind", required=True), *cls.params)
        params = self._params(node, schema, "transform")
        params.pop("kind")
        try:
            transform = cls.from_params(params)
        except ParamError as exc:
            full = f"transform.{exc.field}"
            start, end = self.locations.get(full, self.locations.get("transform", (0, 1)))
            raise SourceError(
                f"{full}: {exc.message}", path=self.path, text=self.text, offset=start, end=end
            ) from exc
        return kind, params, transform

    def _examples(self, node: Node | None) -> tuple[Example, ...]:
        from ruamel.yaml.nodes import SequenceNode

        if node is None:
            return ()
        if not isinstance(node, SequenceNode):
            raise self._error(
                node, "examples: expected a list of mappings with 'before' and 'after'"
            )
        out = []
        for i, item in enumerate(node.value):
            where = f"examples[{i}]"
            values = self._params(item, _EXAMPLE, where)
            state = values.get("state")
            out.append(
                Example(
                    before=str(values["before"]),
                    after=str(values["after"]),
                    name=str(values["name"]) if values.get("name") is not None else None,
                    state=PatchState(state) if isinstance(state, str) else None,
                    line=item.start_mark.line + 1,
                )
            )
        return tuple(out)


#: Words that mark text nobody wrote yet.
_PLACEHOLDER = re.compile(r"\b(TODO|FIXME|XXX|TBD)\b")


def placeholders(patch: Patch) -> list[SourceError]:
    """Placeholder text left in ``patch`` (TODO, FIXME, XXX, TBD in its summary, why, example
    names or transform parameters), each located at the word in the patch file."""
    values: list[tuple[str, str, str]] = [
        ("summary", patch.summary, "say in one line what the patch changes"),
        ("why", patch.why, "say which failure the patch prevents, and how to tell it is needed"),
    ]
    values += [
        (f"examples[{i}].name", ex.name, "name the case the example shows")
        for i, ex in enumerate(patch.examples)
        if ex.name
    ]

    def walk(prefix: str, value: object) -> None:
        if isinstance(value, str):
            values.append((prefix, value, "write the real value"))
        elif isinstance(value, Mapping):
            for k, v in value.items():
                walk(f"{prefix}.{k}", v)
        elif isinstance(value, (list, tuple)):
            for i, v in enumerate(value):
                walk(f"{prefix}[{i}]", v)

    walk("transform", patch.params)
    out = []
    for name, value, what in values:
        m = _PLACEHOLDER.search(value)
        if m is None:
            continue
        start, _ = patch.locations.get(name, patch.locations.get(name.split("[")[0], (0, 1)))
        at = patch.source.find(m.group(1), start)
        at = start if at < 0 else at
        out.append(
            SourceError(
                f"{name}: placeholder text {m.group(1)!r} left in the patch",
                path=patch.path,
                text=patch.source,
                offset=at,
                end=at + len(m.group(1)),
                suggestion=what,
            )
        )
    return out


def scaffold_kind(
    name: str, kind: str, *, registry: Sequence[type[Transform]] | None = None
) -> type[Transform]:
    """The transform class of ``kind`` for a new patch ``name``.

    Raises ``UsageError`` for a name that cannot be a patch id and for an
    unknown kind (with the closest one suggested).
    """
    from patchkit.errors import UsageError

    if registry is None:
        from patchkit.transforms import TRANSFORMS

        registry = TRANSFORMS
    kinds = {t.kind: t for t in registry}
    if len(name.encode("utf-8")) > _MAX_NAME:
        raise UsageError(
            f"patch name {name[:40]}... is {len(name)} characters; use at most {_MAX_NAME} "
            "(it becomes the id and the file name)"
        )
    if not _ID.match(name):
        raise UsageError(
            f"patch name {name!r}: use lower-case letters, digits, '.', '_' or '-' "
            "(it becomes the id and the file name)"
        )
    if kind not in kinds:
        close = difflib.get_close_matches(kind, list(kinds), n=1)
        raise UsageError(
            f"unknown kind {kind!r}; expected one of: {', '.join(kinds)}"
            + (f" (did you mean {close[0]!r}?)" if close else "")
        )
    return kinds[kind]


def scaffold_patch(
    name: str, kind: str, *, registry: Sequence[type[Transform]] | None = None
) -> str:
    """The text of a new patch file of ``kind``, with the kind's worked example.

    Raises ``UsageError`` for an invalid name or an unknown kind. The result
    loads with :func:`parse_patch` and its example passes ``patchkit test``.
    """
    import json

    cls = scaffold_kind(name, kind, registry=registry)
    scaffold = cls.scaffold

    def scalar(value: object) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (list, tuple)):
            return "[" + ", ".join(scalar(v) for v in value) + "]"
        if isinstance(value, Mapping):
            return "{" + ", ".join(f"{k}: {scalar(v)}" for k, v in value.items()) + "}"
        return json.dumps(str(value), ensure_ascii=False)

    def block(text: str) -> str:
        body = "\n".join(f"      {line}" if line else "" for line in text.splitlines())
        return "|\n" + body

    lines = [
        f"id: {name}",
        f"summary: TODO one line saying what {name} changes ({cls.summary})",
        "why: >",
        "  TODO: the failure this patch prevents, and how to tell it is still needed.",
        'upstream: ">=0"          # PEP 440 specifier over the upstream version',
        f"files: [{scalar(scaffold.file)}]",
        "transform:",
        f"  kind: {kind}",
        *(f"  {key}: {scalar(value)}" for key, value in scaffold.params.items()),
        "examples:",
        f"  - before: {block(scaffold.before)}",
        f"    after: {block(scaffold.after)}",
    ]
    return "\n".join(lines) + "\n"
