"""The manifest checker's diagnostic codes (PKM range). A published code is never reused.

Each row: code, short name, default severity, a summary and the detail that
``patchkit rule PKM001`` and the docs' rule pages print.
"""

from __future__ import annotations

from patchkit.diagnostics import Code, Severity

__all__ = ["CODES", "Code", "code"]


CODES: tuple[Code, ...] = (
    Code(
        "PKM001",
        "invalid-version",
        Severity.ERROR,
        "a version string is not valid in its scheme (ExVer, PEP 440, SemVer); the fix is "
        "suggested",
        detail=(
            "A version is not valid in its scheme (ExVer exactly as the StartOS SDK reads it, PEP"
            " 440, SemVer, EmVer); the finding gives the corrected string when one is evident. A "
            "`migrations.other` key without `:` is also explained: the SDK reads `'0.20.0'` as "
            "the range `^0.20.0:0`."
        ),
    ),
    Code(
        "PKM002",
        "migration-not-older",
        Severity.ERROR,
        "a migrations.other key is not older than the version it migrates to",
        detail=(
            "A `migrations.other` key is not older than the version of its VersionInfo (keys of "
            "another flavor and range keys are not ordered against it)."
        ),
    ),
    Code(
        "PKM003",
        "constant-disagrees",
        Severity.ERROR,
        "a version constant that feeds image tags disagrees with the upstream or current version",
        detail=(
            "A configured version constant (`version_constants`, e.g. `VLLM_VERSION = 'v0.21.0'`,"
            " in TypeScript, a workflow `env:` or a Dockerfile `ARG`) disagrees with the upstream"
            " version; without an upstream version, with the current version's upstream part."
        ),
    ),
    Code(
        "PKM004",
        "file-name-disagrees",
        Severity.ERROR,
        "a version file's name (or its VersionInfo constant) encodes another version than the "
        "one inside",
        detail=(
            "A version file's name (or its VersionInfo constant's name) encodes another version "
            "than the one inside: `v_0_20_0_0_4_b0.ts` must hold `0.20.0:0.4-beta.0` (numbers and"
            " words compared token by token, `alpha`/`beta` as `a`/`b`; a name may encode only "
            "the upstream part, `v0.6.ts` for `0.6:1-beta.0`). Checked for the files "
            "`version_file_pattern` matches."
        ),
    ),
    Code(
        "PKM005",
        "unreadable",
        Severity.WARNING,
        "a version value patchkit cannot read statically (template with ${}, expression, "
        "other file)",
        detail=(
            "A version patchkit cannot read statically. A TypeScript value is read when it can be"
            " evaluated: a literal, a constant of the same or another file of the repo (through "
            "imports, re-exports and aliases), a template literal or `+` over such constants. "
            "Anything else (a call, a spread `...x`, an import from a package, a `${{ ... }}` "
            "workflow expression, `ENV X=${Y}`) is reported here instead of guessed."
        ),
    ),
    Code(
        "PKM006",
        "current-not-upstream",
        Severity.ERROR,
        "the upstream part of the current ExVer differs from the upstream version",
        detail=(
            "The current version's upstream part is not the upstream version converted to ExVer "
            "(`0.21.1rc0` becomes `0.21.1-rc.0`). Checked when the upstream version is known "
            "(`--upstream-version`, `upstream_version`, git)."
        ),
    ),
    Code(
        "PKM007",
        "not-normalized",
        Severity.WARNING,
        "a valid version spelled in a form the tools rewrite (leading zeros, v prefix, ...)",
        detail=(
            "Valid, but a tool rewrites or rejects the spelling (`01.2.3:0`, PEP 440 `v1.0`, a "
            "pre-release that starts with a number)."
        ),
    ),
    Code(
        "PKM008",
        "pretend-version-disagrees",
        Severity.ERROR,
        "a setuptools-scm pretend-version value differs from the upstream version",
        detail=(
            "A setuptools-scm pretend-version value (`SETUPTOOLS_SCM_PRETEND_VERSION...`) differs"
            " from the upstream version."
        ),
    ),
    Code(
        "PKM009",
        "current-unknown",
        Severity.WARNING,
        "the current version cannot be told (none or several are named current)",
        detail=(
            "Which version is current cannot be told: nothing names it (no version graph's "
            "`current`) and there are several."
        ),
    ),
    Code(
        "PKM010",
        "yaml-not-a-string",
        Severity.ERROR,
        "YAML reads an unquoted version as a number or boolean (1.10 becomes 1.1)",
        detail=(
            "YAML reads an unquoted version as a number (`VERSION: 1.10` is the float 1.1) or a "
            "boolean: quote it."
        ),
    ),
    Code(
        "PKM011",
        "exver-order-hazard",
        Severity.WARNING,
        "two versions put a number and a word at the same pre-release position, "
        "where the StartOS SDK 2.0.9 compares them wrongly",
        detail=(
            "Two versions that the StartOS SDK 2.0.9 orders differently from StartOS: a number "
            "and a word at one pre-release position."
        ),
    ),
    Code(
        "PKM012",
        "no-manifest-files",
        Severity.WARNING,
        "a manifests entry matches no file",
        detail=("A `manifests` entry (a path or a glob) matches no file."),
    ),
    Code(
        "PKM013",
        "build-version-disagrees",
        Severity.ERROR,
        "an image tag, build arg or Dockerfile FROM/ARG of the package's own upstream names "
        "another version than the current one",
        detail=(
            "An image tag, a version build arg, or a `FROM`/`ARG` of a built Dockerfile that "
            "carries the package's own upstream (the image is named for the package id) names "
            "another upstream version than the current version of the same variant, by the SDK's "
            "equality (`-alpine`-style variant suffixes and an image maker's rebuild `1.5.3.3` "
            "read as the release); the finding names both places."
        ),
    ),
)

_BY_CODE = {c.code: c for c in CODES}


def code(name: str) -> Code:
    """The row for a code such as ``PKM001``."""
    return _BY_CODE[name]
