"""The long fuzz run: one target, N inputs, every broken contract recorded (not run in CI).

    python tests/fuzz/run.py dockerfile --runs 100000            # atheris when installed
    python tests/fuzz/run.py exver --runs 100000 --engine hypothesis

With atheris (``pip install atheris``) the run is coverage-guided: patchkit is
instrumented on import and libFuzzer mutates the seeds of ``conftest.seeds``.
Without it, hypothesis generates the inputs (``test_targets.inputs``, the
same strategy CI uses, with many more examples). Either way the run does not
stop at the first crash: each distinct one (exception type and the innermost
patchkit frame) is written to ``--out/<target>/crash-<n>.bin`` with a
``.txt`` traceback next to it, and ``--out/<target>/summary.json`` is rewritten
every 1000 inputs with the counts. Inputs slower than ``--slow`` seconds are
recorded the same way (``slow-<n>.bin``). Move a crash input to
``tests/fuzz/crashes/<target>/`` once fixed, so CI replays it forever.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

# The patchkit modules each target reaches, imported up front so atheris instruments them.
MODULES = {
    "dockerfile": ["patchkit.dockerfile", "patchkit.dockerfile.edit"],
    "exver": [
        "patchkit.versions",
        "patchkit.versions.pep440",
        "patchkit.versions.semver",
        "patchkit.versions.convert",
        "patchkit.versions.suggest",
        "patchkit.versions.describe",
    ],
    "patch-file": [
        "patchkit.series",
        "patchkit.engine",
        "patchkit.transforms",
        "patchkit._fs",
        "patchkit.dockerfile",
        "patchkit.dockerfile.edit",
    ],
    "lint-fix": ["patchkit.cli.main", "patchkit.cli.lint_runner", "patchkit.lint", "patchkit._fs"],
    "apply-upstream": [
        "patchkit.engine",
        "patchkit.series",
        "patchkit.transforms",
        "patchkit.dockerfile",
        "patchkit.dockerfile.edit",
    ],
    "setup-py": [
        "patchkit.scm.setup_py",
        "patchkit.scm.pyproject",
        "patchkit.scm.model",
        "patchkit.scm.explain",
        "patchkit.scm.names",
        "patchkit.scm.honoured",
    ],
}


def _load(name: str, path: Path):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


class Recorder:
    """Counts inputs, keeps the first input of each distinct crash, writes a summary."""

    def __init__(self, target: str, out: Path, slow: float, engine: str) -> None:
        self.target, self.slow, self.engine = target, slow, engine
        self.folder = out / target
        self.folder.mkdir(parents=True, exist_ok=True)
        self.inputs = 0
        self.crashes: dict[str, dict[str, object]] = {}
        self.slowest = 0.0
        self.started = time.monotonic()

    def run(self, check, target, data: bytes) -> None:  # type: ignore[no-untyped-def]
        self.inputs += 1
        t0 = time.perf_counter()
        try:
            check(target, data)
        except AssertionError as exc:  # Unexpected is an AssertionError
            self._record("crash", exc, data)
        took = time.perf_counter() - t0
        self.slowest = max(self.slowest, took)
        if took > self.slow:
            self._record("slow", None, data, took)
        if self.inputs % 1000 == 0:
            self.write_summary()

    def _record(self, kind: str, exc: BaseException | None, data: bytes, took: float = 0) -> None:
        if exc is not None:
            cause = exc.__cause__ or exc
            frames = [
                f for f in traceback.extract_tb(cause.__traceback__) if "patchkit" in f.filename
            ]
            where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"
            key = f"{type(cause).__name__} at {where}" if cause is not exc else str(exc)[:120]
            if "InternalError" in str(exc):  # one place raises them all: tell them apart
                key = re.sub(r"\d+", "N", str(exc))[:160]
            text = "".join(traceback.format_exception(cause))
        else:
            key = f"slow ({len(data) // 1024} KiB)"
            text = f"took {took:.2f}s on {len(data)} bytes\n"
        entry = self.crashes.get(key)
        if entry is not None:
            entry["count"] = int(entry["count"]) + 1  # type: ignore[call-overload]
            return
        n = len(self.crashes) + 1
        (self.folder / f"{kind}-{n}.bin").write_bytes(data)
        (self.folder / f"{kind}-{n}.txt").write_text(f"{key}\n\n{text}", encoding="utf-8")
        self.crashes[key] = {
            "kind": kind,
            "file": f"{kind}-{n}.bin",
            "count": 1,
            "message": str(exc)[:300],
        }
        sys.stderr.write(f"\n[{self.target}] new {kind} #{n}: {key}\n")
        self.write_summary()

    def write_summary(self) -> None:
        summary = {
            "target": self.target,
            "engine": self.engine,
            "inputs": self.inputs,
            "seconds": round(time.monotonic() - self.started, 1),
            "slowest_input_seconds": round(self.slowest, 3),
            "findings": self.crashes,
        }
        (self.folder / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", choices=list(MODULES))
    parser.add_argument("--runs", type=int, default=100_000, help="inputs to run (100000)")
    parser.add_argument(
        "--engine",
        choices=("auto", "atheris", "hypothesis"),
        default="auto",
        help="auto: atheris when installed, else hypothesis",
    )
    parser.add_argument(
        "--out", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "patchkit-fuzz"
    )
    parser.add_argument(
        "--slow", type=float, default=2.0, help="seconds after which an input counts as slow"
    )
    parser.add_argument("--max-len", type=int, default=8192)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))

    engine = args.engine
    if engine == "auto":
        engine = "atheris" if importlib.util.find_spec("atheris") else "hypothesis"
    recorder = Recorder(args.target, args.out, args.slow, engine)
    conftest = _load("_patchkit_fuzz_conftest", HERE / "conftest.py")

    if engine == "atheris":
        import atheris

        with atheris.instrument_imports(include=["patchkit"]):
            for module in MODULES[args.target]:
                importlib.import_module(module)
        fuzz = conftest.load_targets()
        target = dict(fuzz.TARGETS)[args.target]
        corpus = args.out / args.target / "corpus"
        corpus.mkdir(parents=True, exist_ok=True)
        for i, seed in enumerate(conftest.seeds(args.target)):
            (corpus / f"seed-{i:04d}").write_bytes(seed[: args.max_len])

        def one(data: bytes) -> None:
            recorder.run(fuzz.check_one, target, data)
            if recorder.inputs >= args.runs:
                recorder.write_summary()
                os._exit(0)

        atheris.Setup(
            [
                sys.argv[0],
                f"-max_len={args.max_len}",
                "-len_control=0",
                "-timeout=60",
                "-rss_limit_mb=4096",
                str(corpus),
            ],
            one,
        )
        atheris.Fuzz()
        return 0

    from hypothesis import HealthCheck, given, settings

    fuzz = conftest.load_targets()
    target = dict(fuzz.TARGETS)[args.target]
    tests = _load("_patchkit_fuzz_tests", HERE / "test_targets.py")

    @settings(
        max_examples=args.runs,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=tests.inputs(conftest.seeds(args.target), args.target))
    def run(data: bytes) -> None:
        recorder.run(fuzz.check_one, target, data)

    run()
    recorder.write_summary()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
