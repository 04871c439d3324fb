"""The composite GitHub Action (``action.yml`` at the repository root), step by step.

``action.yml`` is read with ruamel.yaml (safe); every ``uses:`` step must be pinned by a full
commit SHA with its release tag in a comment, and every ``run:`` step is run here as the
runner would (``bash --noprofile --norc -eo pipefail``, its ``env:`` with the ``${{ }}``
expressions substituted, ``GITHUB_OUTPUT`` read back for later steps) on a temporary
StartOS-shaped downstream: a copy of ``examples/`` in a git repo whose upstream is a git
submodule, cloned shallow as actions/checkout does (``--depth 1``, submodules too). So the
install step really builds and installs patchkit from the action's own folder (into a
throw-away virtualenv), the tag step really makes ``git describe`` work in the shallow
submodule, and the check step's annotations, SARIF file (validated against the SARIF 2.1.0
schema from .ci/setup-sarif.sh) and exit code are those of the installed patchkit.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ACTION = ROOT / "action.yml"
SCHEMA = os.environ.get("PATCHKIT_SARIF_SCHEMA")
SHA_PIN = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$")
EXPRESSION = re.compile(r"\$\{\{\s*(.+?)\s*\}\}")
CONDITION = re.compile(r"^([\w.-]+) (==|!=) '([^']*)'$")
GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
    # submodules over file:// (git 2.38.1 refuses them by default)
    "GIT_CONFIG_COUNT": "1",
    "GIT_CONFIG_KEY_0": "protocol.file.allow",
    "GIT_CONFIG_VALUE_0": "always",
}


def _action() -> dict[str, object]:
    from ruamel.yaml import YAML

    doc = YAML(typ="safe").load(ACTION.read_text(encoding="utf-8"))
    assert isinstance(doc, dict)
    return doc


def _steps() -> list[dict[str, object]]:
    runs = _action()["runs"]
    assert isinstance(runs, dict) and runs["using"] == "composite"
    steps = runs["steps"]
    assert isinstance(steps, list)
    return steps


def test_every_uses_step_is_pinned_by_a_full_sha_with_its_tag() -> None:
    raw = ACTION.read_text(encoding="utf-8").splitlines()
    uses = [str(s["uses"]) for s in _steps() if "uses" in s]
    assert {u.split("@")[0] for u in uses} == {
        "actions/setup-python",
        "github/codeql-action/upload-sarif",
    }
    for ref in uses:
        assert SHA_PIN.match(ref), f"{ref}: pin a full commit SHA, not a tag or branch"
        (line,) = [t for t in raw if t.strip().endswith(ref) or f"{ref} #" in t]
        assert re.search(r"# v\d+\.\d+\.\d+$", line), f"{line!r}: name the tag in a comment"


def test_run_steps_take_inputs_only_through_env() -> None:
    # ${{ }} inside a script is pasted into the shell text (script injection); env is not
    for step in _steps():
        if "run" in step:
            assert "${{" not in str(step["run"]), step["name"]
            assert step["shell"] == "bash", step["name"]


# -- running the steps -----------------------------------------------------------------


def _git(*args: str, cwd: Path) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, env={**os.environ, **GIT_ENV}, capture_output=True, text=True
    )
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout.strip()


def _commit(repo: Path, message: str) -> str:
    _git("add", "-A", cwd=repo)
    _git("commit", "-q", "-m", message, cwd=repo)
    return _git("rev-parse", "HEAD", cwd=repo)


@dataclass
class Runner:
    """What the runner gives the steps: the workspace, the action folder, the contexts."""

    workspace: Path
    action_path: Path
    temp: Path
    path: str
    inputs: dict[str, str]
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    summary: Path = field(init=False)

    def __post_init__(self) -> None:
        self.summary = self.temp / "step-summary.md"

    def value(self, expr: str) -> str:
        parts = expr.split(".")
        if parts[0] == "inputs":
            return self.inputs[parts[1]]
        if parts[0] == "steps" and parts[2] == "outputs":
            return self.outputs.get(parts[1], {}).get(parts[3], "")
        known = {
            "github.action_path": str(self.action_path),
            "github.workspace": str(self.workspace),
            "runner.temp": str(self.temp),
        }
        assert expr in known, f"an expression the test does not know: {expr}"
        return known[expr]

    def expand(self, text: str) -> str:
        return EXPRESSION.sub(lambda m: self.value(m.group(1)), text)

    def wanted(self, step: dict[str, object]) -> bool:
        condition = step.get("if")
        if condition is None:
            return True
        match = CONDITION.match(str(condition))
        assert match, f"an if: the test cannot evaluate: {condition}"
        name, op, literal = match.groups()
        return (self.value(name) == literal) == (op == "==")

    def run(self, step: dict[str, object]) -> subprocess.CompletedProcess[str]:
        out_file = self.temp / "github-output"
        out_file.write_text("", encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NO_COLOR")}
        env |= GIT_ENV | {
            "PATH": self.path,
            "GITHUB_OUTPUT": str(out_file),
            "GITHUB_STEP_SUMMARY": str(self.summary),
            "GITHUB_WORKSPACE": str(self.workspace),
            "GITHUB_ACTION_PATH": str(self.action_path),
            "RUNNER_TEMP": str(self.temp),
        }
        step_env = step.get("env") or {}
        assert isinstance(step_env, dict)
        env |= {str(k): self.expand(str(v)) for k, v in step_env.items()}
        script = self.temp / "step.sh"
        script.write_text(str(step["run"]), encoding="utf-8")
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=self.workspace, env=env, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        if "id" in step:
            lines = out_file.read_text(encoding="utf-8").splitlines()
            self.outputs[str(step["id"])] = dict(line.split("=", 1) for line in lines if line)
        return done


def _action_folder(dest: Path) -> Path:
    """What `uses: OWNER/patchkit@REF` checks out, as far as pip install needs it."""
    dest.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE", "MANIFEST.in", "UPDATING.md"):
        shutil.copy2(ROOT / name, dest / name)
    shutil.copytree(
        ROOT / "patchkit", dest / "patchkit", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy2(ACTION, dest / "action.yml")
    return dest


def _virtualenv(dest: Path) -> Path:
    """A virtualenv that sees this interpreter's packages (patchkit's dependencies are
    installed already), so the install step builds patchkit alone into it."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(dest)], check=True)
    bindir = dest / ("Scripts" if os.name == "nt" else "bin")
    venv_python = bindir / "python"
    purelib = subprocess.run(
        [str(venv_python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    here = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(purelib, "parent-site.pth").write_text("\n".join(sorted(here)) + "\n", encoding="utf-8")
    return bindir


def _downstream(tmp_path: Path, *, shallow: bool = True) -> Path:
    """A downstream repo with the upstream as a submodule pinned at tag v0.33.0 (the
    upstream has a newer commit on its branch), cloned shallow like actions/checkout
    (or whole, as with fetch-depth: 0)."""
    up = tmp_path / "upstream.git"
    shutil.copytree(ROOT / "examples" / "upstream", up)
    _git("init", "-q", "-b", "main", cwd=up)
    _git("config", "uploadpack.allowFilter", "true", cwd=up)
    _git("config", "uploadpack.allowAnySHA1InWant", "true", cwd=up)
    (up / "NEWS").write_text("0.32.0\n", encoding="utf-8")
    _commit(up, "0.32.0")
    _git("tag", "v0.32.0", cwd=up)
    (up / "NEWS").write_text("0.33.0\n", encoding="utf-8")
    pinned = _commit(up, "0.33.0")
    _git("tag", "-a", "v0.33.0", "-m", "0.33.0", cwd=up)
    (up / "NEWS").write_text("0.34.0.dev\n", encoding="utf-8")
    _commit(up, "work after 0.33.0")

    origin = tmp_path / "downstream.git"
    shutil.copytree(
        ROOT / "examples", origin, ignore=shutil.ignore_patterns("upstream", ".dockerfiles")
    )
    config = origin / "pyproject.toml"
    text = config.read_text(encoding="utf-8")
    text = re.sub(r'(?m)^upstream_version = "0\.33\.0"\n', "", text)  # from git tags, here
    config.write_text(text, encoding="utf-8")
    _git("init", "-q", "-b", "main", cwd=origin)
    _git("submodule", "add", "-q", up.as_uri(), "upstream", cwd=origin)
    _git("checkout", "-q", pinned, cwd=origin / "upstream")
    _commit(origin, "a downstream package")
    _git("config", "uploadpack.allowFilter", "true", cwd=origin)

    workspace = tmp_path / "workspace"
    depth = ["--depth", "1"] if shallow else []
    _git("clone", "-q", *depth, origin.as_uri(), str(workspace), cwd=tmp_path)
    _git("submodule", "update", "-q", "--init", "--force", *depth, cwd=workspace)
    assert _git("rev-parse", "HEAD", cwd=workspace / "upstream") == pinned
    return workspace


@pytest.fixture
def downstream(tmp_path: Path) -> Path:
    return _downstream(tmp_path)


@pytest.mark.slow
def test_the_action_steps_on_a_shallow_startos_downstream(downstream: Path, tmp_path: Path) -> None:
    upstream = downstream / "upstream"
    assert _git("rev-parse", "--is-shallow-repository", cwd=upstream) == "true"
    assert _git("tag", cwd=upstream) == ""
    # a broken ExVer: the check must fail, annotate it, and still write the SARIF file
    current = downstream / "startos/versions/current.ts"
    lines = current.read_text(encoding="utf-8").splitlines(keepends=True)
    (row,) = [i for i, t in enumerate(lines) if "version: '0.33.0:0'" in t]
    lines[row] = lines[row].replace("0.33.0:0", "0.33.0-rc0:0")
    current.write_text("".join(lines), encoding="utf-8")

    action_path = _action_folder(tmp_path / "action")
    bindir = _virtualenv(tmp_path / "venv")
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    defaults = {
        str(k): str(v.get("default", ""))  # type: ignore[union-attr]
        for k, v in _action()["inputs"].items()  # type: ignore[attr-defined]
    }
    runner = Runner(
        workspace=downstream,
        action_path=action_path,
        temp=temp,
        path=f"{bindir}{os.pathsep}{os.environ['PATH']}",
        inputs=defaults | {"sarif": "true"},
    )
    ran: dict[str, subprocess.CompletedProcess[str]] = {}
    uploaded: dict[str, str] = {}
    for step in _steps():
        name = str(step["name"])
        if not runner.wanted(step):
            continue
        if "uses" in step:
            if str(step["uses"]).startswith("github/codeql-action/upload-sarif@"):
                given = step.get("with") or {}
                assert isinstance(given, dict)
                uploaded = {str(k): runner.expand(str(v)) for k, v in given.items()}
            continue  # setup-python: the virtualenv stands for it
        ran[name] = runner.run(step)
        if name != "Fail on findings":
            assert ran[name].returncode == 0, name + ran[name].stdout + ran[name].stderr

    install = ran["Install patchkit"]
    from patchkit import __version__

    assert install.stdout.strip().endswith(f"patchkit {__version__}")
    assert (bindir / "patchkit").exists()  # installed into the virtualenv, not run from here

    # the submodule now describes itself from the tag it is pinned at
    assert "upstream at v0.33.0" in ran["Fetch the upstream submodule's tags"].stdout
    assert _git("rev-parse", "--is-shallow-repository", cwd=upstream) == "false"
    assert _git("describe", "--tags", cwd=upstream) == "v0.33.0"
    assert set(_git("tag", cwd=upstream).split()) == {"v0.32.0", "v0.33.0"}
    # commits, not file contents: the 0.32.0 NEWS blob stayed on the server
    missing = _git("rev-list", "--objects", "--missing=print", "v0.32.0", cwd=upstream)
    assert any(line.startswith("?") for line in missing.splitlines())

    check = ran["patchkit check"]
    assert runner.outputs["check"]["exit-code"] == "1"
    errors = [t for t in check.stdout.splitlines() if t.startswith("::error ")]
    assert errors, check.stdout + check.stderr
    assert errors[0].startswith(f"::error file=startos/versions/current.ts,line={row + 1},")
    assert "title=PKM001" in errors[0]
    assert "upstream 0.33.0 (git describe" in check.stdout  # the version came from the tags
    assert runner.summary.read_text(encoding="utf-8").startswith("## patchkit check")

    sarif_file = Path(runner.outputs["check"]["sarif-file"])
    assert uploaded == {"sarif_file": str(sarif_file), "category": "patchkit"}
    doc = json.loads(sarif_file.read_text(encoding="utf-8"))
    _validate(doc)
    results = {(r["ruleId"], r["level"]) for r in doc["runs"][0]["results"]}
    assert ("PKM001", "error") in results

    fail = ran["Fail on findings"]
    assert fail.returncode == 1 and "exit 1" in fail.stdout


def _validate(doc: object) -> None:
    if not SCHEMA:
        if os.environ.get("CI"):
            pytest.fail("PATCHKIT_SARIF_SCHEMA is not set: .ci/setup-sarif.sh did not fetch it")
        pytest.skip("no SARIF schema (source .ci/setup-sarif.sh)")
    import jsonschema

    schema = json.loads(Path(SCHEMA).read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(doc)


def _fetch_step() -> dict[str, object]:
    (step,) = [s for s in _steps() if str(s["name"]).startswith("Fetch the upstream")]
    return step


def _source_patchkit(bindir: Path) -> str:
    """A PATH whose ``patchkit`` runs this checkout (the tag step only asks it for the build)."""
    bindir.mkdir()
    shim = bindir / "patchkit"
    shim.write_text(
        f'#!/bin/sh\nPYTHONPATH="{ROOT}" exec "{sys.executable}" -m patchkit "$@"\n',
        encoding="utf-8",
    )
    shim.chmod(0o755)
    return f"{bindir}{os.pathsep}{os.environ['PATH']}"


def test_the_tag_step_on_a_complete_clone_and_on_a_plain_folder(tmp_path: Path) -> None:
    path = _source_patchkit(tmp_path / "bin")
    inputs = {"working-directory": "."}
    whole = _downstream(tmp_path, shallow=False)
    assert _git("rev-parse", "--is-shallow-repository", cwd=whole / "upstream") == "false"
    runner = Runner(whole, ROOT, tmp_path, path, inputs)
    done = runner.run(_fetch_step())
    assert done.returncode == 0, done.stdout + done.stderr  # no "--unshallow on a complete"
    assert "upstream at v0.33.0" in done.stdout

    plain = tmp_path / "plain"
    shutil.copytree(ROOT / "examples", plain, ignore=shutil.ignore_patterns(".dockerfiles"))
    done = Runner(plain, ROOT, tmp_path, path, inputs).run(_fetch_step())
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no upstream git checkout to fetch tags for (./upstream is not one;" in done.stdout
