"""Parse throughput: patchkit vs dockerfile-parse vs BuildKit's Go parser.

usage: python bench/parse.py [FOLDER ...] [--passes N] [--json]

Reads every Dockerfile under each FOLDER (files whose name contains
"Dockerfile", searched recursively; default: bench/corpus) into memory, then
times whole passes over all of them with each parser and prints files/s and
MB/s (median and best of N passes) and the ratios. A small folder is repeated
within each pass so that a pass lasts about 50 ms; times are then given per
pass over the folder. Passes run round-robin (one pass of each parser in turn)
so that other load on the machine affects all of them alike; ``--cpu`` times
with the process's CPU time instead of the wall clock. Each parser gets what
it needs: patchkit decodes the bytes and parses the text
(``patchkit.dockerfile.parse``), dockerfile-parse reads a BytesIO
(``DockerfileParser(fileobj=...).structure``), the Go binding parses the
decoded text (``dockerfile.parse_string``). Peers that are not installed are
skipped with a note.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from patchkit.dockerfile import parse  # noqa: E402


def find_dockerfiles(folder: Path) -> list[Path]:
    if folder.is_file():
        return [folder]
    out = []
    for p in sorted(folder.rglob("*")):
        name = p.name.lower()
        if p.is_file() and ("dockerfile" in name):
            out.append(p)
    return out


# What each patchkit row does per file, from least to most work.
_LEVELS = {
    "patchkit parse": "scan",
    "patchkit + .instructions": "objects",
    "patchkit, every instruction read": "read",
}


def _patchkit(blobs: list[bytes], level: str = "scan") -> Callable[[], int]:
    """``parse`` each file, and then do more or less with the tree.

    ``scan``: ``parse`` only: it records where every instruction is; the objects
    and everything else are built on first access. ``objects``: also build every
    ``Instruction`` (keyword, offsets, stage), as any walk over the tree does.
    ``read``: also read, for every instruction, what dockerfile-parse's
    ``structure`` holds for it (keyword, first and last line, text as written,
    arguments: ``instruction``, ``startline``, ``endline``, ``content``, ``value``)
    with BuildKit's own rules (continuations joined, flags split off): the
    like-for-like row against both peers, which compute all of it eagerly.
    """

    def run() -> int:
        failures = 0
        for b in blobs:
            try:
                tree = parse(b.decode("utf-8"))
                if level == "objects":
                    tree.instructions  # noqa: B018
                elif level == "read":
                    for i in tree.instructions:
                        i.keyword, i.start_line, i.end_line, i.raw, i.args  # noqa: B018
            except Exception:
                failures += 1
        return failures

    return run


def _dockerfile_parse(blobs: list[bytes]) -> Callable[[], int] | None:
    try:
        from dockerfile_parse import DockerfileParser
    except ImportError:
        return None

    def run() -> int:
        failures = 0
        for b in blobs:
            try:
                DockerfileParser(fileobj=io.BytesIO(b)).structure  # noqa: B018
            except Exception:
                failures += 1
        return failures

    return run


def _buildkit(blobs: list[bytes]) -> Callable[[], int] | None:
    try:
        import dockerfile
    except ImportError:
        return None
    texts = [b.decode("utf-8") for b in blobs]

    def run() -> int:
        failures = 0
        for t in texts:
            try:
                dockerfile.parse_string(t)
            except dockerfile.GoParseError:
                failures += 1
        return failures

    return run


def measure_all(
    peers: dict[str, Callable[[], int]], passes: int, clock: Callable[[], float] = time.perf_counter
) -> dict[str, tuple[list[float], int]]:
    """Time ``passes`` passes of each peer, round-robin, so that load on a shared machine
    falls on every peer alike; one warm-up pass each first (imports, regex compilation)."""
    for fn in peers.values():
        fn()
    # A pass over a small folder takes well under a millisecond: repeat the folder so
    # a pass lasts about 50 ms (for patchkit), and count files per pass accordingly.
    first = next(iter(peers.values()))
    t0 = time.perf_counter()
    first()
    reps = max(1, min(1000, int(0.05 / max(time.perf_counter() - t0, 1e-6))))
    if reps > 1:
        peers = {name: _repeat(fn, reps) for name, fn in peers.items()}
    times: dict[str, list[float]] = {name: [] for name in peers}
    failures: dict[str, int] = dict.fromkeys(peers, 0)
    for _ in range(passes):
        for name, fn in peers.items():
            t0 = clock()
            failures[name] = fn()
            times[name].append(clock() - t0)
    return {name: ([t / reps for t in times[name]], failures[name] // reps) for name in peers}


def _repeat(fn: Callable[[], int], reps: int) -> Callable[[], int]:
    def run() -> int:
        return sum(fn() for _ in range(reps))

    return run


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "folders",
        nargs="*",
        type=Path,
        default=[ROOT / "bench" / "corpus"],
        help="folders (searched recursively) or files; default bench/corpus",
    )
    ap.add_argument(
        "--passes", type=int, default=7, help="timed passes per parser (median; default 7)"
    )
    ap.add_argument(
        "--json", action="store_true", help="print one JSON document instead of a table"
    )
    ap.add_argument(
        "--cpu",
        action="store_true",
        help="time with this process's CPU time, not the wall clock (steadier on a busy machine)",
    )
    args = ap.parse_args(argv)
    if args.passes < 1:
        ap.error("--passes must be at least 1")

    files: list[Path] = []
    for folder in args.folders:
        if not folder.exists():
            print(f"bench/parse.py: {folder}: no such file or folder", file=sys.stderr)
            return 2
        files.extend(find_dockerfiles(folder))
    if not files:
        print("bench/parse.py: no Dockerfiles found", file=sys.stderr)
        return 2
    blobs = [f.read_bytes() for f in files]
    size = sum(len(b) for b in blobs)

    peers: dict[str, Callable[[], int] | None] = {
        name: _patchkit(blobs, level) for name, level in _LEVELS.items()
    }
    peers |= {
        "dockerfile-parse": _dockerfile_parse(blobs),
        "buildkit-go (dockerfile 3.4.0)": _buildkit(blobs),
    }
    available: dict[str, Callable[[], int]] = {}
    for name, fn in peers.items():
        if fn is None:
            print(f"note: {name} is not installed; skipped", file=sys.stderr)
        else:
            available[name] = fn
    results: dict[str, dict[str, float | int]] = {}
    clock = time.process_time if args.cpu else time.perf_counter
    for name, (times, failures) in measure_all(available, args.passes, clock).items():
        med = statistics.median(times)
        results[name] = {
            "median_s": med,
            "best_s": min(times),
            "files_per_s": len(blobs) / med,
            "mb_per_s": size / 1e6 / med,
            "failures": failures,
        }

    ratios = {
        ours: {
            peer: results[ours]["files_per_s"] / r["files_per_s"]
            for peer, r in results.items()
            if peer not in _LEVELS
        }
        for ours in _LEVELS
        if ours in results
    }
    if args.json:
        doc = {
            "files": len(blobs),
            "bytes": size,
            "passes": args.passes,
            "python": sys.version.split()[0],
            "results": results,
            "speedup": ratios,  # files/s of each patchkit row over each peer's
        }
        json.dump(doc, sys.stdout, indent=2)
        print()
        return 0
    print(
        f"{len(blobs)} files, {size / 1e6:.2f} MB, median of {args.passes} passes, "
        f"{'CPU time' if args.cpu else 'wall clock'} (Python {sys.version.split()[0]})"
    )
    print(f"{'parser':34} {'median s':>9} {'best s':>8} {'files/s':>9} {'MB/s':>7} {'failed':>6}")
    for name, r in results.items():
        print(
            f"{name:34} {r['median_s']:9.4f} {r['best_s']:8.4f} {r['files_per_s']:9,.0f} "
            f"{r['mb_per_s']:7.1f} {r['failures']:6d}"
        )
    for ours, against in ratios.items():
        shown = ", ".join(f"{x:.2f}x {peer}" for peer, x in against.items())
        print(f"{ours}: {shown}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
