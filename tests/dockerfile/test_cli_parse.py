"""`patchkit parse` as a whole process: output shape and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "upstream" / "docker" / "Dockerfile.cpu"


def test_parse_example_text(cli) -> None:
    res = cli("parse", str(EXAMPLE), cwd=ROOT)
    assert res.returncode == 0, res.stderr
    assert "7 stages, 30 instructions" in res.stdout
    assert "mount type=cache,target=/vllm-workspace/.deps,sharing=locked" in res.stdout
    assert "stage 6 vllm-openai: FROM base (stage base)" in res.stdout


def test_parse_example_json(cli) -> None:
    res = cli("parse", str(EXAMPLE), "--format", "json")
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    assert doc["schema"] == "patchkit/parse/v1"
    assert [s["name"] for s in doc["stages"]] == [
        "base-common",
        "base",
        "rust-build-cache",
        "rust-build",
        "vllm-build",
        "vllm-test",
        "vllm-openai",
    ]
    runs = [i for i in doc["instructions"] if i["keyword"] == "RUN"]
    assert runs[-1]["mounts"][1]["from"] == "vllm-build"
    assert (runs[-1]["start_line"], runs[-1]["end_line"]) == (91, 93)


def test_missing_file_exits_2(cli, tmp_path: Path) -> None:
    res = cli("parse", str(tmp_path / "nope"))
    assert res.returncode == 2
    assert "no such file" in res.stderr and "Traceback" not in res.stderr


def test_folder_exits_2(cli, tmp_path: Path) -> None:
    res = cli("parse", str(tmp_path))
    assert res.returncode == 2 and "is a folder" in res.stderr


def test_non_utf8_exits_2_with_byte_offset(cli, tmp_path: Path) -> None:
    bad = tmp_path / "Dockerfile"
    bad.write_bytes(b"FROM a\nRUN echo \xff\n")
    res = cli("parse", str(bad))
    assert res.returncode == 2
    assert "byte offset 16" in res.stderr and "Traceback" not in res.stderr


def test_file_buildkit_refuses_exits_1(cli, tmp_path: Path) -> None:
    f = tmp_path / "Dockerfile"
    f.write_bytes(b"FROM a\nRUN <<EOF\necho\n")
    res = cli("parse", str(f))
    assert res.returncode == 1
    assert ":2: unterminated heredoc 'EOF'" in res.stdout


def test_instructions_buildkit_refuses_after_parsing_exit_1_and_are_listed(
    cli, tmp_path: Path
) -> None:
    f = tmp_path / "Dockerfile"
    f.write_bytes(b"FROM a\nRUNN make\nCOPY only-a-source\n")
    res = cli("parse", str(f))
    assert res.returncode == 1, res.stderr
    assert "BuildKit's parser would refuse" not in res.stdout  # the parser accepts it
    assert "BuildKit would then refuse these instructions" in res.stdout
    assert f"{f}:2: unknown instruction: RUNN" in res.stdout
    assert f"{f}:3: COPY requires at least two arguments" in res.stdout
    doc = json.loads(cli("parse", str(f), "--format", "json").stdout)
    assert doc["problems"] == []
    assert [e["line"] for e in doc["instruction_errors"]] == [2, 3]
