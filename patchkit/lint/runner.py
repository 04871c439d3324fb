"""Run rules over a tree, apply suppressions, and apply fixes until nothing changes.

``lint_text`` parses and checks one file. ``fix_text`` applies the fixes the
caller allows, pass after pass (ruff's loop): each pass takes fixes in source
order, skips one whose edits overlap an edit already taken (it gets its turn
in the next pass, against the new text), applies them all at once with
``apply_edits``, and re-lints. It stops when a pass changes nothing; a fix
that keeps changing the text after ``max_passes`` is a bug of ours
(``InternalError``), never a silent half-fix.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from patchkit.errors import InternalError
from patchkit.lint.base import Applicability, LintContext, Violation
from patchkit.lint.registry import load, select_codes
from patchkit.lint.suppress import suppressions

if TYPE_CHECKING:
    from patchkit.dockerfile import Dockerfile
    from patchkit.dockerfile.edit import Edit

__all__ = ["FixResult", "LintResult", "fix_text", "lint_text", "lint_tree"]


@dataclass(frozen=True, slots=True)
class LintResult:
    """The findings for one file, after suppressions, in source order."""

    path: str
    tree: Dockerfile
    violations: tuple[Violation, ...]
    suppressed: int


@dataclass(frozen=True, slots=True)
class FixResult:
    """What ``fix_text`` did: the new text, the fixes applied, and what is left."""

    original: str
    fixed: str
    applied: tuple[Violation, ...]
    remaining: LintResult
    passes: int

    @property
    def changed(self) -> bool:
        return self.fixed != self.original


def lint_tree(
    tree: Dockerfile,
    context: LintContext,
    codes: Sequence[str] | None = None,
    *,
    path: str | None = None,
) -> LintResult:
    """Run the rules named by ``codes`` (default: every live rule) over ``tree``."""
    chosen = select_codes() if codes is None else tuple(codes)
    found: list[Violation] = []
    for code in chosen:
        found.extend(load(code).check(tree, context))
    if context.built_only:
        from patchkit.lint.built import in_built_stages

        found = in_built_stages(tree, found, context.target)
    hidden = suppressions(tree)
    kept = [v for v in found if v.code not in hidden.get(v.instruction, frozenset())]
    kept.sort(key=lambda v: (v.start, v.code, v.end, v.message))
    return LintResult(
        path=path or tree.path or "<stdin>",
        tree=tree,
        violations=tuple(kept),
        suppressed=len(found) - len(kept),
    )


def lint_text(
    text: str,
    path: str | None,
    context: LintContext,
    codes: Sequence[str] | None = None,
) -> LintResult:
    """Parse ``text`` (never raises) and lint it."""
    from patchkit.dockerfile import parse

    return lint_tree(parse(text, path=path), context, codes, path=path)


def _allowed(v: Violation, unsafe: bool) -> bool:
    if v.fix is None:
        return False
    if v.fix.applicability is Applicability.SAFE:
        return True
    return unsafe and v.fix.applicability is Applicability.UNSAFE


def _overlaps(a: Edit, b: Edit) -> bool:
    if (a.start, a.end, a.text) == (b.start, b.end, b.text):
        return False  # identical edits merge
    return a.overlaps(b)


def fix_text(
    text: str,
    path: str | None,
    context: LintContext,
    codes: Sequence[str] | None = None,
    *,
    unsafe: bool = False,
    max_passes: int = 10,
) -> FixResult:
    """Apply every allowed fix until the text stops changing; return the outcome."""
    from patchkit.dockerfile.edit import apply_edits

    current = text
    applied: list[Violation] = []
    result = lint_text(current, path, context, codes)
    passes = 0
    while True:
        taken: list[Edit] = []
        taken_violations: list[Violation] = []
        for v in result.violations:
            if not _allowed(v, unsafe):
                continue
            assert v.fix is not None
            edits = list(v.fix.edits())
            if not edits or any(_overlaps(e, t) for e in edits for t in taken):
                continue
            taken.extend(edits)
            taken_violations.append(v)
        if not taken:
            break
        new = apply_edits(current, taken)
        if new == current:
            break
        passes += 1
        if passes > max_passes:
            codes_left = ", ".join(sorted({v.code for v in taken_violations}))
            raise InternalError(
                f"{path or '<stdin>'}: fixes for {codes_left} still change the file after "
                f"{max_passes} passes; this is a bug in patchkit's lint fixes"
            )
        applied.extend(taken_violations)
        current = new
        result = lint_text(current, path, context, codes)
    return FixResult(text, current, tuple(applied), result, passes)
