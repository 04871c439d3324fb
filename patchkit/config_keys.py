"""The configuration's keys and their command-line flags: the part of ``patchkit.config``
that building the argument parser needs.

Kept apart (and free of dataclasses, TOML and the checks) so that ``patchkit
--help`` does not import the configuration reader; ``patchkit.config``
validates values with these same tables.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import NamedTuple

__all__ = [
    "CONFIG_KEYS",
    "FLAGS",
    "LINT_FLAG_HELP",
    "LINT_KEYS",
    "LIST_KEYS",
    "ConfigKey",
    "ListAction",
    "add_config_arguments",
    "default_words",
    "split_list",
]


class ConfigKey(NamedTuple):
    """One key of ``[tool.patchkit]`` (or of its ``lint`` table).

    ``help`` says what it does (the flag's help and the configuration reference
    both print it); ``type`` is the TOML value it takes; ``default`` is the value
    when it is absent, written as TOML where it is a literal (``tests/docs`` checks
    those against ``patchkit.config.Config``), else in words.
    """

    name: str
    help: str
    metavar: str
    type: str
    default: str


CONFIG_KEYS: tuple[ConfigKey, ...] = (
    ConfigKey(
        "upstream",
        "the upstream tree, relative to the repo root",
        "DIR",
        "string (path)",
        '"upstream"',
    ),
    ConfigKey(
        "upstream_version",
        "the upstream version (PEP 440)",
        "VERSION",
        "string (PEP 440)",
        "computed from the upstream git tree",
    ),
    ConfigKey(
        "describe_match",
        "the tags git describe may use for the upstream version, as the upstream's setup.py "
        "passes them (vLLM: v[0-9]*)",
        "GLOB",
        "string (glob)",
        "setuptools-scm's *[0-9]*",
    ),
    ConfigKey("patches", "the folder of patch files", "DIR", "string (path)", '"patches"'),
    ConfigKey("out", "where patched copies are written", "DIR", "string (path)", '".dockerfiles"'),
    ConfigKey(
        "manifests",
        "files holding version strings: a list of {path (glob), kind, scheme}",
        "PATH[:KIND[:SCHEME]]",
        "array of paths or tables {path, kind, scheme}",
        '[{ path = "startos/**/*.ts", kind = "startos-ts", scheme = "exver" }, "manifest.yaml"]',
    ),
    ConfigKey(
        "platforms",
        "target platforms",
        "OS/ARCH",
        "array of strings (os/arch)",
        '["linux/amd64", "linux/arm64"]',
    ),
    ConfigKey(
        "builder",
        "the image builder: buildkit or buildah",
        "NAME",
        'string: "buildkit" or "buildah"',
        '"buildkit"',
    ),
    ConfigKey(
        "lint",
        "a table: select, ignore (rule codes or prefixes), platforms, builder, "
        "package-caches, cache-key-arg",
        "-",
        "table",
        "{}",
    ),
    ConfigKey(
        "version_constants",
        "names (or globs) of constants whose values feed image tags, e.g. VLLM_VERSION",
        "NAME",
        "array of strings (names or globs)",
        "[]",
    ),
    ConfigKey(
        "version_file_pattern",
        "glob of version files whose names encode their version, e.g. startos/versions/v*.ts",
        "GLOB",
        "string (glob)",
        "none: file names are not checked",
    ),
    ConfigKey(
        "build_files",
        "more files the build uses, checked by `patchkit check` besides the patched copies: "
        "Dockerfiles (scm, lint), build scripts, Makefiles, workflows (scm); paths or globs",
        "GLOB",
        "array of strings (paths or globs)",
        "[]",
    ),
)

#: The keys of ``[tool.patchkit.lint]`` (``patchkit lint`` reads them, ``check`` too).
LINT_KEYS: tuple[ConfigKey, ...] = (
    ConfigKey(
        "select",
        "lint rule codes or prefixes to select",
        "CODE",
        "array of strings (codes or prefixes)",
        "every stable and preview rule",
    ),
    ConfigKey("ignore", "lint rule codes or prefixes to ignore", "CODE", "array of strings", "[]"),
    ConfigKey(
        "platforms",
        "the target platforms for lint only, instead of the top-level platforms",
        "OS/ARCH",
        "array of strings (os/arch)",
        "the top-level platforms",
    ),
    ConfigKey(
        "builder",
        "the image builder for lint only, instead of the top-level builder",
        "NAME",
        'string: "buildkit" or "buildah"',
        "the top-level builder",
    ),
    ConfigKey(
        "package-caches",
        "download caches: share, locked (PKD008 asks for sharing=locked) or per-platform "
        "(PKD001 flags every cache)",
        "POLICY",
        'string: "share", "locked" or "per-platform"',
        '"share"',
    ),
    ConfigKey(
        "cache-key-arg",
        "the ARG name PKD002's fix declares",
        "NAME",
        "string (an ARG name BuildKit does not take for a secret)",
        '"PATCHKIT_CACHE_INPUT"',
    ),
)
FLAGS: tuple[tuple[str, str, str], ...] = (
    ("upstream", "--upstream", "config_upstream"),
    ("upstream_version", "--upstream-version", "config_upstream_version"),
    ("describe_match", "--match", "config_describe_match"),
    ("patches", "--patches", "config_patches"),
    ("out", "--out", "config_out"),
    ("manifests", "--manifest", "config_manifests"),
    ("platforms", "--platform", "config_platforms"),
    ("builder", "--builder", "config_builder"),
    ("lint.select", "--select", "config_lint_select"),
    ("lint.ignore", "--ignore", "config_lint_ignore"),
    ("lint.package-caches", "--package-caches", "config_lint_package_caches"),
    ("lint.cache-key-arg", "--cache-key-arg", "config_lint_cache_key_arg"),
    ("version_constants", "--version-constant", "config_version_constants"),
    ("version_file_pattern", "--version-file-pattern", "config_version_file_pattern"),
    ("build_files", "--build-file", "config_build_files"),
)
LIST_KEYS = frozenset(
    ("manifests", "platforms", "lint.select", "lint.ignore", "version_constants", "build_files")
)


def default_words(key: ConfigKey) -> str | None:
    """The default as a flag's help says it (no quotes), or None for an empty or long one."""
    d = key.default
    if d in ("[]", "{}") or d.startswith("[{"):
        return None
    if d.startswith("["):
        return ", ".join(item.strip().strip('"') for item in d[1:-1].split(","))
    return d.strip('"')


def _flag_help(key: ConfigKey, where: str | None) -> str:
    """A flag's help: what the key does, then the lint key it overrides and its default."""
    words = default_words(key)
    notes = [where] if where else []
    notes += [f"default: {words}"] if words else []
    return key.help + (f" ({'; '.join(notes)})" if notes else "")


LINT_FLAG_HELP = {
    f"lint.{k.name}": (_flag_help(k, f"lint.{k.name}"), k.metavar)
    for k in LINT_KEYS
    if k.name in ("select", "ignore", "package-caches", "cache-key-arg")
}


def add_config_arguments(
    parser: argparse.ArgumentParser, keys: Sequence[str] | None = None
) -> None:
    """Add one flag per ``[tool.patchkit]`` key (or only ``keys``) to ``parser``.

    A flag given on the command line replaces the configured value; list flags
    (``--manifest``, ``--platform``, ``--select``, ``--ignore``,
    ``--version-constant``) may be repeated or take comma-separated values.
    ``--manifest`` takes ``PATH[:KIND[:SCHEME]]``.
    """
    helps = {k.name: k for k in CONFIG_KEYS}
    group = parser.add_argument_group("configuration (overrides [tool.patchkit])")
    for key, flag, dest in FLAGS:
        if keys is not None and key not in keys and key.split(".")[0] not in keys:
            continue
        top = key.split(".")[0]
        if key in LINT_FLAG_HELP:
            help_text, metavar = LINT_FLAG_HELP[key]
        else:
            help_text, metavar = _flag_help(helps[top], None), helps[top].metavar
        if key in LIST_KEYS:
            group.add_argument(
                flag,
                dest=dest,
                action=ListAction,
                metavar=metavar,
                default=None,
                help=help_text + " (comma-separated, or repeat the flag)",
            )
        else:
            group.add_argument(flag, dest=dest, metavar=metavar, default=None, help=help_text)


def split_list(values: Sequence[str] | None) -> list[str] | None:
    """The items of a list option given as ``--x A,B``, ``--x A --x B`` or both, in order.

    Blank items (``A,,B``, a trailing comma) are dropped and spaces around items
    stripped; None when the option was not given, so a configured value still applies.
    """
    if values is None:
        return None
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


class ListAction(argparse.Action):
    """``append`` that splits each value on commas (``split_list``)."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        items = list(getattr(namespace, self.dest, None) or [])
        items += split_list([str(values)]) or []
        setattr(namespace, self.dest, items)
