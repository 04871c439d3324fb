"""Builds declared in CI and build files: GitHub workflows, docker-bake.hcl, Makefiles, scripts.

- a workflow step ``uses: docker/build-push-action@…`` with ``with: { context,
  file, platforms, build-args, target }`` (the action's defaults: context
  ``.`` when the step sets none — the action's own default is the git
  context of the commit, the same tree — and ``<context>/Dockerfile``);
- ``run:`` steps of workflows, Makefile recipes and shell scripts: the
  ``docker build`` command lines they hold (``patchkit.build.commands``);
- ``docker-bake.hcl``: each ``target`` block's ``dockerfile``, ``context``,
  ``platforms``, ``args`` and ``target``, with ``${VAR}`` resolved from the
  ``variable`` blocks' defaults (read with python-hcl2).
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any

from patchkit.build.commands import builds_in_shell
from patchkit.build.model import Build, Fact, Origin

__all__ = ["bake_builds", "makefile_builds", "script_builds", "workflow_builds"]

_BUILD_PUSH = re.compile(r"docker/build-push-action@")


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def workflow_builds(path: str, text: str) -> list[Build]:
    """Builds of one workflow file: build-push-action steps and build commands in ``run:``."""
    from patchkit._source import splitlines_offset
    from patchkit._yaml import load_roundtrip

    doc = load_roundtrip(path, text)
    found: list[Build] = []
    jobs = doc.get("jobs") if isinstance(doc, dict) else None
    if not isinstance(jobs, dict):
        return found
    for job_id, job in jobs.items():
        steps = job.get("steps") if isinstance(job, dict) else None
        if not isinstance(steps, list):
            continue
        for index, step in enumerate(steps):
            if not isinstance(step, dict):
                continue
            line, col = steps.lc.item(index)  # type: ignore[attr-defined]
            step_origin = Origin(path, line + 1, col + 1)
            name = str(step.get("name") or f"{job_id} step {index + 1}")
            uses = step.get("uses")
            if isinstance(uses, str) and _BUILD_PUSH.search(uses):
                found.append(_build_push(path, name, step, step_origin))
            run = step.get("run")
            if isinstance(run, str):
                vl, vc = step.lc.value("run")  # type: ignore[attr-defined]
                start = splitlines_offset(text, vl + 1, vc)
                base = text.find(run.splitlines()[0], start) if run.strip() else -1
                folder = str(step.get("working-directory") or ".")
                found.extend(
                    builds_in_shell(
                        run,
                        path,
                        posixpath.normpath(folder),
                        "a workflow run: step (relative to the repo root)",
                        file_text=text if base >= 0 else None,
                        base=max(base, 0),
                    )
                )
    return found


def _build_push(path: str, name: str, step: dict, origin: Origin) -> Build:  # type: ignore[type-arg]
    given = step.get("with")
    inputs: Any = given if isinstance(given, dict) else {}
    unknowns: list[tuple[str, Origin | None]] = []

    def fact(key: str) -> Fact[str] | None:
        value = inputs.get(key)
        if value is None:
            return None
        line, col = inputs.lc.value(key)
        where = Origin(path, line + 1, col + 1)
        text = str(value).strip()
        if "${{" in text:
            unknowns.append((f"{key}: {text} is an expression", where))
            return None
        return Fact(text, where)

    context = fact("context") or Fact(".", None, "build-push-action builds the repository's tree")
    context = Fact(posixpath.normpath(context.value), context.origin, context.default)
    file = fact("file")
    dockerfile = (
        Fact(posixpath.normpath(file.value), file.origin)
        if file is not None
        else Fact(
            posixpath.normpath(posixpath.join(context.value, "Dockerfile")),
            None,
            "build-push-action uses <context>/Dockerfile without file:",
        )
    )
    platforms_fact = fact("platforms")
    platforms: Fact[tuple[str, ...]] = (
        Fact(
            tuple(p.strip() for p in re.split(r"[,\n]", platforms_fact.value) if p.strip()),
            platforms_fact.origin,
        )
        if platforms_fact is not None
        else Fact((), None, "no platforms: the runner's own platform")
    )
    args: dict[str, Fact[str | None]] = {}
    raw_args = inputs.get("build-args")
    if raw_args is not None:
        line, col = inputs.lc.value("build-args")
        where = Origin(path, line + 1, col + 1)
        for item in str(raw_args).splitlines():
            item = item.strip()
            if not item:
                continue
            key, eq, val = item.partition("=")
            # an expression (${{ github.sha }}) is passed; its value is known only at run time
            args[key.strip()] = Fact(val if eq and "${{" not in val else None, where)
    return Build(
        "workflow",
        name,
        origin,
        dockerfile=dockerfile,
        context=context,
        target=fact("target"),
        platforms=platforms,
        build_args=args,
        unknowns=tuple(unknowns),
    )


def makefile_builds(path: str, text: str) -> list[Build]:
    """Build commands in a Makefile's recipes (paths relative to the Makefile's folder)."""
    folder = posixpath.dirname(path) or "."
    found: list[Build] = []
    lines = text.split("\n")
    offset = 0
    recipe: list[str] = []
    recipe_start = 0
    for line in [*lines, ""]:
        if line.startswith("\t") or (recipe and recipe[-1].endswith("\\")):
            if not recipe:
                recipe_start = offset
            recipe.append(line)
        else:
            if recipe:
                found.extend(_recipe(recipe, path, folder, text, recipe_start))
                recipe = []
        offset += len(line) + 1
    return found


def _recipe(lines: list[str], path: str, folder: str, text: str, start: int) -> list[Build]:
    # a recipe line's leading tab and @/-/+ prefixes are make's, not the shell's; keep offsets
    body = "\n".join(lines)
    cleaned = re.sub(r"(?m)^\t([@+-]*)", lambda m: " " * (1 + len(m.group(1))), body)
    return builds_in_shell(cleaned, path, folder, "a Makefile recipe", file_text=text, base=start)


def script_builds(path: str, text: str) -> list[Build]:
    """Build commands in a shell script (paths relative to the repo root, as StartOS scripts cd there)."""
    return builds_in_shell(
        text, path, ".", "a script (paths taken relative to the repo root)", file_text=text
    )


def bake_builds(root: Path, path: str) -> list[Build]:
    """The targets of a ``docker-bake.hcl`` (python-hcl2), with variables' defaults substituted."""
    import io

    from patchkit._fs import read_source
    from patchkit.errors import InputError

    text = read_source(root / path)
    try:
        import hcl2

        doc = hcl2.load(io.StringIO(text))
    except ImportError as exc:  # pragma: no cover - a dependency of patchkit
        raise InputError("python-hcl2 is not installed; it reads docker-bake.hcl", path) from exc
    except Exception as exc:  # python-hcl2 raises lark errors of many kinds
        raise InputError(
            f"not valid HCL: {str(exc).splitlines()[0] if str(exc) else exc}", path
        ) from exc
    variables: dict[str, str] = {}
    for block in doc.get("variable", []) or []:
        for name, body in block.items():
            default = body.get("default") if isinstance(body, dict) else None
            if isinstance(default, str):
                variables[_unquote(name)] = _unquote(default)
    found: list[Build] = []
    for block in doc.get("target", []) or []:
        for raw_name, body in block.items():
            if not isinstance(body, dict):
                continue
            name = _unquote(raw_name)
            header = re.search(r'target\s+"' + re.escape(name) + r'"', text)
            start = header.start() if header else 0
            origin = Origin(path, _line_of(text, start), 1)

            def attr(key: str, start: int = start, origin: Origin = origin) -> Origin:
                m = re.compile(r"(?m)^\s*" + re.escape(key) + r"\s*=").search(text, start)
                return Origin(path, _line_of(text, m.start()), 1) if m else origin

            unknowns: list[tuple[str, Origin | None]] = []

            def value(
                raw: object, key: str, unknowns: list[tuple[str, Origin | None]] = unknowns
            ) -> str | None:
                if not isinstance(raw, str):
                    return None
                got = _substitute(_unquote(raw), variables)
                if got is None:
                    unknowns.append((f"{key} {raw} uses an unknown variable", attr(key)))
                return got

            context_text = value(body.get("context"), "context") or "."
            context = Fact(
                posixpath.normpath(context_text),
                attr("context") if "context" in body else None,
                None if "context" in body else "bake builds the folder of the bake file",
            )
            dockerfile_text = value(body.get("dockerfile"), "dockerfile")
            dockerfile = (
                Fact(
                    posixpath.normpath(posixpath.join(context.value, dockerfile_text)),
                    attr("dockerfile"),
                )
                if dockerfile_text
                else Fact(
                    posixpath.normpath(posixpath.join(context.value, "Dockerfile")),
                    None,
                    "bake uses <context>/Dockerfile without dockerfile",
                )
            )
            platforms_raw = body.get("platforms")
            platforms: Fact[tuple[str, ...]] = (
                Fact(
                    tuple(v for v in (value(p, "platforms") for p in platforms_raw) if v),
                    attr("platforms"),
                )
                if isinstance(platforms_raw, list)
                else Fact((), None, "no platforms: the builder's own platform")
            )
            args: dict[str, Fact[str | None]] = {}
            raw_args = body.get("args")
            if isinstance(raw_args, dict):
                for key, val in raw_args.items():
                    args[_unquote(key)] = Fact(value(val, "args"), attr("args"))
            target_text = value(body.get("target"), "target")
            found.append(
                Build(
                    "bake",
                    name,
                    origin,
                    dockerfile=dockerfile,
                    context=context,
                    target=Fact(target_text, attr("target")) if target_text else None,
                    platforms=platforms,
                    build_args=args,
                    unknowns=tuple(unknowns),
                )
            )
    return found


def _unquote(text: str) -> str:
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == '"' else text


def _substitute(text: str, variables: dict[str, str]) -> str | None:
    missing = False

    def sub(m: re.Match[str]) -> str:
        nonlocal missing
        name = m.group(1)
        if name in variables:
            return variables[name]
        missing = True
        return m.group(0)

    out = re.sub(r"\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}", sub, text)
    return None if missing else out
