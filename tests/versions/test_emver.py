"""EmVer (StartOS 0.3.x) against the 0.3.x code itself.

``fixtures/emver-0.1.1.jsonl`` is what ``emver_batch.mjs`` printed for those
strings with ``@start9labs/emver`` 0.1.1, the emver crate StartOS 0.3.x reads
manifest versions with, compiled to WebAssembly. ``PATCHKIT_EMVER_ORACLE``
(a folder where ``npm install @start9labs/emver@0.1.1`` was run) asks it again.
The WebAssembly build has a 32-bit ``usize``; the strings stay below 2**32.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from patchkit.versions import check
from patchkit.versions.emver import EmVer, check_emver, parse_emver_prefix

HERE = Path(__file__).parent
RECORDS = [
    json.loads(line)
    for line in (HERE / "fixtures/emver-0.1.1.jsonl").read_text(encoding="utf-8").splitlines()
]
PARSES = [r for r in RECORDS if "input" in r]
COMPARES = [r for r in RECORDS if "compare" in r]


@pytest.mark.parametrize("record", PARSES, ids=[repr(r["input"]) for r in PARSES])
def test_reads_what_startos_03_reads(record: dict[str, object]) -> None:
    got = parse_emver_prefix(record["input"])  # type: ignore[arg-type]
    if not record["valid"]:
        assert got is None
        assert not check_emver(record["input"]).valid  # type: ignore[arg-type]
        return
    assert got is not None
    value, _ = got
    assert [value.major, value.minor, value.patch, value.revision] == record["parts"]
    assert check_emver(record["input"]).valid  # type: ignore[arg-type]


@pytest.mark.parametrize("record", COMPARES, ids=[" vs ".join(r["compare"]) for r in COMPARES])
def test_orders_as_startos_03(record: dict[str, object]) -> None:
    a, b = record["compare"]  # type: ignore[misc]
    pa, pb = parse_emver_prefix(a), parse_emver_prefix(b)
    assert pa is not None and pb is not None
    assert pa[0].compare(pb[0]) == record["result"]


@pytest.mark.parametrize(
    ("text", "warning"),
    [
        ("1.10.1.1", None),
        ("1.22.2", None),
        ("1.2", "three or four numbers"),  # 0.4's parseEmver refuses it at migration
        ("1.2.3-beta", 'drops "-beta"'),
        ("1.10.1.1:0", 'drops ":0"'),  # the ExVer fix patchkit once suggested
        ("01.2.3", "leading zero"),
    ],
)
def test_warnings(text: str, warning: str | None) -> None:
    result = check(text, "emver")
    assert result.valid
    if warning is None:
        assert result.warnings == () and result.normalized == text
    else:
        assert any(warning in w for w in result.warnings)


def test_errors_point_and_suggest() -> None:
    result = check_emver("v1.10.1.1")
    assert not result.valid and result.suggestion == "1.10.1.1" and result.span is not None
    too_long = check_emver("1.2.3.4.5")
    assert not too_long.valid and "four numbers" in (too_long.error or "")
    assert too_long.span is not None and too_long.span.start == 7


def test_display_drops_a_zero_revision() -> None:
    assert str(EmVer(1, 2, 3, 0)) == "1.2.3" and str(EmVer(1, 10, 1, 1)) == "1.10.1.1"


@pytest.mark.oracle
def test_the_03_code_still_says_so(tmp_path: Path) -> None:
    folder = os.environ.get("PATCHKIT_EMVER_ORACLE")
    node = shutil.which("node")
    if not folder or node is None:
        pytest.skip("PATCHKIT_EMVER_ORACLE is not set (npm install @start9labs/emver@0.1.1 there)")
    lines = [
        json.dumps(r["input"]) if "input" in r else json.dumps({"compare": r["compare"]})
        for r in RECORDS
    ]
    proc = subprocess.run(
        [node, "--experimental-wasm-modules", str(HERE / "emver_batch.mjs"), folder],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert [json.loads(line) for line in proc.stdout.splitlines() if line.strip()] == RECORDS
