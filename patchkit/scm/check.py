"""Check the places that set pretend-version variables against the upstream build.

Codes (``PKS`` = setuptools-scm; a published code is never reused) are the
``CODES`` table below: code, name, default severity, summary and detail, which
``patchkit rule PKS001`` and the docs' rule pages print.

Whether a name is read is decided by :func:`patchkit.scm.model.simulate`
with that name alone set, for each admitted major: the same prediction the
ground-truth tests compare with real setuptools-scm runs.
"""

from __future__ import annotations

from collections.abc import Mapping, Callable, Sequence
from dataclasses import dataclass

from patchkit.diagnostics import Code, Diagnostic, Severity
from patchkit.scm.honoured import NameRule, lookup_order
from patchkit.scm.model import (
    DEFAULT_MAJORS,
    MajorModel,
    Reader,
    Upstream,
    analyse,
    simulate,
)
from patchkit.scm.names import GENERIC, METADATA, SS, VERSION, VV, parse_name
from patchkit.scm.setters import FileSetters, Setter

__all__ = ["CODES", "check", "generic_upstream", "wanted_names"]

CODES: tuple[Code, ...] = (
    Code(
        "PKS001",
        "name-not-read",
        Severity.ERROR,
        "variable not read by the upstream build under an admitted setuptools-scm major",
        detail=(
            "The upstream build does not read this name under some setuptools-scm major its build"
            " requirements admit (a warning for `PRETEND_METADATA`). The message says which call "
            "reads what instead (a `get_version()` without `dist_name` reads no `_FOR_` name); "
            "the fix names the variable that is read."
        ),
    ),
    Code(
        "PKS002",
        "name-shadowed",
        Severity.WARNING,
        "shadowed by an earlier name in setuptools-scm's lookup order",
        detail=(
            "The name is read, but an earlier name of the lookup order is also set in the same "
            "environment, and that one wins."
        ),
    ),
    Code(
        "PKS003",
        "value-empty",
        Severity.ERROR,
        "empty value: present, so it wins, and means no version",
        detail=(
            'The value is empty: a present empty value wins the lookup and means "no version". An'
            " empty feeder such as `VLLM_VERSION_OVERRIDE`, which the upstream's own code ignores"
            " when empty, is a warning."
        ),
    ),
    Code(
        "PKS004",
        "vcs-versioning-name",
        Severity.ERROR,
        "VCS_VERSIONING_* name while setuptools-scm < 10 may be resolved",
        detail=(
            "A `VCS_VERSIONING_*` name, which only setuptools-scm 10 and later read, while the "
            "build requirements also admit an older major that ignores that prefix."
        ),
    ),
    Code(
        "PKS005",
        "value-not-pep440",
        Severity.ERROR,
        "value is not a valid (normalised) PEP 440 version",
        detail=(
            "The literal value is not a valid PEP 440 version (an error), or is valid but not "
            "normalised (a warning: the wheel carries the normal form while files written by "
            "setuptools-scm keep the spelling). For `PRETEND_METADATA`: the value is not a TOML "
            "inline table."
        ),
    ),
    Code(
        "PKS006",
        "for-name-variant",
        Severity.WARNING,
        "_FOR_ spelling accepted only as a variant by setuptools-scm 9 and 10",
        detail=(
            "A `_FOR_` spelling that only setuptools-scm 9.x and 10.x accept, as a variant with a"
            " logged warning (and 9.x and 10.x rank it differently)."
        ),
    ),
    Code(
        "PKS007",
        "value-may-be-empty",
        Severity.WARNING,
        "value may be empty: ARG without default",
        detail=(
            "The value is a bare `$ARG` whose ARG has no default (`ENV X=$ARG`): empty unless "
            "`--build-arg` gives it one. In `patchkit check` it is silent when every build of the"
            " file passes that build arg, and otherwise names the builds that do not."
        ),
    ),
    Code(
        "PKS008",
        "not-exported",
        Severity.ERROR,
        "assigned but not exported to the build's environment",
        detail=(
            "Assigned but not exported, so the build command never sees it: a shell variable "
            "without `export`, a plain Makefile variable, a global `ARG` of a Dockerfile not "
            "redeclared in the stage."
        ),
    ),
    Code(
        "PKS009",
        "for-name-unknown",
        Severity.WARNING,
        "cannot tell whether the build reads this _FOR_ name",
        detail=(
            "patchkit cannot tell whether the build reads this `_FOR_` name: no `--upstream` was "
            "given, or the upstream passes a `dist_name` patchkit cannot resolve statically."
        ),
    ),
)

_PROBE = "9999.0.0.dev7"


def _pep440_problem(value: str) -> tuple[Severity, str, str | None] | None:
    """(severity, why, fix) when ``value`` is not a valid, normalised PEP 440 version.

    The verdict, the normal form and the suggestion come from ``patchkit.versions``
    (the one place that judges version strings); this adds what setuptools-scm does
    with such a value.
    """
    from patchkit.versions.pep440 import check_pep440

    result = check_pep440(value)
    if not result.valid:
        fix = (
            f"write {result.suggestion}"
            if result.suggestion
            else ("use a PEP 440 version such as 1.2.3, 1.2.3rc1 or 1.2.3+local")
        )
        return (
            Severity.ERROR,
            f"{value!r} is not a PEP 440 version ({result.error}): setuptools-scm 9+ raise "
            "InvalidVersion, and setuptools rejects it later under 7 and 8",
            fix,
        )
    if result.normalized != value:
        return (
            Severity.WARNING,
            f"{value!r} is valid PEP 440 but not normalised: the wheel will say "
            f"{result.normalized}, while files written by setuptools-scm keep {value!r}",
            f"write {result.normalized}",
        )
    return None


def _metadata_problem(value: str) -> str | None:
    import tomlkit
    from tomlkit.exceptions import ParseError

    try:
        doc = tomlkit.parse(f"x = {value}")
    except ParseError as exc:
        return f"not a TOML inline table ({exc})"
    if not isinstance(doc.get("x"), dict):
        return "not a TOML inline table such as {dirty=false}"
    return None


def generic_upstream(majors: tuple[int, ...] = DEFAULT_MAJORS) -> Upstream:
    """A stand-in when no upstream is given: one ``get_version()`` without dist name.

    Generic names are then judged exactly; a ``_FOR_`` name gets PKS009.
    """
    up = analyse(None, None, root="(no --upstream)", majors=majors)
    models = tuple(
        MajorModel(
            m.major,
            (
                Reader(
                    "call",
                    "(no --upstream)",
                    0,
                    0,
                    None,
                    "unknown upstream",
                    True,
                    lookup_order(m.major, None),
                ),
            ),
            m.hook,
        )
        for m in up.models
    )
    return Upstream(
        up.root, None, None, None, None, majors,
        "no --upstream given; assuming 8, 9, 10" if majors == DEFAULT_MAJORS else up.majors_source,
        models, (),
    )  # fmt: skip


def wanted_names(up: Upstream | None) -> Callable[[str], bool]:
    """The predicate for :func:`patchkit.scm.setters.find_setters`."""
    feeders = set(up.feeders) if up is not None else set()

    def want(name: str) -> bool:
        return parse_name(name) is not None or name in feeders

    return want


@dataclass(frozen=True, slots=True)
class _Verdict:
    honoured: tuple[int, ...]
    ignored: tuple[int, ...]
    uncertain: tuple[int, ...]
    variant_only: tuple[int, ...]


def _verdict(up: Upstream, name: str) -> _Verdict:
    honoured: list[int] = []
    ignored: list[int] = []
    uncertain: list[int] = []
    variant: list[int] = []
    parsed = parse_name(name)
    for major in up.majors:
        if parsed is not None and parsed.setting == METADATA:
            ok = _metadata_read(up, major, name)
            (honoured if ok else ignored).append(major)
            continue
        out = simulate(up, major, {name: _PROBE})
        if not out.certain:
            uncertain.append(major)
        elif out.ok and out.version == _PROBE:
            honoured.append(major)
            if any(h is not None and h.rule.variant and h.name == name for _, h in out.hits):
                variant.append(major)
        else:
            ignored.append(major)
    return _Verdict(tuple(honoured), tuple(ignored), tuple(uncertain), tuple(variant))


def _metadata_read(up: Upstream, major: int, name: str) -> bool:
    """PRETEND_METADATA has no effect on success; it counts as read when a reader consults it."""
    for reader in up.model(major).readers:
        if reader.dist_unknown:
            continue
        for rule in lookup_order(major, reader.dist, METADATA):
            if rule.matches(name):
                return True
    return False


def _majors(ms: Sequence[int]) -> str:
    items = [f"{m}.x" for m in ms]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _why_not(up: Upstream, major: int, name: str) -> str:
    """One clause: which reader does not read ``name`` under ``major``, and what it reads."""
    parsed = parse_name(name)
    model = up.model(major)
    if parsed is not None and parsed.setting == METADATA and major < 9:
        return f"setuptools-scm {major}.x has no {parsed.prefix}_{METADATA} (it came in 9.0)"
    if not model.readers:
        if (
            up.setup_py is not None
            and up.setup_py.setup_calls
            and up.setup_py.setup_calls[0].passes_version
        ):
            s = up.setup_py.setup_calls[0]
            return (
                f"the upstream build does not get its version from setuptools-scm "
                f"(setup() at {up.setup_py.path}:{s.line} passes version={s.version.text}"  # type: ignore[union-attr]
                + (
                    f"; the build hook stands down: {model.hook.stand_down_why}"
                    if model.hook.activated
                    else ""
                )
                + ")"
            )
        return f"setuptools-scm is not involved in this build ({model.hook.why})"
    setting = parsed.setting if parsed is not None else VERSION
    for reader in model.readers:
        rules = lookup_order(major, reader.dist, setting)
        if any(r.matches(name) for r in rules):
            continue
        reads = " > ".join(r.name for r in rules if not r.variant) or "nothing"
        if reader.kind == "call":
            where = f"{reader.label()} ({reader.dist_source})"
        else:
            where = f"the build hook (dist name from {reader.dist_source})"
        extra = ""
        if parsed is not None and parsed.suffix is not None and reader.dist is not None:
            extra = f"; its dist name {reader.dist!r} would need _FOR_{_suffix(reader.dist, major)}"
        return f"{where} reads only {reads}{extra}"
    return "no reader takes its value"


def _suffix(dist: str, major: int) -> str:
    from patchkit.scm.names import dist_suffix

    return dist_suffix(dist, major)


def _fix_for(up: Upstream, name: str, ignored: Sequence[int]) -> str:
    parsed = parse_name(name)
    if not up.uses_scm:
        return "remove it: it has no effect on this upstream's version"
    setting = parsed.setting if parsed is not None else VERSION
    generic = f"{SS}_{setting}"
    no_dist = [
        r
        for m in ignored
        for r in up.model(m).readers
        if r.kind == "call" and r.dist is None and not r.dist_unknown
    ]
    if parsed is not None and parsed.suffix is not None and no_dist:
        r = no_dist[0]
        return (
            f"use {generic} (fine when the build makes one distribution), or have upstream pass "
            f"dist_name= to get_version() at {r.where}"
        )
    if parsed is not None and parsed.setting == METADATA and all(m < 9 for m in ignored):
        return "require setuptools-scm>=9 if the build depends on it (it only adjusts metadata)"
    if parsed is not None and parsed.prefix == VV:
        return f"use {generic}, which every setuptools-scm release reads"
    return f"use {generic}"


def check(
    up: Upstream | None,
    files: Sequence[FileSetters],
    build_args: Mapping[str, BuildArgs] | None = None,
) -> list[Diagnostic]:
    """Every finding for the given setters; ``up`` None means "upstream unknown".

    ``build_args``: for a Dockerfile path, what its builds pass (from the build
    model): an ARG without default that every build passes is not empty
    (PKS007 stays silent), and when one is missing, the finding says where
    patchkit looked.
    """
    given = up is not None
    model = up if up is not None else generic_upstream()
    diags: list[Diagnostic] = []
    for f in files:
        passed = (build_args or {}).get(f.path)
        for s in f.setters:
            diags += _check_setter(model, given, s, passed)
        diags += _check_shadowing(model, f)
    return _unique(diags)


@dataclass(frozen=True, slots=True)
class BuildArgs:
    """What the builds of one Dockerfile pass: per ARG, whether every build passes it, and where.

    ``missing``: for an ARG, the builds that do not pass it (their labels and
    where they are declared), for the message.
    """

    passed_by_all: frozenset[str]
    missing: Mapping[str, tuple[str, ...]]
    builds: tuple[str, ...] = ()  # every build of the file (none passes an ARG it never names)


def _diag(s: Setter, code: str, message: str, severity: Severity, fix: str | None) -> Diagnostic:
    return Diagnostic(code, message, s.path, s.line, s.col, severity, s.end_line, s.end_col, fix)


def _check_setter(
    up: Upstream, given: bool, s: Setter, passed: BuildArgs | None = None
) -> list[Diagnostic]:
    return [
        *_export_findings(s),
        *_name_findings(up, given, s),
        *_value_findings(s, passed),
    ]


def _export_findings(s: Setter) -> list[Diagnostic]:
    if s.exported:
        return []
    fix = {
        "global ARG": f"declare ARG {s.name} again inside the stage that runs the build",
        "make variable": f"write export {s.name} = …",
    }.get(s.kind, f"export {s.name}=… (or put it in front of the build command)")
    message = f"{s.name} is assigned here but never reaches the build's environment ({s.note})."
    return [_diag(s, "PKS008", message, Severity.ERROR, fix)]


_NO_UPSTREAM = (
    "no --upstream was given, and a get_version() call without dist_name "
    "(vLLM's setup.py) never reads _FOR_ names"
)


def _name_findings(up: Upstream, given: bool, s: Setter) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    parsed = parse_name(s.name)
    metadata = parsed is not None and parsed.setting == METADATA
    verdict = _verdict(up, s.name)
    if verdict.uncertain:
        why = (
            _NO_UPSTREAM if not given else "the upstream passes a dist_name patchkit cannot resolve"
        )
        fix = f"pass --upstream DIR, or use {GENERIC}" if not given else f"use {GENERIC}"
        message = f"patchkit cannot tell whether the build reads {s.name}: {why}."
        out.append(_diag(s, "PKS009", message, Severity.WARNING, fix))
    vv_only = parsed is not None and parsed.prefix == VV and bool(verdict.honoured)
    if verdict.ignored and vv_only and all(m < 10 for m in verdict.ignored):
        message = (
            f"{s.name} is read only by setuptools-scm 10 and later, but {pyproject_text(up)} "
            f"also admits {_majors(verdict.ignored)}, which ignore the VCS_VERSIONING_ prefix."
        )
        setting = parsed.setting if parsed is not None else VERSION
        fix = f"use {SS}_{setting} (every release reads it), or require setuptools-scm>=10"
        return [*out, _diag(s, "PKS004", message, Severity.ERROR, fix)]
    if verdict.ignored:
        every = len(verdict.ignored) == len(up.majors)
        when = (
            "any admitted setuptools-scm major"
            if every
            else f"setuptools-scm {_majors(verdict.ignored)}"
        )
        why = _why_not(up, verdict.ignored[0], s.name)
        message = f"The upstream build does not read {s.name} under {when}: {why}."
        if verdict.honoured:
            verb = "does" if len(verdict.honoured) == 1 else "do"
            message += f" ({_majors(verdict.honoured)} {verb} read it.)"
        severity = Severity.WARNING if metadata else Severity.ERROR
        out.append(_diag(s, "PKS001", message, severity, _fix_for(up, s.name, verdict.ignored)))
    elif verdict.variant_only and parsed is not None:
        exact = None
        for m in verdict.variant_only:
            for r in up.model(m).readers:
                if r.dist is not None:
                    exact = f"{parsed.prefix}_{parsed.setting}_FOR_{_suffix(r.dist, m)}"
        message = (
            f"{s.name} is read only as a variant spelling (setuptools-scm logs a warning), "
            f"and 9.x prefers it over {SS}_{parsed.setting} while 10.x does not."
        )
        fix = f"spell it {exact}" if exact else "use the canonical spelling"
        out.append(_diag(s, "PKS006", message, Severity.WARNING, fix))
    return out


def _value_findings(s: Setter, passed: BuildArgs | None = None) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    parsed = parse_name(s.name)
    if s.value == "":
        if parsed is None:
            message = f"{s.name} is empty, and setup.py only uses it when it is non-empty."
            out.append(
                _diag(s, "PKS003", message, Severity.WARNING, "give it a version or remove it")
            )
        else:
            message = (
                f"{s.name} is empty: setuptools-scm takes the first name that is present, even "
                "when empty, and an empty value means no version (later names are masked)."
            )
            out.append(
                _diag(s, "PKS003", message, Severity.ERROR, "give it a version, or remove it")
            )
    elif s.value is not None and parsed is not None and parsed.setting == METADATA:
        problem = _metadata_problem(s.value)
        if problem:
            fix = "write a TOML inline table such as {dirty=false}"
            out.append(
                _diag(s, "PKS005", f"{s.name}={s.value!r} is {problem}.", Severity.ERROR, fix)
            )
    elif s.value is not None:
        p = _pep440_problem(s.value)
        if p is not None:
            severity, why, how = p
            out.append(_diag(s, "PKS005", why[0].upper() + why[1:] + ".", severity, how))
    if s.empty_unless and not (passed is not None and s.empty_unless in passed.passed_by_all):
        arg = s.empty_unless
        message = (
            f"{s.name} takes ${arg}, an ARG without default: without --build-arg {arg}=… "
            "it is empty, which setuptools-scm reads as no version."
        )
        if passed is not None:
            looked = "; ".join(passed.missing.get(arg) or passed.builds) or "the builds of this file"
            message += f" Not passed by: {looked}."
        fix = f"give ARG {arg} a default, or pass --build-arg {arg}=…"
        out.append(_diag(s, "PKS007", message, Severity.WARNING, fix))
    return out


def pyproject_text(up: Upstream) -> str:
    if up.pyproject is not None and up.pyproject.requirement is not None:
        return f"build-system.requires {up.pyproject.requirement.text!r}"
    return "the unpinned build"


def _check_shadowing(up: Upstream, f: FileSetters) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for ctx in f.contexts:
        env: dict[str, str] = {}
        where: dict[str, Setter] = {}
        for i in ctx.setters:
            s = f.setters[i]
            if not s.exported:
                continue
            env.pop(s.name, None)
            env[s.name] = s.value if s.value is not None else "<dynamic>"
            where[s.name] = s
        out += _overwritten_by_setup_py(up, ctx.label, env, where)
        if len(env) < 2:
            continue
        for major in up.majors:
            result = simulate(up, major, env)
            for reader, hit in result.hits:
                if hit is None:
                    continue
                for name, s in where.items():
                    if name == hit.name or not _reads(reader.rules, name):
                        continue
                    winner = where.get(hit.name)
                    if winner is None:
                        continue
                    masked = " (empty, so no version at all)" if hit.value == "" else ""
                    at = f"{winner.path}:{winner.line}:{winner.col}"
                    message = (
                        f"{s.name} is shadowed in {ctx.label}: {hit.name}, set at {at}, comes "
                        f"first in setuptools-scm {major}'s lookup for {reader.label()} and "
                        f"wins{masked}."
                    )
                    fix = f"set only one of {hit.name} and {s.name}"
                    out.append(_diag(s, "PKS002", message, Severity.WARNING, fix))
    return out


def _overwritten_by_setup_py(
    up: Upstream, label: str, env: dict[str, str], where: dict[str, Setter]
) -> list[Diagnostic]:
    """A variable that setup.py itself overwrites (vLLM: from VLLM_VERSION_OVERRIDE) is lost."""
    out: list[Diagnostic] = []
    path = up.setup_py.path if up.setup_py is not None else "setup.py"
    for a in up.self_sets:
        s = where.get(a.name)
        if s is None or a.kind in ("os.putenv", "os.environ.setdefault"):
            continue
        if not all(g.holds(env) for g in a.guards):
            continue
        source = f"${a.value.env_var}" if a.value.kind == "env" else a.value.text
        if a.value.kind == "env" and a.value.env_var not in env:
            continue
        message = (
            f"{s.name} is overwritten in {label}: {path}:{a.line} sets it to {source} "
            "before setuptools-scm reads it."
        )
        fix = f"set only {a.value.env_var}" if a.value.kind == "env" else f"remove {s.name}"
        out.append(_diag(s, "PKS002", message, Severity.WARNING, fix))
    return out


def _reads(rules: Sequence[NameRule], name: str) -> bool:
    return any(r.matches(name) for r in rules)


def _unique(diags: list[Diagnostic]) -> list[Diagnostic]:
    seen: set[tuple[str, str, int, int]] = set()
    out = []
    for d in diags:
        key = (d.code, d.path, d.line, d.col)
        if key in seen:
            continue
        seen.add(key)
        out.append(d)
    return out
