"""Version strings in StartOS TypeScript files, found on tokens, not by regex over text.

What it finds (each with its exact place):

- ``version: '…'`` inside ``VersionInfo.of({...})`` (kind ``version``; ``name``
  is the constant that holds the VersionInfo, e.g. ``v_0_21_1_0``);
- the keys of ``migrations: { other: { '0.20.0:0': {...}, ['^28']: {...} } }``
  in the same object (kind ``migration-key``, same ``name``);
- string constants such as ``const VLLM_VERSION = 'v0.29.0'`` whose names match
  ``constant_names`` (kind ``constant``);
- the identifier a version graph calls current: ``export { v_0_21_1_0 as current }``,
  ``VersionGraph.of({ current: v_0_21_1_0, ... })``, ``VersionGraph.of(v_0_21_1_0, ...)``
  or ``const current = v_0_21_1_0`` (kind ``current``; ``text`` is the identifier).

A value may be written as a string, a template literal without ``${}``, or an
identifier naming a string ``const`` in the same file (then the position is
that literal). Anything else (a template with ``${}``, a call, an identifier
from another file, a spread ``...x``) is yielded as ``Unreadable`` with the
reason: patchkit reports what it could not read instead of guessing.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from patchkit._source import SourceText
from patchkit.manifest.located import ItemKind, LocatedVersion, Unreadable, located, unreadable
from patchkit.manifest.ts_tokens import Token, tokenize

__all__ = ["DEFAULT_CONSTANT_NAMES", "find_versions"]

#: Constants reported when the caller names none: anything called like a version or a tag.
DEFAULT_CONSTANT_NAMES = ("*VERSION*", "*_TAG", "*Version", "*_version")

_DECLARATORS = frozenset(("const", "let", "var"))
_OPEN = {"(": ")", "[": "]", "{": "}"}
_FILE_KIND = "startos-ts"
_STARTS = frozenset(("ident", "number", "string", "template", "regex"))


@dataclass(frozen=True, slots=True)
class _Prop:
    """One property of an object literal, as token indices."""

    key: str | None  # the key's string value, None when computed and unreadable
    key_first: int  # token index of the key (or of "..." for a spread)
    key_last: int  # token index of the key's last token ("]" of a computed key)
    value_first: int  # first token of the value (== key_first for shorthand)
    value_last: int  # last token of the value (inclusive)
    spread: bool = False
    shorthand: bool = False
    computed: bool = False
    method: bool = False


class _Reader:
    def __init__(self, text: str, path: str, constant_names: Sequence[str]) -> None:
        self.src = SourceText(text)
        self.text = text
        self.path = path
        self.tokens = tokenize(text)
        self.constant_names = tuple(constant_names)
        self.match = self._match_brackets()
        self.decls = self._declarations()

    # -- structure ------------------------------------------------------------
    def _match_brackets(self) -> dict[int, int]:
        match: dict[int, int] = {}
        stack: list[int] = []
        for i, tok in enumerate(self.tokens):
            if tok.kind != "punct":
                continue
            if tok.text in _OPEN:
                stack.append(i)
            elif tok.text in (")", "]", "}"):
                # tolerate mismatches: close the nearest opener of the same kind
                for depth in range(len(stack) - 1, -1, -1):
                    if _OPEN[self.tokens[stack[depth]].text] == tok.text:
                        match[stack[depth]] = i
                        del stack[depth:]
                        break
        return match

    def _is(self, i: int, kind: str, text: str | None = None) -> bool:
        if not 0 <= i < len(self.tokens):
            return False
        tok = self.tokens[i]
        return tok.kind == kind and (text is None or tok.text == text)

    def _skip(self, i: int) -> int:
        """The index after the bracket group opened at ``i`` (or ``i + 1``)."""
        return self.match.get(i, i) + 1

    def _expression_end(self, first: int, stop: int) -> int:
        """Last token index of the expression from ``first`` (ends before , ; or ``stop``)."""
        i = first
        last = first
        while i < stop:
            tok = self.tokens[i]
            if tok.kind == "punct" and tok.text in (",", ";", ")", "]", "}"):
                break
            if (
                i > first
                and self._newline_before(i)
                and tok.kind in _STARTS
                and self._ends_expression(i - 1)
            ):
                break  # automatic semicolon insertion: "'x'\nfoo()" is two statements
            last = i
            i = self._skip(i) if tok.kind == "punct" and tok.text in _OPEN else i + 1
            if i - 1 > last:
                last = i - 1
        return last

    def _ends_expression(self, i: int) -> bool:
        tok = self.tokens[i]
        if tok.kind in ("ident", "number", "string", "template", "regex"):
            return True
        return tok.kind == "punct" and tok.text in (")", "]", "}")

    def _line_end(self, offset: int) -> int:
        end = self.text.find("\n", offset)
        return len(self.text) if end == -1 else end

    def _newline_before(self, i: int) -> bool:
        prev_end = self.tokens[i - 1].end if i > 0 else 0
        return "\n" in self.text[prev_end : self.tokens[i].start]

    def _declarations(self) -> dict[str, tuple[int, int, int]]:
        """``const NAME = <expr>``: name -> (name token index, first, last value token index)."""
        decls: dict[str, tuple[int, int, int]] = {}
        toks = self.tokens
        n = len(toks)
        for i, tok in enumerate(toks):
            if not (tok.kind == "ident" and tok.text in _DECLARATORS and self._is(i + 1, "ident")):
                continue
            j = i + 2
            if self._is(j, "punct", ":"):  # a type annotation: skip to "=" at depth 0
                j += 1
                while j < n and not self._is(j, "punct", "=") and not self._is(j, "punct", ";"):
                    j = (
                        self._skip(j)
                        if toks[j].kind == "punct" and toks[j].text in _OPEN
                        else j + 1
                    )
            if not self._is(j, "punct", "="):
                continue
            first = j + 1
            if first >= n:
                continue
            last = self._expression_end(first, n)
            decls.setdefault(toks[i + 1].text, (i + 1, first, last))
        return decls

    def _object_props(self, open_index: int) -> list[_Prop]:
        """The properties of the object literal whose ``{`` is at ``open_index``."""
        toks = self.tokens
        close = self.match.get(open_index)
        if close is None:
            return []
        props: list[_Prop] = []
        i = open_index + 1
        while i < close:
            if self._is(i, "punct", ","):
                i += 1
                continue
            start = i
            # the whole segment up to the next "," at this depth
            end = i
            while end < close and not self._is(end, "punct", ","):
                end = (
                    self._skip(end)
                    if toks[end].kind == "punct" and toks[end].text in _OPEN
                    else end + 1
                )
            last = end - 1
            props.append(self._prop(start, last))
            i = end
        return props

    def _prop(self, first: int, last: int) -> _Prop:
        toks = self.tokens
        if self._is(first, "punct", "..."):
            return _Prop(None, first, first, first + 1, last, spread=True)
        k = first
        # modifiers: get/set/async/static before a method name
        if (
            toks[k].kind == "ident"
            and toks[k].text in ("get", "set", "async")
            and k + 1 <= last
            and not (
                self._is(k + 1, "punct", ":")
                or self._is(k + 1, "punct", "(")
                or self._is(k + 1, "punct", ",")
            )
        ):
            k += 1
        tok = toks[k]
        computed = False
        key: str | None
        if tok.kind == "punct" and tok.text == "[":
            computed = True
            close = self.match.get(k, k)
            inner_first, inner_last = k + 1, close - 1
            key = self._string_of(inner_first, inner_last)
            key_last = close
        elif tok.kind == "ident" or tok.kind == "number":
            key, key_last = tok.text, k
        elif tok.kind in ("string", "template") and tok.is_literal_string:
            key, key_last = tok.value, k
        else:
            key, key_last = None, k
        nxt = key_last + 1
        if nxt > last:
            return _Prop(key, k, key_last, k, key_last, shorthand=True, computed=computed)
        if self._is(nxt, "punct", "?"):
            nxt += 1
        if self._is(nxt, "punct", ":"):
            return _Prop(key, k, key_last, nxt + 1, last, computed=computed)
        return _Prop(key, k, key_last, nxt, last, computed=computed, method=True)

    def _string_of(self, first: int, last: int) -> str | None:
        """The string of tokens ``first..last`` when one literal (or a const naming one)."""
        if first != last or first < 0 or first >= len(self.tokens):
            return None
        tok = self.tokens[first]
        if tok.is_literal_string:
            return tok.value
        if tok.kind == "ident" and tok.text in self.decls:
            _, f, last_ = self.decls[tok.text]
            if f == last_ and self.tokens[f].is_literal_string:
                return self.tokens[f].value
        return None

    # -- values ---------------------------------------------------------------
    def _value(
        self, first: int, last: int, *, kind: str, context: str, name: str, what: str
    ) -> LocatedVersion | Unreadable:
        """Read the value ``first..last`` as a string literal, or say why it cannot be read."""
        toks = self.tokens
        span_start, span_end = toks[first].start, toks[last].end
        if first == last:
            tok = toks[first]
            if tok.kind == "string" and tok.value is not None:
                return self._located(tok, kind=kind, context=context, name=name)
            if tok.kind == "template" and tok.is_literal_string:
                return self._located(tok, kind=kind, context=context, name=name)
            if tok.kind == "template" and tok.substitutions:
                return self._unreadable(
                    span_start,
                    span_end,
                    kind,
                    context,
                    name,
                    f"{what} is a template literal with ${{...}}; patchkit reads only literal text",
                )
            if tok.kind == "ident" and tok.text in self.decls:
                _, f, last_ = self.decls[tok.text]
                if f == last_ and toks[f].is_literal_string:
                    return self._located(
                        toks[f], kind=kind, context=f"{context} (via const {tok.text})", name=name
                    )
                return self._unreadable(
                    span_start,
                    span_end,
                    kind,
                    context,
                    name,
                    f"{what} is the constant {tok.text}, which is not a string literal",
                )
            if tok.kind == "ident":
                return self._unreadable(
                    span_start,
                    span_end,
                    kind,
                    context,
                    name,
                    f"{what} is the identifier {tok.text}, defined outside this file",
                )
            if tok.kind == "error" or (tok.value is None and tok.kind in ("string", "template")):
                return self._unreadable(
                    span_start,
                    span_end,
                    kind,
                    context,
                    name,
                    f"{what} is not a well-formed literal ({tok.error})",
                )
        # "'0.21.1:0' as const" and "'…' satisfies X" are still the literal
        if (
            last > first
            and toks[first].is_literal_string
            and self._is(first + 1, "ident")
            and toks[first + 1].text in ("as", "satisfies")
        ):
            return self._located(toks[first], kind=kind, context=context, name=name)
        return self._unreadable(
            span_start,
            span_end,
            kind,
            context,
            name,
            f"{what} is an expression, not a string literal",
        )

    def _located(self, tok: Token, *, kind: str, context: str, name: str) -> LocatedVersion:
        quote = 1
        return located(
            self.src,
            self.path,
            tok.start + quote,
            tok.end - quote,
            text=tok.value or "",
            kind=kind,
            context=context,
            name=name,
            file_kind=_FILE_KIND,
        )

    def _spread(self, prop: _Prop, kind: str, context: str, name: str, effect: str) -> Unreadable:
        """A ``...spread`` property: its content is not in this file, so say what it may hide."""
        toks = self.tokens
        return self._unreadable(
            toks[prop.key_first].start,
            toks[prop.value_last].end,
            kind,
            context,
            name,
            f"a spread (...) {effect}",
        )

    def _unreadable(
        self, start: int, end: int, kind: str, context: str, name: str, reason: str
    ) -> Unreadable:
        return unreadable(
            self.src,
            self.path,
            start,
            end,
            kind=kind,
            context=context,
            reason=reason,
            name=name,
            file_kind=_FILE_KIND,
        )

    # -- finders --------------------------------------------------------------
    def _owner_name(self, i: int) -> str:
        """The constant holding the call at token ``i`` (``const NAME = VersionInfo…``)."""
        if (
            self._is(i - 1, "punct", "=")
            and self._is(i - 2, "ident")
            and self._is(i - 3, "ident")
            and self.tokens[i - 3].text in _DECLARATORS
        ):
            return self.tokens[i - 2].text
        if self._is(i - 1, "ident", "default") and self._is(i - 2, "ident", "export"):
            return "default"
        line, _ = self.src.line_col(self.tokens[i].start)
        return f"<VersionInfo at line {line}>"

    def _object_at(self, first: int, last: int) -> int | None:
        """The ``{`` index of an object literal at ``first..last`` (or via a same-file const)."""
        if self._is(first, "punct", "{") and self.match.get(first) == last:
            return first
        if first == last and self._is(first, "ident") and self.tokens[first].text in self.decls:
            _, f, last_ = self.decls[self.tokens[first].text]
            if self._is(f, "punct", "{") and self.match.get(f) == last_:
                return f
        return None

    def version_infos(self) -> Iterator[LocatedVersion | Unreadable]:
        toks = self.tokens
        for i, tok in enumerate(toks):
            if not (
                tok.kind == "ident"
                and tok.text == "VersionInfo"
                and self._is(i + 1, "punct", ".")
                and self._is(i + 2, "ident", "of")
                and self._is(i + 3, "punct", "(")
            ):
                continue
            name = self._owner_name(i)
            context = f"VersionInfo {name}"
            paren = i + 3
            close = self.match.get(paren)
            if close is None:
                bad = next((t for t in toks[paren:] if t.kind == "error"), None)
                where = bad if bad is not None else toks[paren]
                line, _ = self.src.line_col(where.start)
                why = f"{bad.error} at line {line}" if bad is not None else "an unclosed bracket"
                yield self._unreadable(
                    where.start,
                    min(where.end, self._line_end(where.start)),
                    ItemKind.VERSION,
                    context,
                    name,
                    f"VersionInfo.of( is not closed: {why}",
                )
                continue
            if close == paren + 1:
                yield self._unreadable(
                    tok.start,
                    toks[close].end,
                    ItemKind.VERSION,
                    context,
                    name,
                    "VersionInfo.of() has no argument",
                )
                continue
            obj = self._object_at(paren + 1, close - 1)
            if obj is None:
                yield self._unreadable(
                    toks[paren + 1].start,
                    toks[close - 1].end,
                    ItemKind.VERSION,
                    context,
                    name,
                    "VersionInfo.of is not given an object literal",
                )
                continue
            yield from self._version_info_object(obj, name, context)

    def _version_info_object(
        self, obj: int, name: str, context: str
    ) -> Iterator[LocatedVersion | Unreadable]:
        toks = self.tokens
        props = self._object_props(obj)
        found_version = False
        for prop in props:
            if prop.spread:
                if not found_version:
                    yield self._spread(
                        prop,
                        ItemKind.VERSION,
                        context,
                        name,
                        "in VersionInfo.of may set the version",
                    )
                continue
            if prop.key == "version" and not prop.method:
                found_version = True
                yield self._value(
                    prop.value_first,
                    prop.value_last,
                    kind=ItemKind.VERSION,
                    context=context,
                    name=name,
                    what="the version",
                )
            elif prop.key == "migrations" and not prop.method:
                migrations = self._object_at(prop.value_first, prop.value_last)
                if migrations is None:
                    yield self._unreadable(
                        toks[prop.value_first].start,
                        toks[prop.value_last].end,
                        ItemKind.MIGRATION_KEY,
                        f"{context} migrations",
                        name,
                        "migrations is not an object literal in this file",
                    )
                    continue
                yield from self._migrations(migrations, name, context)
        if not found_version and not any(p.spread for p in props):
            yield self._unreadable(
                toks[obj].start,
                toks[obj].start + 1,
                ItemKind.VERSION,
                context,
                name,
                "VersionInfo.of has no version property",
            )

    def _migrations(
        self, obj: int, name: str, context: str
    ) -> Iterator[LocatedVersion | Unreadable]:
        toks = self.tokens
        where = f"{context} migrations.other"
        for prop in self._object_props(obj):
            if prop.spread:
                yield self._spread(
                    prop,
                    ItemKind.MIGRATION_KEY,
                    where,
                    name,
                    "in migrations may add other migrations",
                )
                continue
            if prop.key != "other" or prop.method:
                continue
            other = self._object_at(prop.value_first, prop.value_last)
            if other is None:
                yield self._unreadable(
                    toks[prop.value_first].start,
                    toks[prop.value_last].end,
                    ItemKind.MIGRATION_KEY,
                    where,
                    name,
                    "migrations.other is not an object literal in this file",
                )
                continue
            for key in self._object_props(other):
                yield self._migration_key(key, name, where)

    def _migration_key(self, prop: _Prop, name: str, where: str) -> LocatedVersion | Unreadable:
        toks = self.tokens
        first, last = prop.key_first, prop.key_last
        if prop.spread:
            return self._spread(
                prop, ItemKind.MIGRATION_KEY, where, name, "in migrations.other hides its keys"
            )
        if prop.computed:
            return self._value(
                first + 1,
                last - 1,
                kind=ItemKind.MIGRATION_KEY,
                context=where,
                name=name,
                what="the computed key",
            )
        tok = toks[first]
        if tok.kind in ("string", "template"):
            return self._value(
                first, first, kind=ItemKind.MIGRATION_KEY, context=where, name=name, what="the key"
            )
        if tok.kind in ("ident", "number"):
            # a bare key is its own text (no quotes to skip)
            return self._bare(tok, ItemKind.MIGRATION_KEY, where, name)
        return self._unreadable(
            tok.start,
            toks[last].end,
            ItemKind.MIGRATION_KEY,
            where,
            name,
            "a migrations.other key patchkit cannot read",
        )

    def constants(self) -> Iterator[LocatedVersion | Unreadable]:
        for const, (_name_index, first, last) in self.decls.items():
            if not any(fnmatch.fnmatchcase(const, p) for p in self.constant_names):
                continue
            tok = self.tokens[first]
            if tok.kind == "ident" and tok.text == "VersionInfo":
                continue
            yield self._value(
                first,
                last,
                kind=ItemKind.CONSTANT,
                context=f"const {const}",
                name=const,
                what=f"{const}",
            )

    def current_refs(self) -> Iterator[LocatedVersion]:
        toks = self.tokens
        for i, tok in enumerate(toks):
            if tok.kind != "ident":
                continue
            # export { X as current } / import { X as current }
            if (
                tok.text == "as"
                and self._is(i + 1, "ident", "current")
                and self._is(i - 1, "ident")
            ):
                yield self._ref(toks[i - 1], "export/import ... as current")
            # const current = X
            elif (
                tok.text == "current"
                and self._is(i - 1, "ident")
                and toks[i - 1].text in _DECLARATORS
            ):
                if (
                    self._is(i + 1, "punct", "=")
                    and self._is(i + 2, "ident")
                    and not self._is(i + 3, "punct", ".")
                ):
                    yield self._ref(toks[i + 2], "const current = ...")
            # VersionGraph.of({ current: X }) or VersionGraph.of(X, ...)
            elif (
                tok.text == "VersionGraph"
                and self._is(i + 1, "punct", ".")
                and self._is(i + 2, "ident", "of")
                and self._is(i + 3, "punct", "(")
            ):
                arg = i + 4
                if self._is(arg, "punct", "{"):
                    for prop in self._object_props(arg):
                        if (
                            prop.key == "current"
                            and not prop.method
                            and prop.value_first == prop.value_last
                            and self._is(prop.value_first, "ident")
                        ):
                            yield self._ref(toks[prop.value_first], "VersionGraph.of({ current })")
                elif self._is(arg, "ident"):
                    yield self._ref(toks[arg], "VersionGraph.of(current, ...)")

    def _ref(self, tok: Token, context: str) -> LocatedVersion:
        return self._bare(tok, ItemKind.CURRENT, context, tok.text)

    def _bare(self, tok: Token, kind: str, context: str, name: str) -> LocatedVersion:
        """An item whose text is exactly one unquoted token (an identifier or a number)."""
        return located(
            self.src,
            self.path,
            tok.start,
            tok.end,
            text=tok.text,
            kind=kind,
            context=context,
            name=name,
            file_kind=_FILE_KIND,
        )


def find_versions(
    text: str, path: str, *, constant_names: Sequence[str] = DEFAULT_CONSTANT_NAMES
) -> Iterator[LocatedVersion | Unreadable]:
    """Yield the version strings of a StartOS TypeScript file, in source order.

    ``path`` is used only to label the results. ``constant_names`` are globs
    (case-sensitive) of the constants to report. Never raises on any text.
    """
    reader = _Reader(text, path, constant_names)
    items: list[LocatedVersion | Unreadable] = []
    items.extend(reader.version_infos())
    items.extend(reader.constants())
    items.extend(reader.current_refs())
    seen: set[tuple[int, int, str]] = set()
    for item in sorted(items, key=lambda it: (it.start, it.end)):
        key = (item.start, item.end, item.kind)
        if key not in seen:
            seen.add(key)
            yield item
