"""The build model as text (one block per build, each fact with its source) and as JSON."""

from __future__ import annotations

from typing import TextIO

from patchkit.build.model import Build, BuildModel, Fact

__all__ = ["SCHEMA", "model_to_json", "render_text"]

#: The ``schema`` field of ``patchkit build --format json``.
SCHEMA = "patchkit/build/v1"


def _fact_json(fact: Fact[object] | None) -> dict[str, object] | None:
    if fact is None:
        return None
    value = list(fact.value) if isinstance(fact.value, tuple) else fact.value
    out: dict[str, object] = {"value": value}
    if fact.origin is not None:
        out.update(path=fact.origin.path, line=fact.origin.line, col=fact.origin.col)
    if fact.default is not None:
        out["default"] = fact.default
    return out


def _build_json(b: Build) -> dict[str, object]:
    return {
        "label": b.label,
        "source": b.source,
        "image": b.image,
        "variant": b.variant,
        "default_variant": b.default_variant,
        "origin": str(b.origin) if b.origin else None,
        "dockerfile": _fact_json(b.dockerfile),  # type: ignore[arg-type]
        "context": _fact_json(b.context),  # type: ignore[arg-type]
        "target": _fact_json(b.target),  # type: ignore[arg-type]
        "platforms": _fact_json(b.platforms),  # type: ignore[arg-type]
        "build_args": {k: _fact_json(v) for k, v in b.build_args.items()},  # type: ignore[arg-type]
        "tag": _fact_json(b.tag),  # type: ignore[arg-type]
        "unknowns": [{"message": m, "at": str(o) if o else None} for m, o in b.unknowns],
    }


def model_to_json(model: BuildModel) -> dict[str, object]:
    return {
        "schema": SCHEMA,
        "root": model.root,
        "manifest": model.manifest,
        "upstream": _fact_json(model.upstream),  # type: ignore[arg-type]
        "submodules": [
            {"name": s.name, "path": s.path, "url": s.url, "at": str(s.origin)}
            for s in model.submodules
        ],
        "builds": [_build_json(b) for b in model.builds],
        "notes": [{"message": m, "at": str(o) if o else None} for m, o in model.notes],
    }


def _where(fact: Fact[object]) -> str:
    return f"  ({fact.where()})"


def render_text(model: BuildModel, out: TextIO) -> None:
    w = out.write
    w(
        f"manifest: {model.manifest or 'none (no startos/manifest.ts or startos/manifest/index.ts)'}\n"
    )
    if model.upstream is not None:
        w(f"upstream: {model.upstream.value}/{_where(model.upstream)}\n")  # type: ignore[arg-type]
    else:
        w("upstream: none (no submodule, no upstream/ folder)\n")
    for s in model.submodules:
        w(f"submodule {s.name}: {s.path}  ({s.origin})\n")
    if not model.builds:
        w("builds: none found\n")
    for b in model.builds:
        default = " [default]" if b.variant and b.default_variant else ""
        w(f"\n{b.label}{default}" + (f"  ({b.origin})" if b.origin else "") + "\n")
        if b.tag is not None:
            w(f"  prebuilt image: {b.tag.value}{_where(b.tag)}\n")  # type: ignore[arg-type]
        for name, fact in (
            ("dockerfile", b.dockerfile),
            ("context", b.context),
            ("target", b.target),
        ):
            if fact is not None:
                w(f"  {name}: {fact.value}{_where(fact)}\n")  # type: ignore[arg-type]
        if b.dockerfile is not None and b.target is None:
            w("  target: the last stage  (no --target)\n")
        platforms = ", ".join(b.platforms.value) or "the builder's own"
        w(f"  platforms: {platforms}{_where(b.platforms)}\n")  # type: ignore[arg-type]
        for name, arg in b.build_args.items():
            shown = arg.value if arg.value is not None else "(set at build time)"
            w(f"  build arg {name}={shown}{_where(arg)}\n")  # type: ignore[arg-type]
        for message, origin in b.unknowns:
            w(f"  not read: {message}" + (f"  ({origin})" if origin else "") + "\n")
    for message, origin in model.notes:
        w(f"note: {message}" + (f"  ({origin})" if origin else "") + "\n")
