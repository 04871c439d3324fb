"""A throwaway real BuildKit for the end-to-end tests.

``buildkit`` (session scope) starts Debian trixie's ``dockerd`` 26.1 (embedded BuildKit 0.13)
on a private socket, data root and exec root inside one temporary folder, with the containerd
image store (multi-platform builds need it), and drives it with the standalone
``docker-buildx`` 0.13 binary. Where the binaries come from, in order:

1. ``PATCHKIT_BUILDKIT_ROOT`` (exported by ``.ci/setup-e2e.sh``, which ``.ci/run`` sources);
2. an earlier setup in the CI cache (``$PATCHKIT_CI_CACHE/buildkit/root``);
3. running ``.ci/setup-e2e.sh`` now (root + apt needed; ``PATCHKIT_E2E_SETUP=0`` disables it).

When none works (not root, no apt, no overlayfs, setup failed) every e2e test is SKIPPED with
the reason; they never fail for that. Every build is ``--network=none`` and starts ``FROM
scratch`` with a static busybox copied from the host: nothing is pulled.

At the end the daemon is stopped by its PID, anything still mounted under the temporary
folder is unmounted, the system paths the daemon creates on its own (``/run/docker``,
``/run/runc``, ``/etc/docker``) are removed if they did not exist before, and the temporary
folder is deleted. A lock file in the binaries' folder serialises concurrent e2e sessions,
so "did not exist before" stays true.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SETUP_SCRIPT = ROOT / ".ci" / "setup-e2e.sh"

# Paths outside the temporary folder that dockerd or BuildKit's runc executor create by
# themselves (measured: /run/docker/plugins at start, /run/runc at the first RUN). Removed at
# the end if they did not exist before; the shared ones (runc's state root, libmount's lock
# folder) only while empty, since other tools on the machine use them too.
SYSTEM_LEFTOVERS = ("/run/docker", "/var/run/docker", "/etc/docker")
SHARED_LEFTOVERS = ("/run/runc", "/run/mount")

DAEMON_START_TIMEOUT = 30.0
BUILD_TIMEOUT = 120.0

_STEP_NAME = re.compile(r"^#(\d+) (\[.*)$")
_STEP_STATUS = re.compile(r"^#(\d+) (CACHED|DONE [0-9.]+s|ERROR\b.*|CANCELED\b.*)$")
_CACHE_ID = re.compile(r'with id "([^"]*)"')


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class BuildResult:
    """One ``docker-buildx build`` run: its exit code, its plain progress log, its output."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str  # the --progress=plain log
    duration: float
    out: Path | None  # the -o type=local folder, if any
    steps: Mapping[str, str] = field(default_factory=dict)  # "[stage n/m] RUN ..." -> CACHED/DONE

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def step(self, marker: str) -> str:
        """The status (``CACHED`` or ``DONE``) of the one step whose name contains ``marker``."""
        found = [status for name, status in self.steps.items() if marker in name]
        assert len(found) == 1, f"{len(found)} build steps contain {marker!r}:\n{self.stderr}"
        return "DONE" if found[0].startswith("DONE") else found[0]

    def read(self, relpath: str) -> str:
        assert self.out is not None, "this build had no local output"
        return (self.out / relpath).read_text(encoding="utf-8")


def parse_steps(log: str) -> dict[str, str]:
    """Map each step of a ``--progress=plain`` log to its final status.

    A step is announced as ``#12 [final 2/3] RUN ...`` and finishes with ``#12 CACHED`` or
    ``#12 DONE 0.1s``; parallel steps interleave, the ``#N`` ties them together.
    """
    names: dict[str, str] = {}
    statuses: dict[str, str] = {}
    for line in log.splitlines():
        if m := _STEP_NAME.match(line):
            names.setdefault(m.group(1), m.group(2))
        elif m := _STEP_STATUS.match(line):
            statuses[m.group(1)] = m.group(2)
    return {name: statuses.get(num, "?") for num, name in names.items()}


def cache_ids(du_verbose: str) -> list[str]:
    """The cache-mount ids in ``docker-buildx du --verbose`` output (``with id "/deps-amd64"``)."""
    return sorted(set(_CACHE_ID.findall(du_verbose)))


# --------------------------------------------------------------------------- the daemon


class BuildKit:
    """A running dockerd with BuildKit, and the buildx client pointed at it."""

    def __init__(self, root: Path, workdir: Path, busybox: Path) -> None:
        self.root = root
        self.workdir = workdir
        self.busybox = busybox
        self.buildx = root / "usr/libexec/docker/cli-plugins/docker-buildx"
        self.sock = workdir / "docker.sock"
        self.env = {
            **os.environ,
            "DOCKER_HOST": f"unix://{self.sock}",
            "DOCKER_CONFIG": str(workdir / "cfg"),
            "BUILDX_NO_DEFAULT_ATTESTATIONS": "1",
        }
        self.process: subprocess.Popen[bytes] | None = None
        self.startup_seconds = 0.0
        self.timings: list[tuple[str, float]] = []  # (label, seconds) of every build
        self._count = 0

    # -- lifecycle ---------------------------------------------------------------------

    def start(self) -> None:
        (self.workdir / "daemon.json").write_text(
            '{"features": {"containerd-snapshotter": true}}\n', encoding="utf-8"
        )
        env = dict(os.environ)  # dockerd finds docker-proxy/docker-init beside itself
        env["PATH"] = f"{self.root}/usr/sbin:{self.root}/usr/bin:{env.get('PATH', '/usr/bin:/bin')}"
        log = (self.workdir / "dockerd.log").open("wb")
        t0 = time.monotonic()
        self.process = subprocess.Popen(
            [
                str(self.root / "usr/sbin/dockerd"),
                "--config-file",
                str(self.workdir / "daemon.json"),
                "--data-root",
                str(self.workdir / "data"),
                "--exec-root",
                str(self.workdir / "exec"),
                "--pidfile",
                str(self.workdir / "dockerd.pid"),
                "-H",
                f"unix://{self.sock}",
                "--iptables=false",
                "--ip6tables=false",
                "--bridge=none",
                "--userland-proxy=false",
            ],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,  # a Ctrl-C in pytest must not hit the daemon first
        )
        log.close()
        while not self._ping():
            if self.process.poll() is not None:
                code = self.process.returncode
                raise RuntimeError(f"dockerd exited with {code}:\n{self.daemon_log()}")
            if time.monotonic() - t0 > DAEMON_START_TIMEOUT:
                late = f"dockerd not ready after {DAEMON_START_TIMEOUT}s"
                raise RuntimeError(f"{late}:\n{self.daemon_log()}")
            time.sleep(0.05)
        self.startup_seconds = time.monotonic() - t0

    def _ping(self) -> bool:
        """True once the API answers ``GET /_ping`` with 200 on the private socket."""
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
                conn.settimeout(2)
                conn.connect(str(self.sock))
                conn.sendall(b"GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n")
                return conn.recv(64).split(b"\r\n", 1)[0].split()[1:2] == [b"200"]
        except OSError:
            return False

    def stop(self) -> None:
        """Stop the daemon by its PID (SIGTERM, then SIGKILL), and its containerd with it."""
        if self.process is None:
            return
        children = _descendants(self.process.pid)
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        for pid in children:  # normally gone with dockerd; never leave one behind
            if str(self.workdir) in _cmdline(pid):  # still ours, not a reused PID
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        self.process = None

    def daemon_log(self) -> str:
        path = self.workdir / "dockerd.log"
        return path.read_text(encoding="utf-8", errors="replace")[-4000:] if path.exists() else ""

    # -- builds ------------------------------------------------------------------------

    def context(self, files: Mapping[str, str | bytes | Path] | None = None) -> Path:
        """A fresh build context holding ``busybox`` (static, host arch) and ``files``."""
        self._count += 1
        ctx = self.workdir / f"ctx.{self._count}"
        ctx.mkdir()
        if _same_device(self.busybox, ctx):
            os.link(self.busybox, ctx / "busybox")  # 2 MB per build otherwise
        else:
            shutil.copy2(self.busybox, ctx / "busybox")
        for name, content in (files or {}).items():
            path = ctx / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, Path):
                shutil.copy2(content, path)
            elif isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8", newline="")
        return ctx

    def build(
        self,
        dockerfile: str,
        files: Mapping[str, str | bytes | Path] | None = None,
        *,
        platform: str | None = "linux/amd64",
        target: str | None = None,
        output: bool = True,
        extra: Sequence[str] = (),
        label: str = "",
        check: bool = True,
    ) -> BuildResult:
        """Build ``dockerfile`` (text) with a context of busybox plus ``files``.

        The result's ``out`` is the image filesystem (``-o type=local``; for several
        platforms one sub-folder per platform). ``check`` fails the test on a failed build.
        """
        ctx = self.context(files)
        (ctx / "Dockerfile").write_text(dockerfile, encoding="utf-8", newline="")
        out = ctx.with_name(ctx.name + ".out") if output else None
        args = ["build", "--network=none", "--progress=plain", "-f", str(ctx / "Dockerfile")]
        if platform:
            args += ["--platform", platform]
        if target:
            args += ["--target", target]
        if out is not None:
            args += ["-o", f"type=local,dest={out}"]
        args += [*extra, str(ctx)]
        t0 = time.monotonic()
        proc = self._run(args, timeout=BUILD_TIMEOUT)
        duration = time.monotonic() - t0
        self.timings.append((label or f"build {target or ''} {platform or ''}".strip(), duration))
        result = BuildResult(
            tuple(args),
            proc.returncode,
            proc.stdout,
            proc.stderr,
            duration,
            out,
            parse_steps(proc.stderr),
        )
        if check and not result.ok:
            pytest.fail(f"docker-buildx build failed ({proc.returncode}):\n{proc.stderr[-6000:]}")
        return result

    def parse_check(
        self, dockerfile: str, *, target: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Have the real BuildKit frontend parse ``dockerfile`` (text) and plan a build of it.

        buildx 0.13 has neither ``--check`` nor ``--call``; its experimental ``--print outline``
        runs the Dockerfile frontend's parse and instruction checks (unknown instructions,
        bad ``--mount`` keys, bad flags) without running anything. Base images cannot be
        resolved offline, so each one the frontend asks for is replaced with an empty named
        build context (``--build-context ubuntu:22.04=<empty dir>``) and the outline retried.
        """
        ctx = self.context()
        (ctx / "Dockerfile").write_text(dockerfile, encoding="utf-8", newline="")
        empty = ctx / "empty-image"
        empty.mkdir()
        stand_ins: list[str] = []
        for _ in range(20):
            args = ["build", "--print", "outline", "--network=none", "-f", str(ctx / "Dockerfile")]
            if target:
                args += ["--target", target]
            for image in stand_ins:
                args += ["--build-context", f"{image}={empty}"]
            proc = self._run_outline([*args, str(ctx)])
            missing = re.search(r"ERROR: (\S+): failed to resolve source metadata for", proc.stderr)
            if proc.returncode == 0 or missing is None or missing.group(1) in stand_ins:
                return proc
            stand_ins.append(missing.group(1))
        return proc

    def _run_outline(self, args: Sequence[str]) -> subprocess.CompletedProcess[str]:
        # buildx 0.13's experimental mode sometimes crashes after the answer arrived ("panic:
        # send on closed channel" in build.NewResultHandle, seen twice in about 100 outlines on a
        # loaded machine). A client crash is no verdict on the Dockerfile: ask again.
        for _ in range(3):
            proc = self._run(args, timeout=BUILD_TIMEOUT, experimental=True)
            if "panic: send on closed channel" not in proc.stderr:
                break
        return proc

    def du_verbose(self) -> str:
        proc = self._run(["du", "--verbose"], timeout=60)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    def cache_ids(self) -> list[str]:
        return cache_ids(self.du_verbose())

    def prune(self) -> None:
        """Drop the whole build cache, cache mounts included: the next build starts cold.

        (Dropping only the cache mounts and forcing the build stage to run with
        ``--no-cache-filter`` would be faster, but that flag hands the stage empty cache
        mounts, as ``--no-cache`` does: the sharing under test would vanish.)
        """
        proc = self._run(["prune", "--all", "--force"], timeout=60)
        assert proc.returncode == 0, proc.stderr

    def _run(
        self, args: Sequence[str], *, timeout: float, experimental: bool = False
    ) -> subprocess.CompletedProcess[str]:
        env = dict(self.env)
        if experimental:
            env["BUILDX_EXPERIMENTAL"] = "1"
        return subprocess.run(
            [str(self.buildx), *args], capture_output=True, text=True, env=env, timeout=timeout
        )


def _descendants(pid: int) -> list[int]:
    """PIDs of all processes below ``pid`` (containerd, shims), read from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: list[int] = []
    frontier = [pid]
    while frontier:
        current = frontier.pop()
        kids = [child for child, parent in parents.items() if parent == current]
        found += kids
        frontier += kids
    return found


def _cmdline(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    return raw.replace(b"\0", b" ").decode(errors="replace")


def _same_device(a: Path, b: Path) -> bool:
    return a.stat().st_dev == b.stat().st_dev


def mounts_under(folder: Path) -> list[str]:
    """Mount points at or below ``folder``, deepest first (from /proc/self/mounts)."""
    prefix = str(folder).rstrip("/") + "/"
    points = []
    for line in Path("/proc/self/mounts").read_text().splitlines():
        point = line.split()[1].replace("\\040", " ")
        if point == prefix.rstrip("/") or point.startswith(prefix):
            points.append(point)
    return sorted(points, key=len, reverse=True)


def unmount_all_under(folder: Path) -> None:
    """Lazily unmount everything below ``folder`` with umount2(MNT_DETACH).

    The system call, not umount(8): libmount would create /run/mount for its lock file.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    for point in mounts_under(folder):
        libc.umount2(os.fsencode(point), 2)  # MNT_DETACH; a failure leaves it to rmtree


# --------------------------------------------------------------------------- finding it


class Unavailable(Exception):
    """BuildKit cannot run here; the message says why (and becomes the skip reason)."""


def is_static_elf(path: Path) -> bool:
    """True for an ELF executable without a PT_INTERP segment (needs no dynamic loader)."""
    data = path.read_bytes()
    if data[:4] != b"\x7fELF" or data[4] != 2:  # 64-bit only
        return False
    endian = "<" if data[5] == 1 else ">"
    (phoff,) = struct.unpack_from(endian + "Q", data, 0x20)
    phentsize, phnum = struct.unpack_from(endian + "HH", data, 0x36)
    return all(
        struct.unpack_from(endian + "I", data, phoff + i * phentsize)[0] != 3 for i in range(phnum)
    )


def find_static_busybox() -> Path:
    for candidate in (os.environ.get("PATCHKIT_BUSYBOX"), "/usr/bin/busybox", "/bin/busybox"):
        if candidate and Path(candidate).is_file() and is_static_elf(Path(candidate)):
            return Path(candidate)
    raise Unavailable("no static busybox (apt-get install busybox-static)")


def _default_cache() -> Path:
    base = os.environ.get("PATCHKIT_CI_CACHE") or os.path.join(tempfile.gettempdir(), "patchkit-ci")
    return Path(base) / "buildkit"


def find_buildkit_root() -> Path:
    """The folder holding the unpacked trixie dockerd and buildx, set up if need be."""
    if reason := os.environ.get("PATCHKIT_E2E_UNAVAILABLE"):
        raise Unavailable(f".ci/setup-e2e.sh: {reason}")
    env_root = os.environ.get("PATCHKIT_BUILDKIT_ROOT")
    candidates = [Path(env_root)] if env_root else [_default_cache() / "root"]
    for root in candidates:
        if (root / "usr/sbin/dockerd").is_file() and (root / ".patchkit-e2e-ok").is_file():
            return root
    if env_root:
        raise Unavailable(f"PATCHKIT_BUILDKIT_ROOT={env_root} holds no set-up dockerd")
    if os.environ.get("PATCHKIT_E2E_SETUP") == "0":
        raise Unavailable("no BuildKit set up and PATCHKIT_E2E_SETUP=0 (run .ci/setup-e2e.sh)")
    if os.geteuid() != 0:
        raise Unavailable("not root: dockerd needs root (run .ci/setup-e2e.sh as root)")
    env = {**os.environ, "PATCHKIT_CI_CACHE": str(_default_cache().parent)}
    proc = subprocess.run(
        ["bash", str(SETUP_SCRIPT)],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        check=False,
    )
    found = re.search(r"^PATCHKIT_BUILDKIT_ROOT=(.+)$", proc.stdout, re.M)
    if proc.returncode != 0 or not found:
        lines = proc.stderr.strip().splitlines()
        raise Unavailable(lines[-1] if lines else f"{SETUP_SCRIPT} failed ({proc.returncode})")
    return Path(found.group(1))


@contextlib.contextmanager
def running_buildkit() -> Iterator[BuildKit]:
    """Start a private dockerd; on exit leave nothing behind (see the module docstring)."""
    root = find_buildkit_root()
    busybox = find_static_busybox()
    lock = (root.parent / "e2e.lock").open("w")
    fcntl.flock(lock, fcntl.LOCK_EX)  # one e2e session at a time on this machine
    existed = {p: os.path.lexists(p) for p in (*SYSTEM_LEFTOVERS, *SHARED_LEFTOVERS)}
    workdir = Path(tempfile.mkdtemp(prefix="pk-e2e.", dir="/tmp"))  # short: socket path limit
    kit = BuildKit(root, workdir, busybox)
    try:
        try:
            kit.start()
        except RuntimeError as e:
            raise Unavailable(f"dockerd did not start: {e}") from e
        yield kit
    finally:
        kit.stop()
        unmount_all_under(workdir)
        for path, was_there in existed.items():
            if was_there or not os.path.lexists(path):
                continue
            if path in SHARED_LEFTOVERS:
                with contextlib.suppress(OSError):
                    os.rmdir(path)  # only if empty
            else:
                shutil.rmtree(path, ignore_errors=True)
        shutil.rmtree(workdir, ignore_errors=True)
        fcntl.flock(lock, fcntl.LOCK_UN)
        lock.close()


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def buildkit() -> Iterator[BuildKit]:
    """The session's BuildKit; skips every e2e test that uses it when it cannot run."""
    try:
        with running_buildkit() as kit:
            yield kit
            _report_timings(kit)
    except Unavailable as e:
        pytest.skip(f"real BuildKit unavailable: {e}")


def _report_timings(kit: BuildKit) -> None:
    """Print the daemon start-up and per-build times (shown with ``-s`` or in CI logs)."""
    lines = [f"e2e: dockerd ready in {kit.startup_seconds:.2f}s; {len(kit.timings)} builds"]
    lines += [f"e2e:   {seconds:6.2f}s  {label}" for label, seconds in kit.timings]
    path = os.environ.get("PATCHKIT_E2E_TIMINGS")
    if path:
        Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n" + "\n".join(lines))


def _project_series() -> Path:
    """The project's own patch series: ``patches/`` once it exists, else ``examples/series``."""
    own = ROOT / "patches"
    return own if own.is_dir() else ROOT / "examples" / "series"


PROJECT_SERIES = _project_series()


@pytest.fixture
def project_patch() -> Callable[[str, str], str]:
    """``project_patch(kind, needle)``: the text of the one patch of the project's own series
    whose transform is ``kind`` and whose text contains ``needle`` (robust to renames)."""

    def find(kind: str, needle: str) -> str:
        texts = [p.read_text(encoding="utf-8") for p in sorted(PROJECT_SERIES.glob("*.yaml"))]
        found = [t for t in texts if f"kind: {kind}" in t and needle in t]
        assert len(found) == 1, f"{len(found)} {kind} patches mention {needle} in {PROJECT_SERIES}"
        return found[0]

    return find


@pytest.fixture
def project_series() -> Path:
    return PROJECT_SERIES


@pytest.fixture
def example_upstream() -> Path:
    """The example upstream tree the project's series is written for."""
    return ROOT / "examples" / "upstream"


@pytest.fixture
def apply_series(
    cli: Callable[..., subprocess.CompletedProcess[str]], tmp_path: Path
) -> Callable[[Path, Path], dict[str, str]]:
    """``apply_series(upstream_dir, patches_dir) -> {relpath: patched text}``, by the real CLI.

    Runs ``python -m patchkit apply --upstream <dir> --upstream-version 0.33.0 --patches
    <dir> --out <tmp>`` as a process; fails the test with patchkit's output unless it exits 0
    and writes at least one file.
    """

    def apply(upstream: Path, patches: Path) -> dict[str, str]:
        out = tmp_path / f"out.{len(list(tmp_path.glob('out.*')))}"
        proc = cli(
            "apply", "--upstream", str(upstream), "--upstream-version", "0.33.0",
            "--patches", str(patches), "--out", str(out),
        )  # fmt: skip
        written = {
            str(p.relative_to(out)): p.read_text(encoding="utf-8")
            for p in sorted(out.rglob("*"))
            if p.is_file()
        }
        if proc.returncode != 0 or not written:
            pytest.fail(
                f"patchkit apply exited {proc.returncode} and wrote {len(written)} files\n"
                f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
            )
        return written

    return apply


@pytest.fixture
def patch_with_patchkit(
    apply_series: Callable[[Path, Path], dict[str, str]], tmp_path: Path
) -> Callable[[str, str], str]:
    """``patch_with_patchkit(text, patch_yaml) -> patched text``, by running the real CLI.

    Writes ``text`` as ``docker/Dockerfile.cpu`` of an upstream tree and ``patch_yaml`` as the
    only patch, runs ``patchkit apply`` on them as a process (``apply_series``) and returns
    the patched copy.
    """

    def patch(text: str, patch_yaml: str, relpath: str = "docker/Dockerfile.cpu") -> str:
        n = len(list(tmp_path.glob("upstream.*")))
        upstream, patches = tmp_path / f"upstream.{n}", tmp_path / f"patches.{n}"
        (upstream / relpath).parent.mkdir(parents=True)
        patches.mkdir()
        (upstream / relpath).write_text(text, encoding="utf-8", newline="")
        (patches / "patch.yaml").write_text(patch_yaml, encoding="utf-8", newline="")
        written = apply_series(upstream, patches)
        assert list(written) == [relpath], f"patchkit wrote {list(written)}"
        return written[relpath]

    return patch


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.fixture
def read_fixture() -> Callable[[str], str]:
    """``read_fixture(name)``: the text of ``tests/e2e/fixtures/<name>``."""
    return fixture_text


@dataclass(frozen=True, slots=True)
class TwoArchRun:
    """What a cache mount held when an amd64 build and then an arm64 build used it."""

    amd64_saw: list[str]  # the target arches recorded in the cache, as the amd64 build saw it
    arm64_saw: list[str]  # ... and as the arm64 build, run next on the same builder, saw it
    cache_ids: list[str]  # the cache-mount ids `docker-buildx du --verbose` lists afterwards
    results: tuple[BuildResult, BuildResult]


@pytest.fixture
def build_amd64_then_arm64(buildkit: BuildKit) -> Callable[[str, str], TwoArchRun]:
    """``build_amd64_then_arm64(dockerfile_text, label)`` on a freshly pruned builder.

    The Dockerfile's RUN must append a line "<TARGETARCH> ..." to a file in its cache mount
    and copy that file to ``/deps-seen`` in the image (as the ``Dockerfile.cpu-shape*``
    fixtures do); the first word of each line is what is reported. The builder is pruned
    first, so no earlier test's cache mount or layer can answer.
    """

    def run(dockerfile: str, label: str) -> TwoArchRun:
        buildkit.prune()  # only this run's cache mounts exist afterwards
        results = []
        seen: dict[str, list[str]] = {}
        for arch in ("amd64", "arm64"):
            result = buildkit.build(dockerfile, platform=f"linux/{arch}", label=f"{label} {arch}")
            assert result.step("RUN --mount=type=cache") == "DONE"  # it ran, now
            seen[arch] = [line.split()[0] for line in result.read("deps-seen").splitlines()]
            results.append(result)
        return TwoArchRun(
            seen["amd64"], seen["arm64"], buildkit.cache_ids(), (results[0], results[1])
        )

    return run


__all__ = [
    "PROJECT_SERIES",
    "BuildKit",
    "BuildResult",
    "TwoArchRun",
    "cache_ids",
    "fixture_text",
    "parse_steps",
]
