"""``[tool.patchkit]``: a downstream repo's settings, with defaults for a StartOS package.

A downstream repo (for example a StartOS package of vLLM) says in its
``pyproject.toml`` where the upstream tree, the patch series and the patched
output live, which files hold version strings and in which scheme, and what
it builds for. Every key has a default that fits the usual StartOS package
layout, and every key can be overridden by a command-line flag
(``add_config_arguments`` / ``apply_overrides``).

```toml
[tool.patchkit]
upstream = "vllm"                        # the pristine upstream tree (a git submodule)
upstream_version = "0.21.1rc0"           # optional: PEP 440; otherwise asked from git
describe_match = "v[0-9]*"               # optional: the tags git describe may use (vLLM's glob)
patches = "patches"                      # the patch series (patches/*.yaml)
out = ".dockerfiles"                     # where patched copies are written
platforms = ["linux/amd64", "linux/arm64"]
builder = "buildkit"                     # or "buildah"
version_constants = ["VLLM_VERSION"]     # names whose values feed image tags
version_file_pattern = "startos/versions/v*.ts"   # file names that encode their version
build_files = ["build.sh", ".github/workflows/*.yml"]  # more files `check` reads (scm, lint)
manifests = [
  { path = "startos/**/*.ts", kind = "startos-ts", scheme = "exver" },
  { path = "docker/Dockerfile.startos", kind = "dockerfile", scheme = "pep440" },
  "startos/manifest.yaml",               # a bare path: kind from the name, its default scheme
]

[tool.patchkit.lint]
select = ["PKD"]
ignore = ["PKD003"]
```

Rules:

- Unknown keys are errors naming the file, line and column, with the nearest
  valid name (``difflib``); a value of the wrong type or shape likewise.
- Paths and globs are relative to the repo root (``/`` separators) and may not
  leave it: absolute paths, ``~`` and ``..`` that climb above the root are
  refused (``Config.resolve`` also refuses a symlink that points outside).
- ``load_config(root)`` returns the defaults when there is no pyproject.toml
  or no ``[tool.patchkit]`` table (``Config.source`` is then None).
"""

from __future__ import annotations

import argparse
import difflib
import fnmatch
import posixpath
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from patchkit.errors import ConfigError, InputError, SourceError

__all__ = [
    "BUILDERS",
    "CONFIG_KEYS",
    "MANIFEST_KINDS",
    "SCHEMES",
    "Config",
    "ConfigKeyError",
    "ConfigProblems",
    "LintSettings",
    "ManifestSpec",
    "add_config_arguments",
    "apply_overrides",
    "find_config",
    "load_config",
    "load_config_file",
    "use_config_file",
    "parse_config",
]

MANIFEST_KINDS = ("startos-ts", "yaml", "pyproject", "dockerfile")
SCHEMES = ("exver", "emver", "pep440", "semver")
BUILDERS = ("buildkit", "buildah")

#: The scheme each file kind uses when a manifest entry names none.
DEFAULT_SCHEME = {
    "startos-ts": "exver",
    "yaml": "exver",
    "pyproject": "pep440",
    "dockerfile": "pep440",
}

_PLATFORM = re.compile(r"[a-z0-9]+/[a-z0-9_]+(?:/[a-z0-9]+)?\Z")
_RULE_SELECTOR = re.compile(r"(?:ALL|[A-Z]{2,}[0-9]*)\Z")
_NAME_PATTERN = re.compile(r"[A-Za-z_*?\[][A-Za-z0-9_*?\[\]!-]*\Z")


@dataclass(frozen=True, slots=True)
class ManifestSpec:
    """One ``manifests`` entry: which files (a glob), read how, validated in which scheme.

    ``kind``: ``startos-ts`` (TypeScript version files and constants),
    ``yaml`` (manifests and workflows), ``pyproject`` (``project.version``),
    ``dockerfile`` (ARG/ENV defaults whose names look like versions).
    ``scheme``: ``exver``, ``emver``, ``pep440`` or ``semver``; the default depends on the
    kind, and a YAML file named ``manifest.yaml`` (a StartOS 0.3.x manifest) is read as
    EmVer unless a scheme is given (``scheme_given``).
    """

    path: str
    kind: str
    scheme: str
    scheme_given: bool = field(default=True, compare=False)


@dataclass(frozen=True, slots=True)
class LintSettings:
    """``[tool.patchkit.lint]``: the keys ``patchkit lint`` reads (``patchkit.lint.config``).

    ``select``/``ignore``: rule codes or prefixes to run or skip.
    ``platforms``/``builder``: for lint only, instead of the top-level keys
    (None: the top-level ones). ``package_caches`` (``package-caches``):
    PKD001's policy, ``share``, ``locked`` or ``per-platform``;
    ``cache_key_arg`` (``cache-key-arg``): the ARG PKD002's fix declares.
    """

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    platforms: tuple[str, ...] | None = None
    builder: str | None = None
    package_caches: str | None = None
    cache_key_arg: str | None = None


DEFAULT_MANIFESTS: tuple[ManifestSpec, ...] = (
    ManifestSpec("startos/**/*.ts", "startos-ts", "exver", scheme_given=False),
    # a StartOS 0.3.x package: its version is EmVer
    ManifestSpec("manifest.yaml", "yaml", "exver", scheme_given=False),
)


@dataclass(frozen=True, slots=True)
class Config:
    """The settings of one downstream repo. Paths are relative to ``root``, with ``/``.

    ``source`` is the pyproject.toml the values came from, or None when every
    value is a default. Use ``resolve`` to turn a configured path into a real
    one (it refuses paths that leave the repo).
    """

    root: Path
    source: Path | None = None
    upstream: str = "upstream"
    upstream_version: str | None = None
    describe_match: str | None = None
    patches: str = "patches"
    out: str = ".dockerfiles"
    manifests: tuple[ManifestSpec, ...] = DEFAULT_MANIFESTS
    platforms: tuple[str, ...] = ("linux/amd64", "linux/arm64")
    builder: str = "buildkit"
    lint: LintSettings = field(default_factory=LintSettings)
    version_constants: tuple[str, ...] = ()
    version_file_pattern: str | None = None
    build_files: tuple[str, ...] = ()
    # the keys the configuration file or a flag set; the rest are defaults, which
    # the build model's discoveries replace (``patchkit.build.discover``)
    explicit: frozenset[str] = frozenset()

    def is_set(self, key: str) -> bool:
        """True when ``key`` came from the configuration file or a flag, not a default."""
        return key in self.explicit

    def resolve(self, relative: str) -> Path:
        """``root / relative``, refusing a result (after symlinks) outside the repo root."""
        _check_relative_path(relative, "path")
        target = self.root / relative
        real_root = self.root.resolve()
        real = target.resolve()
        if real != real_root and real_root not in real.parents:
            raise ConfigError(f"{relative}: resolves to {real}, outside the repo root {real_root}")
        return target

    def is_version_constant(self, name: str) -> bool:
        """True when ``name`` matches one of ``version_constants`` (names or globs)."""
        return any(fnmatch.fnmatchcase(name, pattern) for pattern in self.version_constants)


# ---------------------------------------------------------------------------
# Keys: name, converter, and documentation (one literal table).
# ---------------------------------------------------------------------------


from patchkit.config_keys import (  # noqa: E402  (the tables live with the flags)
    CONFIG_KEYS,
    FLAGS as _FLAGS,
    LINT_KEYS,
    add_config_arguments,
    split_list,
)

_KEY_NAMES = tuple(k.name for k in CONFIG_KEYS)
_LINT_KEYS = tuple(k.name for k in LINT_KEYS)
PACKAGE_CACHE_POLICIES = ("share", "locked", "per-platform")
_MANIFEST_KEYS = ("path", "kind", "scheme")


# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------


class ConfigKeyError(SourceError, ConfigError):
    """A bad key or value in ``[tool.patchkit]``, located in pyproject.toml (exit 2)."""


class ConfigProblems(ConfigError):
    """Several configuration errors at once; renders each of them."""

    def __init__(self, problems: Sequence[ConfigError]) -> None:
        super().__init__(f"{len(problems)} problems in [tool.patchkit]")
        self.problems = tuple(problems)

    def render(self) -> str:
        return "\n".join(p.render() for p in self.problems)


class _Where:
    """Turns a key path into a located ``ConfigKeyError`` (or a plain one for flags)."""

    def __init__(self, text: str | None, path: str | None) -> None:
        self.text = text
        self.path = path
        self._spans: dict[tuple[str | int, ...], tuple[int, int, int, int]] | None = None

    def _span(self, keypath: tuple[str | int, ...]) -> tuple[int, int, int, int] | None:
        if self.text is None:
            return None
        if self._spans is None:
            from patchkit._toml_spans import scan_toml

            self._spans = {}
            for s in scan_toml(self.text):
                self._spans.setdefault(s.path, (s.key_start, s.key_end, s.value_start, s.value_end))
        while keypath:
            found = self._spans.get(keypath)
            if found is not None:
                return found
            keypath = keypath[:-1]
        return None

    def error(
        self,
        keypath: tuple[str | int, ...],
        message: str,
        *,
        at_key: bool = False,
        suggestion: str | None = None,
    ) -> ConfigKeyError | ConfigError:
        span = self._span(keypath)
        if self.text is None or span is None:
            text = message + (f" ({suggestion})" if suggestion else "")
            return ConfigError(text)
        start, end = (span[0], span[1]) if at_key else (span[2], span[3])
        line_end = self.text.find("\n", start)
        if line_end != -1 and end > line_end:
            end = line_end
        return ConfigKeyError(
            message, path=self.path, text=self.text, offset=start, end=end, suggestion=suggestion
        )


def _nearest(name: str, valid: Sequence[str]) -> str:
    close = difflib.get_close_matches(name.replace("-", "_"), valid, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "valid keys: " + ", ".join(valid)


# ---------------------------------------------------------------------------
# Value checks (shared by TOML values and flags)
# ---------------------------------------------------------------------------


class _Bad(ValueError):
    """A value failed a check; ``field`` names the sub-key it is about, when there is one."""

    def __init__(
        self, message: str, suggestion: str | None = None, field: str | None = None
    ) -> None:
        super().__init__(message)
        self.suggestion = suggestion
        self.field = field


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def _string(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise _Bad(f"{what} must be a string, got {_type_name(value)}")
    return value


def _string_list(value: object, what: str) -> tuple[str, ...]:
    if isinstance(value, str):
        raise _Bad(f"{what} must be an array of strings, got a string", f'write ["{value}"]')
    if not isinstance(value, list):
        raise _Bad(f"{what} must be an array of strings, got {_type_name(value)}")
    for item in value:
        if not isinstance(item, str):
            raise _Bad(f"{what} must be an array of strings, found {_type_name(item)} in it")
    return tuple(value)


def _check_relative_path(value: str, what: str) -> str:
    """A repo-relative path or glob with ``/``; refuse anything that could leave the repo."""
    if not value or not value.strip():
        raise _Bad(f"{what} must not be empty")
    if "\\" in value:
        raise _Bad(f"{what} {value!r} uses '\\'; write paths with '/'", value.replace("\\", "/"))
    if value.startswith(("/", "~")) or re.match(r"[A-Za-z]:", value):
        raise _Bad(f"{what} {value!r} is absolute; paths are relative to the repo root")
    norm = posixpath.normpath(value)
    if norm == ".." or norm.startswith("../"):
        raise _Bad(f"{what} {value!r} leaves the repo root")
    return value


def _path_value(value: object, what: str) -> str:
    return _check_relative_path(_string(value, what), what)


def _optional_version(value: object, what: str) -> str | None:
    text = _string(value, what)
    from packaging.version import InvalidVersion, Version

    try:
        Version(text)
    except InvalidVersion:
        raise _Bad(f"{what} {text!r} is not a valid PEP 440 version") from None
    return text


def _choice(value: object, what: str, choices: Sequence[str]) -> str:
    text = _string(value, what)
    if text not in choices:
        close = difflib.get_close_matches(text, choices, n=1)
        hint = f"did you mean '{close[0]}'?" if close else "one of: " + ", ".join(choices)
        raise _Bad(f"{what} {text!r} is not one of {', '.join(choices)}", hint)
    return text


def _platforms(value: object, what: str) -> tuple[str, ...]:
    items = _string_list(value, what)
    for p in items:
        if not _PLATFORM.match(p):
            raise _Bad(f"{what}: {p!r} is not a platform like linux/amd64 or linux/arm64/v8")
    return items


def _paths(value: object, what: str) -> tuple[str, ...]:
    items = _string_list(value, what)
    for item in items:
        _check_relative_path(item, what)
    return items


def _rule_selectors(value: object, what: str) -> tuple[str, ...]:
    items = _string_list(value, what)
    for code in items:
        if not _RULE_SELECTOR.match(code):
            raise _Bad(f"{what}: {code!r} is not a rule code or prefix such as PKD001 or PKD")
    return items


def _names(value: object, what: str) -> tuple[str, ...]:
    items = _string_list(value, what)
    for name in items:
        if not _NAME_PATTERN.match(name):
            raise _Bad(f"{what}: {name!r} is not an identifier or a glob of identifiers")
    return items


def _infer_kind(path: str) -> str | None:
    base = posixpath.basename(path)
    if base == "pyproject.toml":
        return "pyproject"
    if base.endswith(".ts"):
        return "startos-ts"
    if base.endswith((".yaml", ".yml")):
        return "yaml"
    if "dockerfile" in base.lower() or "containerfile" in base.lower():
        return "dockerfile"
    return None


def _manifest(path: str, kind: str | None, scheme: str | None, what: str) -> ManifestSpec:
    def sub(name: str, fn: Callable[[], str]) -> str:
        try:
            return fn()
        except _Bad as bad:
            raise _Bad(str(bad), bad.suggestion, name) from None

    sub("path", lambda: _check_relative_path(path, f"{what}.path"))
    if kind is None:
        kind = _infer_kind(path)
        if kind is None:
            raise _Bad(
                f"{what}: cannot tell the kind of {path!r} from its name",
                "add kind = one of " + ", ".join(MANIFEST_KINDS),
                "path",
            )
    given_kind = kind
    kind = sub("kind", lambda: _choice(given_kind, f"{what}.kind", MANIFEST_KINDS))
    if scheme is None:
        return ManifestSpec(path, kind, DEFAULT_SCHEME[kind], scheme_given=False)
    given_scheme = scheme
    scheme = sub("scheme", lambda: _choice(given_scheme, f"{what}.scheme", SCHEMES))
    return ManifestSpec(path, kind, scheme)


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------


def _builder(value: object, what: str) -> str:
    return _choice(value, what, BUILDERS)


#: How each key that holds one value (or a plain list) is checked and converted.
def _glob(value: object, what: str) -> str:
    text = _string(value, what)
    if not text or any(c in text for c in "\n\r\0"):
        raise _Bad(f"{what} must be a non-empty glob on one line, got {text!r}")
    return text


_SCALAR_KEYS: dict[str, Callable[[object, str], object]] = {
    "upstream": _path_value,
    "describe_match": _glob,
    "patches": _path_value,
    "out": _path_value,
    "upstream_version": _optional_version,
    "builder": _builder,
    "platforms": _platforms,
    "version_constants": _names,
    "version_file_pattern": _path_value,
    "build_files": _paths,
}


def load_config(repo_root: str | Path) -> Config:
    """Read the configuration of the repo at ``repo_root`` (defaults when there is none).

    ``patchkit.toml`` (the same keys at its top level, ``[lint]`` for the lint
    table) wins over ``[tool.patchkit]`` of ``pyproject.toml``, as ruff.toml
    wins over pyproject.toml for ruff: a TypeScript repo has no pyproject.toml.
    Raises ``InputError`` when the root is not a folder or the file is not
    TOML, ``ConfigKeyError``/``ConfigProblems`` for unknown keys and bad values.
    """
    root = Path(repo_root)
    if not root.is_dir():
        raise InputError("not a folder (expected the downstream repo root)", str(root))
    from patchkit._fs import read_source

    own = root / CONFIG_FILE
    if own.is_file():
        return parse_config(read_source(own), root=root, path=own, standalone=True)
    pyproject = root / "pyproject.toml"
    if not pyproject.exists():
        return Config(root=root)
    return parse_config(read_source(pyproject), root=root, path=pyproject)


#: patchkit's own configuration file (its keys at the top level).
CONFIG_FILE = "patchkit.toml"


#: ``--config PATH`` of the current command line (``patchkit.cli.main`` sets and resets it).
_explicit_file: Path | None = None


def use_config_file(path: str | Path | None) -> None:
    """Make ``find_config`` read ``path`` (``--config``) instead of searching; None to search again."""
    global _explicit_file
    _explicit_file = Path(path) if path is not None else None


def load_config_file(path: str | Path) -> Config:
    """The configuration in file ``path`` (``patchkit.toml``: top-level keys; else ``[tool.patchkit]``).

    Its folder is the repo root its paths are relative to.
    """
    from patchkit._fs import read_source

    file = Path(path)
    if not file.is_file():
        raise InputError("no such configuration file (--config)", str(file))
    return parse_config(
        read_source(file), root=file.parent, path=file, standalone=file.name != "pyproject.toml"
    )


def find_config(start: str | Path) -> Config:
    """The configuration that applies in folder ``start``: the nearest one walking up to the repo root.

    ``--config PATH`` (``use_config_file``) wins over the search.

    A folder holds a configuration when it has ``patchkit.toml`` or a
    ``pyproject.toml`` with ``[tool.patchkit]``; the walk stops at the
    repository root (the folder with ``.git``). With none, the repository root
    (or ``start`` outside a repository) is the root, with every default.
    """
    if _explicit_file is not None:
        return load_config_file(_explicit_file)
    folder = Path(start)
    if not folder.is_dir():
        raise InputError("not a folder (expected the downstream repo root)", str(folder))
    here = folder.resolve()
    for candidate in (here, *here.parents):
        if (candidate / CONFIG_FILE).is_file() or _has_tool_table(candidate / "pyproject.toml"):
            return load_config(folder if candidate == here else candidate)
        if (candidate / ".git").exists():
            return load_config(folder if candidate == here else candidate)
    return load_config(folder)


def _has_tool_table(pyproject: Path) -> bool:
    if not pyproject.is_file():
        return False
    try:
        text = pyproject.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return re.search(r"(?m)^\s*\[\s*tool\s*\.\s*patchkit\s*[\].]", text) is not None


def parse_config(
    text: str, *, root: Path, path: Path | None = None, standalone: bool = False
) -> Config:
    """Build a ``Config`` from the text of a pyproject.toml (or patchkit.toml: ``standalone``)."""
    import tomlkit
    from tomlkit.exceptions import ParseError

    shown = str(path) if path is not None else ("patchkit.toml" if standalone else "pyproject.toml")
    try:
        doc = tomlkit.parse(text).unwrap()
    except ParseError as exc:
        from patchkit._toml_spans import toml_syntax_error

        raise toml_syntax_error(exc, text, shown) from exc
    if standalone:
        table: object = doc
        base: tuple[str, ...] = ()
    else:
        tool = doc.get("tool")
        table = tool.get("patchkit") if isinstance(tool, dict) else None
        base = ("tool", "patchkit")
    if table is None:
        return Config(root=root)
    where = _Where(text, shown)
    if not isinstance(table, dict):
        raise where.error(("tool", "patchkit"), "[tool.patchkit] must be a table")
    values, problems = _read_table(table, where, base)
    if problems:
        if len(problems) == 1:
            raise problems[0]
        raise ConfigProblems(problems)
    return Config(
        root=root,
        source=path
        if path is not None
        else root / ("patchkit.toml" if standalone else "pyproject.toml"),
        explicit=frozenset(values),
        **values,  # type: ignore[arg-type]
    )


def _read_table(
    table: Mapping[str, object], where: _Where, base: tuple[str, ...] = ("tool", "patchkit")
) -> tuple[dict[str, object], list[ConfigError]]:
    section = "[tool.patchkit]" if base else "patchkit.toml"
    values: dict[str, object] = {}
    problems: list[ConfigError] = []

    for key, value in table.items():
        kp = (*base, key)
        if key not in _KEY_NAMES:
            problems.append(
                where.error(
                    kp,
                    f"unknown key '{key}' in {section}",
                    at_key=True,
                    suggestion=_nearest(key, _KEY_NAMES),
                )
            )
            continue
        convert = _SCALAR_KEYS.get(key)
        if convert is not None:
            try:
                values[key] = convert(value, key)
            except _Bad as bad:
                problems.append(where.error(kp, str(bad), suggestion=bad.suggestion))
        elif key == "lint":
            values[key] = _read_lint(value, kp, where, problems)
        elif key == "manifests":
            values[key] = _read_manifests(value, kp, where, problems)
    return {k: v for k, v in values.items() if v is not None}, problems


def _read_lint(
    value: object, kp: tuple[str | int, ...], where: _Where, problems: list[ConfigError]
) -> LintSettings | None:
    if not isinstance(value, dict):
        problems.append(
            where.error(
                kp,
                f"lint must be a table, got {_type_name(value)}",
                suggestion="write [tool.patchkit.lint] with select = [...]",
            )
        )
        return None
    out: dict[str, object] = {}
    for key, item in value.items():
        if key not in _LINT_KEYS:
            problems.append(
                where.error(
                    (*kp, key),
                    f"unknown key '{key}' in [tool.patchkit.lint]",
                    at_key=True,
                    suggestion=_nearest(key, _LINT_KEYS),
                )
            )
            continue
        try:
            out[key.replace("-", "_")] = _LINT_CONVERTERS[key](item, f"lint.{key}")
        except _Bad as bad:
            problems.append(where.error((*kp, key), str(bad), suggestion=bad.suggestion))
    return LintSettings(**out)  # type: ignore[arg-type]


def _identifier(value: object, what: str) -> str:
    text = _string(value, what)
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", text):
        raise _Bad(f"{what} {text!r} is not an ARG name")
    return text


_LINT_CONVERTERS: dict[str, Callable[[object, str], object]] = {
    "select": _rule_selectors,
    "ignore": _rule_selectors,
    "platforms": _platforms,
    "builder": lambda value, what: _choice(value, what, BUILDERS),
    "package-caches": lambda value, what: _choice(value, what, PACKAGE_CACHE_POLICIES),
    "cache-key-arg": lambda value, what: _cache_key_arg(value, what),
}


def _cache_key_arg(value: object, what: str) -> str:
    """An ARG name that BuildKit's SecretsUsedInArgOrEnv check accepts (PKD002's fix inserts it)."""
    from patchkit.lint.buildkit_secrets import flagged_as_secret

    text = _identifier(value, what)
    if flagged_as_secret(text):
        raise _Bad(
            f"{what} {text!r}: BuildKit's SecretsUsedInArgOrEnv check flags this name (a word "
            "such as KEY, TOKEN or SECRET), and `# check=error=true` then refuses the build"
        )
    return text


def _read_manifests(
    value: object, kp: tuple[str | int, ...], where: _Where, problems: list[ConfigError]
) -> tuple[ManifestSpec, ...] | None:
    if not isinstance(value, list):
        problems.append(
            where.error(
                kp,
                f"manifests must be an array of tables, got {_type_name(value)}",
                suggestion='write manifests = [{ path = "...", kind = "..." }]',
            )
        )
        return None
    specs: list[ManifestSpec] = []
    for index, entry in enumerate(value):
        ekp = (*kp, index)
        what = f"manifests[{index}]"
        if isinstance(entry, str):  # a bare path: kind from the name, the kind's scheme
            try:
                specs.append(_manifest(entry, None, None, what))
            except _Bad as bad:
                problems.append(where.error(ekp, str(bad), suggestion=bad.suggestion))
            continue
        if not isinstance(entry, dict):
            problems.append(
                where.error(
                    ekp,
                    f"{what} must be a path or a table with path, kind and scheme, "
                    f"got {_type_name(entry)}",
                )
            )
            continue
        bad_key = False
        for key in entry:
            if key not in _MANIFEST_KEYS:
                problems.append(
                    where.error(
                        (*ekp, key),
                        f"unknown key '{key}' in {what}",
                        at_key=True,
                        suggestion=_nearest(key, _MANIFEST_KEYS),
                    )
                )
                bad_key = True
        if "path" not in entry:
            problems.append(where.error(ekp, f"{what} has no path"))
            continue
        if bad_key:
            continue
        try:
            path = _string(entry["path"], f"{what}.path")
            kind = None if "kind" not in entry else _string(entry["kind"], f"{what}.kind")
            scheme = None if "scheme" not in entry else _string(entry["scheme"], f"{what}.scheme")
            specs.append(_manifest(path, kind, scheme, what))
        except _Bad as bad:
            keypath = (*ekp, bad.field) if bad.field else ekp
            problems.append(where.error(keypath, str(bad), suggestion=bad.suggestion))
    return tuple(specs)


# ---------------------------------------------------------------------------
# Flags
# ---------------------------------------------------------------------------


def _split_list(values: Sequence[str]) -> list[str]:
    """A list flag's items (``--x A,B``, ``--x A --x B``): ``config_keys.split_list``."""
    return split_list(values) or []


def apply_overrides(config: Config, args: argparse.Namespace) -> Config:
    """Return ``config`` with every flag from ``add_config_arguments`` that was given applied.

    Flag values go through the same checks as TOML values; a bad one raises
    ``ConfigError`` naming the flag.
    """
    changes: dict[str, object] = {}
    lint = config.lint
    for key, flag, dest in _FLAGS:
        raw = getattr(args, dest, None)
        if raw is None:
            continue
        try:
            if key in ("upstream", "patches", "out", "version_file_pattern"):
                changes[key] = _path_value(raw, flag)
            elif key == "upstream_version":
                changes[key] = _optional_version(raw, flag)
            elif key == "describe_match":
                changes[key] = _glob(raw, flag)
            elif key == "builder":  # the flag wins over lint.builder too
                changes[key] = _choice(raw, flag, BUILDERS)
                lint = replace(lint, builder=None)
            elif key == "platforms":  # the flag wins over lint.platforms too
                changes[key] = _platforms(_split_list(raw), flag)
                lint = replace(lint, platforms=None)
            elif key == "version_constants":
                changes[key] = _names(_split_list(raw), flag)
            elif key == "build_files":
                changes[key] = _paths(_split_list(raw), flag)
            elif key == "lint.select":
                lint = replace(lint, select=_rule_selectors(_split_list(raw), flag))
            elif key == "lint.ignore":
                lint = replace(lint, ignore=_rule_selectors(_split_list(raw), flag))
            elif key == "lint.package-caches":
                lint = replace(lint, package_caches=_choice(raw, flag, PACKAGE_CACHE_POLICIES))
            elif key == "lint.cache-key-arg":
                lint = replace(lint, cache_key_arg=_cache_key_arg(raw, flag))
            elif key == "manifests":
                specs = []
                for item in raw:
                    path, _, rest = item.partition(":")
                    kind, _, scheme = rest.partition(":")
                    specs.append(_manifest(path, kind or None, scheme or None, flag))
                changes[key] = tuple(specs)
        except _Bad as bad:
            hint = f" ({bad.suggestion})" if bad.suggestion else ""
            raise ConfigError(f"{bad}{hint}") from None
    if lint != config.lint:
        changes["lint"] = lint
    changes["explicit"] = config.explicit | {k for k in changes if k != "lint"}
    return replace(config, **changes)  # type: ignore[arg-type]


def _field_names() -> tuple[str, ...]:  # used by tests to keep CONFIG_KEYS complete
    return tuple(f.name for f in fields(Config) if f.name not in ("root", "source", "explicit"))
