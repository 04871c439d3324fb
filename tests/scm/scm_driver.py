"""Ground-truth driver: runs INSIDE a venv that has a real setuptools-scm.

Usage: python scm_driver.py JOBS.json RESULTS.json

JOBS.json: [{"id": ..., "dir": project copy, "env": {NAME: VALUE}}, ...]
For each job it forks a child that chdirs into the project copy, strips every
SETUPTOOLS_SCM_* / VCS_VERSIONING_* / VLLM_VERSION_OVERRIDE variable from its
environment, sets the job's ones, and asks setuptools' PEP 517 backend for the
wheel metadata (``prepare_metadata_for_build_wheel``, what pip and build call
first). The result is the ``Version:`` of the METADATA, or the exception.
setuptools and setuptools_scm are imported once before forking, so each job
costs one setup.py run, not one interpreter start.
"""

from __future__ import annotations

import io
import json
import os
import sys
import tempfile
import traceback
import warnings
from pathlib import Path

import setuptools  # noqa: F401  (import once, before forking)
import setuptools_scm  # noqa: F401
from setuptools import build_meta

_STRIP = ("SETUPTOOLS_SCM", "VCS_VERSIONING", "VLLM_VERSION_OVERRIDE", "MY_VERSION")
MODE = os.environ.get("SCM_DRIVER_MODE", "metadata")


def _version_only(job: dict, log: io.StringIO, real_out, real_err) -> dict:
    """What ``python setup.py --version`` prints: the same hooks, no egg-info written.

    setuptools' backend runs setup.py the same way (exec with a patched argv);
    a project without setup.py gets the backend's stand-in ``setup()``.
    """

    path = os.path.join(job["dir"], "setup.py")
    code = (
        Path(path).read_text(encoding="utf-8")
        if os.path.exists(path)
        else "from setuptools import setup; setup()"
    )
    sys.argv = ["setup.py", "-q", "--version"]
    buf = io.StringIO()
    sys.stdout = buf
    try:
        exec(compile(code, path, "exec"), {"__file__": path, "__name__": "__main__"})
    except SystemExit:
        pass
    finally:
        sys.stdout = log
    lines = [ln for ln in buf.getvalue().splitlines() if ln.strip()]
    return {"ok": True, "version": lines[-1].strip(), "log": log.getvalue()[-3000:]}


def _run(job: dict) -> dict:
    os.chdir(job["dir"])
    sys.path.insert(0, job["dir"])
    for key in list(os.environ):
        if key.startswith(_STRIP):
            del os.environ[key]
    os.environ.update(job["env"])
    out = tempfile.mkdtemp(prefix="meta-")
    log = io.StringIO()
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        real_out, real_err = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = log
        try:
            if MODE == "version":
                return _version_only(job, log, real_out, real_err)
            name = build_meta.prepare_metadata_for_build_wheel(out)
        except BaseException as exc:
            sys.stdout, sys.stderr = real_out, real_err
            return {
                "ok": False,
                "error": f"{type(exc).__name__}: {exc}"[:2000],
                "trace": traceback.format_exc()[-3000:],
                "log": log.getvalue()[-3000:],
            }
        finally:
            sys.stdout, sys.stderr = real_out, real_err
    with open(os.path.join(out, name, "METADATA"), encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("Version:"):
                return {
                    "ok": True,
                    "version": line.split(":", 1)[1].strip(),
                    "log": log.getvalue()[-3000:],
                }
    return {"ok": False, "error": "no Version in METADATA"}


def main() -> None:
    jobs = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    results = {}
    for job in jobs:
        rfd, wfd = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(rfd)
            try:
                res = _run(job)
            except BaseException as exc:
                res = {"ok": False, "error": f"driver: {type(exc).__name__}: {exc}"}
            with os.fdopen(wfd, "w") as fh:
                json.dump(res, fh)
            os._exit(0)
        os.close(wfd)
        with os.fdopen(rfd) as fh:
            data = fh.read()
        os.waitpid(pid, 0)
        results[job["id"]] = json.loads(data) if data else {"ok": False, "error": "child died"}
    Path(sys.argv[2]).write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
