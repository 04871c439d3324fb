"""The values every finder yields: a version string at an exact place, or a place it could not read.

Positions are 1-based lines and columns counted in characters, the way
``patchkit._source.SourceText`` counts them. ``col`` is the first character of
the value itself (inside the quotes when it is quoted) and ``end_col`` is one
past its last character, on ``end_line``: a half-open range, like a span.
``start``/``end`` are the same range as character offsets into the file text.

When the value is written with escapes (``'0.21\\u002e1:0'``), ``text`` is the
decoded value and ``raw`` the spelling between the quotes; ``raw`` is None when
the two are equal, which is when ``col + i`` is the column of ``text[i]``.
"""

from __future__ import annotations

from dataclasses import dataclass

from patchkit._source import SourceText

__all__ = ["ItemKind", "LocatedVersion", "Unreadable", "located", "unreadable"]


class ItemKind:
    """What a located string is (plain string constants; a ``LocatedVersion.kind``)."""

    #: A version a manifest declares: ``VersionInfo.of({version})``, a YAML ``version:``,
    #: ``project.version``.
    VERSION = "version"
    #: A key of ``migrations.other`` in a StartOS version file (an ExVer or a version range),
    #: or a range a ``VersionInfo.of(...).satisfies(...)`` claims.
    MIGRATION_KEY = "migration-key"
    #: A named value: a TypeScript ``const``, a Dockerfile ARG/ENV default, a workflow ``env:``.
    CONSTANT = "constant"
    #: The identifier a StartOS version graph names as its current version (``text``: the name).
    CURRENT = "current"


@dataclass(frozen=True, slots=True)
class LocatedVersion:
    """A version string found in a file, with its exact place.

    ``kind`` is an ``ItemKind`` value; ``context`` says in words what holds the
    value (``VersionInfo v_0_21_1_0``, ``const VLLM_VERSION``,
    ``jobs.build.env.VLLM_VERSION``, ``project.version``, ``ARG VLLM_VERSION``);
    ``name`` is the owner's name used to link items: the VersionInfo constant
    for versions and migration keys, the variable name for constants.
    ``file_kind`` and ``scheme`` come from the ``manifests`` entry that found it.
    ``value_type`` is ``"string"`` unless the file format reads the text as
    something else (YAML reads a plain ``1.10`` as the float 1.1: ``"float"``).
    """

    path: str
    line: int
    col: int
    end_col: int
    text: str
    kind: str
    context: str
    name: str = ""
    end_line: int = 0
    start: int = 0
    end: int = 0
    raw: str | None = None
    file_kind: str = ""
    scheme: str = ""
    value_type: str = "string"

    def column_of(self, index: int) -> int:
        """The column of ``text[index]`` (the first column when escapes blur the mapping)."""
        if self.raw is not None or self.end_line != self.line:
            return self.col
        return self.col + max(0, min(index, len(self.text)))


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A place where a version string should be but patchkit could not read it statically.

    ``reason`` says why in one sentence (``a template literal with ${...}``,
    ``an identifier defined in another file``); ``raw`` is the source text of the
    value. Same position conventions as ``LocatedVersion``.
    """

    path: str
    line: int
    col: int
    end_col: int
    kind: str
    context: str
    reason: str
    raw: str = ""
    name: str = ""
    end_line: int = 0
    start: int = 0
    end: int = 0
    file_kind: str = ""
    scheme: str = ""


def located(
    src: SourceText,
    path: str,
    start: int,
    end: int,
    *,
    text: str,
    kind: str,
    context: str,
    name: str = "",
    file_kind: str = "",
) -> LocatedVersion:
    """A ``LocatedVersion`` for ``src.text[start:end]`` (the value as written, without quotes)."""
    line, col = src.line_col(start)
    end_line, end_col = src.line_col(end)
    raw = src.text[start:end]
    return LocatedVersion(
        path=path,
        line=line,
        col=col,
        end_col=end_col,
        text=text,
        kind=kind,
        context=context,
        name=name,
        end_line=end_line,
        start=start,
        end=end,
        raw=None if raw == text else raw,
        file_kind=file_kind,
    )


def unreadable(
    src: SourceText,
    path: str,
    start: int,
    end: int,
    *,
    kind: str,
    context: str,
    reason: str,
    name: str = "",
    file_kind: str = "",
) -> Unreadable:
    """An ``Unreadable`` for ``src.text[start:end]`` (the value expression as written)."""
    line, col = src.line_col(start)
    end_line, end_col = src.line_col(end)
    return Unreadable(
        path=path,
        line=line,
        col=col,
        end_col=end_col,
        kind=kind,
        context=context,
        reason=reason,
        raw=src.text[start:end],
        name=name,
        end_line=end_line,
        start=start,
        end=end,
        file_kind=file_kind,
    )
