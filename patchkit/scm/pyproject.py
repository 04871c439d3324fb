"""Read what setuptools-scm uses from an upstream ``pyproject.toml`` (tomlkit).

* ``[project] name``, ``version`` (a static version makes the hook stand down
  on 9+) and whether ``"version"`` is in ``dynamic``;
* ``[tool.setuptools_scm]``: present or not (presence activates the build
  hook), its ``dist_name`` and ``fallback_version``;
* ``[build-system] requires``: the setuptools-scm requirement, its ``[simple]``
  extra (activates the hook on 9.2+ together with a dynamic version), and the
  majors its specifier admits among the ones patchkit knows (7 to 10).

Which majors a specifier admits is decided with ``packaging.specifiers`` over
the published releases of each major plus the versions the specifier itself
names, so ``>=10.4`` still admits 10 after a release patchkit has not seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from patchkit.errors import SourceError
from patchkit.scm.names import MAJORS

__all__ = ["RELEASES", "Pyproject", "ScmRequirement", "admitted_majors", "parse_pyproject"]

#: Published setuptools-scm releases of the majors patchkit knows (PyPI, 2026-11).
RELEASES: tuple[str, ...] = (
    "7.0.1", "7.0.2", "7.0.3", "7.0.4", "7.0.5", "7.1.0",
    "8.0.1", "8.0.2", "8.0.3", "8.0.4", "8.1.0", "8.2.0", "8.3.0", "8.3.1",
    "9.2.0", "9.2.1", "9.2.2",
    "10.0.2", "10.0.3", "10.0.4", "10.0.5", "10.1.1", "10.1.2", "10.2.0", "10.2.1",
    "10.2.2", "10.2.3", "10.3.3", "10.3.4",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ScmRequirement:
    """The ``setuptools-scm`` entry of ``build-system.requires``."""

    text: str
    specifier: str
    extras: tuple[str, ...]
    majors: tuple[int, ...]
    line: int


@dataclass(frozen=True, slots=True)
class Pyproject:
    path: str
    name: str | None
    static_version: str | None
    dynamic_version: bool
    tool_section: bool
    tool_dist_name: str | None
    tool_fallback_version: str | None
    requirement: ScmRequirement | None
    requires: tuple[str, ...]

    @property
    def simple_extra(self) -> bool:
        return self.requirement is not None and "simple" in self.requirement.extras


def admitted_majors(specifier: str) -> tuple[int, ...]:
    """The majors among 7..10 that have a version satisfying ``specifier``.

    >>> admitted_majors(">=8.0"), admitted_majors("<8"), admitted_majors("~=9.1")
    ((8, 9, 10), (7,), (9,))
    """
    from packaging.specifiers import SpecifierSet
    from packaging.version import InvalidVersion, Version

    spec = SpecifierSet(specifier)
    candidates = {Version(v) for v in RELEASES}
    for clause in spec:
        raw = clause.version.rstrip(".*")
        try:
            v = Version(raw)
        except InvalidVersion:
            continue
        rel = v.release + (0,) * (3 - len(v.release))
        candidates.add(Version(".".join(map(str, rel))))
        candidates.add(Version(f"{rel[0]}.{rel[1]}.{rel[2] + 1}"))
    return tuple(m for m in MAJORS if any(c.major == m and spec.contains(c) for c in candidates))


def parse_pyproject(text: str, path: str = "pyproject.toml") -> Pyproject:
    """Read ``text`` as pyproject.toml; raise ``SourceError`` when it is not TOML."""
    import tomlkit
    from tomlkit.exceptions import ParseError

    from patchkit._source import SourceText

    try:
        doc = tomlkit.parse(text).unwrap()
    except ParseError as exc:
        src = SourceText(text)
        line = max(1, min(exc.line, text.count("\n") + 1))
        offset = min(src.offset(line, max(exc.col, 1)), len(text))
        message = str(exc).rsplit(" at line ", 1)[0].replace("'\\x00'", "end of file")
        raise SourceError(
            f"not valid TOML: {message}", path=path, text=text, offset=offset
        ) from exc
    project = _table(doc, "project")
    tool = _table(doc, "tool")
    section = tool.get("setuptools_scm")
    build = _table(doc, "build-system")
    requires = tuple(r for r in build.get("requires", []) if isinstance(r, str))
    dynamic = project.get("dynamic", [])
    name = project.get("name")
    return Pyproject(
        path=path,
        name=name if isinstance(name, str) else None,
        static_version=project.get("version") if isinstance(project.get("version"), str) else None,
        dynamic_version=isinstance(dynamic, list) and "version" in dynamic,
        tool_section=isinstance(section, dict),
        tool_dist_name=section.get("dist_name") if isinstance(section, dict) else None,
        tool_fallback_version=section.get("fallback_version")
        if isinstance(section, dict)
        else None,
        requirement=_scm_requirement(requires, text, path),
        requires=requires,
    )


def _table(doc: dict[str, Any], key: str) -> dict[str, Any]:
    value = doc.get(key)
    return value if isinstance(value, dict) else {}


def _scm_requirement(requires: tuple[str, ...], text: str, path: str) -> ScmRequirement | None:
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    from patchkit._source import SourceText

    for raw in requires:
        try:
            req = Requirement(raw)
        except InvalidRequirement:
            continue
        if canonicalize_name(req.name) != "setuptools-scm":
            continue
        offset = text.find(raw)
        line = SourceText(text).line_col(offset)[0] if offset >= 0 else 1
        spec = str(req.specifier)
        majors = admitted_majors(spec) if spec else MAJORS
        if not majors:
            raise SourceError(
                f"setuptools-scm requirement {raw!r} admits none of the majors patchkit knows "
                f"({', '.join(map(str, MAJORS))})",
                path=path,
                text=text,
                offset=max(offset, 0),
                end=max(offset, 0) + len(raw),
            )
        return ScmRequirement(raw, spec, tuple(sorted(req.extras)), majors, line)
    return None
