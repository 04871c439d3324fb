"""The error every version parser in patchkit raises: located, explained, with a fix.

``VersionSyntaxError`` is a ``SourceError`` (so the CLI renders it as
``<input>:1:col: message`` plus the string and a caret under the first bad
character) and a ``ValueError`` (so callers can treat it like
``packaging.version.InvalidVersion``).
"""

from __future__ import annotations

from patchkit._source import Span
from patchkit.errors import PatchkitError, SourceError

__all__ = ["ConversionError", "VersionSyntaxError"]


class VersionSyntaxError(SourceError):
    """A version string that its scheme's grammar rejects.

    Attributes beyond ``SourceError``'s: ``scheme`` (``exver``, ``exver-range``,
    ``pep440``, ``semver``), ``expected`` (what the grammar would have accepted
    at ``offset``, human words), ``sdk_message`` (for ExVer: the StartOS SDK's
    own error text for this string, verbatim) and ``span``.
    """

    def __init__(
        self,
        message: str,
        *,
        text: str,
        offset: int,
        scheme: str,
        expected: tuple[str, ...] = (),
        suggestion: str | None = None,
        sdk_message: str | None = None,
        path: str | None = None,
    ) -> None:
        end = offset + 1 if offset < len(text) else offset
        super().__init__(
            message, path=path, text=text, offset=offset, end=end, suggestion=suggestion
        )
        self.scheme = scheme
        self.expected = expected
        self.sdk_message = sdk_message

    @property
    def span(self) -> Span:
        """Offsets (in characters) of the first bad character; empty at the end of the text."""
        return Span(self.offset, self.end)


class ConversionError(PatchkitError, ValueError):
    """A version that is valid in its own scheme but has no faithful form in the target.

    ``reason`` says what cannot be expressed and why; ``suggestion``, when set,
    is the closest usable result (for example with an explicit, documented
    encoding) and ``suggestion_note`` says what it costs.
    """

    def __init__(
        self,
        reason: str,
        *,
        text: str,
        suggestion: str | None = None,
        suggestion_note: str | None = None,
    ) -> None:
        super().__init__(f"cannot convert {text!r}: {reason}")
        self.reason = reason
        self.text = text
        self.suggestion = suggestion
        self.suggestion_note = suggestion_note
