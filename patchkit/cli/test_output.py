"""What ``patchkit test`` prints: text, JSON (``patchkit/test/v1``) and JUnit XML."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from patchkit.engine import ExampleOutcome
    from patchkit.errors import SourceError
    from patchkit.series import Patch

__all__ = ["Result", "render_json", "render_junit", "render_text"]


@dataclass(frozen=True, slots=True)
class Result:
    """One patch's checks: its placeholder findings and its examples' outcomes."""

    patch: Patch
    placeholders: tuple[SourceError, ...]
    outcomes: tuple[ExampleOutcome, ...]

    @classmethod
    def of(cls, patch: Patch) -> Result:
        from patchkit.engine import run_examples
        from patchkit.series import placeholders

        return cls(patch, tuple(placeholders(patch)), tuple(run_examples(patch)))

    @property
    def checks(self) -> int:
        return len(self.outcomes) + (1 if self.placeholders else 0)

    @property
    def failed(self) -> int:
        return sum(not o.ok for o in self.outcomes) + (1 if self.placeholders else 0)


def render_text(results: list[Result], out: TextIO, *, quiet: bool = False) -> None:
    """One line per example (ok/FAIL, with the failure's detail), then a summary.

    ``quiet`` (-q): only the failures (examples and placeholder text), no summary.
    """
    total = failed = 0
    for r in results:
        if not r.patch.examples and not quiet:
            out.write(f"warn  {r.patch.id}: no examples\n")
        if r.placeholders:
            out.write(f"FAIL  {r.patch.id}: placeholder text\n")
            for err in r.placeholders:
                out.write("".join(f"      {line}\n" for line in err.render().splitlines()))
        for o in r.outcomes:
            if o.ok and quiet:
                continue
            out.write(f"{'ok  ' if o.ok else 'FAIL'}  {o.label}: {o.check}\n")
            if not o.ok:
                out.write("".join(f"      {line}\n" for line in o.detail.splitlines()))
        total += r.checks
        failed += r.failed
    if quiet:
        return
    if any(not o.ok for r in results for o in r.outcomes):
        out.write("(patchkit test --update rewrites failing 'after' blocks from the transform)\n")
    out.write(f"{total} checks, {failed} failed, {len(results)} patch(es)\n")


def _outcome_json(r: Result, o: ExampleOutcome) -> dict[str, object]:
    return {
        "patch": r.patch.id,
        "file": r.patch.path,
        "line": o.line,
        "example": o.index + 1,
        "name": o.name,
        "check": o.check,
        "ok": o.ok,
        "expected": o.expected,
        "found": o.found.value if o.found is not None else None,
        "reason": o.reason,
        "detail": "" if o.ok else o.detail,
    }


def render_json(results: list[Result], out: TextIO) -> None:
    from patchkit.cli.output import dump_json

    items: list[dict[str, object]] = []
    for r in results:
        for err in r.placeholders:
            items.append(
                {
                    "patch": r.patch.id,
                    "file": r.patch.path,
                    "line": err.line,
                    "example": None,
                    "name": None,
                    "check": "placeholder text",
                    "ok": False,
                    "expected": "no placeholder text",
                    "found": None,
                    "reason": err.message,
                    "detail": err.render(),
                }
            )
        items += [_outcome_json(r, o) for o in r.outcomes]
    dump_json(
        {
            "schema": "patchkit/test/v1",
            "patches": len(results),
            "checks": sum(r.checks for r in results),
            "failed": sum(r.failed for r in results),
            "results": items,
        },
        out,
    )


def render_junit(results: list[Result]) -> str:
    """One ``testsuite`` per patch file, one ``testcase`` per check."""
    import re
    from xml.sax.saxutils import escape as _escape
    from xml.sax.saxutils import quoteattr as _quoteattr

    bad = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

    def escape(text: str) -> str:
        return _escape(bad.sub("\ufffd", text))

    def quoteattr(text: str) -> str:
        return _quoteattr(bad.sub("\ufffd", text))

    suites = []
    for r in results:
        cases = []
        if r.placeholders:
            text = "\n".join(e.render() for e in r.placeholders)
            cases.append(
                f'    <testcase classname={quoteattr(r.patch.id)} name="placeholder text" '
                f'file={quoteattr(r.patch.path)} line="{r.placeholders[0].line}">\n'
                f"      <failure message={quoteattr(r.placeholders[0].message)}>"
                f"{escape(text)}</failure>\n    </testcase>"
            )
        for o in r.outcomes:
            name = quoteattr(
                f"example {o.index + 1}" + (f" ({o.name})" if o.name else "") + f": {o.check}"
            )
            head = (
                f"    <testcase classname={quoteattr(r.patch.id)} name={name} "
                f'file={quoteattr(r.patch.path)} line="{o.line}"'
            )
            if o.ok:
                cases.append(head + "/>")
            else:
                first = o.detail.splitlines()[-1] if o.detail else "failed"
                cases.append(
                    head + ">\n"
                    f"      <failure message={quoteattr(first)}>{escape(o.detail)}</failure>\n"
                    "    </testcase>"
                )
        suites.append(
            f'  <testsuite name={quoteattr(r.patch.id)} tests="{r.checks}" '
            f'failures="{r.failed}" errors="0" skipped="0">\n'
            + "\n".join(cases)
            + ("\n" if cases else "")
            + "  </testsuite>"
        )
    total = sum(r.checks for r in results)
    failed = sum(r.failed for r in results)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<testsuites name="patchkit test" tests="{total}" failures="{failed}" errors="0">\n'
        + "\n".join(suites)
        + ("\n" if suites else "")
        + "</testsuites>\n"
    )
