"""Fuzz targets: one function per input surface, each taking the raw bytes a fuzzer made.

The contract every target checks (issue 10): an input ends in a result or in a
``PatchkitError`` that renders (the clear error the CLI prints), never in
another exception. An ``InternalError`` is a ``PatchkitError`` but means a bug
of ours, so it counts as a crash too. Results are also checked for the laws
that hold for every input (``str(parse(t)) == t``, a valid version re-parses
to itself, a loaded patch applies idempotently).

This module is not a test module (pytest collects ``test_*.py`` only): it is
loaded by path by ``conftest.py`` for the bounded CI run (``test_targets.py``)
and by ``run.py`` for the long atheris/hypothesis runs, so both run exactly
the same code.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from patchkit.errors import InternalError, PatchkitError

__all__ = ["TARGETS", "Unexpected", "check_one", "text_of"]


class Unexpected(AssertionError):
    """A broken contract: an exception other than a ``PatchkitError``, or a law that failed."""


def text_of(data: bytes) -> str:
    """Turn fuzzer bytes into any ``str`` the API may be handed.

    The first byte picks a decoding so that every code point is reachable:
    UTF-8 (bad bytes replaced), UTF-8 with lone surrogates (``surrogateescape``),
    Latin-1 (every byte one character: NUL, NEL U+0085, VT, FF...), or 3 bytes
    per code point (U+2028, astral characters, lone surrogates).
    """
    if not data:
        return ""
    mode, rest = data[0] % 4, data[1:]
    if mode == 0:
        return rest.decode("utf-8", "replace")
    if mode == 1:
        return rest.decode("utf-8", "surrogateescape")
    if mode == 2:
        return rest.decode("latin-1")
    return "".join(
        chr(int.from_bytes(rest[i : i + 3], "little") % 0x110000) for i in range(0, len(rest), 3)
    )


def _expect_error(exc: PatchkitError) -> None:
    """A clear error renders without failing and says something."""
    if isinstance(exc, InternalError):
        raise Unexpected(f"InternalError (a bug of ours): {exc}") from exc
    rendered = exc.render()
    if not rendered.strip() or not str(exc).strip():
        raise Unexpected(f"{type(exc).__name__} with an empty message") from exc


def check_one(target: Callable[[bytes], None], data: bytes) -> None:
    """Run ``target`` on ``data``; raise ``Unexpected`` when the contract breaks."""
    try:
        target(data)
    except PatchkitError as exc:
        _expect_error(exc)
    except Unexpected:
        raise
    except RecursionError as exc:  # reported like any other crash, with a clear name
        raise Unexpected(f"RecursionError: {exc}") from exc
    except Exception as exc:
        raise Unexpected(f"{type(exc).__name__}: {exc}") from exc


# -- the Dockerfile tree ----------------------------------------------------------------


def dockerfile(data: bytes) -> None:
    """parse (current and legacy BuildKit), round-trip, every view, BuildKit's refusals, a mount
    edit."""
    from patchkit.dockerfile import parse, refusals
    from patchkit.dockerfile.edit import apply_edits, set_mount_option

    text = text_of(data)
    for legacy in (False, True):
        tree = parse(text, path="Dockerfile", legacy=legacy)
        if str(tree) != text:
            raise Unexpected("str(parse(text)) != text")
        tree.problems, tree.trivia(), tree.directives, tree.newline, tree.escape
        for refusal in refusals(tree):
            if not (0 <= refusal.start <= refusal.end <= len(text)) or not refusal.message:
                raise Unexpected(f"refusal out of the text or without a message: {refusal}")
        for ins in tree.instructions:
            if tree.text[ins.start : ins.end] != ins.raw:
                raise Unexpected(f"instruction {ins.index}: raw is not its slice")
            tree.line_col(ins.start), tree.instruction_at_line(ins.start_line)
            ins.keyword, ins.args, ins.exec_form, ins.values, ins.sub_keyword  # noqa: B018
            ins.error, ins.logical_line, ins.indent, ins.line_ending  # noqa: B018
            for flag in ins.flags:
                flag.text, flag.value_offsets  # noqa: B018
            for heredoc in ins.heredocs:
                heredoc.content, heredoc.terminated  # noqa: B018
                if not (ins.start <= heredoc.start <= heredoc.end <= len(text)):
                    raise Unexpected(f"heredoc {heredoc.name!r} spans outside the text")
            for pair in ins.pairs:
                if ins.pair(pair.key) is None:
                    raise Unexpected(f"pair {pair.key!r} not found by pair()")
            for mount in ins.mounts:
                mount.type, mount.target, mount.id, mount.source, mount.from_  # noqa: B018
                mount.sharing, mount.error, mount.options  # noqa: B018
                for opt in mount.option_spans:
                    mount.option(opt.key)
                if legacy or mount.error is not None or tree.problems:
                    continue
                # the edit every cache-mount patch makes must keep the file parseable
                new = apply_edits(text, [set_mount_option(tree, mount, "id", "fuzz-id")])
                if str(parse(new)) != new:
                    raise Unexpected("set_mount_option output does not round-trip")
        for stage in tree.stages:
            stage.name, stage.base, stage.platform, stage.declared_args  # noqa: B018
            stage.parent, stage.ancestors(), stage.args_in_scope()
            stage.args_in_scope(stage.from_instruction)
            for ins in stage.instructions:
                stage.args_in_scope(ins)
            if stage.name is not None:
                tree.stage(stage.name)


# -- versions -----------------------------------------------------------------------------


def exver(data: bytes) -> None:
    """The ExVer, version and range parsers, ``check`` in every scheme, conversions."""
    from patchkit.versions import (
        SCHEMES,
        ExVer,
        VersionSyntaxError,
        check,
        convert,
        parse_exver,
        parse_range,
        parse_version_part,
        sdk_satisfied_by,
        suggest_exver,
    )

    text = text_of(data)
    fixed = ExVer.parse("1.2.3-rc.1:0")
    try:
        v = parse_exver(text)
    except VersionSyntaxError as exc:
        _expect_error(exc)
    else:
        if parse_exver(str(v)) != v:
            raise Unexpected(f"{text!r}: parse(str(v)) != v ({v})")
        v.compare(fixed), v == fixed, hash(v)
    try:
        part = parse_version_part(text)
    except VersionSyntaxError as exc:
        _expect_error(exc)
    else:
        if parse_version_part(str(part)) != part:
            raise Unexpected(f"{text!r}: version part does not re-parse to itself")
    try:
        r = parse_range(text)
    except VersionSyntaxError as exc:
        _expect_error(exc)
    else:
        r.satisfied_by(fixed), sdk_satisfied_by(r, fixed)
        if str(parse_range(str(r))) != str(r):
            raise Unexpected(f"{text!r}: str(range) does not re-parse to itself")
    for scheme in SCHEMES:
        result = check(text, scheme)
        result.to_json() if hasattr(result, "to_json") else None
    suggest_exver(text)
    for to in ("exver", "pep440"):
        convert(text, to=to)  # type: ignore[arg-type]


# -- the patch-file loader ---------------------------------------------------------------

_TARGET_DOCKERFILE = """\
FROM ubuntu:22.04 AS base
ARG PYTHON_VERSION=3.12
WORKDIR /app-workspace
RUN --mount=type=cache,target=/root/.cache/uv uv pip install -r requirements/cpu.txt
RUN --mount=type=cache,target=/app-workspace/.deps make deps

FROM base AS app-build
ENV SETUPTOOLS_SCM_PRETEND_VERSION_FOR_APP=1
RUN --mount=type=cache,target=/root/.cache/ccache python3 setup.py bdist_wheel --dist-dir=dist

FROM base AS app-server
RUN --mount=type=bind,from=app-build,src=/app-workspace/dist,target=dist uv pip install dist/*.whl
"""


def patch_file(data: bytes) -> None:
    """Arbitrary bytes as a patch file; when one loads, its examples and an apply run too."""
    from patchkit._fs import decode_source
    from patchkit.engine import apply_to_text, run_examples
    from patchkit.series import parse_patch

    text = decode_source(data, "fuzz.yaml")
    patch = parse_patch(text, "fuzz.yaml")
    for outcome in run_examples(patch):
        outcome.label  # noqa: B018
    once = apply_to_text(_TARGET_DOCKERFILE, [patch], path="Dockerfile")  # verifies idempotence
    twice = apply_to_text(once.text, [patch], path="Dockerfile", verify=False)
    if twice.text != once.text:
        raise Unexpected(f"patch {patch.id!r}: applying twice differs from applying once")


# -- the setup.py analyser (patchkit/scm) ---------------------------------------------------


def setup_py(data: bytes) -> None:
    """Arbitrary Python-ish text as an upstream setup.py, and as a pyproject.toml, through
    the analyser, the per-major model and both renderings of ``patchkit scm explain``."""
    from patchkit.scm.explain import explain_json, explain_text
    from patchkit.scm.model import analyse, candidates, honoured_names, simulate
    from patchkit.scm.pyproject import parse_pyproject
    from patchkit.scm.setup_py import parse_setup_py

    text = text_of(data)
    parsed_setup = parsed_pyproject = None
    try:
        parsed_setup = parse_setup_py(text, "setup.py")
    except PatchkitError as exc:
        _expect_error(exc)
    try:
        parsed_pyproject = parse_pyproject(text, "pyproject.toml")
    except PatchkitError as exc:
        _expect_error(exc)
    pairs = ((parsed_setup, None), (None, parsed_pyproject), (parsed_setup, parsed_pyproject))
    for sp, pp in pairs:
        if sp is None and pp is None:
            continue
        up = analyse(sp, pp, root="upstream")
        explain_text(up)
        explain_json(up)
        candidates(up)
        for major in up.majors:
            honoured_names(up, major)
            simulate(up, major, {"SETUPTOOLS_SCM_PRETEND_VERSION": "1.0"})


# -- the whole command line: `lint --fix --unsafe-fixes` on one file -------------------------


def _main(*args: str) -> tuple[int, str]:
    """``patchkit ARGS`` in this process (``--debug``: an exit 3 comes with its traceback);
    returns the exit code and what it printed."""
    import contextlib
    import io

    from patchkit.cli.main import main

    said = io.StringIO()
    with contextlib.redirect_stdout(said), contextlib.redirect_stderr(said):
        code = main(["--debug", *args])
    return code, said.getvalue()


def lint_fix(data: bytes) -> None:
    """Arbitrary bytes as a Dockerfile through ``patchkit lint --fix --unsafe-fixes`` (every
    rule, two platforms, buildkit or buildah): never exit 3; the file is left as it was or
    holds the fixed text, which parses and is a fixed point of a second run."""
    import tempfile
    from pathlib import Path

    from patchkit.dockerfile import parse

    builder = "buildah" if data[:1] and data[0] // 4 % 2 else "buildkit"
    raw = text_of(data).encode("utf-8", "surrogatepass")  # lone surrogates: not UTF-8, exit 2
    with tempfile.TemporaryDirectory(prefix="patchkit-fuzz-") as tmp:
        path = Path(tmp) / "Dockerfile"
        path.write_bytes(raw)
        args = ("lint", "--fix", "--unsafe-fixes", "--platform", "linux/amd64,linux/arm64")
        code, said = _main(*args, "--builder", builder, str(path))
        if code not in (0, 1, 2) or (code == 2 and not said.strip()):
            raise Unexpected(f"lint --fix exit {code}:\n{said}")
        if any(p.name != "Dockerfile" for p in Path(tmp).iterdir()):
            raise Unexpected(f"lint --fix left files behind: {sorted(os.listdir(tmp))}")
        after = path.read_bytes()
        if code == 2:
            if after != raw:
                raise Unexpected("lint --fix exit 2 but the file changed")
            return
        text = after.decode("utf-8")
        if str(parse(text)) != text:
            raise Unexpected("the fixed file does not round-trip")
        again, said = _main(*args, "--builder", builder, str(path))
        if again not in (0, 1) or path.read_bytes() != after:
            raise Unexpected(f"a second lint --fix changed the fixed file (exit {again}):\n{said}")


# -- the project's patches on mutated upstream files -----------------------------------------

_SERIES: list[object] = []
#: Upstream versions the mutated files are taken to be (the first byte picks one), so that
#: each patch of ``patches/`` is selected by its own range, as ``apply`` selects it.
_VERSIONS = ("0.9.1", "0.10.1", "0.16.0", "0.23.0", "0.30.0", "0.33.0")


def _project_series():  # type: ignore[no-untyped-def]
    if not _SERIES:
        from pathlib import Path

        from patchkit.series import load_series

        _SERIES.append(load_series(Path(__file__).resolve().parents[2] / "patches"))
    return _SERIES[0]


def apply_upstream(data: bytes) -> None:
    """Arbitrary bytes (mutated upstream Dockerfiles) as ``docker/Dockerfile.cpu``, patched by
    the series in ``patches/`` at one upstream version: a clear error or a result whose
    BuildKit refusals are upstream's and that a second application leaves unchanged."""
    from packaging.version import Version

    from patchkit.engine import apply_to_text

    series = _project_series()
    version = Version(_VERSIONS[data[0] % len(_VERSIONS)] if data else _VERSIONS[-1])
    selected = [p for p in series.patches if p.applies_to(version)]
    text = text_of(data[1:])
    once = apply_to_text(text, selected, path="docker/Dockerfile.cpu")  # verifies idempotence
    twice = apply_to_text(once.text, selected, path="docker/Dockerfile.cpu", verify=False)
    if twice.text != once.text:
        raise Unexpected(f"at {version}: applying twice differs from applying once")


#: (name, target), in the order the report lists them.
TARGETS: tuple[tuple[str, Callable[[bytes], None]], ...] = (
    ("dockerfile", dockerfile),
    ("exver", exver),
    ("patch-file", patch_file),
    ("setup-py", setup_py),
    ("lint-fix", lint_fix),
    ("apply-upstream", apply_upstream),
)
