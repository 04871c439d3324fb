"""PKD003 undeclared-platform-arg."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from patchkit.diagnostics import Severity
from patchkit.dockerfile.instruction_errors import KNOWN_INSTRUCTIONS
from patchkit.dockerfile.stages import PLATFORM_ARGS
from patchkit.lint import _fixes
from patchkit.lint._stages import arg_in_scope, instruction_text
from patchkit.lint._text import assigned_names, variable_refs
from patchkit.lint.base import Applicability, Fix, LintContext, Violation

if TYPE_CHECKING:
    from patchkit.dockerfile import Dockerfile, Instruction, Stage

__all__ = ["RULE", "UndeclaredPlatformArg"]


class UndeclaredPlatformArg:
    """## What it does
    Flags a use of one of BuildKit's automatic platform ARGs (`$TARGETARCH`,
    `$TARGETPLATFORM`, `$TARGETOS`, `$TARGETVARIANT`, `$BUILDPLATFORM`,
    `$BUILDOS`, `$BUILDARCH`, `$BUILDVARIANT`) in a stage where it is not in
    scope: not declared with `ARG` in the stage (or, as the tree scopes it,
    in a stage it is built from) and not set by an `ENV` of the stage or of
    a stage it is built from. Uses in `--mount` options and other flags, in
    instruction arguments, and in RUN commands and heredocs count; a RUN
    that assigns the name itself (`TARGETARCH=$(uname -m)`, `export
    TARGETARCH=…`, `for TARGETARCH in …`) does not. `FROM` lines are exempt:
    there the platform ARGs are always defined. One finding per stage and
    name, at the first use.

    ## Why is this bad?
    The platform ARGs are predefined only in the global scope (for `FROM`).
    Inside a stage they are defined only after `ARG TARGETARCH`; before that
    they expand to an empty string, silently. Measured on dockerd 26.1.5 /
    BuildKit 0.13 (`research/buildkit-local.md`): a cache mount with
    `id=noarg-${TARGETARCH}` and no `ARG TARGETARCH` got the id `noarg-` on
    amd64 and arm64 alike, and the arm64 build saw the amd64 build's files.
    In a RUN, `$TARGETARCH` is just empty, so `case "$TARGETARCH"` takes its
    default branch on every platform. buildah 1.28.2 differs for mount
    options: it expanded an undeclared `${TARGETARCH}` there (measured,
    `docs/research/buildah.md` §4), so with `--builder buildah` uses inside
    `--mount` are not flagged; other uses still are (not measured there).

    ## Example
    ```dockerfile
    FROM ubuntu:22.04 AS build
    RUN --mount=type=cache,target=/deps,id=deps-${TARGETARCH} make deps
    ```

    Use instead:
    ```dockerfile
    FROM ubuntu:22.04 AS build
    ARG TARGETARCH
    RUN --mount=type=cache,target=/deps,id=deps-${TARGETARCH} make deps
    ```

    ## Fix safety
    The fix declares the ARG right before the first use in the stage (the
    `insert` transform with an `ARG` line). It is
    safe: it makes the file do what it says; the value becomes the platform's
    instead of empty, which is the intent of every such use.

    ## Evidence
    On 396 real Dockerfiles of 57 other repositories
    (`corpora/dockerfiles-2/`), 103 of them multi-platform: 3 findings before
    the `linux` default was understood, all `${TARGETOS:-linux}` and all
    noise; none since.
    """

    code = "PKD003"
    name = "undeclared-platform-arg"
    severity = Severity.ERROR
    fix_title = "declare the ARG in the stage"

    def check(self, tree: Dockerfile, context: LintContext) -> Iterator[Violation]:
        for stage in tree.stages:
            reported: set[str] = set()
            for instr in stage.instructions:
                if instr.keyword in ("FROM", "ONBUILD"):
                    continue
                text = instruction_text(instr)
                if context.builder == "buildah":
                    # buildah 1.28 expands platform ARGs in --mount options even when
                    # undeclared (measured: docs/research/buildah.md §4)
                    text = "\n".join(
                        [f.value or "" for f in instr.flags if f.name != "mount"]
                        + [instr.args, *(h.body for h in instr.heredocs)]
                    )
                own = assigned_names(text) if instr.keyword == "RUN" else set()
                for ref in variable_refs(text):
                    name = ref.name
                    if name not in PLATFORM_ARGS or name in reported or name in own:
                        continue
                    if instr.keyword == "ARG" and name in {kv.key for kv in instr.pairs}:
                        continue
                    if arg_in_scope(tree, stage, name, instr):
                        continue
                    if _os_default_holds(name, ref.modifier, context.platforms):
                        continue
                    reported.add(name)
                    yield self._violation(tree, stage, instr, name, text[ref.start : ref.end])

    def _violation(
        self, tree: Dockerfile, stage: Stage, instr: Instruction, name: str, spelled: str
    ) -> Violation:
        at = instr.raw.find(spelled)
        start = instr.start + at if at >= 0 else instr.start
        end = start + len(spelled) if at >= 0 else instr.start + len(instr.keyword_raw)
        sname = stage.name or str(stage.index)
        in_mount = any(f.name == "mount" and spelled in (f.value or "") for f in instr.flags)
        effect = ", so this mount's id is the same on every platform" if in_mount else ""
        default = re.match(r"\$\{\w+:?-([^}]*)\}$", spelled)
        value = (
            f"it is empty, so this use takes its default `{default.group(1)}` on every platform"
            if default
            else "it expands to an empty string"
        )
        message = (
            f"{spelled} is used in stage `{sname}`, where ARG {name} is not declared (nor set by "
            f"ENV or inherited): {value}{effect} (measured on BuildKit 0.13)"
        )
        if instr.keyword.lower() not in KNOWN_INSTRUCTIONS:
            # BuildKit refuses the instruction itself (PKD007), and the insert transform's
            # anchor cannot name a keyword such as `_`: report, offer no fix
            return Violation(self.code, message, start, end, instr.index)
        fix = Fix(
            title=f"add `ARG {name}` before this instruction (insert)",
            applicability=Applicability.SAFE,
            edits=lambda: _fixes.declare_arg(tree, instr, name),
            transform="insert",
        )
        return Violation(self.code, message, start, end, instr.index, fix=fix)


_OS_ARGS = ("TARGETOS", "BUILDOS")


def _os_default_holds(name: str, modifier: str, platforms: tuple[str, ...]) -> bool:
    """``${TARGETOS:-linux}``: undeclared, the default is what the ARG would say.

    An undeclared platform ARG is empty, so ``${NAME:-D}`` and ``${NAME-D}``
    give ``D``; for the OS ARGs the default ``linux`` is the true value on
    every Linux platform. Unknown platforms count as Linux (a Dockerfile
    build targets Linux unless ``--platform`` says otherwise). The arch ARGs
    differ per platform, so no default of theirs holds everywhere.
    """
    if name not in _OS_ARGS or modifier not in (":-linux", "-linux"):
        return False
    return all(p.split("/", 1)[0] == "linux" for p in platforms)


RULE = UndeclaredPlatformArg()
