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
from dataclasses import dataclass
from pathlib import Path

import pytest

from patchkit._source import Span

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _install_versions_stand_in() -> None:
    try:
        from patchkit.versions import check, pep440_to_exver_part, sdk_ordering_hazards

        return
    except ImportError:
        pass

    seg = r"(?:[0-9]+|[a-zA-Z]+)"
    ver = rf"[0-9]+(?:\.[0-9]+)*(?:-\.?{seg}(?:\.\.?{seg})*)?"
    accept = re.compile(rf"(?:#([a-z]*):)?({ver}):({ver})\Z")
    anchor = re.compile(rf"(?:>=|<=|>|<|=|!=|\^|~)?\s*(?:#[a-z]*:)?{ver}(?::{ver})?\Z")
    completions = ("", "0", ":0", "0:0", ".0:0", "a:0", ".a:0", "0.0:0", "a.0:0", ":0.0")

    class VersionSyntaxError(ValueError):
        def __init__(self, message: str, suggestion: str | None, offset: int) -> None:
            super().__init__(message)
            self.message = message
            self.suggestion = suggestion
            self.offset = offset

    class ConversionError(ValueError):
        def __init__(self, reason: str, suggestion: str | None = None) -> None:
            super().__init__(reason)
            self.reason = reason
            self.suggestion = suggestion

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
            self.flavor, self.upstream, self.downstream = flavor or None, _show(up), _show(down)
            self.key = (_key(up), _key(down))

        @classmethod
        def parse(cls, s: str) -> ExVer:
            m = accept.match(s)
            if m is None:
                raise VersionSyntaxError(f"{s!r} is not valid ExVer", _suggest(s), _first_bad(s))
            return cls(m.group(1), m.group(2), m.group(3))

        def compare(self, other: ExVer) -> int | None:
            if self.flavor != other.flavor:
                return None
            return (self.key > other.key) - (self.key < other.key)

        def __str__(self) -> str:
            prefix = f"#{self.flavor}:" if self.flavor else ""
            return f"{prefix}{self.upstream}:{self.downstream}"

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

    @dataclass
    class Result:
        valid: bool
        normalized: str | None
        error: str | None = None
        suggestion: str | None = None
        span: Span | None = None
        warnings: tuple[str, ...] = ()

    def check(text: str, scheme: str) -> Result:
        if scheme == "exver":
            try:
                value = ExVer.parse(text)
            except VersionSyntaxError as exc:
                return Result(
                    False, None, exc.message, exc.suggestion, Span(exc.offset, exc.offset)
                )
            return Result(True, str(value), suggestion=str(value) if str(value) != text else None)
        if scheme == "exver-range":
            atoms = [a for a in re.split(r"\s*(?:&&|\|\||\s)\s*", text.strip("() ")) if a]
            ok = bool(atoms) and all(anchor.match(a) for a in atoms)
            return Result(ok, text if ok else None, None if ok else "not a range")
        if scheme == "pep440":
            from packaging.version import InvalidVersion, Version

            try:
                norm = str(Version(text))
            except InvalidVersion:
                return Result(False, None, "not PEP 440")
            warn = (
                (f"valid, but not normalized: PEP 440 spells it {norm!r}",) if norm != text else ()
            )
            return Result(True, norm, warnings=warn)
        raise ValueError(scheme)

    def pep440_to_exver_part(version: str) -> str:
        from packaging.version import Version

        v = Version(version)
        if v.epoch:
            raise ConversionError("ExVer has no epoch")
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
        result = out + ("-" + ".".join(ids) if ids else "")
        if v.dev is not None or v.local is not None or (v.post is not None and not v.pre):
            raise ConversionError("not order-preserving", suggestion=result)
        return result

    @dataclass
    class Hazard:
        a: ExVer
        b: ExVer
        message: str

    def _ids(part: str) -> list[object]:
        pre = part.partition("-")[2]
        return [int(x) if x.isdigit() else x for x in pre.split(".") if x]

    def _typeof(ids: list[object], i: int) -> str:
        return "undefined" if i >= len(ids) else ("number" if isinstance(ids[i], int) else "string")

    def _sdk_part(a: str, b: str) -> int:
        """SDK 2.0.9's Version.compare with its bug (research/exver.md §5)."""
        ka, kb = _key(a), _key(b)
        if ka[0] != kb[0] or ka[1] != kb[1]:
            return (ka[:2] > kb[:2]) - (ka[:2] < kb[:2])
        ia, ib = _ids(a), _ids(b)
        for i in range(max(len(ia), len(ib))):
            ta, tb = _typeof(ia, i), _typeof(ib, i)
            if ta == tb:
                if ia[i] != ib[i]:
                    return 1 if ia[i] > ib[i] else -1  # type: ignore[operator]
                continue
            case = f"{_typeof(ia, 1)}:{tb}"
            if case in ("number:string", "undefined:number", "undefined:string"):
                return -1
            if case in ("string:number", "number:undefined", "string:undefined"):
                return 1
        return 0

    def _sdk(a: ExVer, b: ExVer) -> int:
        up = _sdk_part(a.upstream, b.upstream)
        return up if up else _sdk_part(a.downstream, b.downstream)

    def sdk_ordering_hazards(values: list[ExVer]) -> tuple[Hazard, ...]:
        found = []
        for i, a in enumerate(values):
            for b in values[i + 1 :]:
                right = a.compare(b)
                if right is not None and (_sdk(a, b) != right or _sdk(b, a) != -right):
                    found.append(Hazard(a, b, f"the StartOS SDK 2.0.9 mis-orders {a} and {b}"))
        return tuple(found)

    pkg = types.ModuleType("patchkit.versions")
    for name, value in {
        "check": check, "ExVer": ExVer, "VersionSyntaxError": VersionSyntaxError,
        "ConversionError": ConversionError, "pep440_to_exver_part": pep440_to_exver_part,
        "sdk_ordering_hazards": sdk_ordering_hazards,
    }.items():  # fmt: skip
        setattr(pkg, name, value)
    sys.modules["patchkit.versions"] = pkg
    import patchkit

    patchkit.versions = pkg  # type: ignore[attr-defined]


_install_versions_stand_in()


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
