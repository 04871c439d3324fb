"""The JSON Schemas of patchkit/schemas/ against the documents the commands really print.

Each command runs with ``--format json`` on a copy of the bundled examples/ (the
clean run) and on broken copies (findings, drift, a failing example, a patch file
that is not YAML: the error paths), and its output must validate against the
schema its ``schema`` field names. A ``"patchkit/<kind>/vN"`` string anywhere in
patchkit/ without a schema file fails here, and so does a renamed field.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

jsonschema = pytest.importorskip("jsonschema")
referencing = pytest.importorskip("referencing")

from patchkit import schemas  # noqa: E402
from patchkit.cli.main import main  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
ID_IN_CODE = re.compile(r"[\"'](patchkit/[a-z][a-z0-9-]*/v[0-9]+)[\"']")


def _registry() -> Any:
    from referencing.jsonschema import DRAFT202012

    resources = [
        (str(doc["$id"]), DRAFT202012.create_resource(doc))
        for doc in (schemas.load(name) for name in schemas.names())
    ]
    return referencing.Registry().with_resources(resources)


REGISTRY = _registry()


def validate(doc: Any) -> None:
    """Validate ``doc`` against the schema its ``schema`` field names (raises on a mismatch)."""
    schema = schemas.load(doc["schema"])
    validator = jsonschema.Draft202012Validator(schema, registry=REGISTRY)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:5]
    )


def ids_in_code() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "patchkit").rglob("*.py"):
        found.update(ID_IN_CODE.findall(path.read_text(encoding="utf-8")))
    return found


# --- the schema files themselves -------------------------------------------------


def test_every_schema_id_in_the_code_has_a_file() -> None:
    in_code = ids_in_code()
    assert len(in_code) >= 13  # the grep itself still finds them
    missing = sorted(i for i in in_code if schemas.file_name(i) not in schemas.names())
    assert missing == [], f"add patchkit/schemas/<kind>.vN.json for {missing}"


def test_every_schema_file_is_named_in_the_code() -> None:
    """A file no output carries is a stale schema (a renamed kind, a bumped version)."""
    named = {schemas.file_name(i) for i in ids_in_code()}
    assert sorted(set(schemas.names()) - named) == []


@pytest.mark.parametrize("name", schemas.names())
def test_schema_file_is_draft_2020_12_with_its_id(name: str) -> None:
    doc = schemas.load(name)
    jsonschema.Draft202012Validator.check_schema(doc)
    assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert doc["$id"] == schemas.SCHEMA_BASE + name
    kind, version = name.removesuffix(".json").rsplit(".", 1)
    properties = doc["properties"]
    assert isinstance(properties, dict)
    assert properties["schema"]["const"] == f"patchkit/{kind}/{version}"
    assert doc["additionalProperties"] is False


def test_file_name_refuses_other_ids() -> None:
    assert schemas.file_name("patchkit/status-range/v1") == "status-range.v1.json"
    with pytest.raises(ValueError, match="patchkit/<kind>/v<N>"):
        schemas.file_name("https://json.schemastore.org/sarif-2.1.0.json")


# --- real outputs ----------------------------------------------------------------


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of examples/ (commands must not touch the checkout)."""
    work = tmp_path / "examples"
    shutil.copytree(EXAMPLES, work, symlinks=True, ignore=shutil.ignore_patterns(".dockerfiles"))
    return work


Run = Callable[..., tuple[int, Any]]


@pytest.fixture
def run_json(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Iterator[Run]:
    monkeypatch.setenv("NO_COLOR", "1")

    def run(cwd: Path, *argv: str) -> tuple[int, Any]:
        monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = main([*argv, "--format", "json"])
        out, err = capsys.readouterr()
        assert out.strip(), f"patchkit {' '.join(argv)} printed nothing (exit {code}): {err}"
        return code, json.loads(out)

    yield run


def _git(cwd: Path, *args: str) -> None:
    env = {
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid",
        "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1", "PATH": "/usr/bin:/bin",
    }  # fmt: skip
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def test_clean_example_outputs_validate(example: Path, run_json: Run) -> None:
    seen = {}
    for argv in (
        ("check",),
        ("build",),
        ("status",),
        ("test",),
        ("lint", "upstream/docker"),
        ("scm", "explain", "scm-upstream"),
        ("scm", "check", "--upstream", "scm-upstream", "scm-downstream"),
        ("parse", "upstream/docker/Dockerfile.cpu"),
        ("rules",),
    ):
        code, doc = run_json(example, *argv)
        validate(doc)
        seen[doc["schema"]] = code
    # the runs meant: findings where the example has them, none elsewhere
    assert seen["patchkit/check/v1"] == 0 and seen["patchkit/lint/v1"] == 1
    assert seen["patchkit/scm-check/v1"] == 1


def test_rule_output_validates_for_every_listed_code(example: Path, run_json: Run) -> None:
    _, listed = run_json(example, "rules")
    for row in listed["rules"]:
        _, doc = run_json(example, "rule", row["code"])
        validate(doc)
        assert doc["code"] == row["code"]


def test_error_paths_validate(example: Path, run_json: Run) -> None:
    """A bad ExVer, a patch file that is not YAML, a drifted patch, a failing example."""
    version = example / "startos" / "versions" / "current.ts"
    version.write_text(version.read_text().replace("'0.33.0:0'", "'0.33.0-rc0:0'"))
    (example / "patches" / "zz-broken.yaml").write_text("id: [\n")
    code, doc = run_json(example, "check")
    validate(doc)
    assert code == doc["exit_code"] == 2
    assert {"PKC001", "PKM001"} <= {d["code"] for d in doc["diagnostics"]}

    (example / "patches" / "zz-broken.yaml").unlink()
    cpu = example / "upstream" / "docker" / "Dockerfile.cpu"
    cpu.write_text(cpu.read_text().replace("AS vllm-build", "AS wheel-build"))
    code, doc = run_json(example, "status")
    validate(doc)
    assert code == 1 and "drifted" in {r["state"] for r in doc["results"]}

    patch = example / "patches" / "cpu-wheel-checksum.yaml"
    patch.write_text(patch.read_text().replace("sha256sum", "sha512sum"))
    code, doc = run_json(example, "test")
    validate(doc)
    assert code == 1 and doc["failed"] > 0


def test_parse_output_with_heredocs_directives_and_problems_validates(
    tmp_path: Path, run_json: Run
) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(
        "# syntax=docker/dockerfile:1\n# escape=`\n"
        "ARG BASE=ubuntu:22.04\nFROM $BASE AS one\n"
        "RUN --mount=type=cache,target=/c,id=c-$TARGETARCH <<EOF\necho hi\nEOF\n"
        'ENV A=1 B="two"\nHEALTHCHECK CMD ["true"]\nFROM one\nONBUILD RUN x\nCOPY\n'
    )
    _, doc = run_json(tmp_path, "parse", "Dockerfile")
    validate(doc)
    present = {k for i in doc["instructions"] for k in i}
    assert {"mounts", "heredocs", "pairs", "sub_keyword"} <= present
    assert doc["directives"] and doc["instruction_errors"]


def test_upstream_version_and_status_range_on_a_git_upstream(example: Path, run_json: Run) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    upstream = example / "upstream"
    _git(upstream, "init", "-q", "-b", "main")
    _git(upstream, "add", ".")
    _git(upstream, "commit", "-q", "-m", "0.32")
    _git(upstream, "tag", "v0.32.0")
    cpu = upstream / "docker" / "Dockerfile.cpu"
    cpu.write_text(cpu.read_text().replace("AS vllm-build", "AS wheel-build"))
    _git(upstream, "commit", "-q", "-am", "rename the build stage")
    _git(upstream, "tag", "v0.33.0")
    code, doc = run_json(upstream, "upstream-version", ".")
    validate(doc)
    assert code == 0 and doc["pep440"] == "0.33.0"
    code, doc = run_json(example, "status", "--range", "v0.32.0..v0.33.0")
    validate(doc)
    assert doc["commits"] == 1 and any(r["first_change"] for r in doc["results"])


def test_diagnostics_document_validates(example: Path, run_json: Run) -> None:
    """``patchkit/diagnostics/v1`` is the renderer's default; feed it real findings."""
    from patchkit.cli.output import render_diagnostics
    from patchkit.diagnostics import Diagnostic, Severity

    _, lint = run_json(example, "lint", "upstream/docker")
    found = [Diagnostic(**{**d, "severity": Severity(d["severity"])}) for d in lint["diagnostics"]]
    out = io.StringIO()
    render_diagnostics(found, "json", out)
    doc = json.loads(out.getvalue())
    assert doc["schema"] == "patchkit/diagnostics/v1" and len(doc["diagnostics"]) == 2
    validate(doc)


# --- strict enough to catch a renamed field --------------------------------------


def test_a_renamed_or_added_field_fails(example: Path, run_json: Run) -> None:
    _, doc = run_json(example, "check")
    validate(doc)

    def fails(mutated: Any) -> bool:
        try:
            validate(mutated)
        except AssertionError:
            return True
        return False

    renamed = json.loads(json.dumps(doc))
    renamed["diagnostics"][0]["column"] = renamed["diagnostics"][0].pop("col")
    assert fails(renamed)
    area = json.loads(json.dumps(doc))
    area["areas"][0]["state"] = area["areas"][0].pop("status")
    assert fails(area)
    extra = json.loads(json.dumps(doc))
    extra["upstream"] = "upstream"
    assert fails(extra)
    wrong = json.loads(json.dumps(doc))
    wrong["diagnostics"][0]["severity"] = "fatal"
    assert fails(wrong)


def test_bump_outputs_validate(example: Path, run_json: Run) -> None:
    """A preview, a written bump, and a drifted one (the upstream renamed a stage)."""
    code, doc = run_json(example, "bump", "--check", "0.34.0")
    validate(doc)
    assert code == 1 and doc["written"] is None
    assert {p["new"] for p in doc["version_places"]} == {"0.34.0:0", "0.34.0"}

    code, doc = run_json(example, "bump", "0.34.0")
    validate(doc)
    assert code == 0 and "startos/versions/current.ts" in doc["written"]

    cpu = example / "upstream" / "docker" / "Dockerfile.cpu"
    cpu.write_text(cpu.read_text().replace("AS vllm-build", "AS wheel-build"))
    code, doc = run_json(example, "bump", "0.35.0")
    validate(doc)
    assert code == 1 and doc["drifted"] is True and doc["written"] is None


def test_apply_outputs_validate(example: Path, run_json: Run) -> None:
    """Each mode of apply, and a drifted series (every file blocked)."""
    code, doc = run_json(example, "apply", "--check")
    validate(doc)
    assert code == 1 and {f["action"] for f in doc["files"]} == {"out of date"}
    code, doc = run_json(example, "apply", "--diff", "--patch", "cpu-wheel-checksum")
    validate(doc)
    assert doc["mode"] == "diff" and doc["patches"] == ["cpu-wheel-checksum"]
    code, doc = run_json(example, "apply")
    validate(doc)
    assert code == 0 and {f["action"] for f in doc["files"]} == {"written"}
    code, doc = run_json(example, "apply", "--diff")
    validate(doc)
    assert code == 0 and {f["action"] for f in doc["files"]} == {"up to date"}
    cpu = example / "upstream" / "docker" / "Dockerfile.cpu"
    cpu.write_text(cpu.read_text().replace("AS vllm-build", "AS wheel-build"))
    code, doc = run_json(example, "apply")
    validate(doc)
    assert code == 1 and {f["action"] for f in doc["files"]} == {"blocked"}


def test_status_row_with_a_transform_warning_validates(example: Path, run_json: Run) -> None:
    """A frontend older than 1.3 keeps a cache id literal: the row carries ``warnings``."""
    cpu = example / "upstream" / "docker" / "Dockerfile.cpu"
    cpu.write_text("# syntax=docker/dockerfile:1.2\n" + cpu.read_text())
    _, doc = run_json(example, "status")
    validate(doc)
    assert any("frontend 1.2" in w for r in doc["results"] for w in r.get("warnings", ()))
