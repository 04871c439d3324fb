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
    # hadolint's row lints exactly what check lints: here the patched example Dockerfile.cpu.
    assert "| check | hadolint on the 1 Dockerfile check lints (Dockerfile.cpu, examples/) |" in (
        table
    )


def test_scale_bench_times_both_commands_on_both_shapes_side_by_side() -> None:
    proc = _run(
        str(BENCH / "scale.py"),
        *("--sizes", "1,10,20", "--cpu-sizes", "1,10", "--runs", "1", "--json"),
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    rows = report["rows"]
    cells = {(r["shape"], r["units"], r["command"]) for r in rows}
    for shape, sizes in (("chained", (1, 10, 20)), ("cpu", (1, 10))):
        for n in sizes:
            for command in ("lint", "parse"):
                assert (shape, n, command) in cells
    for r in rows:
        assert isinstance(r["process"], dict), r  # not an error string
        assert r["process"]["peak_mib"] > 0 and r["process"]["cpu_s"] > 0
        if r["units"] > 1:
            assert "unit_cpu_us" in r
    # copy k of the repeated file names its stages rk-...; every FROM still finds its parent
    assert any(r["units"] == 10 and r["shape"] == "cpu" and r["bytes"] > 0 for r in rows)


def test_scale_bench_keeps_every_copy_apart() -> None:
    sys.path.insert(0, str(BENCH))
    from scale import chained, repeated

    from patchkit.dockerfile import parse

    one = (ROOT / "examples" / "upstream" / "docker" / "Dockerfile.cpu").read_text()
    tree = parse(repeated(one, 3))
    single = parse(one)
    assert len(tree.stages) == 3 * len(single.stages)
    names = [s.name for s in tree.stages]
    assert len(set(names)) == len(names)
    for k in range(3):
        for i, st in enumerate(single.stages):
            copy = tree.stages[k * len(single.stages) + i]
            assert copy.name == f"r{k}-{st.name}"
            if st.parent is not None:
                assert copy.parent is not None and copy.parent.name == f"r{k}-{st.parent.name}"
    chain = parse(chained(5))
    assert [s.parent.name if s.parent else None for s in chain.stages] == [
        None, "s0", "s1", "s2", "s3",
    ]  # fmt: skip


def test_run_bench_names_a_missing_corpus_before_timing_anything(tmp_path: Path) -> None:
    proc = _run(str(BENCH / "run.py"), "--vllm", str(tmp_path))
    assert proc.returncode == 2
    assert "build.sh" in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stdout == ""


def test_startup_bench_times_every_light_command_against_python_side_by_side() -> None:
    proc = _run(str(BENCH / "startup.py"), "--runs", "1", "--before", str(ROOT), "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["goal"] == 2.0
    rows = {(r["command"], r["tree"]): r for r in report["rows"]}
    assert rows[("python -c pass", "")]["ratio"] == 1.0
    for command in (
        "patchkit --version",
        "patchkit --help",
        "patchkit check --help",
        "patchkit version check 1.0.0:0",
    ):
        for tree in ("after", "before"):
            row = rows[(command, tree)]
            assert "error" not in row, row
            assert row["wall_ms"] > 0 and row["cpu_ms"] > 0 and row["ratio"] > 0


def test_startup_bench_refuses_a_folder_that_is_no_patchkit_tree(tmp_path: Path) -> None:
    proc = _run(str(BENCH / "startup.py"), "--before", str(tmp_path))
    assert proc.returncode == 2
    assert "not a patchkit source tree" in proc.stderr and proc.stdout == ""
