"""How an upstream build gets its version from setuptools-scm, per major release.

:func:`load_upstream` reads ``setup.py``, ``pyproject.toml`` and ``setup.cfg``
from a folder (never importing them) and builds, for each setuptools-scm major
the build may resolve, the list of *readers* that run during a build:

* each reachable ``get_version(...)`` call in setup.py (they run before
  ``setup()`` and raise ``LookupError`` when they find no version, unless they
  pass ``fallback_version``);
* the setuptools build hook, when it is activated (``[tool.setuptools_scm]``,
  ``setup(use_scm_version=…)``, or on 9.2+ ``setuptools-scm[simple]`` in the
  build requirements with a dynamic version) and does not stand down because
  ``setup()`` already has a version (8.x and later stand down; 7.x overrides).

:func:`simulate` then evaluates a concrete environment against those readers
the way setuptools-scm does, which is what :func:`honoured_names` and the
checker build on, and what the ground-truth tests compare with real runs.
"""

from __future__ import annotations

import configparser
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from patchkit.errors import InputError
from patchkit.scm._read import read_text
from patchkit.scm.honoured import Hit, NameRule, lookup_order, resolve
from patchkit.scm.names import SS, VERSION, VV, canonical_dist, dist_suffix, env_name, parse_name
from patchkit.scm.pyproject import Pyproject, parse_pyproject
from patchkit.scm.setup_py import (
    EnvAssignment,
    GetVersionCall,
    Guard,
    SetupCall,
    SetupPy,
    parse_setup_py,
)

__all__ = [
    "DEFAULT_MAJORS",
    "Candidate",
    "Hook",
    "MajorModel",
    "Outcome",
    "Reader",
    "Upstream",
    "analyse",
    "candidates",
    "honoured_names",
    "load_upstream",
    "simulate",
]

#: What a build may resolve when the upstream names no setuptools-scm specifier
#: (research: "if unknown, assume 8-10").
DEFAULT_MAJORS: tuple[int, ...] = (8, 9, 10)


@dataclass(frozen=True, slots=True)
class Reader:
    """One place that looks up a pretend version during the build."""

    kind: Literal["call", "hook"]
    path: str
    line: int
    col: int
    dist: str | None
    dist_source: str
    dist_unknown: bool
    rules: tuple[NameRule, ...]
    guards: tuple[Guard, ...] = ()
    fallback: str | None = None
    function: str | None = None

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"

    def label(self) -> str:
        if self.kind == "hook":
            return "the setuptools build hook"
        inside = f" in {self.function}()" if self.function else ""
        return f"get_version() at {self.where}{inside}"


@dataclass(frozen=True, slots=True)
class Hook:
    """Whether the build hook runs under one major, and why."""

    activated: bool
    why: str
    stands_down: bool = False
    stand_down_why: str = ""
    dist: str | None = None
    dist_source: str = ""

    @property
    def runs(self) -> bool:
        return self.activated and not self.stands_down


@dataclass(frozen=True, slots=True)
class MajorModel:
    major: int
    readers: tuple[Reader, ...]
    hook: Hook


@dataclass(frozen=True, slots=True)
class Upstream:
    """What patchkit knows about one upstream's version wiring."""

    root: str
    setup_py: SetupPy | None
    pyproject: Pyproject | None
    setup_cfg_name: str | None
    setup_cfg_version: str | None
    majors: tuple[int, ...]
    majors_source: str
    models: tuple[MajorModel, ...]
    self_sets: tuple[EnvAssignment, ...]
    notes: tuple[str, ...] = ()

    def model(self, major: int) -> MajorModel:
        for m in self.models:
            if m.major == major:
                return m
        raise KeyError(major)

    @property
    def feeders(self) -> tuple[str, ...]:
        """Other variables setup.py copies into a pretend variable (vLLM: VLLM_VERSION_OVERRIDE)."""
        out: list[str] = []
        for a in self.self_sets:
            if a.value.kind == "env" and a.value.env_var and a.value.env_var not in out:
                out.append(a.value.env_var)
        return tuple(out)

    @property
    def uses_scm(self) -> bool:
        return any(m.readers for m in self.models)

    @property
    def dist_names(self) -> tuple[str, ...]:
        """Every distribution name the upstream states anywhere (for candidates)."""
        names: list[str] = []

        def add(n: str | None) -> None:
            if n and n not in names:
                names.append(n)

        if self.pyproject:
            add(self.pyproject.tool_dist_name)
            add(self.pyproject.name)
        add(self.setup_cfg_name)
        if self.setup_py:
            for s in self.setup_py.setup_calls:
                if s.name is not None and isinstance(s.name.value, str):
                    add(s.name.value)
            for c in self.setup_py.calls:
                add(c.dist_name().name)
        for m in self.models:
            for r in m.readers:
                add(r.dist)
        return tuple(names)


# --------------------------------------------------------------------------- loading


def load_upstream(
    root: str | os.PathLike[str] | None = None,
    *,
    setup_py: str | os.PathLike[str] | None = None,
    pyproject: str | os.PathLike[str] | None = None,
    setup_cfg: str | os.PathLike[str] | None = None,
    majors: tuple[int, ...] | None = None,
) -> Upstream:
    """Read an upstream folder (or the given files) and build its model. Never runs upstream code.

    ``majors`` overrides the setuptools-scm majors read from build-system.requires.
    """
    base = os.fspath(root) if root is not None else None
    if base is not None:
        if not os.path.isdir(base):
            raise InputError("is not a folder (expected the upstream project's root)", base)
        setup_py = setup_py or _if_exists(base, "setup.py")
        pyproject = pyproject or _if_exists(base, "pyproject.toml")
        setup_cfg = setup_cfg or _if_exists(base, "setup.cfg")
        if setup_py is None and pyproject is None:
            raise InputError("has neither setup.py nor pyproject.toml", base)
    elif setup_py is None and pyproject is None:
        raise InputError("give an upstream folder, or --setup-py and/or --pyproject")
    sp = (
        parse_setup_py(read_text(setup_py, "Python file"), os.fspath(setup_py))
        if setup_py
        else None
    )
    pp = (
        parse_pyproject(read_text(pyproject, "TOML file"), os.fspath(pyproject))
        if pyproject
        else None
    )
    cfg_name = cfg_version = None
    if setup_cfg is not None:
        cfg_name, cfg_version = _read_setup_cfg(os.fspath(setup_cfg))
    label = base or os.path.dirname(os.fspath(setup_py or pyproject or "")) or "."
    return analyse(sp, pp, cfg_name, cfg_version, root=label, majors=majors)


def _if_exists(base: str, name: str) -> str | None:
    p = os.path.join(base, name)
    return p if os.path.isfile(p) else None


def _read_setup_cfg(path: str) -> tuple[str | None, str | None]:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(read_text(path, "INI file"), source=path)
    except configparser.Error as exc:
        raise InputError(f"not a valid setup.cfg: {exc}", path) from exc
    return parser.get("metadata", "name", fallback=None), parser.get(
        "metadata", "version", fallback=None
    )


# --------------------------------------------------------------------------- the model


def analyse(
    setup_py: SetupPy | None,
    pyproject: Pyproject | None,
    setup_cfg_name: str | None = None,
    setup_cfg_version: str | None = None,
    *,
    root: str = ".",
    majors: tuple[int, ...] | None = None,
) -> Upstream:
    """Build the per-major model from already parsed files."""
    notes: list[str] = list(setup_py.notes) if setup_py else []
    if majors is not None:
        source = "given"
    elif pyproject is not None and pyproject.requirement is not None:
        majors = pyproject.requirement.majors
        spec = pyproject.requirement.text
        source = f"{pyproject.path}:{pyproject.requirement.line}: build-system.requires {spec!r}"
    else:
        majors = DEFAULT_MAJORS
        source = "no setuptools-scm in build-system.requires; assuming 8, 9, 10"
    setup_call = _first_setup(setup_py)
    models = tuple(
        _model(m, setup_py, pyproject, setup_call, setup_cfg_name, setup_cfg_version)
        for m in majors
    )
    sp_path = setup_py.path if setup_py is not None else "setup.py"
    for c in setup_py.calls if setup_py else ():
        if not c.reachable:
            notes.append(
                f"{sp_path}:{c.line}:{c.col}: get_version() unreachable (after a return or raise)"
            )
    if setup_call is not None and setup_call.star_kwargs and not setup_call.passes_version:
        notes.append(
            f"{setup_py.path}:{setup_call.line}:{setup_call.col}: setup() takes **kwargs; "  # type: ignore[union-attr]
            "if they hold version=, the build hook stands down (patchkit assumes they do not)"
        )
    return Upstream(
        root=root,
        setup_py=setup_py,
        pyproject=pyproject,
        setup_cfg_name=setup_cfg_name,
        setup_cfg_version=setup_cfg_version,
        majors=majors,
        majors_source=source,
        models=models,
        self_sets=setup_py.env_assignments if setup_py else (),
        notes=tuple(notes),
    )


def _first_setup(setup_py: SetupPy | None) -> SetupCall | None:
    if setup_py is None or not setup_py.setup_calls:
        return None
    return setup_py.setup_calls[0]


def _call_reader(call: GetVersionCall, path: str, major: int) -> Reader:
    dn = call.dist_name(major)
    if dn.state == "known":
        source = f"dist_name={dn.text}" + (
            f" (= {dn.value!r})" if dn.text != repr(dn.value) else ""
        )
    elif dn.state == "unknown":
        source = f"dist_name unknown: {dn.reason}"
    elif dn.state == "none":
        source = "dist_name=None"
    else:
        source = "no dist_name argument"
    fb = call.fallback_version(major)
    return Reader(
        kind="call",
        path=path,
        line=call.line,
        col=call.col,
        dist=dn.name,
        dist_source=source,
        dist_unknown=dn.state == "unknown",
        rules=lookup_order(major, dn.name),
        guards=call.guards,
        fallback=fb.value
        if fb is not None and isinstance(fb.value, str)
        else ("<unknown>" if fb else None),
        function=call.function,
    )


def _hook(
    major: int,
    setup_py: SetupPy | None,
    pyproject: Pyproject | None,
    setup_call: SetupCall | None,
    cfg_name: str | None,
    cfg_version: str | None,
) -> Hook:
    keyword = setup_call.scm_keyword if setup_call is not None else False
    tool = pyproject is not None and pyproject.tool_section
    simple = (
        major >= 9
        and pyproject is not None
        and pyproject.simple_extra
        and pyproject.dynamic_version
    )
    if keyword:
        why = f"setup(use_scm_version={setup_call.use_scm_version.text})"  # type: ignore[union-attr]
    elif tool:
        why = f"[tool.setuptools_scm] in {pyproject.path}"  # type: ignore[union-attr]
    elif simple:
        why = "setuptools-scm[simple] in build-system.requires and version in project.dynamic"
    elif keyword is None:
        why = "setup(use_scm_version=...) with a value patchkit cannot resolve (assumed true)"
        keyword = True
    else:
        reason = "no [tool.setuptools_scm], no setup(use_scm_version=...)"
        if major >= 9:
            reason += ", no setuptools-scm[simple] with a dynamic version"
        return Hook(False, reason)
    # Where the hook's dist name comes from, per major (research: "Mechanism").
    setup_name = None
    setup_name_unknown = False
    if setup_call is not None and setup_call.name is not None:
        if isinstance(setup_call.name.value, str):
            setup_name = setup_call.name.value
        else:
            setup_name_unknown = True
    chain: list[tuple[str | None, str]] = []
    if major >= 9:
        chain += [(cfg_name, "setup.cfg [metadata] name"), (setup_name, "setup(name=...)")]
    else:
        chain += [(setup_name, "setup(name=...)"), (cfg_name, "setup.cfg [metadata] name")]
    uses_pyproject = major >= 8 or (major == 7 and tool and not keyword)
    if uses_pyproject and pyproject is not None:
        chain += [
            (pyproject.tool_dist_name, "[tool.setuptools_scm] dist_name"),
            (pyproject.name, "[project] name"),
        ]
    dist, dist_source = next(((n, s) for n, s in chain if n), (None, "no name known to the hook"))
    if dist is None and setup_name_unknown:
        dist_source = "setup(name=...) that patchkit cannot resolve"
    # Does it stand down because the version is already set?
    if major >= 8:
        reasons = []
        if setup_call is not None and setup_call.passes_version:
            reasons.append(
                f"setup() at {setup_py.path}:{setup_call.line} "  # type: ignore[union-attr]
                f"passes version={setup_call.version.text}"  # type: ignore[union-attr]
            )
        if cfg_version:
            reasons.append("setup.cfg [metadata] version is set")
        if major >= 9 and pyproject is not None and pyproject.static_version:
            reasons.append(f"[project] version = {pyproject.static_version!r}")
        if reasons:
            return Hook(True, why, True, "; ".join(reasons), dist, dist_source)
    return Hook(True, why, False, "", dist, dist_source)


def _model(
    major: int,
    setup_py: SetupPy | None,
    pyproject: Pyproject | None,
    setup_call: SetupCall | None,
    cfg_name: str | None,
    cfg_version: str | None,
) -> MajorModel:
    readers: list[Reader] = []
    if setup_py is not None:
        readers += [_call_reader(c, setup_py.path, major) for c in setup_py.reachable_calls]
    hook = _hook(major, setup_py, pyproject, setup_call, cfg_name, cfg_version)
    if hook.runs:
        where = setup_call if setup_call is not None else None
        path = (
            setup_py.path
            if setup_py is not None and where is not None
            else (pyproject.path if pyproject else "")
        )
        tool_fb = pyproject.tool_fallback_version if pyproject else None
        kw = setup_call.use_scm_version if setup_call is not None else None
        if (
            kw is not None
            and isinstance(kw.value, dict)
            and isinstance(kw.value.get("fallback_version"), str)
        ):
            tool_fb = kw.value["fallback_version"]
        infer = _infer_first_7(major, pyproject, setup_call, cfg_name)
        if infer is not None:
            dist, source = infer
            readers.append(
                Reader(
                    "hook", path, where.line if where else 1, where.col if where else 1,
                    dist, source, False, lookup_order(major, dist),
                    fallback=pyproject.tool_fallback_version if pyproject else None,
                )
            )  # fmt: skip
        readers.append(
            Reader(
                kind="hook",
                path=path,
                line=where.line if where else 1,
                col=where.col if where else 1,
                dist=hook.dist,
                dist_source=hook.dist_source,
                dist_unknown=hook.dist is None and "cannot resolve" in hook.dist_source,
                rules=lookup_order(major, hook.dist),
                fallback=tool_fb,
            )
        )
    return MajorModel(major, tuple(readers), hook)


def _infer_first_7(
    major: int,
    pyproject: Pyproject | None,
    setup_call: SetupCall | None,
    cfg_name: str | None,
) -> tuple[str | None, str] | None:
    """7.x with both ``use_scm_version`` and ``[tool.setuptools_scm]`` runs two hooks.

    The finalize-options hook (dist name also from pyproject) runs first, then
    the keyword hook (dist name from setup()/setup.cfg only) overwrites it; each
    raises when it finds no version (ground truth: D7 under 7.1.0).
    """
    if major != 7 or pyproject is None or not pyproject.tool_section or setup_call is None:
        return None
    if not setup_call.scm_keyword:
        return None
    setup_name = setup_call.name.value if setup_call.name is not None else None
    chain = [
        (setup_name if isinstance(setup_name, str) else None, "setup(name=...)"),
        (cfg_name, "setup.cfg [metadata] name"),
        (pyproject.tool_dist_name, "[tool.setuptools_scm] dist_name"),
        (pyproject.name, "[project] name"),
    ]
    dist, source = next(((n, s) for n, s in chain if n), (None, "no name known to the hook"))
    return dist, f"{source} (7.x finalize-options hook, before the use_scm_version one)"


# --------------------------------------------------------------------------- simulation


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a build would do with one environment, as patchkit predicts it.

    ``ok`` False: a reader found no version and raised (``error`` says which).
    ``certain`` False: a reader's distribution name is unknown and the
    environment holds a ``_FOR_`` name, which that reader may or may not read.
    ``version``: the version the build ends up with when it came from a pretend
    variable or a fallback (``source`` names which), None when setuptools-scm
    is not involved or the version comes from the SCM.
    """

    ok: bool
    version: str | None
    source: str | None
    error: str | None = None
    hits: tuple[tuple[Reader, Hit | None], ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)
    certain: bool = True


def apply_self_sets(up: Upstream, env: Mapping[str, str]) -> dict[str, str]:
    """The environment after setup.py's own ``os.environ`` assignments whose guards hold."""
    out = dict(env)
    for a in up.self_sets:
        if not all(g.holds(out) for g in a.guards):
            continue
        if a.kind == "os.putenv":
            continue  # changes the C environment only; os.environ (what setuptools-scm reads) stays
        if a.value.kind == "literal" and isinstance(a.value.value, str):
            value: str | None = a.value.value
        elif a.value.kind == "env" and a.value.env_var is not None:
            value = out.get(a.value.env_var)
        else:
            value = "<dynamic>"
        if value is None:
            continue
        if a.kind == "os.environ.setdefault" and a.name in out:
            continue
        out[a.name] = value
    return out


def simulate(up: Upstream, major: int, env: Mapping[str, str], *, scm: bool = False) -> Outcome:
    """Evaluate ``env`` against the readers of ``major``; ``scm``: a VCS checkout is present."""
    model = up.model(major)
    env2 = apply_self_sets(up, env)
    has_for = any((p := parse_name(k)) is not None and not p.generic for k in env2)
    hits: list[tuple[Reader, Hit | None]] = []
    version: str | None = None
    source: str | None = None
    ran = False
    certain = True
    for reader in model.readers:
        if reader.kind == "call" and not all(g.holds(env2) for g in reader.guards):
            continue
        ran = True
        if reader.dist_unknown and has_for:
            certain = False
        hit = resolve(reader.rules, env2)
        hits.append((reader, hit))
        if hit is not None and hit.value:
            version, source = hit.value, hit.name
        elif reader.fallback is not None:
            version, source = reader.fallback, "fallback_version"
        elif scm:
            version, source = None, "scm"
        else:
            why = (
                f"{hit.name} is set but empty"
                if hit is not None
                else "none of " + ", ".join(r.name for r in reader.rules) + " is set"
            )
            error = f"{reader.label()} finds no version: {why}"
            return Outcome(False, None, None, error, tuple(hits), env2, certain)
    if not ran:
        return Outcome(True, None, None, None, tuple(hits), env2, certain)
    return Outcome(True, version, source, None, tuple(hits), env2, certain)


# --------------------------------------------------------------------------- honoured names


@dataclass(frozen=True, slots=True)
class Candidate:
    """A variable name someone might set, and whether the build reads it under one major."""

    name: str
    honoured: bool
    variant: bool = False
    feeder: bool = False
    note: str = ""


_PROBE = "9999.0.0.dev7"  # a value no fallback or SCM produces


def candidates(up: Upstream) -> tuple[str, ...]:
    """Names worth judging for this upstream: generic names, and ``_FOR_`` names for its dists."""
    names: list[str] = []

    def add(n: str) -> None:
        if n not in names:
            names.append(n)

    for prefix in (SS, VV):
        add(env_name(prefix, VERSION))
    for dist in up.dist_names:
        for major in (8, 7):
            for prefix in (SS, VV):
                add(env_name(prefix, VERSION, dist, major))
    for feeder in up.feeders:
        add(feeder)
    return tuple(names)


def _variant_sample(dist: str) -> str:
    """A spelling 9.x/10.x accept for ``dist`` that differs from the exact one."""
    canon = canonical_dist(dist)
    sample = canon if canon != dist_suffix(dist, 10) else canon.lower() + "_"
    return f"{SS}_{VERSION}_FOR_{sample}"


def honoured_names(up: Upstream, major: int) -> tuple[tuple[Candidate, ...], tuple[Candidate, ...]]:
    """(honoured, ignored) candidates under ``major``: a name is honoured when, set alone,
    the build ends up with its value; honoured names come in lookup order."""
    model = up.model(major)
    order: list[NameRule] = []
    for r in model.readers:
        for rule in r.rules:
            if rule not in order:
                order.append(rule)
    judged: dict[str, Candidate] = {}
    for name in candidates(up):
        out = simulate(up, major, {name: _PROBE})
        ok = out.ok and out.version == _PROBE and out.certain
        feeder = name in up.feeders
        note = "" if out.certain else "cannot tell: a dist_name patchkit cannot resolve"
        if feeder:
            copies = sorted({a.name for a in up.self_sets if a.value.env_var == name})
            note = f"setup.py copies it into {', '.join(copies)}"
        judged[name] = Candidate(name, ok, feeder=feeder, note=note)
    honoured: list[Candidate] = []
    for rule in order:
        if rule.variant:
            sample = _variant_sample(rule.dist or "")
            if rule.prefix == VV:
                sample = sample.replace(SS, VV, 1)
            out = simulate(up, major, {sample: _PROBE})
            if out.ok and out.version == _PROBE:
                honoured.append(
                    Candidate(rule.name, True, variant=True, note="accepted with a warning")
                )
            continue
        if rule.name in judged:
            ok = judged[rule.name].honoured
        else:
            out = simulate(up, major, {rule.name: _PROBE})
            ok = out.ok and out.version == _PROBE
        if ok and all(h.name != rule.name for h in honoured):
            honoured.append(Candidate(rule.name, True))
            judged.pop(rule.name, None)
    for name, cand in list(judged.items()):
        if cand.honoured:
            # a spelling a listed variant pattern covers is not listed again
            if not any(r.variant and r.matches(name) for r in order):
                honoured.append(cand)
            del judged[name]
    return tuple(honoured), tuple(judged.values())
