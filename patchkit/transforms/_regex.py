"""Regular expressions written in patch files, run with a time budget.

A patch's ``find``, ``anchor.pattern`` or ``run`` is code from a file that
anyone may hand patchkit, and Python's ``re`` cannot be interrupted: ``(a|aa)+b``
against a 40-character RUN backtracks for longer than anyone waits (issue 21,
item 5). These patterns are therefore compiled with the ``regex`` module (its
``VERSION0`` syntax is ``re``'s) and every call runs with its ``timeout``.

Why ``regex`` and not RE2 (``google-re2`` 1.1), measured on vLLM's
Dockerfile.cpu lines: RE2 never backtracks, but it refuses look-behind,
back-references and ``\\Z``, and ``patchkit lint --fix`` itself writes such
patterns (``(?<![A-Za-z0-9_])NAME...(?=\\2)``, ``\\A...\\Z``), as patch files
may; ``regex`` accepts what ``re`` does. A search costs about 1.9 us with a
timeout (0.3 us without, 0.2 us with ``re``, 1.6 us with RE2); importing it
costs 8 ms, paid only when a patch holds a pattern. ``regex`` also ends many
classic blow-ups at once (``(a+)+b``); ``(a|aa)+b`` still needs the timeout.

The budget: a call may run ``PER_CALL`` seconds, and one pattern all its calls
in a process ``TOTAL`` seconds, so a pathological pattern is an error within
about a second, and a merely slow one cannot make a run unbounded. Going over
it raises :class:`RegexBudgetError`, a ``ParamError`` for the field (the
loader and the engine locate it in the patch file) that is also a
``PatchkitError`` (exit 2) wherever it surfaces.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from patchkit.errors import PatchkitError
from patchkit.transforms.base import ParamError, checked_analysis

if TYPE_CHECKING:
    import regex

    from patchkit.dockerfile import Dockerfile
    from patchkit.series import Patch
    from patchkit.transforms.base import Analysis

__all__ = ["PER_CALL", "TOTAL", "RegexBudgetError", "UserRegex", "patch_analysis"]

#: Seconds one search may take: far above any sane pattern on a Dockerfile (microseconds).
PER_CALL = 1.0
#: Seconds all the searches of one pattern may take in one process.
TOTAL = 5.0


class RegexBudgetError(ParamError, PatchkitError):
    """A patch's regular expression ran out of its time budget (exit 2)."""

    def __init__(self, field: str, pattern: str) -> None:
        super().__init__(
            field,
            f"the regular expression {pattern!r} ran longer than patchkit allows "
            f"({PER_CALL:g} s a search, {TOTAL:g} s in all): it backtracks without end on "
            "this input (nested repetition such as (a+)+ or (a|aa)+). Rewrite it without "
            "nested or overlapping repetition, e.g. anchor it on a literal word",
        )
        self.pattern = pattern


class UserRegex:
    """A compiled user pattern with ``search``, ``finditer`` and ``sub`` under the budget.

    ``pattern`` is the source text, as ``re.Pattern.pattern`` is (messages quote it).
    """

    __slots__ = ("_compiled", "_left", "field", "pattern")

    def __init__(self, pattern: str, field: str) -> None:
        import regex

        self.pattern = pattern
        self.field = field
        self._left = TOTAL
        try:
            self._compiled = regex.compile(pattern, regex.VERSION0)
        except (regex.error, ValueError, OverflowError, RecursionError) as exc:
            raise ParamError(field, f"invalid regular expression {pattern!r}: {exc}") from exc

    def __repr__(self) -> str:
        return f"UserRegex({self.pattern!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UserRegex) and other.pattern == self.pattern

    def __hash__(self) -> int:
        return hash(self.pattern)

    def check_template(self, template: str, field: str) -> None:
        """Refuse a replacement ``template`` with a bad group reference or escape.

        ``regex`` reads a template only when a match is expanded; ``re`` reads it
        up front, so it is checked by ``re`` against an empty pattern with the same
        groups (the user's pattern itself is not run).
        """
        import re

        names = {i: n for n, i in self._compiled.groupindex.items()}
        shape = "".join(
            f"(?P<{names[i]}>)" if i in names else "()" for i in range(1, self._compiled.groups + 1)
        )
        try:
            re.compile(shape).sub(template, "")
        except (re.error, IndexError) as exc:
            raise ParamError(field, f"invalid replacement {template!r}: {exc}") from exc

    def _run(self, call: Callable[[float], Any]) -> Any:
        if self._left <= 0:
            raise RegexBudgetError(self.field, self.pattern)
        started = time.perf_counter()
        try:
            return call(min(PER_CALL, self._left))
        except TimeoutError as exc:
            self._left = 0
            raise RegexBudgetError(self.field, self.pattern) from exc
        finally:
            self._left -= time.perf_counter() - started

    def search(self, text: str) -> regex.Match[str] | None:
        return self._run(lambda t: self._compiled.search(text, timeout=t))  # type: ignore[no-any-return]

    def finditer(self, text: str) -> list[regex.Match[str]]:
        return self._run(lambda t: list(self._compiled.finditer(text, timeout=t)))  # type: ignore[no-any-return]

    def sub(self, repl: str | Callable[[regex.Match[str]], str], text: str) -> str:
        return self._run(lambda t: self._compiled.sub(repl, text, timeout=t))  # type: ignore[no-any-return]


def patch_analysis(patch: Patch, tree: Dockerfile, label: str) -> Analysis:
    """``checked_analysis`` of ``patch`` on ``tree``; a pattern over its budget becomes an
    error located at that pattern in the patch file, naming the file it was matching."""
    try:
        return checked_analysis(patch.transform, tree)
    except RegexBudgetError as exc:
        raise patch.error(f"transform.{exc.field}", f"{exc.message} (matching {label})") from exc
