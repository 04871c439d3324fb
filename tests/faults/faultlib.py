"""Fault injection for a ``patchkit`` process (imported by the launcher in conftest.py).

A fault is a JSON object in ``PATCHKIT_TEST_FAULT``:

- ``{"fail": "write"|"fsync"|"replace"|"mkstemp"|"mkdir", "errno": "ENOSPC", "call": 1}``:
  the ``call``-th (0-based) such operation fails with that errno. ``write``
  writes half of the data first, as a disk that fills up in the middle does.
- ``{"interrupt": "fsync"|"replace", "call": 0}``: that call raises KeyboardInterrupt (Ctrl-C).
- ``{"race": "delete"|"modify"|"create", "path": P}``: someone else deletes, modifies
  or creates ``P`` after patchkit planned and before it writes.

Only the process under test is patched; nothing here runs in the test process.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path
from typing import Any


def _counter(op: str, fault: dict[str, Any]):  # type: ignore[no-untyped-def]
    calls = {"n": 0}

    def hit() -> bool:
        n = calls["n"]
        calls["n"] += 1
        return op in (fault.get("fail"), fault.get("interrupt")) and n == fault.get("call", 0)

    return hit


def _raise(fault: dict[str, Any]) -> None:
    if "interrupt" in fault:
        raise KeyboardInterrupt
    code = getattr(errno, fault.get("errno", "EIO"))
    raise OSError(code, os.strerror(code))


class _HalfWriter:
    def __init__(self, fh: Any, fault: dict[str, Any]) -> None:
        self._fh, self._fault = fh, fault

    def write(self, data: bytes) -> int:
        self._fh.write(data[: len(data) // 2])
        self._fh.flush()
        _raise(self._fault)
        return 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fh, name)

    def __enter__(self) -> _HalfWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self._fh.close()


def install(fault: dict[str, Any], patch: Any = setattr) -> None:
    """Install ``fault``; ``patch(obj, name, value)`` does the patching (``monkeypatch.setattr``
    in a test process, so it is undone after the test)."""
    if "race" in fault:
        _install_race(fault, patch)
        return
    real_fdopen, real_fsync, real_replace = os.fdopen, os.fsync, os.replace
    real_mkstemp, real_mkdir = tempfile.mkstemp, Path.mkdir
    hits = {op: _counter(op, fault) for op in ("write", "fsync", "replace", "mkstemp", "mkdir")}

    def fdopen(fd: int, *args: Any, **kw: Any) -> Any:
        fh = real_fdopen(fd, *args, **kw)
        return _HalfWriter(fh, fault) if hits["write"]() else fh

    def fsync(fd: int) -> None:
        if hits["fsync"]():
            _raise(fault)
        real_fsync(fd)

    def replace(src: Any, dst: Any) -> None:
        if hits["replace"]():
            _raise(fault)
        real_replace(src, dst)

    def mkstemp(*args: Any, **kw: Any) -> Any:
        if hits["mkstemp"]():
            _raise(fault)
        return real_mkstemp(*args, **kw)

    def mkdir(self: Path, *args: Any, **kw: Any) -> None:
        if hits["mkdir"]():
            _raise(fault)
        real_mkdir(self, *args, **kw)

    for obj, name, value in (
        (os, "fdopen", fdopen),
        (os, "fsync", fsync),
        (os, "replace", replace),
        (tempfile, "mkstemp", mkstemp),
        (Path, "mkdir", mkdir),
    ):
        patch(obj, name, value)


def _install_race(fault: dict[str, Any], patch: Any) -> None:
    from patchkit import engine

    real = engine.write_plan
    path = Path(fault["path"])

    def write_plan(plan: Any) -> Any:
        if fault["race"] == "delete":
            path.unlink()
        elif fault["race"] == "modify":
            path.write_bytes(path.read_bytes() + b"# someone else's line\n")
        elif fault["race"] == "create":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"# someone else's file\n")
        return real(plan)

    patch(engine, "write_plan", write_plan)
