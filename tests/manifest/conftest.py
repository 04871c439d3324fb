"""Fixtures for the manifest tests.

Until ``patchkit.versions`` (the validators, built on another branch) is
present, a small stand-in following ``../shared/research/exver.md`` is put in
its place so that the checks can be exercised; the real module wins whenever
it can be imported.
"""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _install_versions_stand_in() -> None:
    try:
        from patchkit.versions import convert, exver

        if hasattr(exver, "parse") and hasattr(convert, "pep440_to_exver_upstream"):
            return
    except ImportError:
        pass

    seg = r"(?:[0-9]+|[a-zA-Z]+)"
    ver = rf"[0-9]+(?:\.[0-9]+)*(?:-\.?{seg}(?:\.\.?{seg})*)?"
    accept = re.compile(rf"(?:#([a-z]*):)?({ver}):({ver})\Z")

    class VersionSyntaxError(ValueError):
        def __init__(self, message: str, suggestion: str | None, offset: int) -> None:
            super().__init__(message)
            self.suggestion = suggestion
            self.offset = offset

    completions = ("", "0", ":0", "0:0", ".0:0", "a:0", ".a:0", "0.0:0", "a.0:0", ":0.0")

    def _first_bad(s: str) -> int:
        """The length of the longest prefix that some valid string starts with."""
        k = len(s)
        while k > 0 and not any(accept.match(s[:k] + c) for c in completions):
            k -= 1
        return k

    def _key(part: str) -> tuple[object, ...]:
        head, _, pre = part.partition("-")
        nums = [int(x) for x in head.split(".")]
        while len(nums) > 1 and nums[-1] == 0:
            nums.pop()
        ids = tuple((0, int(x), "") if x.isdigit() else (1, 0, x) for x in pre.split(".") if x)
        return (tuple(nums), 0 if ids else 1, ids)

    def _show(part: str) -> str:
        head, sep, pre = part.partition("-")
        out = ".".join(str(int(x)) for x in head.split("."))
        if sep:
            out += "-" + ".".join(str(int(x)) if x.isdigit() else x for x in pre.split(".") if x)
        return out

    class ExVer:
        def __init__(self, flavor: str | None, up: str, down: str) -> None:
            self.flavor, self.up, self.down = flavor or None, up, down
            self.key = (_key(up), _key(down))

        def __lt__(self, other: ExVer) -> bool:
            return self.key < other.key

        def __eq__(self, other: object) -> bool:
            return isinstance(other, ExVer) and (self.flavor, self.key) == (other.flavor, other.key)

        def __hash__(self) -> int:
            return hash((self.flavor, self.key))

        def __str__(self) -> str:
            prefix = f"#{self.flavor}:" if self.flavor else ""
            return f"{prefix}{_show(self.up)}:{_show(self.down)}"

    def _suggest(s: str) -> str | None:
        fixed = s.strip()
        if fixed[:1] in "vV":
            fixed = fixed[1:]
        fixed = re.sub(r"^([0-9.]+?)(a|b|rc|alpha|beta|dev)([0-9]+)", r"\1-\2.\3", fixed)
        fixed = re.sub(r"(-[A-Za-z]+)([0-9]+)", r"\1.\2", fixed)
        body = fixed.split(":", 1)[1] if fixed.startswith("#") else fixed
        if ":" not in body:
            fixed += ":0"
        return fixed if fixed != s and accept.match(fixed) else None

    def parse(s: str) -> ExVer:
        m = accept.match(s)
        if m is None:
            raise VersionSyntaxError(f"{s!r} is not valid ExVer", _suggest(s), _first_bad(s))
        return ExVer(m.group(1), m.group(2), m.group(3))

    def pep440_to_exver_upstream(version: str) -> str:
        from packaging.version import Version

        v = Version(version)
        if v.epoch:
            raise ValueError("ExVer has no epoch")
        out = ".".join(str(x) for x in v.release)
        ids: list[str] = []
        if v.pre:
            ids += [{"a": "alpha", "b": "beta", "rc": "rc"}[v.pre[0]], str(v.pre[1])]
            if v.post is not None:
                ids += ["post", str(v.post)]
        elif v.post is not None:
            out += f".0.{v.post}"
        if v.dev is not None:
            ids += ["dev", str(v.dev)]
        return out + ("-" + ".".join(ids) if ids else "")

    pkg = types.ModuleType("patchkit.versions")
    ex = types.ModuleType("patchkit.versions.exver")
    ex.parse = parse  # type: ignore[attr-defined]
    ex.ExVer = ExVer  # type: ignore[attr-defined]
    ex.VersionSyntaxError = VersionSyntaxError  # type: ignore[attr-defined]
    conv = types.ModuleType("patchkit.versions.convert")
    conv.pep440_to_exver_upstream = pep440_to_exver_upstream  # type: ignore[attr-defined]
    pkg.exver = ex  # type: ignore[attr-defined]
    pkg.convert = conv  # type: ignore[attr-defined]
    sys.modules.update(
        {"patchkit.versions": pkg, "patchkit.versions.exver": ex, "patchkit.versions.convert": conv}
    )
    import patchkit

    patchkit.versions = pkg  # type: ignore[attr-defined]


_install_versions_stand_in()


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
