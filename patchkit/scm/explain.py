"""Render an :class:`~patchkit.scm.model.Upstream` for ``patchkit scm explain``."""

from __future__ import annotations

from patchkit.scm.model import Candidate, Reader, Upstream, honoured_names
from patchkit.scm.names import canonical_dist, dist_suffix

__all__ = ["explain_json", "explain_text"]

_RULE = {
    7: "suffix = dist name upper-cased as written (no normalisation)",
    8: "suffix = dist name with runs of '-', '_', '.' turned into '_', upper-cased",
    9: "suffix = dist name with runs of '-', '_', '.' turned into '_', upper-cased; "
    "any other spelling with the same canonical name is accepted with a warning, "
    "before the generic name",
    10: "suffix = dist name with runs of '-', '_', '.' turned into '_', upper-cased; "
    "any other spelling with the same canonical name is accepted with a warning, "
    "after every exact name",
}


def _guards(r: Reader) -> str:
    return ", when " + " and ".join(g.describe() for g in r.guards) if r.guards else ""


def _reader_line(r: Reader) -> str:
    order = " > ".join(rule.name for rule in r.rules)
    fb = f"; never fails (fallback_version {r.fallback!r})" if r.fallback is not None else ""
    if r.kind == "hook":
        return f"build hook (dist name {r.dist!r} from {r.dist_source}): {order}{fb}"
    return f"{r.label()}{_guards(r)} ({r.dist_source}): {order}{fb}"


def _names(cands: tuple[Candidate, ...]) -> list[str]:
    out = []
    for c in cands:
        out.append(c.name + (f"  ({c.note})" if c.note else ""))
    return out


def explain_text(up: Upstream) -> str:
    lines: list[str] = [f"upstream: {up.root}"]
    if up.setup_py is not None:
        calls = len(up.setup_py.reachable_calls)
        lines.append(
            f"  setup.py: {up.setup_py.path} "
            f"({calls} reachable get_version() call{'s' if calls != 1 else ''})"
        )
    if up.pyproject is not None:
        p = up.pyproject
        bits = [f"[project] name {p.name!r}" if p.name else "no [project] name"]
        bits.append(
            "version dynamic"
            if p.dynamic_version
            else (f"version {p.static_version!r}" if p.static_version else "no version")
        )
        bits.append(
            "[tool.setuptools_scm] present" if p.tool_section else "no [tool.setuptools_scm]"
        )
        if p.tool_dist_name:
            bits.append(f"dist_name {p.tool_dist_name!r}")
        lines.append(f"  pyproject.toml: {p.path} ({', '.join(bits)})")
    lines.append(f"setuptools-scm majors: {', '.join(map(str, up.majors))} ({up.majors_source})")
    if up.self_sets:
        lines.append("setup.py sets pretend variables itself:")
        for a in up.self_sets:
            src = f"${a.value.env_var}" if a.value.kind == "env" else a.value.text
            guard = ", when " + " and ".join(g.describe() for g in a.guards) if a.guards else ""
            what = {
                "os.environ[...] =": f"os.environ[{a.name!r}] = {src}",
                "os.environ.setdefault": f"os.environ.setdefault({a.name!r}, {src})",
                "os.environ.update": f"os.environ.update({a.name}={src})",
                "os.putenv": f"os.putenv({a.name!r}, {src}) "
                "(invisible to os.environ, so setuptools-scm never sees it)",
            }.get(a.kind, f"{a.name} = {src}")
            lines.append(f"  {up.setup_py.path}:{a.line}:{a.col}: {what}{guard}")  # type: ignore[union-attr]
    if not up.uses_scm:
        lines.append(
            "setuptools-scm is not involved in this build under any admitted major: "
            "no pretend variable is read."
        )
    for m in up.models:
        lines.append("")
        lines.append(f"setuptools-scm {m.major}.x")
        for r in m.readers:
            lines.append(f"  {_reader_line(r)}")
        hook = m.hook
        if not hook.activated:
            lines.append(f"  build hook: not activated ({hook.why})")
        elif hook.stands_down:
            lines.append(
                f"  build hook: activated by {hook.why}, stands down: {hook.stand_down_why}"
            )
        dists = sorted({r.dist for r in m.readers if r.dist})
        if dists:
            for d in dists:
                lines.append(
                    f"  dist name {d!r} -> _FOR_{dist_suffix(d, m.major)}; {_RULE[m.major]}"
                )
        elif m.readers:
            lines.append("  no reader knows a distribution name, so no _FOR_<DIST> name is read")
        honoured, ignored = honoured_names(up, m.major)
        lines.append(
            "  honoured (first present name wins; "
            "an empty value counts as present and means no version):"
        )
        ordered = [c for c in honoured if not c.feeder]
        for i, c in enumerate(ordered, 1):
            lines.append(f"    {i}. {_names((c,))[0]}")
        if not ordered:
            lines.append("    (none)")
        for c in honoured:
            if c.feeder:
                lines.append(f"    also {_names((c,))[0]}")
        lines.append("  ignored:")
        lines += [f"    {n}" for n in _names(ignored)] or ["    (none)"]
    if up.notes:
        lines.append("")
        lines.append("notes:")
        lines += [f"  {n}" for n in up.notes]
    return "\n".join(lines) + "\n"


def explain_json(up: Upstream) -> dict[str, object]:
    def reader(r: Reader) -> dict[str, object]:
        return {
            "kind": r.kind,
            "path": r.path,
            "line": r.line,
            "col": r.col,
            "function": r.function,
            "guards": [g.describe() for g in r.guards],
            "dist_name": r.dist,
            "dist_source": r.dist_source,
            "dist_unknown": r.dist_unknown,
            "fallback_version": r.fallback,
            "lookup_order": [{"name": x.name, "variant": x.variant} for x in r.rules],
        }

    majors = []
    for m in up.models:
        honoured, ignored = honoured_names(up, m.major)
        majors.append(
            {
                "major": m.major,
                "readers": [reader(r) for r in m.readers],
                "hook": {
                    "activated": m.hook.activated,
                    "why": m.hook.why,
                    "stands_down": m.hook.stands_down,
                    "stand_down_why": m.hook.stand_down_why or None,
                    "dist_name": m.hook.dist,
                },
                "normalisation": _RULE[m.major],
                "suffixes": {
                    d: dist_suffix(d, m.major)
                    for d in sorted({r.dist for r in m.readers if r.dist})
                },
                "canonical": {
                    d: canonical_dist(d) for d in sorted({r.dist for r in m.readers if r.dist})
                },
                "honoured": [
                    {"name": c.name, "variant": c.variant, "note": c.note or None} for c in honoured
                ],
                "ignored": [c.name for c in ignored],
            }
        )
    return {
        "schema": "patchkit/scm-explain/v1",
        "upstream": up.root,
        "setup_py": up.setup_py.path if up.setup_py else None,
        "pyproject": up.pyproject.path if up.pyproject else None,
        "majors": list(up.majors),
        "majors_source": up.majors_source,
        "uses_setuptools_scm": up.uses_scm,
        "self_set": [
            {
                "line": a.line,
                "col": a.col,
                "name": a.name,
                "kind": a.kind,
                "from_env": a.value.env_var,
                "value": a.value.value if a.value.kind == "literal" else None,
                "guards": [g.describe() for g in a.guards],
            }
            for a in up.self_sets
        ],
        "per_major": majors,
        "notes": list(up.notes),
    }
