"""One version file per release: the new version file and its entry in the version graph.

Two conventions hold a StartOS package's current version (corpus of 61 real 0.4
packages, ``/work/corpus-startos/REPORT.md`` §5, and their histories):

- ``versions/current.ts`` exports ``current`` (45 of 61): each release rewrites that
  file's ``version`` in place, and older files stay only for their migrations. Bump
  rewrites the version literal in place (``places.current_edits``).
- the graph names a per-release file, ``current: v_1_102_3_0`` imported from
  ``./v1.102.3.0`` (10 of 61: tailscale, garage, home-assistant, hello-world, ...): each
  release adds a file named like the others, imports it in ``versions/index.ts``, makes
  it ``current`` and moves the old one into ``other`` (tailscale's bump commits
  ``b7540eb``, ``079a15d``; home-assistant's ``e2b9e77``). Bump does exactly that, here.

The new file is a copy of the current one with its version and constant name changed:
its ``releaseNotes`` and ``migrations`` stay the maintainer's text to edit (the summary
says so). Anything this module cannot read for sure (``current`` is not a plain
identifier imported from a file named for its version, no ``other`` array) falls back to
rewriting the version in place, with a note.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from patchkit.bump.places import Edit
from patchkit.typescript.syntax import descendants

if TYPE_CHECKING:
    from patchkit.manifest.crosscheck import CurrentVersion
    from patchkit.typescript import Sources
    from patchkit.typescript.modules import Module

__all__ = ["NewFile", "ReleaseFile", "release_file"]

_TOKEN = re.compile(r"[0-9]+|[A-Za-z]+")


@dataclass(frozen=True, slots=True)
class NewFile:
    """A file the bump creates: repo-relative ``path``, its text, and the file it copies."""

    path: str
    text: str
    copied_from: str
    #: the copied file's ``migrations.up`` does something: copied, it runs again when a
    #: server updates from the old version to the new one (real packages start a release
    #: file with an empty ``up``); the summary says so
    copies_migration: bool = False


@dataclass(frozen=True, slots=True)
class ReleaseFile:
    """The new release file and the edits of the graph file that register it."""

    new_file: NewFile | None  # None: it is there already, as it would be written
    graph_edits: tuple[Edit, ...]
    old_name: str
    new_name: str


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def rename(encoded: str, old_version: str, new_version: str) -> str | None:
    """``encoded`` (a file stem or constant name encoding ``old_version``) for ``new_version``,
    with the same prefix and separators; None when ``encoded`` does not encode it.

    >>> rename("v1.102.3.0", "1.102.3:0", "1.104.0:0")
    '1.104.0.0'
    >>> rename("v_0_21_1_beta_0", "0.21.1-beta:0", "0.21.2-beta:0")
    '_0_21_2_beta_0'
    >>> rename("v2026.4.2_2", "2026.4.2:2", "2026.5:0")
    '2026.5_0'
    """
    m = re.match(r"v([_.]?)(?=[0-9])(.*)\Z", encoded)
    if m is None:
        return None
    lead, rest = m.group(1), m.group(2)
    old = _tokens(old_version.split(":", 1)[1] if old_version.startswith("#") else old_version)
    pieces = re.findall(r"[0-9]+|[A-Za-z]+|[^0-9A-Za-z]+", rest)
    words = [p for p in pieces if _TOKEN.fullmatch(p)]
    if [w.lower() for w in words] != [o.lower() for o in old]:
        return None
    seps = [p for p in pieces if not _TOKEN.fullmatch(p)]
    if len(seps) != len(words) - 1:
        return None  # a separator at either end: not a shape to copy
    body = new_version.split(":", 1)[1] if new_version.startswith("#") else new_version
    up, _, down = body.partition(":")
    new_up, new_down = _tokens(up), _tokens(down)
    old_up_n = len(_tokens(old_version.rsplit(":", 1)[0].split(":", 1)[-1]))
    if len(new_up) == old_up_n:
        use = seps
    else:
        # another number of upstream tokens: the upstream's first separator between them,
        # then the separator that led into the downstream revision
        up_sep = seps[0] if old_up_n > 1 else "."
        use = [up_sep] * (len(new_up) - 1) + seps[old_up_n - 1 :]
    new = new_up + new_down
    if len(use) != len(new) - 1:
        return None
    out = lead + new[0]
    for sep, tok in zip(use, new[1:], strict=True):
        out += sep + tok
    return out


def _graph_object(sources: Sources, files: Sequence[str]) -> tuple[Module, Any] | None:
    """The module and object argument of the one ``VersionGraph.of({ ... })`` among files."""
    from patchkit.manifest.startos_graph import graph_sites

    sites = graph_sites(sources, files)
    if len(sites) != 1:
        return None
    rel, call = sites[0]
    module = sources.module(rel)
    args = call.child_by_field_name("arguments")
    if module is None or args is None:
        return None
    objs = [a for a in args.named_children if a.type == "object"]
    return (module, objs[0]) if len(objs) == 1 else None


def _pair(obj: Any, key: str) -> Any:
    for pair in obj.named_children:
        k = pair.child_by_field_name("key") if pair.type == "pair" else None
        if k is not None and k.text == key.encode():
            return pair
    return None


def release_file(
    sources: Sources,
    files: Sequence[str],
    current: CurrentVersion,
    new_text: str,
    *,
    exists: Any,
) -> ReleaseFile | str:
    """The new release file for ``current`` moving to ``new_text``, or why bump rewrites the
    version in place instead (a sentence; empty for the ``current.ts`` convention).

    ``exists(rel)``: the text of a repo file, None when there is none. The new file must
    not exist, unless it holds exactly the new text (a bump interrupted before it renamed
    the graph file wrote it: running bump again finishes that bump).
    """
    from patchkit.bump.text import CharOffsets

    item = current.item
    if posixpath.basename(item.path) in ("current.ts", "current.js"):
        return ""
    found = _graph_object(sources, files)
    if found is None:
        return "no single VersionGraph.of({ current, other }) to register a new file in"
    module, obj = found
    cur, other = _pair(obj, "current"), _pair(obj, "other")
    value = cur.child_by_field_name("value") if cur is not None else None
    if value is None or value.type != "identifier":
        return "the graph's current is not a plain name"
    array = other.child_by_field_name("value") if other is not None else None
    if array is None or array.type != "array":
        return "the graph has no other: [...] list to move the old version into"
    old_name = value.text.decode()
    binding = module.bindings.get(old_name)
    if binding is None or binding.kind != "import" or binding.spec is None:
        return f"{old_name} is not imported from its own file"
    if sources.resolve(module.path, binding.spec) != item.path:
        return f"{old_name} is not the file that holds the current version"
    stem = posixpath.basename(item.path).rsplit(".", 1)[0]
    new_stem_body = rename(stem, item.text, new_text)
    new_name_body = rename(old_name, item.text, new_text)
    if new_stem_body is None or new_name_body is None:
        return f"the names {stem} and {old_name} do not encode the version {item.text}"
    new_stem = "v" + new_stem_body
    new_name = "v" + new_name_body
    new_path = posixpath.join(
        posixpath.dirname(item.path), new_stem + item.path[len(posixpath.splitext(item.path)[0]) :]
    )
    # the new file: the current one, with its version and the constant's name changed
    source_module = sources.module(item.path)
    assert source_module is not None
    text = source_module.source.decode("utf-8")
    body = text[: item.start] + new_text + text[item.end :]
    body, renamed = re.subn(rf"\b{re.escape(old_name)}\b", new_name, body)
    if renamed != 1:
        return f"{old_name} is named {renamed} times in {item.path} (expected its declaration)"
    there = exists(new_path)
    if there is not None and there != body:
        return f"{new_path} exists already, with other content"
    graph_text = module.source.decode("utf-8")
    at = CharOffsets(module.source)
    edits: list[Edit] = []
    # import the new file on the line after the old one's import, spelled alike
    stmt = next(
        (
            s
            for s in module.tree.root_node.named_children
            if s.type == "import_statement"
            and re.search(rf"\b{re.escape(old_name)}\b", s.text.decode())
        ),
        None,
    )
    if stmt is None:
        return f"no import statement of {old_name} in {module.path}"
    old_import = stmt.text.decode()
    old_spec = binding.spec
    new_spec = old_spec[: len(old_spec) - len(old_spec.rsplit("/", 1)[-1])] + old_spec.rsplit(
        "/", 1
    )[-1].replace(stem, new_stem, 1)
    new_import = re.sub(rf"\b{re.escape(old_name)}\b", new_name, old_import).replace(
        old_spec, new_spec, 1
    )
    end = at.char(stmt.end_byte)
    line_end = graph_text.find("\n", end)
    line_end = len(graph_text) if line_end < 0 else line_end + 1
    newline = "\r\n" if graph_text[line_end - 2 : line_end] == "\r\n" else "\n"
    edits.append(
        Edit(
            module.path,
            line_end,
            line_end,
            "",
            new_import + newline,
            f"import of the new version file {new_stem}",
        )
    )
    v0, v1 = at.char(value.start_byte), at.char(value.end_byte)
    edits.append(Edit(module.path, v0, v1, old_name, new_name, "the version graph's current"))
    edits.append(_append_to_array(graph_text, at, array, old_name, module.path))
    made = None
    if there is None:
        made = NewFile(new_path, body, item.path, _migrates(source_module.tree.root_node))
    return ReleaseFile(made, tuple(edits), old_name, new_name)


def _migrates(root: Any) -> bool:
    """Whether a version file's ``migrations: { up: ... }`` has a statement in its body."""
    for node in descendants(root, "pair"):
        key = node.child_by_field_name("key")
        value = node.child_by_field_name("value")
        if key is None or key.text != b"up" or value is None:
            continue
        body = value.child_by_field_name("body")
        if body is None:
            return True  # a function reference: it does whatever it does
        if body.type != "statement_block":
            return True  # an expression body
        return any(child.type != "comment" for child in body.named_children)
    return False


def _append_to_array(text: str, at: Any, array: Any, name: str, path: str) -> Edit:
    """Add ``name`` as the last element of ``array``, in its layout (one line or one per line)."""
    close = at.char(array.end_byte) - 1  # the "]"
    elements = array.named_children
    what = "the version graph's other"
    if not elements:
        return Edit(path, close, close, "", name, what)
    last_end = at.char(elements[-1].end_byte)
    between = text[last_end:close]
    if "\n" not in text[at.char(array.start_byte) : close]:
        return Edit(path, last_end, last_end, "", f", {name}", what)
    first = at.char(elements[-1].start_byte)
    line_start = text.rfind("\n", 0, first) + 1
    indent = text[line_start:first]
    comma = "," if between.lstrip().startswith(",") else ""
    insert_at = last_end + (between.index(",") + 1 if comma else 0)
    newline = "\r\n" if "\r\n" in text[line_start - 2 : line_start] else "\n"
    trailing = "," if comma else ""
    return Edit(
        path,
        insert_at,
        insert_at,
        "",
        f"{'' if comma else ','}{newline}{indent}{name}{trailing}",
        what,
    )
