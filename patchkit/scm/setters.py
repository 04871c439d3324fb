"""Find the places that set pretend-version variables, with file, line and column.

File kinds (chosen by file name, see :func:`file_kind`):

* **Dockerfile**: ``ENV`` and ``ARG`` (through the Dockerfile tree), and inside
  ``RUN`` the inline ``VAR=value cmd`` and ``export VAR=value`` forms (shell
  form only; a ``RUN <<EOF`` script body too). A *context* is what one RUN
  command sees: ENV and ARG of its stage and the stages it is built FROM,
  plus its own assignments. A global ``ARG`` (before the first FROM) is not in
  any RUN's environment unless the stage declares it again.
* **shell script**: assignments, ``export``, ``env VAR=…``, ``set -a``,
  ``docker build --build-arg VAR=…`` and the script of ``sh -c '…'``.
* **Makefile**: ``export VAR = …`` lines, plain ``VAR = …`` lines (not in the
  recipes' environment unless exported) and the recipes' shell lines.
* **GitHub workflow** (YAML with ``jobs``): ``env:`` at workflow, job, container,
  service and step level (ruamel.yaml, positions kept), ``run:`` scripts, and
  ``with: build-args:`` lines (docker/build-push-action).

``want`` decides which names are collected: pretend-version names plus
whatever feeds them upstream (vLLM's ``VLLM_VERSION_OVERRIDE``).
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from patchkit._fs import walk_error
from patchkit._names import NOT_DOCKERFILE_SUFFIXES
from patchkit._source import SourceText, splitlines_offset
from patchkit.errors import InputError, SourceError
from patchkit.scm._read import read_text
from patchkit.scm._shell import ShellAssignment, scan_shell

if TYPE_CHECKING:
    from patchkit.dockerfile import Instruction

__all__ = [
    "Context",
    "FileSetters",
    "Setter",
    "file_kind",
    "find_setters",
    "iter_input_files",
    "scan_file",
]


@dataclass(frozen=True, slots=True)
class Setter:
    """One place that gives a variable a value.

    ``value``: the literal value (quotes removed), or None when it expands at
    build time (``$X``, ``$(cmd)``, ``${{ … }}``). ``exported``: the value
    reaches the environment of the build command. ``empty_unless``: the value
    is a bare reference to a Dockerfile ARG without default, so it is empty
    unless that build argument is passed.
    """

    name: str
    value: str | None
    raw: str
    path: str
    line: int
    col: int
    end_line: int
    end_col: int
    kind: str
    exported: bool = True
    empty_unless: str | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Context:
    """Setters that are in one environment together, in the order they apply."""

    label: str
    setters: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class FileSetters:
    path: str
    kind: str
    setters: tuple[Setter, ...]
    contexts: tuple[Context, ...] = field(default_factory=tuple)


_DOCKERFILE = (
    "Dockerfile",
    "Dockerfile.*",
    "*.Dockerfile",
    "*.dockerfile",
    "Containerfile",
    "Containerfile.*",
)
_MAKE = ("Makefile", "makefile", "GNUmakefile", "*.mk", "*.make")
_YAML = ("*.yml", "*.yaml")
_SHELL = ("*.sh", "*.bash", "*.ksh", "*.zsh")
_SKIP_DIRS = frozenset({".git", "node_modules", "__pycache__", ".venv", "venv", ".tox"})


def file_kind(path: str, text: str | None = None) -> str | None:
    """``dockerfile``, ``make``, ``yaml``, ``shell`` or None (by name; a shebang says shell)."""
    name = os.path.basename(path)
    for kind, patterns in (
        ("dockerfile", _DOCKERFILE),
        ("make", _MAKE),
        ("yaml", _YAML),
        ("shell", _SHELL),
    ):
        if any(fnmatch.fnmatchcase(name, p) for p in patterns):
            if kind == "dockerfile" and name.lower().endswith(NOT_DOCKERFILE_SUFFIXES):
                continue
            return kind
    if text is not None and text.startswith("#!") and re.match(r"#![^\n]*\b(ba|k|z|da)?sh\b", text):
        return "shell"
    return None


def iter_input_files(paths: list[str]) -> Iterator[tuple[str, str]]:
    """(path, kind) for each given file, and for recognised files under given folders."""
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p, onerror=walk_error):
                dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS or d == ".github")
                for f in sorted(files):
                    full = os.path.join(root, f)
                    kind = file_kind(full)
                    if kind == "yaml" and f"{os.sep}.github{os.sep}workflows{os.sep}" not in full:
                        continue
                    if kind is None and _has_shebang(full):
                        kind = "shell"
                    if kind is not None:
                        yield full, kind
        elif os.path.exists(p):
            kind = file_kind(p)
            if kind is None:
                kind = file_kind(p, read_text(p))
            if kind is None:
                raise InputError(
                    "cannot tell what kind of file this is; patchkit scm check reads Dockerfiles "
                    "(Dockerfile, *.Dockerfile), shell scripts (*.sh or a #!/bin/sh line), "
                    "Makefiles (Makefile, *.mk) and GitHub workflows (*.yml)",
                    p,
                )
            yield p, kind
        else:
            raise InputError("no such file or folder", p)


def _has_shebang(path: str) -> bool:
    from patchkit._fs import is_regular_file

    if not is_regular_file(path):
        return False  # a FIFO would block the open; reading it later says what it is
    try:
        with open(path, "rb") as fh:
            head = fh.read(64)
    except OSError:
        return False
    return re.match(rb"#![^\n]*\b(ba|k|z|da)?sh\b", head) is not None


def find_setters(paths: list[str], want: Callable[[str], bool]) -> list[FileSetters]:
    """Scan every input file; raises ``SourceError``/``InputError`` for unreadable input."""
    return [scan_file(path, kind, want) for path, kind in iter_input_files(paths)]


_LABELS = {
    "dockerfile": "Dockerfile",
    "make": "Makefile",
    "yaml": "YAML workflow",
    "shell": "shell script",
}


def scan_file(
    path: str, kind: str, want: Callable[[str], bool], text: str | None = None
) -> FileSetters:
    text = read_text(path, _LABELS.get(kind, kind)) if text is None else text
    if kind == "dockerfile":
        return _dockerfile(path, text, want)
    if kind == "make":
        return _makefile(path, text, want)
    if kind == "yaml":
        return _workflow(path, text, want)
    return _shell_file(path, text, want)


# --------------------------------------------------------------------------- helpers


def _setter(
    src: SourceText,
    path: str,
    name: str,
    value: str | None,
    raw: str,
    start: int,
    end: int,
    kind: str,
    **kw: object,
) -> Setter:
    line, col = src.line_col(start)
    eline, ecol = src.line_col(end)
    return Setter(name, value, raw, path, line, col, eline, ecol, kind, **kw)  # type: ignore[arg-type]


def _from_shell(src: SourceText, path: str, a: ShellAssignment, where: str) -> Setter:
    kind = {
        "inline": "inline",
        "export": "export",
        "assign": "assignment",
        "env": "env",
        "build-arg": "--build-arg",
    }[a.kind]
    note = "" if a.exported else "a shell variable, not exported to the commands that follow"
    if a.kind == "build-arg":
        note = "reaches the build only where the Dockerfile declares ARG " + a.name
    return _setter(
        src, path, a.name, a.value, a.raw_value, a.name_start, a.value_end,
        f"{where} {kind}".strip(), exported=a.exported, note=note,
    )  # fmt: skip


def _shell_contexts(
    assignments: list[ShellAssignment], offset: int, prefix: tuple[int, ...], label: str
) -> list[Context]:
    """File-level exported assignments, plus one context per command with inline ones."""
    file_level = tuple(
        offset + i
        for i, a in enumerate(assignments)
        if a.kind in ("export", "assign") and a.exported
    )
    out = [Context(label, prefix + file_level)] if prefix or file_level else []
    commands: dict[int, list[int]] = {}
    for i, a in enumerate(assignments):
        if a.kind in ("inline", "env"):
            commands.setdefault(a.command, []).append(offset + i)
    for cmd, idx in commands.items():
        before = tuple(
            offset + i
            for i, a in enumerate(assignments)
            if a.kind in ("export", "assign") and a.exported and a.command < cmd
        )
        out.append(Context(f"{label}, command {cmd + 1}", prefix + before + tuple(idx)))
    return out


# --------------------------------------------------------------------------- shell


def _shell_file(path: str, text: str, want: Callable[[str], bool]) -> FileSetters:
    src = SourceText(text)
    found = scan_shell(text, want)
    setters = tuple(_from_shell(src, path, a, "") for a in found)
    return FileSetters(path, "shell", setters, tuple(_shell_contexts(found, 0, (), "script")))


# --------------------------------------------------------------------------- Dockerfile

_REF = re.compile(r"^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$")
_SCRIPT_HEREDOC = re.compile(r"^\s*(?:(?:/usr)?/bin/)?(?:ba|da)?sh(?:\s+-\w+)*\s*<<|^\s*<<")


def _dockerfile(path: str, text: str, want: Callable[[str], bool]) -> FileSetters:
    from patchkit.dockerfile import parse

    tree = parse(text, path=path)
    src = SourceText(text)
    setters: list[Setter] = []
    contexts: list[Context] = []
    global_defaults: dict[str, str | None] = {}
    for ins in tree.global_args:
        for kv in ins.pairs:
            global_defaults[kv.key] = kv.value
            if want(kv.key):
                setters.append(
                    _setter(
                        src, path, kv.key, kv.value, kv.raw_value or "", kv.key_start,
                        kv.value_end, "global ARG", exported=False,
                        note="a global ARG (before the first FROM) is only visible in FROM lines",
                    )
                )  # fmt: skip
    # Per stage: the setters its RUN commands inherit, in order of application.
    stage_env: dict[int, tuple[int, ...]] = {}
    stage_args: dict[int, dict[str, str | None]] = {}
    for stage in tree.stages:
        inherited: tuple[int, ...] = ()
        args: dict[str, str | None] = {}
        if stage.parent is not None and stage.parent.index in stage_env:
            inherited = stage_env[stage.parent.index]
            args = dict(stage_args.get(stage.parent.index, {}))
        current = list(inherited)
        label = f"stage {stage.name or stage.index}"
        for ins in stage.instructions:
            if ins.keyword in ("ENV", "ARG"):
                for kv in ins.pairs:
                    if ins.keyword == "ARG":
                        default = kv.value if kv.value is not None else global_defaults.get(kv.key)
                        args[kv.key] = default
                    if not want(kv.key):
                        continue
                    if ins.keyword == "ARG":
                        value = kv.value if kv.value is not None else global_defaults.get(kv.key)
                        note = (
                            ""
                            if value is not None
                            else "set only when --build-arg gives it a value"
                        )
                        s = _setter(
                            src, path, kv.key, _plain(value), kv.raw_value or "", kv.key_start,
                            kv.value_end, "ARG", note=note,
                        )  # fmt: skip
                    else:
                        value, empty_unless = _expand(kv.value or "", args)
                        s = _setter(
                            src, path, kv.key, value, kv.raw_value or "", kv.key_start,
                            kv.value_end, "ENV", empty_unless=empty_unless,
                        )  # fmt: skip
                    current = [i for i in current if setters[i].name != kv.key]
                    current.append(len(setters))
                    setters.append(s)
            elif ins.keyword == "RUN" and ins.exec_form is None:
                found = _run_assignments(ins, want)
                start = len(setters)
                setters.extend(_from_shell(src, path, a, "RUN") for a in found)
                where = f"{label}, RUN at line {ins.start_line}"
                contexts.extend(_shell_contexts(found, start, tuple(current), where))
        stage_env[stage.index] = tuple(current)
        stage_args[stage.index] = args
        if current:
            contexts.append(Context(f"{label} (its ENV and ARG)", tuple(current)))
    return FileSetters(path, "dockerfile", tuple(setters), tuple(_dedupe(contexts)))


def _plain(value: str | None) -> str | None:
    return None if value is None or "$" in value else value


def _expand(value: str, args: dict[str, str | None]) -> tuple[str | None, str | None]:
    """A literal ENV value; a bare ``$ARG`` resolves to its default (or 'empty unless')."""
    if "$" not in value:
        return value, None
    m = _REF.match(value)
    if m:
        name = m.group(1) or m.group(2)
        if name in args:
            default = args[name]
            if default is None:
                return None, name
            return _plain(default), None
    return None, None


def _run_assignments(ins: Instruction, want: Callable[[str], bool]) -> list[ShellAssignment]:
    """Assignments in a shell-form RUN; a heredoc body counts when it is the script."""
    text = ins.tree.text
    heredocs = ins.heredocs
    end = heredocs[0].start if heredocs else ins.end
    found = scan_shell(text[ins.args_start : end], want, base=ins.args_start)
    if heredocs and _SCRIPT_HEREDOC.match(ins.args):
        body = heredocs[0]
        stop = body.delimiter_start if body.delimiter_start >= 0 else body.end
        found += scan_shell(text[body.start : stop], want, base=body.start)
    return found


def _dedupe(contexts: list[Context]) -> list[Context]:
    seen: set[tuple[int, ...]] = set()
    out = []
    for c in contexts:
        if c.setters and c.setters not in seen:
            seen.add(c.setters)
            out.append(c)
    return out


# --------------------------------------------------------------------------- Makefile

_MAKE_VAR = re.compile(
    r"^(?P<lead>(?:(?:export|override|private)\s+)*)"
    r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*"
    r"(?P<op>:::=|::=|:=|\?=|\+=|!=|=)[ \t]*(?P<value>.*)$"
)
_MAKE_EXPORT = re.compile(r"^export\s+(?P<names>[A-Za-z_][A-Za-z0-9_ \t]*)$")


def _makefile(path: str, text: str, want: Callable[[str], bool]) -> FileSetters:
    src = SourceText(text)
    setters: list[Setter] = []
    exported_names: set[str] = set()
    export_all = False
    recipe_found: list[tuple[int, list[ShellAssignment]]] = []
    offset = 0
    lines = text.splitlines(keepends=True)
    i = 0
    while i < len(lines):
        line = lines[i]
        start = offset
        # join continuation lines
        logical = line
        while logical.rstrip("\r\n").endswith("\\") and i + 1 < len(lines):
            i += 1
            logical += lines[i]
        offset += len(logical)
        i += 1
        body = logical.rstrip("\r\n")
        if body.startswith("\t"):
            found = scan_shell(body[1:], want, base=start + 1)
            if found:
                recipe_found.append((len(setters), found))
                setters.extend(_from_shell(src, path, a, "recipe") for a in found)
            continue
        stripped = body.strip()
        if stripped in (".EXPORT_ALL_VARIABLES:", "export"):
            export_all = True
            continue
        m = _MAKE_EXPORT.match(stripped)
        if m and "=" not in stripped:
            exported_names.update(m.group("names").split())
            continue
        m = _MAKE_VAR.match(body)
        if m is None or not want(m.group("name")):
            continue
        raw = m.group("value")
        hash_at = _make_comment(raw)
        raw = raw[:hash_at].rstrip() if hash_at >= 0 else raw.rstrip()
        value = None if "$" in raw else raw
        exported = "export" in m.group("lead").split()
        name_start = start + m.start("name")
        value_start = start + m.start("value")
        setters.append(
            _setter(
                src, path, m.group("name"), value, raw, name_start, value_start + len(raw),
                "make export" if exported else "make variable", exported=exported,
                note="" if exported else "a make variable; recipes see it only when exported",
            )
        )  # fmt: skip
    if export_all or exported_names:
        setters = [
            replace(s, exported=True, note="")
            if s.kind == "make variable" and (export_all or s.name in exported_names)
            else s
            for s in setters
        ]
    file_level = tuple(i for i, s in enumerate(setters) if s.kind.startswith("make") and s.exported)
    contexts = [Context("Makefile variables", file_level)] if file_level else []
    for first, found in recipe_found:
        contexts.extend(
            _shell_contexts(found, first, file_level, f"recipe line {setters[first].line}")
        )
    return FileSetters(path, "make", tuple(setters), tuple(_dedupe(contexts)))


def _make_comment(raw: str) -> int:
    i = 0
    while i < len(raw):
        if raw[i] == "\\":
            i += 2
            continue
        if raw[i] == "#":
            return i
        i += 1
    return -1


# --------------------------------------------------------------------------- GitHub workflows


class _YamlText(SourceText):
    """Offsets from ruamel's (line, column): YAML also ends a line at a lone CR, NEL,
    U+2028 and U+2029, which patchkit's own line numbers (``line_col``) do not count."""

    def offset(self, line: int, col: int = 1) -> int:
        return splitlines_offset(self.text, line, col - 1)

    def line_text(self, line: int) -> str:
        lines = self.text.splitlines()
        return lines[line - 1] if 0 < line <= len(lines) else ""


def _workflow(path: str, text: str, want: Callable[[str], bool]) -> FileSetters:
    from patchkit._yaml import load_roundtrip

    src = _YamlText(text)
    doc = load_roundtrip(path, text)
    setters: list[Setter] = []
    contexts: list[Context] = []
    if not isinstance(doc, dict) or "jobs" not in doc:
        return FileSetters(path, "yaml", (), ())

    def env_block(node: object, where: str) -> tuple[int, ...]:
        out: list[int] = []
        env = node.get("env") if isinstance(node, dict) else None
        if not isinstance(env, dict):
            return ()
        for key in env:
            if not isinstance(key, str) or not want(key):
                continue
            kl, kc = env.lc.key(key)  # type: ignore[attr-defined]  # ruamel CommentedMap
            vl, vc = env.lc.value(key)  # type: ignore[attr-defined]
            raw, value, _start, vend = _yaml_scalar(src, text, vl, vc, env[key])
            s = _setter(
                src, path, key, value, raw, src.offset(kl + 1, kc + 1), vend, f"{where} env"
            )
            setters.append(s)
            out.append(len(setters) - 1)
        return tuple(out)

    top = env_block(doc, "workflow")
    jobs = doc.get("jobs")
    if isinstance(jobs, dict):
        for job_id, job in jobs.items():
            if not isinstance(job, dict):
                continue
            job_env = top + env_block(job, f"job {job_id}")
            container = job.get("container")
            if isinstance(container, dict):
                c = env_block(container, f"job {job_id} container")
                if c:
                    contexts.append(Context(f"job {job_id} container", c))
            services = job.get("services")
            if isinstance(services, dict):
                for sname, service in services.items():
                    c = env_block(service, f"job {job_id} service {sname}")
                    if c:
                        contexts.append(Context(f"job {job_id} service {sname}", c))
            steps = job.get("steps")
            if job_env:
                contexts.append(Context(f"job {job_id}", job_env))
            if not isinstance(steps, list):
                continue
            for n, step in enumerate(steps, 1):
                if not isinstance(step, dict):
                    continue
                label = f"job {job_id}, step {step.get('name') or step.get('id') or n}"
                step_env = job_env + env_block(step, label)
                with_ = step.get("with")
                if isinstance(with_, dict) and isinstance(with_.get("build-args"), str):
                    first = len(setters)
                    found = _build_args_in_yaml(src, text, with_, with_["build-args"], want)
                    setters.extend(_from_shell(src, path, a, "workflow") for a in found)
                run = step.get("run")
                if isinstance(run, str):
                    first = len(setters)
                    found = _run_in_yaml(src, text, step, run, want)
                    setters.extend(_from_shell(src, path, a, "run:") for a in found)
                    contexts.extend(_shell_contexts(found, first, step_env, label))
                elif step_env:
                    contexts.append(Context(label, step_env))
    return FileSetters(path, "yaml", tuple(setters), tuple(_dedupe(contexts)))


def _yaml_scalar(
    src: SourceText, text: str, line0: int, col0: int, value: object
) -> tuple[str, str | None, int, int]:
    """The scalar as written at (line0, col0), its string value (None if an expression)."""
    start = src.offset(line0 + 1, col0 + 1)
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    segment = text[start:line_end].rstrip("\r")
    if segment[:1] in ("'", '"'):
        q = segment[0]
        j = 1
        while j < len(segment):
            if q == '"' and segment[j] == "\\":
                j += 2
                continue
            if segment[j] == q:
                if q == "'" and j + 1 < len(segment) and segment[j + 1] == "'":
                    j += 2
                    continue
                break
            j += 1
        raw = segment[: j + 1]
    else:
        hash_at = segment.find(" #")
        raw = (segment[:hash_at] if hash_at >= 0 else segment).rstrip()
    if value is None:
        text_value: str | None = ""
    elif isinstance(value, bool):
        text_value = "true" if value else "false"
    elif isinstance(value, str):
        text_value = str(value)
    else:
        text_value = raw  # numbers: keep the spelling as written
    if text_value is not None and "${{" in text_value:
        text_value = None
    return raw, text_value, start, start + len(raw)


def _run_in_yaml(
    src: SourceText, text: str, step: object, run: str, want: Callable[[str], bool]
) -> list[ShellAssignment]:
    """Assignments in a step's ``run:``; offsets mapped back onto the workflow text."""
    return _map_yaml_block(src, text, step, "run", run, scan_shell(run, want))


_BUILD_ARG_LINE = re.compile(r"[ \t]*([A-Za-z_][A-Za-z0-9_]*)=(.*)")


def _build_args_in_yaml(
    src: SourceText, text: str, with_: object, value: str, want: Callable[[str], bool]
) -> list[ShellAssignment]:
    """``with: build-args:`` of docker/build-push-action: one ``NAME=value`` per line."""
    found: list[ShellAssignment] = []
    pos = 0
    for line in value.split("\n"):
        m = _BUILD_ARG_LINE.fullmatch(line.rstrip("\r"))
        if m and want(m.group(1)):
            raw = m.group(2)
            literal = None if "$" in raw else raw
            found.append(
                ShellAssignment(
                    m.group(1), literal, raw, "build-arg", True,
                    pos + m.start(1), pos + m.start(2), pos + m.end(2), 0,
                )
            )  # fmt: skip
        pos += len(line) + 1
    return _map_yaml_block(src, text, with_, "build-args", value, found)


def _map_yaml_block(
    src: SourceText, text: str, mapping: object, key: str, value: str, found: list[ShellAssignment]
) -> list[ShellAssignment]:
    """Move offsets relative to a YAML scalar's value onto the workflow text."""
    if not found:
        return []
    vl, vc = mapping.lc.value(key)  # type: ignore[attr-defined]  # ruamel CommentedMap
    first_line = vl + 1
    head = src.line_text(first_line)
    block = head[vc:].lstrip()[:1] in ("|", ">")
    starts = []
    pos = 0
    for ln in value.split("\n"):
        starts.append(pos)
        pos += len(ln) + 1
    out = []
    last_line = text.count("\n") + 1
    for a in found:
        idx = max(i for i, s in enumerate(starts) if s <= a.name_start)
        col_in = a.name_start - starts[idx]
        if block:
            src_line = first_line + 1 + idx
            line_text = src.line_text(src_line) if src_line <= last_line else ""
            indent = len(line_text) - len(line_text.lstrip(" "))
            origin = src.offset(src_line, 1) + indent
        else:
            quoted = head[vc : vc + 1] in ("'", '"')
            origin = src.offset(first_line, vc + 1) + (1 if quoted else 0)
        name_start = origin + col_in
        if not text.startswith(a.name, name_start):
            k = text.find(a.name + "=", src.offset(first_line, 1))
            name_start = k if k >= 0 else name_start
        shift = name_start - a.name_start
        out.append(
            replace(
                a,
                name_start=name_start,
                value_start=a.value_start + shift,
                value_end=a.value_end + shift,
            )
        )
    return out
