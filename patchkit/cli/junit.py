"""JUnit XML: findings as test results, for GitLab, Jenkins, Buildkite and other CI report views.

Each group (an area of ``check``, a file of ``lint``) is a ``testsuite``; each
error-severity diagnostic is a failing ``testcase`` named by its code and
place, with the message; a group without errors has one passing testcase, so
the report says what was checked. Warnings are listed as ``system-out`` of
their group (JUnit has no warning result).
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.etree import ElementTree as ET

from patchkit.diagnostics import Diagnostic, Severity

__all__ = ["junit_xml"]


def junit_xml(name: str, groups: Sequence[tuple[str, str, Sequence[Diagnostic], bool]]) -> str:
    """The XML text: ``groups`` are (name, summary, diagnostics, skipped)."""
    suites = ET.Element("testsuites", name=name)
    total = failures = skipped_count = 0
    for group, summary, diagnostics, skipped in groups:
        errors = [d for d in diagnostics if d.severity is Severity.ERROR]
        others = [d for d in diagnostics if d.severity is not Severity.ERROR]
        cases = max(len(errors), 1)
        suite = ET.SubElement(
            suites, "testsuite", name=group, tests=str(cases), failures=str(len(errors)),
            errors="0", skipped="1" if skipped else "0",
        )  # fmt: skip
        total += cases
        failures += len(errors)
        skipped_count += 1 if skipped else 0
        if not errors:
            case = ET.SubElement(suite, "testcase", classname=group, name=summary or group)
            if skipped:
                ET.SubElement(case, "skipped", message=summary)
        for d in errors:
            case = ET.SubElement(
                suite, "testcase", classname=group, name=f"{d.code} {d.path}:{d.line}:{d.col}",
                file=d.path, line=str(d.line),
            )  # fmt: skip
            failure = ET.SubElement(case, "failure", message=d.message, type=d.code)
            failure.text = d.message + (f"\nfix: {d.fix}" if d.fix else "")
        if others:
            out = ET.SubElement(suite, "system-out")
            out.text = "\n".join(
                f"{d.path}:{d.line}:{d.col}: {d.code} [{d.severity.value}] {d.message}"
                for d in others
            )
    suites.set("tests", str(total))
    suites.set("failures", str(failures))
    suites.set("skipped", str(skipped_count))
    ET.indent(suites)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
    )
