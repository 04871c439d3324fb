"""The codes ``patchkit check`` adds to its layers' codes. A published code is never reused.

The layers keep their own ranges (``PKM`` manifest, ``PKS`` scm, ``PKD``
lint); ``check`` adds ``PKP`` for the patch series as the build sees it, and
``PKC`` for the run itself. The area a diagnostic belongs to is its prefix
(``AREA_OF_PREFIX``), which is how the JSON document stays flat.
"""

from __future__ import annotations

from patchkit.diagnostics import Code, Severity

__all__ = ["AREA_OF_PREFIX", "CODES", "Code", "area_of", "code"]


CODES: tuple[Code, ...] = (
    Code(
        "PKC001",
        "input-error",
        Severity.ERROR,
        "a file an area needs could not be read or is malformed; the area stopped (exit 2)",
        detail=(
            "A file an area needs could not be read or is malformed (a patch file that is not "
            "YAML, a workflow that does not parse). That area stops and says why; the other areas"
            " still run, and `check` exits 2, with or without `--check`."
        ),
    ),
    Code(
        "PKC002",
        "build-file-missing",
        Severity.WARNING,
        "a build_files entry matches no file",
        detail=(
            "An entry of `build_files` (a path or a glob) matches no file. A warning, with or "
            "without `--check`: fix the path or drop the entry."
        ),
    ),
    Code(
        "PKC003",
        "build-file-kind",
        Severity.WARNING,
        "a build_files entry names a file neither scm nor lint reads",
        detail=(
            "An entry of `build_files` names a file that neither the scm area (Dockerfiles, shell"
            " scripts, Makefiles, GitHub workflows) nor the lint area (Dockerfiles) reads. A "
            "warning, with or without `--check`."
        ),
    ),
    Code(
        "PKB001",
        "pristine-file-built",
        Severity.ERROR,
        "a build uses the pristine upstream Dockerfile that the patch series rewrites",
        detail=(
            "A build of the package (a StartOS manifest image, a bake target, a workflow or "
            "Makefile build command) uses the pristine upstream Dockerfile although the patch "
            "series rewrites that file, so the build never sees the patches. Point the build at "
            "the patched copy in the output folder (`out`, default `.dockerfiles/`)."
        ),
    ),
    Code(
        "PKB002",
        "no-pretend-version",
        Severity.ERROR,
        "a source build without usable git metadata (a submodule, .git ignored) of a "
        "setuptools-scm upstream sets no honoured pretend-version variable",
        detail=(
            "A source build whose context has no usable git metadata (a submodule's `.git` is a "
            "pointer file, or `.dockerignore` drops `.git`), of a setuptools-scm upstream, where "
            "a package-building RUN of a built stage (`setup.py bdist_wheel`, `pip install .`, "
            "`python -m build`, `uv build`...) is reached, from its own stage chain, by no "
            "honoured pretend-version variable with a non-empty value: setuptools-scm stops with "
            '"unable to detect version". Set the variable the upstream build honours (`patchkit '
            "scm explain` names it) from a build arg that carries the upstream version."
        ),
    ),
    Code(
        "PKB003",
        "built-file-missing",
        Severity.WARNING,
        "the Dockerfile a build uses does not exist (generated: which target or script writes it)",
        detail=(
            "The Dockerfile a build uses does not exist. When it is generated, the finding names "
            "the Makefile target or script that writes it (patchkit never runs it)."
        ),
    ),
    Code(
        "PKB004",
        "build-not-read",
        Severity.INFO,
        "a part of the build description (manifest, workflow, bake file) could not be read statically",
        detail=(
            "A part of the build description that cannot be read statically (a call of a function"
            " from a package, `Math.max(...)`, a value known only at pack time). It is never "
            "guessed: `patchkit build` lists it under `not read:` with its place, and `check` "
            "reports it as information."
        ),
    ),
    Code(
        "PKB005",
        "upstream-unusable",
        Severity.WARNING,
        "the upstream tree is not checked out, or its version cannot be told from git",
        detail=(
            "The upstream submodule is not checked out, or its version cannot be told from git (a"
            " shallow clone not on a tag, no tags, no tag matching the describe pattern); the "
            "message says which, and the git command that fixes it. The version the build records"
            " (a build arg that feeds `SETUPTOOLS_SCM_PRETEND_VERSION`, such as the StartOS "
            "manifest's `buildArgs: { VLLM_VERSION }`) then stands in, named as the source."
        ),
    ),
    Code(
        "PKB006",
        "pretend-arg-version",
        Severity.ERROR,
        "a build arg that feeds a pretend-version variable holds another version than the upstream",
        detail=(
            "A build arg that feeds a pretend-version variable records another version than the "
            "upstream version `check` uses (`--upstream-version`, `upstream_version`, or git, "
            "which wins over a recorded value whenever it can tell): the wheel would carry the "
            "recorded version. Update the recorded value after a bump."
        ),
    ),
    Code(
        "PKP001",
        "patch-drifted",
        Severity.ERROR,
        "a selected patch no longer finds its anchor (or its file) in the upstream tree",
        detail=(
            "A selected patch (its `upstream:` range admits the upstream version) is `drifted`: "
            "its anchor or its file is gone upstream. Reported at the patch file's anchor field, "
            "an error with or without `--check`. Find the upstream change (`patchkit status "
            "--range OLD..NEW`: the drift message names the stages the file has now), then adapt "
            "the patch's anchor to the new shape or retire the patch, and run `patchkit test` and "
            "`patchkit status` (section 6 of the documentation's vLLM bump walks through one)."
        ),
    ),
    Code(
        "PKP002",
        "copy-out-of-date",
        Severity.ERROR,
        "a patched copy in the output folder differs from what the series makes of the upstream",
        detail=(
            "A patched copy in the output folder exists but differs from what the series makes of"
            " the upstream (content or mode: exactly what `patchkit apply --check` calls out of "
            "date). Reported at its first differing line, naming the patches still pending on it;"
            " an error with or without `--check`. Run `patchkit apply`."
        ),
    ),
    Code(
        "PKP003",
        "copy-not-written",
        Severity.WARNING,
        "a patched copy is not in the output folder yet (an error with --check)",
        detail=(
            "A patched copy is not in the output folder yet. A warning in plain `check` (the "
            "copies are made at build time); an error with `--check` (for repos that commit "
            "them). Run `patchkit apply`."
        ),
    ),
    Code(
        "PKP004",
        "patch-upstream",
        Severity.WARNING,
        "upstream already does what a patch does, by its own means: retire the patch",
        detail=(
            "The upstream already does what a patch does, by its own means (the patch's state is "
            "`upstream`): retire the patch. A warning, with or without `--check`."
        ),
    ),
    Code(
        "PKP005",
        "patch-warning",
        Severity.WARNING,
        "a transform's warning about the file it patches",
        detail=(
            "A transform's warning about the file it patches, passed on as it is. A warning, with"
            " or without `--check`."
        ),
    ),
)

#: Which area of ``patchkit check`` each code prefix belongs to.
AREA_OF_PREFIX: tuple[tuple[str, str], ...] = (
    ("PKM", "manifest"),
    ("PKS", "scm"),
    ("PKP", "status"),
    ("PKD", "lint"),
    ("PKB", "build"),
    ("PKC", "check"),
)


def code(name: str) -> Code:
    """The row for ``name``; ``KeyError`` for an unknown code (a bug of ours)."""
    for row in CODES:
        if row.code == name:
            return row
    raise KeyError(name)


def area_of(diagnostic_code: str) -> str:
    """The area a diagnostic code belongs to (``check`` for codes of no known layer)."""
    for prefix, area in AREA_OF_PREFIX:
        if diagnostic_code.startswith(prefix):
            return area
    return "check"
