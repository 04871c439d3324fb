"""PKD006 context-copy-before-dependency-install."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from patchkit.diagnostics import Severity
from patchkit.lint._stages import last_inherited
from patchkit.lint._text import Command, commands
from patchkit.lint.base import LintContext, Violation

if TYPE_CHECKING:
    from patchkit.dockerfile import Dockerfile, Instruction, Stage

__all__ = ["RULE", "ContextCopyBeforeDependencyInstall"]


class ContextCopyBeforeDependencyInstall:
    """## What it does
    Warns about a dependency-install RUN that comes after a COPY (or ADD) of
    the whole build context (`COPY . …`, `COPY ./ …`), in the same stage or
    in a stage built from it, when the RUN needs at most a few files:
    - system packages: `apt-get`/`apt`/`apk`/`dnf`/`yum`/`microdnf`/`zypper` `install`;
    - Python requirements: `pip`/`uv pip install -r FILE`, `pip install NAME…`
      (not `.`/`-e .`/a path), `uv sync --no-install-project`,
      `poetry install --no-root`, `conda`/`mamba install`;
    - lock-file installs: `npm ci`/`npm install`, `yarn install`, `pnpm install`,
      `go mod download`, `cargo fetch`, `bundle install`, `composer install`.

    A RUN that also builds, tests or installs the project itself (`pip
    install .`, `setup.py`, `python some_script.py`, `make`, `cmake`, `cargo
    build`/`test`/`check`, `go build`/`test`, `npm run build`…) needs the
    whole context and is left alone, and so is an install whose own fetch
    step (`pnpm fetch`, `go mod download`, `cargo fetch`) ran in the copy's
    stage before the copy: it links from the store that step left in an
    earlier layer.

    ## Why is this bad?
    A `COPY` step's cache key is the content of what it copies. With `COPY .
    .`, any change to any file of the context (a README, a test) gives the
    COPY a new key, and every step after it runs again: the dependency
    install downloads and installs everything anew although its few input
    files did not change. That is a layer-cache miss by construction, not a
    wrong result; hence a warning.

    ## Example
    ```dockerfile
    FROM python:3.12
    WORKDIR /app
    COPY . .
    RUN pip install -r requirements.txt
    ```

    Use instead:
    ```dockerfile
    FROM python:3.12
    WORKDIR /app
    COPY requirements.txt .
    RUN pip install -r requirements.txt
    COPY . .
    ```

    ## Fix safety
    No automatic fix: moving instructions changes what each step sees, and
    only a person knows which files the install really reads.

    ## Evidence
    On 396 real Dockerfiles of 57 other repositories
    (`corpora/dockerfiles-2/`): 6 findings, 5 real or plausible; the noise was
    `pnpm install --prefer-offline` after a `pnpm fetch` of the lock file, now
    left alone (5 of 5). On the 607 files of `corpora/dockerfiles/`: 12
    findings, all real or plausible.
    """

    code = "PKD006"
    name = "context-copy-before-dependency-install"
    severity = Severity.WARNING
    fix_title = "copy only the files the install needs before it, and the whole context after"

    def check(self, tree: Dockerfile, context: LintContext) -> Iterator[Violation]:
        own: dict[int, list[Instruction]] = {}
        inherited: dict[int, Instruction | None] = {}

        def own_copies(stage: Stage) -> list[Instruction]:
            found = own.get(stage.index)
            if found is None:
                found = own[stage.index] = _context_copies(stage)
            return found

        def own_last(stage: Stage) -> Instruction | None:
            copies = own_copies(stage)
            return copies[-1] if copies else None

        for stage in tree.stages:
            mine = own_copies(stage)
            from_ancestors = last_inherited(tree, stage, own_last, inherited)
            if not mine and from_ancestors is None:
                continue
            k = 0  # own copies before the RUN
            for instr in stage.instructions:
                if instr.keyword != "RUN":
                    continue
                while k < len(mine) and mine[k].index < instr.index:
                    k += 1
                last = mine[k - 1] if k else from_ancestors
                if last is None:
                    continue
                what = _dependency_install(instr)
                if what is None:
                    continue
                copy = last
                if _fetched_before(copy, what):
                    continue
                where = (
                    f"line {copy.start_line}"
                    if copy.stage is stage
                    else f"line {copy.start_line}, stage `{_name(copy)}`"
                )
                message = (
                    f"`{what}` runs after `{copy.keyword_raw} {copy.args.strip()}` ({where}): "
                    "any change to any file of the build context (not excluded by .dockerignore) "
                    "gives that COPY a new cache key, so this "
                    "install reruns although the few files it reads did not change"
                )
                yield Violation(
                    self.code,
                    message,
                    instr.start,
                    instr.start + len(instr.keyword_raw),
                    instr.index,
                    severity=self.severity,
                )


def _name(instr: Instruction) -> str:
    stage = instr.stage
    return (stage.name or str(stage.index)) if stage else "?"


def _context_copies(stage: Stage) -> list[Instruction]:
    """The stage's ``COPY . …`` / ``ADD . …`` of the whole context, in order."""
    out: list[Instruction] = []
    for instr in stage.instructions:
        if instr.keyword not in ("COPY", "ADD") or instr.flag("from") is not None:
            continue
        sources = _sources(instr)
        if any(src in (".", "./", "*", "./*") for src in sources):
            out.append(instr)
    return out


def _sources(instr: Instruction) -> list[str]:
    parts = list(instr.exec_form) if instr.exec_form is not None else instr.args.split()
    return parts[:-1] if len(parts) > 1 else []


_PKG_MANAGERS = {"apt-get", "apt", "apk", "dnf", "yum", "microdnf", "zypper"}
_BUILDS = re.compile(
    r"(?:^|\s)(?:setup\.py|make|cmake|ninja|cargo\s+build|go\s+build|npm\s+run|yarn\s+build|"
    r"pnpm\s+build|python3?\s+-m\s+build|pip3?\s+wheel|uv\s+build|maturin|bazel)(?:\s|$)"
)


def _dependency_install(instr: Instruction) -> str | None:
    """The first dependency-install command of a RUN that needs at most a few files, or None."""
    script = instr.args + "\n" + "\n".join(h.body for h in instr.heredocs)
    cmds = list(commands(script))
    found: str | None = None
    for cmd in cmds:
        kind = _classify(cmd)
        if kind == "project":
            return None
        if kind == "deps" and found is None:
            found = re.sub(r"\s+", " ", cmd.text.strip())
            if len(found) > 60:
                found = found[:59].rstrip() + "…"
    return found


# the download-only step of a tool: once it ran on the lock file before the whole
# context is copied, its store is in an earlier layer and the install after the
# copy links from it (pnpm's documented `pnpm fetch` / `pnpm install --offline`)
_FETCHES = {"pnpm": ("pnpm", "fetch"), "go": ("go", "mod"), "cargo": ("cargo", "fetch")}
# subcommands that compile or run the project: they need the whole context
_PROJECT_SUBCOMMANDS = {
    "cargo": {"build", "test", "check", "run", "bench", "install", "doc", "clippy", "nextest"},
    "go": {"build", "test", "install", "run", "generate", "vet"},
}


def _fetched_before(copy: Instruction, what: str) -> bool:
    """Did the copy's stage run the install's own fetch step before the copy?"""
    tool = _FETCHES.get(what.split(" ", 1)[0])
    stage = copy.stage
    if tool is None or stage is None:
        return False
    for instr in stage.instructions:
        if instr.index >= copy.index:
            break
        if instr.keyword != "RUN":
            continue
        script = instr.args + "\n" + "\n".join(h.body for h in instr.heredocs)
        for cmd in commands(script):
            w = list(cmd.words)
            if len(w) > 1 and (w[0].rsplit("/", 1)[-1], w[1]) == tool:
                return True
    return False


def _classify(cmd: Command) -> str | None:
    w = list(cmd.words)
    prog = w[0].rsplit("/", 1)[-1]
    if _BUILDS.search(" " + " ".join(w) + " "):
        return "project"
    if len(w) > 1 and w[1] in _PROJECT_SUBCOMMANDS.get(prog, ()):
        return "project"
    if prog.startswith("python") and len(w) > 1 and w[1].endswith(".py"):
        return "project"  # a script of the context (install_from_src.py, build.py)
    if prog in _PKG_MANAGERS and "install" in w:
        return "deps"
    # python -m pip / uv pip / pip
    if prog.startswith("python") and len(w) > 2 and w[1] == "-m":
        w = w[2:]
        prog = w[0]
    if prog == "uv" and len(w) > 1 and w[1] == "pip":
        w = w[1:]
        prog = "pip"
    if prog.startswith("pip") and "install" in w:
        args = w[w.index("install") + 1 :]
        if any(
            a in ("-r", "--requirement", "-c", "--constraint")
            or a.startswith(("-r", "--requirement="))
            for a in args
        ):
            # -r file plus a local project (-e . / .) needs the project
            return "project" if _has_local_target(args) else "deps"
        if _has_local_target(args):
            return "project"
        return "deps" if any(not a.startswith("-") for a in args) else None
    if prog == "uv" and len(w) > 1 and w[1] == "sync":
        return "deps" if "--no-install-project" in w or "--only-deps" in w else "project"
    if prog == "poetry" and "install" in w:
        return "deps" if "--no-root" in w else "project"
    if prog in ("conda", "mamba", "micromamba") and "install" in w:
        return "deps"
    if prog == "npm" and len(w) > 1 and w[1] in ("ci", "install", "i"):
        return "deps"
    if prog in ("yarn", "pnpm") and (len(w) == 1 or w[1] == "install"):
        return "deps"
    if prog == "go" and w[1:3] == ["mod", "download"]:
        return "deps"
    if prog == "cargo" and len(w) > 1 and w[1] == "fetch":
        return "deps"
    if prog in ("bundle", "composer") and len(w) > 1 and w[1] == "install":
        return "deps"
    return None


def _has_local_target(args: list[str]) -> bool:
    """Does a pip install name a local path (``.``, ``./pkg``, ``-e .``, ``/src``)?"""
    skip_next = {
        "-r",
        "--requirement",
        "-c",
        "--constraint",
        "-i",
        "--index-url",
        "--extra-index-url",
        "-f",
        "--find-links",
        "--target",
        "-t",
        "--prefix",
        "--root",
        "--python",
        "-p",
        "--torch-backend",
        "--index-strategy",
        "--cache-dir",
        "--upgrade-strategy",
        "--platform",
        "--python-version",
        "--only-binary",
        "--no-binary",
        "--config-settings",
        "-C",
    }
    i = 0
    while i < len(args):
        a = args[i]
        if a in skip_next:
            i += 2
            continue
        if a in ("-e", "--editable"):
            return True
        if not a.startswith("-"):
            bare = a.split("[", 1)[0]
            if (
                bare in (".", "..")
                or bare.startswith(("./", "../", "/"))
                or bare.endswith((".whl", ".tar.gz"))
            ):
                return True
        i += 1
    return False


RULE = ContextCopyBeforeDependencyInstall()
