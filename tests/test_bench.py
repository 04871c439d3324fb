"""The bench runs on its own small corpus and reports what it measured (no timing is asserted:
speed is read from the bench's output by a person, never a pass/fail limit)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, cwd=ROOT, timeout=300
    )


def test_parse_bench_reads_every_default_file_with_every_parser() -> None:
    proc = _run(str(BENCH / "parse.py"), "--passes", "1", "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    shipped = [p for p in (BENCH / "corpus").rglob("*") if "dockerfile" in p.name.lower()]
    assert report["files"] == len(shipped) > 0
    assert report["bytes"] == sum(p.stat().st_size for p in shipped)
    rows = report["results"]
    # The three patchkit rows and dockerfile-parse (a test dependency) are always there.
    for name in (
        "patchkit parse",
        "patchkit + .instructions",
        "patchkit, every instruction read",
        "dockerfile-parse",
    ):
        assert rows[name]["failures"] == 0, name
        assert rows[name]["median_s"] > 0


def test_parse_bench_refuses_bad_arguments(tmp_path: Path) -> None:
    for args in (["--passes", "0"], [str(tmp_path / "missing")], [str(tmp_path)]):
        proc = _run(str(BENCH / "parse.py"), *args)
        assert proc.returncode == 2, args
        assert "Traceback" not in proc.stderr


def test_run_bench_prints_every_area_with_its_ratio() -> None:
    proc = _run(str(BENCH / "run.py"), "--runs", "1", "--commits", "12")
    assert proc.returncode == 0, proc.stderr
    table = proc.stdout
    for row in (
        "| start-up | python -c pass |",
        "| start-up | patchkit --help |",
        "| check | patchkit check |",
        "| range | status --range over 12 commits |",
    ):
        assert row in table, row
    assert "(goal <= 2x)" in table
    # Without --vllm the check goal is not claimed for the one example file.
    assert "(goal is for --vllm: 13 Dockerfiles)" in table


def test_run_bench_names_a_missing_corpus_before_timing_anything(tmp_path: Path) -> None:
    proc = _run(str(BENCH / "run.py"), "--vllm", str(tmp_path))
    assert proc.returncode == 2
    assert "build.sh" in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stdout == ""
