"""The error hierarchy. The library raises these; only ``patchkit.cli`` prints them.

Exit codes (DESIGN.md): ``PatchkitError`` subclasses carry the exit code the
CLI uses. Bad input and bad configuration are 2; an ``InternalError`` (a bug
of ours, e.g. a transform that is not idempotent) is 3.
"""

from __future__ import annotations

from patchkit._source import SourceText, render_caret

__all__ = [
    "ConfigError",
    "InputError",
    "InternalError",
    "PatchkitError",
    "SourceError",
    "UsageError",
    "WriteError",
]


class PatchkitError(Exception):
    """Root of every error patchkit raises on purpose."""

    exit_code = 2

    def render(self) -> str:
        """The message as the CLI prints it (may span several lines)."""
        return str(self)


class UsageError(PatchkitError, ValueError):
    """The command line asks for something impossible (exit 2)."""


class ConfigError(PatchkitError, ValueError):
    """``[tool.patchkit]`` or a flag holds a bad value (exit 2)."""


class InputError(PatchkitError, ValueError):
    """A file patchkit was asked to read is missing, unreadable or malformed (exit 2)."""

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class SourceError(InputError):
    """Bad input at a known place: renders ``path:line:col: message`` plus the line and a caret.

    ``offset``/``end`` are character offsets into ``text``; ``line``/``col``
    are derived from them (1-based). ``suggestion`` is a fix when one is evident.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None,
        text: str,
        offset: int,
        end: int | None = None,
        suggestion: str | None = None,
    ) -> None:
        super().__init__(message, path)
        self.text = text
        self.offset = offset
        self.end = offset + 1 if end is None else end
        self.suggestion = suggestion
        self.line, self.col = SourceText(text).line_col(offset)

    def __str__(self) -> str:
        where = f"{self.path or '<input>'}:{self.line}:{self.col}"
        return f"{where}: {self.message}"

    def render(self) -> str:
        src = SourceText(self.text)
        width = max(1, min(self.end, len(self.text)) - self.offset)
        out = f"{self}\n{render_caret(src.line_text(self.line), self.col, width)}"
        if self.suggestion is not None:
            out += f"\nhint: {self.suggestion}"
        return out


class WriteError(PatchkitError, OSError):
    """A planned write could not be made; nothing was left half-written (exit 2)."""


class InternalError(PatchkitError, RuntimeError):
    """A bug of ours (exit 3), e.g. a transform that is not idempotent."""

    exit_code = 3
