"""Builds written as command lines: ``docker build``, ``docker buildx build``, ``podman build``.

Read (never run) from Makefile recipes, shell scripts and workflow ``run:``
steps. The options that change what is built are kept: ``-f/--file``,
``--platform`` (comma lists and repeats), ``--build-arg NAME=value`` (a bare
``NAME`` passes the caller's environment), ``--target`` and the context
argument. A value with a shell or make expansion (``$VAR``, ``$(VAR)``) is
kept as written and listed as unknown. Paths are relative to the folder the
command runs in: the Makefile's folder for a recipe, the repo root for a
workflow step (its ``working-directory`` when set) and for a script (scripts
of StartOS packages ``cd`` to the package root first; the fact says so).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from patchkit._source import SourceText
from patchkit.build.model import Build, Fact, Origin

__all__ = ["builds_in_shell", "parse_build_command"]

# Options that take a value (the next word, or after "="); every other option is a flag.
_VALUED = frozenset(
    (
        "-f",
        "--file",
        "-t",
        "--tag",
        "--platform",
        "--build-arg",
        "--target",
        "-o",
        "--output",
        "--cache-from",
        "--cache-to",
        "--label",
        "--secret",
        "--ssh",
        "--build-context",
        "--network",
        "--progress",
        "--iidfile",
        "--metadata-file",
        "--add-host",
        "--ulimit",
        "--shm-size",
        "-m",
        "--memory",
        "--memory-swap",
        "--cpu-shares",
        "--cpu-period",
        "--cpu-quota",
        "--cpuset-cpus",
        "--cpuset-mems",
        "--isolation",
        "--attest",
        "--annotation",
        "--allow",
        "--builder",
        "--call",
        "--cgroup-parent",
        "--policy",
        "--sbom",
        "--provenance",
        "--security-opt",
        "--jobs",
        "--layers",
        "--format",
        "--from",
        "--volume",
        "-v",
        "--userns",
        "--arch",
        "--os",
        "--variant",
        "--creds",
        "--authfile",
        "--cert-dir",
        "--signature-policy",
        "--timestamp",
        "--build-context",
    )
)
_FLAGS_WITH_OPTIONAL_VALUE = frozenset(("--sbom", "--provenance", "--attest"))


@dataclass(frozen=True, slots=True)
class _Option:
    name: str
    value: str
    offset: int  # of the value in the text


def _is_build(command: str, args: list[str]) -> int | None:
    """How many argument words name the build subcommand, or None when this is no image build."""
    base = posixpath.basename(command)
    if base in ("docker", "podman"):
        if args[:2] == ["buildx", "build"] or args[:2] == ["image", "build"]:
            return 2
        if args[:1] == ["build"]:
            return 1
    if base == "buildah" and args[:1] in (["bud"], ["build"]):
        return 1
    return None


def parse_build_command(
    words: list[tuple[str, int]], text: str, path: str, folder: str, where: str
) -> Build | None:
    """A ``Build`` from the argument words after the build subcommand (value, offset)."""
    from patchkit.scm._shell import literal_word

    src = SourceText(text)

    def origin(offset: int) -> Origin:
        line, col = src.line_col(offset)
        return Origin(path, line, col)

    options: list[_Option] = []
    positional: list[tuple[str, int]] = []
    i = 0
    while i < len(words):
        word, offset = words[i]
        if word.startswith("-") and word != "-":
            name, eq, value = word.partition("=")
            if eq:
                options.append(_Option(name, value, offset + len(name) + 1))
            elif name in _VALUED and name not in _FLAGS_WITH_OPTIONAL_VALUE and i + 1 < len(words):
                options.append(_Option(name, words[i + 1][0], words[i + 1][1]))
                i += 1
            elif len(name) > 2 and name[1] != "-" and name[:2] in ("-f", "-t"):
                options.append(_Option(name[:2], name[2:], offset + 2))  # -fDockerfile
            i += 1
            continue
        positional.append((word, offset))
        i += 1
    unknowns: list[tuple[str, Origin | None]] = []

    def value_of(raw: str, offset: int, what: str) -> str | None:
        value = literal_word(raw)
        if value is None or "$" in value:
            unknowns.append((f"{what} {raw} is not a literal", origin(offset)))
            return None
        return value

    def join(rel: str) -> str:
        return posixpath.normpath(posixpath.join(folder, rel)) if not rel.startswith("/") else rel

    context: Fact[str] | None = None
    if positional:
        first_word, offset = positional[0]
        folder_text = value_of(first_word, offset, "the context")
        if folder_text is not None and "://" not in folder_text:
            context = Fact(join(folder_text), origin(offset), where)
    dockerfile: Fact[str] | None = None
    target: Fact[str] | None = None
    platforms: list[str] = []
    platform_origin: Origin | None = None
    args: dict[str, Fact[str | None]] = {}
    for opt in options:
        if opt.name in ("-f", "--file"):
            file = value_of(opt.value, opt.offset, "the Dockerfile")
            if file is not None and file != "-":
                dockerfile = Fact(join(file), origin(opt.offset), where)
        elif opt.name == "--target":
            stage = value_of(opt.value, opt.offset, "the target")
            if stage is not None:
                target = Fact(stage, origin(opt.offset))
        elif opt.name == "--platform":
            listed = value_of(opt.value, opt.offset, "the platform")
            if listed is not None:
                platforms.extend(p.strip() for p in listed.split(",") if p.strip())
                platform_origin = platform_origin or origin(opt.offset)
        elif opt.name == "--build-arg":
            literal = literal_word(opt.value)
            if literal is None:
                name = opt.value.strip("'\"").split("=", 1)[0]
                args[name] = Fact(None, origin(opt.offset), "a value with an expansion")
            elif "=" in literal:
                name, _, val = literal.partition("=")
                args[name] = Fact(None if "$" in val else val, origin(opt.offset))
            else:
                args[literal] = Fact(None, origin(opt.offset), "from the caller's environment")
    if dockerfile is None and context is not None:
        dockerfile = Fact(
            posixpath.normpath(posixpath.join(context.value, "Dockerfile")),
            None,
            "docker build uses <context>/Dockerfile without -f",
        )
    first = words[0][1] if words else 0
    return Build(
        "command",
        f"{path}:{origin(first).line}",
        origin(first),
        dockerfile=dockerfile,
        context=context,
        target=target,
        platforms=Fact(tuple(platforms), platform_origin)
        if platforms
        else Fact((), None, "no --platform: the builder's own platform"),
        build_args=args,
        unknowns=tuple(unknowns),
    )


def builds_in_shell(
    text: str, path: str, folder: str, where: str, file_text: str | None = None, base: int = 0
) -> list[Build]:
    """Every image build command in shell text (a script, a recipe, a ``run:`` block).

    ``file_text`` and ``base``: the whole file and where ``text`` starts in it,
    when ``text`` is a part of it (a workflow's ``run:`` block), for the origins.
    """
    from patchkit.scm._shell import simple_commands

    found: list[Build] = []
    for command, args in simple_commands(text):
        texts = [a.text for a in args]
        skip = _is_build(command.text, texts)
        if skip is None:
            continue
        words = [(a.text, base + a.start) for a in args[skip:]]
        build = parse_build_command(words, file_text or text, path, folder, where)
        if build is not None:
            found.append(build)
    return found
