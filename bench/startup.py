"""Start-up of patchkit's light commands against the interpreter's own, side by side.

    python bench/startup.py                     # medians of 40 interleaved runs
    python bench/startup.py --before ../main    # and the same commands from another checkout
    python bench/startup.py --runs 100 --json

Every command is a whole process (`python -m patchkit ...`, run by the interpreter of
patchkit's console script, as bench/run.py does). The commands run interleaved: round
after round, each command once per round, so load from other processes falls on all of
them alike; one untimed round first warms the page and bytecode caches. Reported: the
median wall time and the median CPU time (user + system of the child) of each command,
and its ratio to `python -c pass` (the goal for `patchkit --help` is <= 2x).

With --before DIR (a patchkit source tree, e.g. a worktree of main) every patchkit
command also runs from DIR in the same rounds, and the table shows before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import _PYCACHE, ROOT, _interpreter_of

#: (label, arguments after `python`, is it patchkit); python -c pass is the unit.
COMMANDS: tuple[tuple[str, tuple[str, ...], bool], ...] = (
    ("python -c pass", ("-c", "pass"), False),
    ("patchkit --version", ("-m", "patchkit", "--version"), True),
    ("patchkit --help", ("-m", "patchkit", "--help"), True),
    ("patchkit check --help", ("-m", "patchkit", "check", "--help"), True),
    ("patchkit version check 1.0.0:0", ("-m", "patchkit", "version", "check", "1.0.0:0"), True),
    ("patchkit rule PKD001", ("-m", "patchkit", "rule", "PKD001"), True),
)
GOAL = 2.0


def _env(tree: Path) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(tree), NO_COLOR="1")
    # bytecode outside the checkouts (an installed patchkit has its .pyc files), one
    # folder per tree so that the two trees never share a cache entry
    env["PYTHONPYCACHEPREFIX"] = str(_PYCACHE / tree.resolve().as_posix().strip("/"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _once(cmd: Sequence[str], env: dict[str, str], cwd: str) -> tuple[float, float] | str:
    """(wall, cpu) seconds of one run in folder ``cwd``, or why it failed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, timeout=120, cwd=cwd)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        err = proc.stderr.decode(errors="replace").strip().splitlines()
        return f"exit {proc.returncode}: {err[-1] if err else ''}"
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def measure(runs: int, before: Path | None) -> list[dict[str, object]]:
    """One row per (command, tree): medians over ``runs`` interleaved rounds."""
    py = _interpreter_of("patchkit")
    trees = [("after", ROOT)] + ([("before", before)] if before is not None else [])
    jobs = []
    for label, args, is_patchkit in COMMANDS:
        for tree_name, tree in trees if is_patchkit else trees[:1]:
            name = tree_name if is_patchkit and before is not None else ""
            jobs.append((label, name, [py, *args], _env(tree)))
    walls: dict[int, list[float]] = {i: [] for i in range(len(jobs))}
    cpus: dict[int, list[float]] = {i: [] for i in range(len(jobs))}
    failed: dict[int, str] = {}
    # An empty working folder: `python -m` puts it first on sys.path, so a checkout there
    # would be imported instead of the tree PYTHONPATH names.
    with tempfile.TemporaryDirectory(prefix="patchkit-startup-") as cwd:
        for round_ in range(runs + 1):
            for i, (_, _, cmd, env) in enumerate(jobs):
                if i in failed:
                    continue
                got = _once(cmd, env, cwd)
                if isinstance(got, str):
                    failed[i] = got
                elif round_:  # round 0 warms the caches
                    walls[i].append(got[0])
                    cpus[i].append(got[1])
    base_wall = statistics.median(walls[0]) if walls[0] else 0.0
    base_cpu = statistics.median(cpus[0]) if cpus[0] else 0.0
    rows: list[dict[str, object]] = []
    for i, (label, tree_name, _, _) in enumerate(jobs):
        row: dict[str, object] = {"command": label, "tree": tree_name}
        if i in failed:
            row["error"] = failed[i]
        else:
            wall, cpu = statistics.median(walls[i]), statistics.median(cpus[i])
            row.update(
                wall_ms=round(wall * 1000, 1),
                cpu_ms=round(cpu * 1000, 1),
                ratio=round(wall / base_wall, 2) if base_wall else None,
                cpu_ratio=round(cpu / base_cpu, 2) if base_cpu else None,
            )
        rows.append(row)
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--runs", type=int, default=40, help="interleaved rounds (median; default 40)")
    ap.add_argument(
        "--before",
        type=Path,
        metavar="DIR",
        help="another patchkit source tree to measure in the same rounds (e.g. main)",
    )
    ap.add_argument("--json", action="store_true", help="print the rows as JSON")
    ns = ap.parse_args(argv)
    if ns.runs < 1:
        ap.error("--runs must be at least 1")
    if ns.before is not None and not (ns.before / "patchkit" / "__main__.py").is_file():
        ap.error(f"--before {ns.before}: not a patchkit source tree (no patchkit/__main__.py)")
    rows = measure(ns.runs, ns.before)
    if ns.json:
        json.dump({"runs": ns.runs, "goal": GOAL, "rows": rows}, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}, "
        f"Python {platform.python_version()}"
    )
    print(f"medians of {ns.runs} interleaved whole-process rounds after one warm-up round\n")
    print("| command | tree | wall | ratio | cpu | cpu ratio |")
    print("|---|---|---:|---:|---:|---:|")
    for r in rows:
        if "error" in r:
            print(f"| {r['command']} | {r['tree']} | {r['error']} | - | - | - |")
            continue
        goal = f" (goal <= {GOAL:g}x)" if r["command"] == "patchkit --help" else ""
        print(
            f"| {r['command']} | {r['tree']} | {r['wall_ms']} ms | {r['ratio']}x{goal} "
            f"| {r['cpu_ms']} ms | {r['cpu_ratio']}x |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
