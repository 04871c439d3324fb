"""Reading an input file: every reader names the file and says why it cannot be read."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from patchkit._fs import read_source
from patchkit.errors import InputError, SourceError
from patchkit.scm._read import read_text

READERS: dict[str, Callable[[Path], str]] = {
    "read_source": read_source,
    "scm read_text": read_text,
}


@pytest.fixture(params=sorted(READERS))
def reader(request: pytest.FixtureRequest) -> Callable[[Path], str]:
    return READERS[request.param]


def test_exact_text(reader: Callable[[Path], str], tmp_path: Path) -> None:
    p = tmp_path / "Dockerfile"
    p.write_bytes(b"\xef\xbb\xbfFROM x\r\nRUN a\tb\n")
    assert reader(p) == "\ufeffFROM x\r\nRUN a\tb\n"


def test_missing_file(reader: Callable[[Path], str], tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        reader(tmp_path / "setup.py")
    assert (info.value.message, info.value.path) == ("no such file", str(tmp_path / "setup.py"))


def test_folder(reader: Callable[[Path], str], tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        reader(tmp_path)
    assert info.value.message == "is a folder, expected a file"


def _fail_open(monkeypatch: pytest.MonkeyPatch, path: Path, error: OSError) -> None:
    """``os.open`` of ``path`` (how ``_fs.read_bytes`` opens a file) raises ``error``."""
    import os

    real = os.open

    def fail(name: object, *args: object, **kwargs: object) -> int:
        if os.fspath(name) == str(path):  # type: ignore[call-overload]
            raise error
        return real(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", fail)


def test_permission_denied(
    reader: Callable[[Path], str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Simulated: the tests may run as root, who can read a file with mode 000.
    p = tmp_path / "pyproject.toml"
    p.write_text("[project]\n")
    _fail_open(monkeypatch, p, PermissionError(13, "Permission denied", str(p)))
    with pytest.raises(InputError) as info:
        reader(p)
    assert (info.value.message, info.value.path) == ("permission denied while reading", str(p))


def test_other_os_error_keeps_the_reason(
    reader: Callable[[Path], str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fail_open(monkeypatch, tmp_path / "x", OSError(5, "Input/output error", str(tmp_path / "x")))
    with pytest.raises(InputError) as info:
        reader(tmp_path / "x")
    assert info.value.message == "cannot read: Input/output error"


def test_not_utf8(tmp_path: Path) -> None:
    p = tmp_path / "setup.py"
    p.write_bytes(b"x = 1\ny = '\xff'\n")
    with pytest.raises(InputError) as plain:
        read_source(p)
    assert "byte offset 11 (byte 0xff)" in plain.value.message
    # The scm reader locates it: line 2, column 6.
    with pytest.raises(SourceError) as located:
        read_text(p, "Python file")
    assert (located.value.line, located.value.col) == (2, 6)
    assert "expected a UTF-8 Python file" in located.value.message
