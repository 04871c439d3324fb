"""`patchkit rule CODE` for the codes of check's areas (PKM, PKS, PKB, PKP, PKC) too."""

from __future__ import annotations

import json

import pytest

from patchkit.cli.main import main


def test_a_manifest_code_is_explained_from_its_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", "pkm001"]) == 0  # any case, as for lint codes
    text = capsys.readouterr().out
    assert text.startswith(
        "# invalid-version (PKM001)\n\nStatus: stable (since 0.1.0), severity error."
    )
    assert "Reported by `patchkit check` (manifest area)." in text
    assert "the SDK reads `'0.20.0'` as the range `^0.20.0:0`" in text


def test_json_of_a_check_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", "PKP003", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (doc["code"], doc["name"], doc["fix"]) == ("PKP003", "copy-not-written", "none")
    assert "an error with `--check`" in doc["explanation"]


@pytest.mark.parametrize("code", ["PKX001", "PKM999", "PKD999"])
def test_an_unknown_code_is_a_usage_error(code: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", code]) == 2
    err = capsys.readouterr().err
    assert f"unknown rule code '{code}'" in err or f"unknown code '{code}'" in err
    assert "Traceback" not in err
