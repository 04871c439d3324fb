"""``scm check`` in every machine format (SARIF validated against its schema, JUnit), and
``--output-file`` on ``scm check`` and ``version check``."""

from __future__ import annotations

import json
import os
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

SCHEMA = os.environ.get("PATCHKIT_SARIF_SCHEMA")
SCM = ("scm", "check", "scm-downstream", "--upstream", "scm-upstream")


def _main(*args: str) -> int:
    from patchkit.cli.main import main

    return main(list(args))


def test_scm_check_sarif_carries_each_finding(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _main(*SCM, "--format", "json") == 1
    findings = json.loads(capsys.readouterr().out)["diagnostics"]
    assert _main(*SCM, "--format", "sarif") == 1
    doc = json.loads(capsys.readouterr().out)
    if SCHEMA:
        import jsonschema

        schema = json.loads(Path(SCHEMA).read_text(encoding="utf-8"))
        jsonschema.Draft4Validator(schema).validate(doc)
    elif os.environ.get("CI"):
        pytest.fail("PATCHKIT_SARIF_SCHEMA is not set: .ci/setup-sarif.sh did not fetch it")
    results = doc["runs"][0]["results"]
    level = {"error": "error", "warning": "warning", "info": "note"}
    assert sorted(
        (
            r["ruleId"],
            r["level"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for r in results
    ) == sorted((d["code"], level[d["severity"]], d["path"], d["line"]) for d in findings)
    assert {"PKS001", "PKS008"} <= {r["ruleId"] for r in results}


def test_scm_check_junit_to_an_output_file(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _main(*SCM, "--format", "junit", "--output-file", "scm.xml") == 1
    assert capsys.readouterr().out == ""
    suites = ET.parse(example / "scm.xml").getroot()
    assert [s.get("name") for s in suites] == [
        "scm-downstream/Dockerfile",
        "scm-downstream/build.sh",
    ]
    failing = {
        (c.get("file"), c.get("line"), c.find("failure").get("type"))  # type: ignore[union-attr]
        for c in suites.iter("testcase")
        if c.find("failure") is not None
    }
    assert ("scm-downstream/build.sh", "4", "PKS008") in failing
    assert ("scm-downstream/Dockerfile", "7", "PKS001") in failing


def test_version_check_output_file(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ("version", "check", "0.21.1-rc0:0", "0.21.1-rc.0:0")
    assert _main(*args, "--format", "json") == 1
    printed = capsys.readouterr().out
    assert _main(*args, "--format", "json", "--output-file", "v.json") == 1
    assert capsys.readouterr().out == ""
    written = (example / "v.json").read_text(encoding="utf-8")
    assert written == printed
    assert [r["valid"] for r in json.loads(written)] == [False, True]
