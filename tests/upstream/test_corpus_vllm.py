"""The vLLM patch series over every release in the corpus (``PATCHKIT_CORPUS``).

``PATCHKIT_CORPUS`` names the folder ``../shared/tools/corpus/build.sh`` wrote
(``$PATCHKIT_CORPUS/vllm/<version>/docker/Dockerfile.cpu``, ...). At every
version: each patch's state on the pristine file is the one its ``upstream``
range promises (``pending`` inside the range, ``skipped`` outside: upstream has
never fixed any of these problems itself), the patched copy reports every
selected patch ``applied``, applying again changes nothing, and BuildKit's own
parser (the ``dockerfile`` package) reads the patched file and sees the changes.
``PATCHKIT_CORPUS_TABLE=FILE`` also writes the per-version table there.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

pytestmark = [pytest.mark.corpus]

ROOT = Path(__file__).resolve().parents[2]
CPU = "docker/Dockerfile.cpu"


def _corpus() -> Path:
    value = os.environ.get("PATCHKIT_CORPUS")
    if not value:
        pytest.skip(
            "PATCHKIT_CORPUS is unset: the vLLM corpus integration test needs "
            "../shared/tools/corpus/build.sh OUTDIR and PATCHKIT_CORPUS=OUTDIR"
        )
    folder = Path(value) / "vllm"
    if not folder.is_dir():
        pytest.skip(f"PATCHKIT_CORPUS={value} holds no vllm/ folder")
    return folder


def _versions(folder: Path) -> list[str]:
    from packaging.version import Version

    return sorted((p.name for p in folder.iterdir() if p.is_dir()), key=Version)


@pytest.fixture(scope="module")
def corpus() -> Path:
    return _corpus()


@pytest.fixture(scope="module")
def series():
    from patchkit.series import load_series

    return load_series(ROOT / "patches")


def _oracle_checks(text: str, applied: set[str]) -> list[str]:
    """What BuildKit's parser sees in the patched file; returns the problems found."""
    import dockerfile

    cmds = dockerfile.parse_string(text)
    problems: list[str] = []
    stage = None
    stages: dict[str, list[object]] = {}
    for c in cmds:
        if c.cmd == "FROM":
            v = c.value
            stage = v[2] if len(v) >= 3 and v[1].lower() == "as" else None
            stages.setdefault(stage or "", [])
            continue
        stages.setdefault(stage or "", []).append(c)
    deps_ids = [
        f
        for c in cmds
        if c.cmd == "RUN"
        for f in c.flags
        if f.startswith("--mount=") and "/.deps" in f
    ]
    per_arch = all("id=vllm-cpu-deps-${TARGETARCH}" in f for f in deps_ids)
    if applied & {"cpu-deps-cache-per-arch", "cpu-deps-cache-per-arch-0.9"} and not (
        deps_ids and per_arch
    ):
        problems.append(f".deps mounts as BuildKit reads them: {deps_ids}")
    for pid, name in (
        ("cpu-scm-pretend-version", "vllm-build"),
        ("cpu-rust-scm-pretend-version", "rust-build"),
    ):
        if pid in applied:
            envs = [c.value for c in stages.get(name, []) if c.cmd == "ENV"]
            args = [c.value for c in stages.get(name, []) if c.cmd == "ARG"]
            if ("SETUPTOOLS_SCM_PRETEND_VERSION", "${VLLM_VERSION}", "=") not in envs and not any(
                e[:2] == ("SETUPTOOLS_SCM_PRETEND_VERSION", "${VLLM_VERSION}") for e in envs
            ):
                problems.append(
                    f"{name}: no ENV SETUPTOOLS_SCM_PRETEND_VERSION=${{VLLM_VERSION}} ({envs})"
                )
            if not any(a and a[0] == "VLLM_VERSION" for a in args):
                problems.append(f"{name}: no ARG VLLM_VERSION ({args})")
    if "cpu-wheel-checksum" in applied:
        for name, instrs in stages.items():
            for i, c in enumerate(instrs):
                if c.cmd == "RUN" and any("from=vllm-build" in f for f in c.flags):
                    prev = instrs[i - 1] if i else None
                    if not (
                        prev is not None
                        and prev.cmd == "COPY"
                        and "--from=vllm-build" in prev.flags
                        and prev.value[0].endswith("/wheel.sha256")
                    ):
                        problems.append(
                            f"{name}: the wheel RUN at line {c.start_line} "
                            "has no checksum COPY before it"
                        )
    return problems


def test_every_patch_keeps_its_range_promise_at_every_version(corpus, series):
    from packaging.version import Version

    from patchkit.engine import UpstreamVersion, apply_to_text, status
    from patchkit.states import PatchState

    table: list[tuple[str, dict[str, str]]] = []
    failures: list[str] = []
    for v in _versions(corpus):
        version = UpstreamVersion(Version(v), "corpus")
        row: dict[str, str] = {}
        states = {s.patch: s for s in status(series, corpus / v, version) if s.file == CPU}
        selected = [p for p in series.patches if p.applies_to(version.version)]
        for patch in series.patches:
            expected = PatchState.PENDING if patch in selected else PatchState.SKIPPED
            got = states.get(patch.id)
            state = got.state if got is not None else None
            row[patch.id] = state.value if state is not None else "-"
            if state is not expected:
                failures.append(
                    f"{v} {patch.id}: {state} (expected {expected.value}): "
                    f"{got.message if got else ''}"
                )
        path = corpus / v / CPU
        if selected and path.exists():
            original = path.read_text(encoding="utf-8")
            once = apply_to_text(original, selected, path=CPU)
            again = apply_to_text(once.text, selected, path=CPU)
            if again.text != once.text:
                failures.append(f"{v}: applying twice differs from applying once")
            after = {fs.patch: fs.state for _, fs in again.states}
            for patch in selected:
                if after[patch.id] is not PatchState.APPLIED:
                    failures.append(f"{v} {patch.id}: {after[patch.id].value} on the patched file")
                row[patch.id] += " -> " + after[patch.id].value
            failures += [f"{v}: {p}" for p in _oracle_checks(once.text, {p.id for p in selected})]
            row["+lines"] = str(once.text.count("\n") - original.count("\n"))
        table.append((v, row))
    _write_table(table, [p.id for p in series.patches])
    assert not failures, "\n".join(failures)


def _write_table(table: list[tuple[str, dict[str, str]]], ids: list[str]) -> None:
    target = os.environ.get("PATCHKIT_CORPUS_TABLE")
    if not target:
        return
    cols = [*ids, "+lines"]
    lines = ["| version | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for v, row in table:
        lines.append(f"| {v} | " + " | ".join(row.get(c, "") for c in cols) + " |")
    Path(target).write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("version", ["0.9.1", "0.16.0", "0.33.0"])
def test_apply_on_a_plain_corpus_folder(corpus, cli, tmp_path, version):
    src = corpus / version
    if not src.is_dir():
        pytest.skip(f"corpus has no {version}")
    out = tmp_path / "out"
    proc = cli(
        "apply",
        "--upstream",
        str(src),
        "--upstream-version",
        version,
        "--patches",
        str(ROOT / "patches"),
        "--out",
        str(out),
    )
    assert proc.returncode == 0, proc.stderr
    patched = (out / CPU).read_text(encoding="utf-8")
    assert patched != (src / CPU).read_text(encoding="utf-8")
    assert re.search(
        r"ARG VLLM_VERSION\nENV SETUPTOOLS_SCM_PRETEND_VERSION=\$\{VLLM_VERSION\}\n", patched
    )
    # the upstream folder stays pristine, and a second run has nothing left to write
    again = cli(
        "apply",
        "--upstream",
        str(src),
        "--upstream-version",
        version,
        "--patches",
        str(ROOT / "patches"),
        "--out",
        str(out),
        "--check",
    )
    assert again.returncode == 0, again.stdout + again.stderr
