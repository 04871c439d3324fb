"""Find environment assignments in POSIX shell text, with exact offsets.

This is not a shell parser; it is a word scanner that knows enough of the
grammar to tell an assignment from an argument:

* words are split on unquoted blanks and operators (``; & | ( ) newline``),
  keeping ``'…'``, ``"…"``, ``\\x``, ``$(…)``, ``${…}`` and backquotes inside
  the word; a backslash-newline is a line continuation (as in a Dockerfile
  RUN); ``#`` at the start of a word comments out the rest of the line (which
  also drops Dockerfile comment lines inside a continued RUN);
* at the start of a simple command (after an operator or a reserved word such
  as ``then``/``do``), words of the form ``NAME=value`` are assignments: they
  are *inline* (in the environment of that one command) when a command word
  follows, and plain shell variables (not exported) when none does;
* ``export NAME=value`` / ``declare -x`` / ``typeset -x`` export; ``export NAME``
  marks an earlier or later plain assignment as exported; ``set -a`` exports
  every later assignment; ``env NAME=value cmd`` is inline;
* here-document bodies are data and are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

__all__ = ["ShellAssignment", "ShellWord", "literal_word", "scan_shell", "simple_commands"]

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ASSIGN = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)=")
_RESERVED = frozenset({"then", "do", "else", "elif", "if", "while", "until", "!", "{", "}", "time"})
_OPERATORS = ";&|()\n"

Kind = Literal["inline", "export", "assign", "env", "build-arg"]
_SHELLS = frozenset({"sh", "bash", "dash", "/bin/sh", "/bin/bash", "/usr/bin/env"})


@dataclass(frozen=True, slots=True)
class ShellAssignment:
    """``NAME=value`` found in shell text; offsets are relative to the scanned text + ``base``.

    ``value`` is the unquoted value when it is a literal (no expansion), else
    None; ``raw_value`` is the value as written. ``exported``: the variable
    reaches the environment of the commands that follow (or, for ``inline``
    and ``env``, of its one command). ``command`` numbers the simple command
    the assignment belongs to.
    """

    name: str
    value: str | None
    raw_value: str
    kind: Kind
    exported: bool
    name_start: int
    value_start: int
    value_end: int
    command: int


@dataclass
class _Word:
    text: str
    start: int
    end: int


def _words(text: str) -> list[_Word | str]:
    """Words and operator strings; heredoc bodies removed."""
    out: list[_Word | str] = []
    i, n = 0, len(text)
    pending_heredocs: list[tuple[str, bool]] = []
    buf: list[str] = []
    start = -1

    def flush(end: int) -> None:
        nonlocal start
        if start >= 0:
            out.append(_Word("".join(buf), start, end))
            buf.clear()
            start = -1

    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n and text[i + 1] == "\n":
            i += 2
            continue
        if c == "\\" and i + 2 < n and text[i + 1] == "\r" and text[i + 2] == "\n":
            i += 3
            continue
        if start < 0 and c == "#":
            while i < n and text[i] != "\n":
                i += 1
            continue
        if c in " \t\r":
            flush(i)
            i += 1
            continue
        if c in _OPERATORS:
            flush(i)
            if c == "\n":
                out.append("\n")
                i += 1
                if pending_heredocs:
                    i = _skip_heredocs(text, i, pending_heredocs)
                    pending_heredocs.clear()
                continue
            op = c
            if i + 1 < n and text[i + 1] == c and c in "&|;":
                op = c + c
            out.append(op)
            i += len(op)
            continue
        if c == "<" and text.startswith("<<", i) and not text.startswith("<<<", i):
            flush(i)
            j = i + 2
            strip = j < n and text[j] == "-"
            if strip:
                j += 1
            while j < n and text[j] in " \t":
                j += 1
            k = j
            while k < n and text[k] not in " \t\n;&|()<>":
                k += 1
            delim = text[j:k].replace('"', "").replace("'", "").replace("\\", "")
            if delim:
                pending_heredocs.append((delim, strip))
            out.append("<<")
            i = k
            continue
        if start < 0:
            start = i
        j = _word_char_end(text, i)
        buf.append(text[i:j])
        i = j
    flush(n)
    return out


def _word_char_end(text: str, i: int) -> int:
    """End of the quoted/escaped unit starting at ``i`` (one char when unquoted)."""
    n = len(text)
    c = text[i]
    if c == "\\":
        return min(i + 2, n)
    if c == "'":
        j = text.find("'", i + 1)
        return n if j < 0 else j + 1
    if c == '"':
        j = i + 1
        while j < n and text[j] != '"':
            if text[j] == "\\":
                j += 2
            elif text.startswith("$(", j):
                j = _paren_end(text, j + 1)
            else:
                j += 1
        return min(j + 1, n)
    if c == "`":
        j = text.find("`", i + 1)
        return n if j < 0 else j + 1
    if text.startswith("$(", i):
        return _paren_end(text, i + 1)
    if text.startswith("${", i):
        j = text.find("}", i + 2)
        return n if j < 0 else j + 1
    return i + 1


def _paren_end(text: str, i: int) -> int:
    """``text[i]`` is ``(``; the index after its matching ``)`` (quotes respected)."""
    depth, j, n = 0, i, len(text)
    while j < n:
        c = text[j]
        if c in "'\"`":
            j = _word_char_end(text, j)
            continue
        if c == "\\":
            j += 2
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return n


def _skip_heredocs(text: str, i: int, pending: list[tuple[str, bool]]) -> int:
    for delim, strip in pending:
        while i < len(text):
            end = text.find("\n", i)
            line = text[i : end if end >= 0 else len(text)].rstrip("\r")
            i = len(text) if end < 0 else end + 1
            if (line.lstrip("\t") if strip else line) == delim:
                break
    return i


def _literal(raw: str) -> str | None:
    """Unquote ``raw`` when it has no expansion; None when it would expand."""
    out: list[str] = []
    i, n = 0, len(raw)
    while i < n:
        c = raw[i]
        if c == "'":
            j = raw.find("'", i + 1)
            j = n if j < 0 else j
            out.append(raw[i + 1 : j])
            i = j + 1
        elif c == '"':
            j = i + 1
            while j < n and raw[j] != '"':
                if raw[j] in "$`":
                    return None
                if raw[j] == "\\" and j + 1 < n and raw[j + 1] in '$`"\\\n':
                    out.append(raw[j + 1])
                    j += 2
                    continue
                out.append(raw[j])
                j += 1
            i = j + 1
        elif c in "$`":
            return None
        elif c == "\\" and i + 1 < n:
            out.append(raw[i + 1])
            i += 2
        elif c in "*?[~":
            return None
        else:
            out.append(c)
            i += 1
    return "".join(out)


ShellWord = _Word


def literal_word(raw: str) -> str | None:
    """A word's value when it is a literal (quotes removed, no expansion), else None."""
    return _literal(raw)


def simple_commands(text: str) -> list[tuple[_Word, list[_Word]]]:
    """Each simple command of ``text``: its command word and its arguments (assignments skipped)."""
    items = _words(text)
    out: list[tuple[_Word, list[_Word]]] = []
    i = 0
    while i < len(items):
        item = items[i]
        if isinstance(item, str) or item.text in _RESERVED:
            i += 1
            continue
        j = i
        while j < len(items) and isinstance(items[j], _Word) and _ASSIGN.match(items[j].text):  # type: ignore[union-attr]
            j += 1
        k = j
        while k < len(items) and isinstance(items[k], _Word):
            k += 1
        if j < k:
            out.append((items[j], [w for w in items[j + 1 : k] if isinstance(w, _Word)]))  # type: ignore[arg-type]
        i = k if k > i else i + 1
    return out


def scan_shell(text: str, want: Callable[[str], bool], base: int = 0) -> list[ShellAssignment]:
    """Every assignment of a name ``want`` accepts, in order of appearance."""
    items = _words(text)
    found: list[ShellAssignment] = []
    exported_names: set[str] = set()
    allexport = False
    command = 0
    at_start = True
    i = 0
    while i < len(items):
        item = items[i]
        if isinstance(item, str):
            if item != "<<":
                at_start = True
                command += 1
            i += 1
            continue
        if not at_start:
            i += 1
            continue
        if item.text in _RESERVED:
            i += 1
            continue
        # A simple command starts here: leading assignments, then maybe a command word.
        leading: list[_Word] = []
        j = i
        while j < len(items) and isinstance(items[j], _Word) and _ASSIGN.match(items[j].text):  # type: ignore[union-attr]
            leading.append(items[j])  # type: ignore[arg-type]
            j += 1
        nxt = items[j] if j < len(items) else None
        cmd = nxt if isinstance(nxt, _Word) else None
        at_start = False
        if leading:
            kind: Kind = "inline" if cmd is not None else "assign"
            for w in leading:
                _add(found, w, kind, kind == "inline" or allexport, command, want, base)
        if cmd is not None:
            word = cmd.text
            args: list[_Word] = []
            k = j + 1
            while k < len(items) and isinstance(items[k], _Word):
                args.append(items[k])  # type: ignore[arg-type]
                k += 1
            if word in ("export", "declare", "typeset", "local", "readonly"):
                flags = [a.text for a in args if a.text.startswith("-")]
                exports = word == "export" or any("x" in f for f in flags)
                if word == "export" and "-n" in flags:
                    exports = False
                for a in args:
                    if a.text.startswith("-"):
                        continue
                    m = _ASSIGN.match(a.text)
                    if m:
                        _add(
                            found,
                            a,
                            "export" if exports else "assign",
                            exports or allexport,
                            command,
                            want,
                            base,
                        )
                        if exports:
                            exported_names.add(m.group(1))
                    elif _NAME.fullmatch(a.text) and exports:
                        exported_names.add(a.text)
            elif word == "env":
                for a in args:
                    if a.text.startswith("-"):
                        continue
                    if not _ASSIGN.match(a.text):
                        break
                    _add(found, a, "env", True, command, want, base)
            if word != "env":
                _build_args_and_scripts(found, word, args, command, want, base)
            if word == "set":
                flags = [a.text for a in args]
                short_a = any(f[:1] == "-" and f[1:2] != "-" and "a" in f for f in flags)
                if short_a or ("-o" in flags and "allexport" in flags):
                    allexport = True
            i = k
            continue
        i = j
    if exported_names:
        found = [
            _replace_exported(a) if a.kind == "assign" and a.name in exported_names else a
            for a in found
        ]
    return found


def _build_args_and_scripts(
    found: list[ShellAssignment],
    word: str,
    args: list[_Word],
    command: int,
    want: Callable[[str], bool],
    base: int,
) -> None:
    """``docker build --build-arg NAME=value`` and ``sh -c '...NAME=value...'``."""
    for n, a in enumerate(args):
        if a.text == "--build-arg" and n + 1 < len(args):
            _add(found, args[n + 1], "build-arg", True, command, want, base)
        elif a.text.startswith("--build-arg="):
            cut = len("--build-arg=")
            _add(
                found,
                _Word(a.text[cut:], a.start + cut, a.end),
                "build-arg",
                True,
                command,
                want,
                base,
            )
    if word in _SHELLS and "-c" in [a.text for a in args]:
        i = [a.text for a in args].index("-c")
        if i + 1 < len(args):
            script = args[i + 1]
            t = script.text
            quoted = len(t) >= 2 and t[0] == t[-1] and t[0] in "'\""
            plain = quoted and (t[0] == "'" or not any(c in t[1:-1] for c in '\\$`"'))
            if plain and script.end - script.start == len(t):
                nested = scan_shell(t[1:-1], want, base=base + script.start + 1)
                found.extend(replace(x, command=command) for x in nested)


def _replace_exported(a: ShellAssignment) -> ShellAssignment:
    return ShellAssignment(
        a.name,
        a.value,
        a.raw_value,
        a.kind,
        True,
        a.name_start,
        a.value_start,
        a.value_end,
        a.command,
    )


def _add(
    found: list[ShellAssignment],
    word: _Word,
    kind: Kind,
    exported: bool,
    command: int,
    want: Callable[[str], bool],
    base: int,
) -> None:
    m = _ASSIGN.match(word.text)
    if m is None or not want(m.group(1)):
        return
    raw = word.text[m.end() :]
    # The word's characters map 1:1 onto the source except for removed
    # line continuations, which cannot occur before the '=' of a name.
    value_start = word.start + m.end()
    found.append(
        ShellAssignment(
            name=m.group(1),
            value=_literal(raw),
            raw_value=raw,
            kind=kind,
            exported=exported,
            name_start=base + word.start,
            value_start=base + value_start,
            value_end=base + word.end,
            command=command,
        )
    )
