"""The machine formats of ``status`` and ``apply``: GitHub annotations, JUnit XML, apply's JSON.

Patch states become diagnostics exactly as ``check`` reports them
(``patchkit.check._status``): a drifted patch is PKP001 at its patch file's
anchor field, a patch upstream made unneeded is PKP004, a transform warning
PKP005; a patched copy out of date is PKP002 at its first differing line, one
not written yet PKP003. So a workflow annotates the same line whichever
command found the problem.

``apply --format json`` prints ``patchkit/apply/v1``::

    {"schema": "patchkit/apply/v1", "upstream_version", "upstream_version_source",
     "mode": "write" | "check" | "diff", "in_place", "out", "patches": null | [ids],
     "exit_code", "results": [{patch, file, state, message, warnings?}],
     "files": [{file, source, target, action, diff?}]}

``action`` is ``written`` or ``up to date`` (write), ``out of date`` or ``up to
date`` (``--check``, ``--diff``: what a write would do), ``changes`` or ``no
change`` (``--diff --patch``: the patch alone on the upstream file), or
``blocked`` (a patch drifted: nothing is written). ``diff`` (with ``--diff``)
is the unified diff from the upstream file to its patched text.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO
from xml.etree import ElementTree as ET

if TYPE_CHECKING:
    import argparse

    from patchkit.diagnostics import Diagnostic
    from patchkit.engine import Plan, UpstreamVersion
    from patchkit.series import Series
    from patchkit.states import FileState

__all__ = [
    "APPLY_SCHEMA",
    "ApplyReport",
    "apply_document",
    "copy_annotations",
    "render_status",
    "status_junit",
]

APPLY_SCHEMA = "patchkit/apply/v1"


def _state_diagnostics(
    series: Series, states: Sequence[FileState], upstream: str
) -> list[Diagnostic]:
    from patchkit.check._status import state_diagnostics

    label = upstream.rstrip("/\\") or upstream
    return state_diagnostics(series, states, Path.cwd(), Path(upstream), label)


def render_status(
    states: Sequence[FileState],
    version: UpstreamVersion,
    fmt: str,
    out: TextIO,
    *,
    series: Series,
    upstream: str,
    quiet: bool = False,
) -> None:
    """``status`` in ``fmt``: text and json (``render_states``), github (the table, then
    one annotation per drifted patch, retirable patch and transform warning), junit.

    ``quiet`` (-q): the table keeps the drifted rows alone (text and github)."""
    from patchkit.cli.output import render_diagnostics
    from patchkit.cli.patch_output import render_states

    if fmt == "junit":
        out.write(status_junit(states, series, upstream))
        return
    if fmt == "github":
        render_states(states, version, "text", out, quiet=quiet, plain=True)
        render_diagnostics(_state_diagnostics(series, states, upstream), "github", out)
        return
    render_states(states, version, fmt, out, quiet=quiet)


def status_junit(states: Sequence[FileState], series: Series, upstream: str) -> str:
    """One ``testsuite`` per patch, one ``testcase`` per file: drifted fails (at the patch
    file's anchor line), skipped is skipped, the other states pass with their message."""
    from patchkit.states import PatchState

    suites = ET.Element("testsuites", name="patchkit status")
    by_patch: dict[str, list[FileState]] = {}
    for s in states:
        by_patch.setdefault(s.patch, []).append(s)
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for patch_id, group in by_patch.items():
        failed = [s for s in group if s.state is PatchState.DRIFTED]
        skipped = [s for s in group if s.state is PatchState.SKIPPED]
        suite = ET.SubElement(
            suites, "testsuite", name=patch_id, tests=str(len(group)), failures=str(len(failed)),
            errors="0", skipped=str(len(skipped)),
        )  # fmt: skip
        for key, n in (("tests", len(group)), ("failures", len(failed)), ("skipped", len(skipped))):
            totals[key] += n
        for s in group:
            case = ET.SubElement(suite, "testcase", classname=patch_id, name=s.file)
            if s.state is PatchState.DRIFTED:
                (d,) = [d for d in _state_diagnostics(series, [s], upstream) if d.code == "PKP001"]
                case.set("file", d.path)
                case.set("line", str(d.line))
                failure = ET.SubElement(case, "failure", message=s.message, type="drifted")
                failure.text = d.message + (f"\nfix: {d.fix}" if d.fix else "")
            elif s.state is PatchState.SKIPPED:
                ET.SubElement(case, "skipped", message=s.message)
            else:
                ET.SubElement(case, "system-out").text = f"{s.state.value}: {s.message}"
    for key, n in totals.items():
        suites.set(key, str(n))
    ET.indent(suites)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
    )


def copy_annotations(series: Series, the_plan: Plan, upstream: str, *, copies: bool) -> str:
    """``apply --format github``: the states' annotations, and with ``copies`` (``--check``,
    ``--diff``) one error per patched copy that is out of date or not written."""
    import io

    from patchkit.check._status import copy_diagnostics
    from patchkit.cli.output import render_diagnostics

    diagnostics = _state_diagnostics(series, the_plan.states, upstream)
    if copies and not the_plan.drifted:
        diagnostics += copy_diagnostics(series, the_plan, Path.cwd(), True)[0]
    out = io.StringIO()
    render_diagnostics(diagnostics, "github", out)
    return out.getvalue()


def apply_document(
    the_plan: Plan,
    *,
    mode: str,
    actions: dict[str, str],
    in_place: bool,
    out: str | None,
    patches: Sequence[str] | None,
    exit_code: int,
) -> dict[str, object]:
    """The ``patchkit/apply/v1`` document; ``actions`` maps each file (relative to the
    upstream) to what apply did or would do with it."""
    from patchkit.cli.patch_output import diff_lines

    files: list[dict[str, object]] = []
    for f in the_plan.files:
        entry: dict[str, object] = {
            "file": f.rel,
            "source": str(f.source),
            "target": str(f.target),
            "action": actions[f.rel],
        }
        if mode == "diff":
            suffix = f" ({', '.join(patches)} alone)" if patches else ""
            entry["diff"] = "".join(diff_lines(f, suffix))
        files.append(entry)
    return {
        "schema": APPLY_SCHEMA,
        "upstream_version": str(the_plan.upstream),
        "upstream_version_source": the_plan.upstream.source,
        "mode": mode,
        "in_place": in_place,
        "out": None if in_place else out,
        "patches": list(patches) if patches else None,
        "exit_code": exit_code,
        "results": [s.to_json() for s in the_plan.states],
        "files": files,
    }


class ApplyReport:
    """What ``apply`` prints on stdout (or ``--output-file``) in its ``--format``, beside the
    notes on stderr: ``actions`` (file -> what was or would be done) is filled as it works,
    ``finish(exit code)`` prints the JSON document or the annotations."""

    def __init__(
        self,
        args: argparse.Namespace,
        plan: Plan,
        series: Series,
        upstream: str,
        out: str,
        only: list[str] | None,
        stream: TextIO,
    ) -> None:
        self.args, self.plan, self.series, self.upstream = args, plan, series, upstream
        self.out, self.only, self.stream = out, only, stream
        self.fmt: str = args.format
        self.actions: dict[str, str] = {}

    def set_all(self, action: str) -> None:
        for f in self.plan.files:
            self.actions[f.rel] = action

    def finish(self, code: int) -> int:
        if self.fmt == "json":
            from patchkit.cli.output import dump_json

            mode = "diff" if self.args.diff else "check" if self.args.check else "write"
            doc = apply_document(
                self.plan, mode=mode, actions=self.actions, in_place=self.args.in_place,
                out=self.out, patches=self.only, exit_code=code,
            )  # fmt: skip
            dump_json(doc, self.stream)
        elif self.fmt == "github":
            copies = bool(self.args.check or self.args.diff) and not self.only
            self.stream.write(
                copy_annotations(self.series, self.plan, self.upstream, copies=copies)
            )
        return code
