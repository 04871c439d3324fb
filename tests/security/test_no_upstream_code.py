"""patchkit reads upstream files and never imports or runs them.

The hostile upstream (conftest.py) writes a marker from every file Python could
import or run: setup.py, an in-tree build backend, conftest.py, sitecustomize,
a .pth file, and modules named like patchkit's own imports. Every command runs
from the downstream repo and from inside the upstream checkout, as
``python -m patchkit`` and as the console script, and no marker may appear.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

# (command line, the exit codes it may give). {U} is the upstream, {P} the patch folder.
COMMANDS = [
    (["status", "--upstream", "{U}", "--patches", "{P}", "--upstream-version", "1.0"], {0}),
    (["apply", "--upstream", "{U}", "--patches", "{P}", "--upstream-version", "1.0",
      "--out", "{O}"], {0}),
    (["apply", "--upstream", "{U}", "--patches", "{P}", "--upstream-version", "1.0",
      "--diff", "--out", "{O}"], {1}),
    (["apply", "--upstream", "{U}", "--patches", "{P}", "--upstream-version", "1.0",
      "--in-place"], {0}),
    (["test", "--patches", "{P}"], {0}),
    (["parse", "{U}/docker/Dockerfile.cpu"], {0}),
    (["version", "check", "1.0.0:0"], {0}),
    (["scm", "explain", "{U}"], {0}),
    (["scm", "explain", "--setup-py", "{U}/setup.py", "--pyproject", "{U}/pyproject.toml"], {0}),
    (["scm", "check", "--upstream", "{U}", "{U}/docker"], {0, 1}),
    (["lint", "--upstream", "{U}", "{U}/docker/Dockerfile.cpu"], {0, 1}),
    (["upstream-version", "{U}"], {2}),  # not a git checkout: a clear error
    (["check", "--upstream", "upstream", "--patches", "patches", "--upstream-version", "1.0",
      "--out", "out", "{D}"], {0, 1}),
]  # fmt: skip


IDS = ["status", "apply-out", "apply-diff", "apply-in-place", "test", "parse", "version",
       "scm-explain", "scm-explain-files", "scm-check", "lint", "upstream-version",
       "check"]  # fmt: skip


def _fill(args: list[str], hostile, out: Path) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        a.replace("{U}", str(hostile.upstream))
        .replace("{P}", str(hostile.patches))
        .replace("{O}", str(out))
        .replace("{D}", str(hostile.downstream))
        for a in args
    ]


@pytest.mark.parametrize("launcher", ["module", "script"])
@pytest.mark.parametrize("where", ["downstream", "upstream"])
@pytest.mark.parametrize(("args", "codes"), COMMANDS, ids=IDS)
def test_no_command_imports_or_runs_upstream_files(
    args, codes, where, launcher, hostile, cli_in
) -> None:  # type: ignore[no-untyped-def]
    cwd = hostile.downstream if where == "downstream" else hostile.upstream
    proc = cli_in(*_fill(args, hostile, hostile.root / "out"), cwd=cwd, launcher=launcher)
    assert hostile.ran() == [], f"upstream code ran: {hostile.ran()}\n{proc.stderr}"
    assert "Traceback" not in proc.stderr
    assert proc.returncode in codes, proc.stderr


def test_the_engine_api_imports_nothing_from_the_upstream(hostile) -> None:  # type: ignore[no-untyped-def]
    from patchkit import engine
    from patchkit.series import load_series

    before = set(sys.modules)
    series = load_series(hostile.patches)
    version = engine.resolve_upstream_version(hostile.upstream, "1.0")
    the_plan = engine.plan(series, hostile.upstream, version, out=hostile.root / "out")
    engine.write_plan(the_plan)
    engine.status(series, hostile.upstream, version)
    assert hostile.ran() == []
    upstream = str(hostile.upstream)
    for name in set(sys.modules) - before:
        assert not (getattr(sys.modules[name], "__file__", None) or "").startswith(upstream), name


def test_the_hostile_files_do_run_when_imported(hostile) -> None:  # type: ignore[no-untyped-def]
    """The markers work: importing or running the upstream's files does write them."""
    subprocess.run([sys.executable, "setup.py", "--version"], cwd=hostile.upstream,
                   capture_output=True, check=False, timeout=120)  # fmt: skip
    subprocess.run([sys.executable, "-c", "import argparse, tomlkit"], cwd=hostile.upstream,
                   capture_output=True, check=False, timeout=120)  # fmt: skip
    assert {"setup.py", "argparse.py", "tomlkit.py"} <= set(hostile.ran())


def test_a_patchkit_folder_in_the_working_folder_is_not_imported_by_the_script(
    hostile, cli_in
) -> None:  # type: ignore[no-untyped-def]
    """The console script (and ``python -P -m patchkit``) never look in the working folder.

    Plain ``python -m patchkit`` resolves the ``patchkit`` package itself from the
    working folder first; that is Python's rule, before any patchkit code runs,
    which is why the docs (docs/index.md, Contracts) say to run the console script
    inside untrusted trees.
    """
    shadow = hostile.upstream / "patchkit"
    shadow.mkdir()
    (shadow / "__init__.py").write_text(
        f"open({str(hostile.markers / 'patchkit')!r}, 'w').close()\n", encoding="utf-8"
    )
    proc = cli_in("version", "check", "1.0.0:0", cwd=hostile.upstream, launcher="script")
    assert proc.returncode == 0, proc.stderr
    import os

    if sys.version_info >= (3, 11):  # -P (no working folder on sys.path) came in 3.11
        env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
        safe = subprocess.run(
            [sys.executable, "-P", "-m", "patchkit", "version", "check", "1.0.0:0"],
            cwd=hostile.upstream, capture_output=True, text=True, env=env, check=False,
        )  # fmt: skip
        assert safe.returncode == 0, safe.stderr
    assert hostile.ran() == []
