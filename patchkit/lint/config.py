"""``[tool.patchkit.lint]`` in the downstream repo's pyproject.toml.

```toml
[tool.patchkit.lint]
select = ["PKD"]                  # codes or prefixes; default: every rule
ignore = ["PKD006"]
platforms = ["linux/amd64", "linux/arm64"]
builder = "buildkit"              # or "buildah"
package-caches = "share"          # PKD001: share | locked | per-platform
cache-key-arg = "PATCHKIT_CACHE_INPUT"  # BuildKit's SecretsUsedInArgOrEnv must accept it
```

Every key also has a command-line flag, which wins. Unknown keys are errors
(a typo must not silently change what is checked). ``platforms`` and
``builder`` fall back to the same keys of ``[tool.patchkit]`` itself, which
``patchkit check`` uses for every area, so both commands lint for the same
targets.
"""

from __future__ import annotations

from dataclasses import dataclass

from patchkit.errors import ConfigError

__all__ = ["LintSettings", "parse_settings"]

_KEYS = ("select", "ignore", "platforms", "builder", "package-caches", "cache-key-arg")


@dataclass(frozen=True, slots=True)
class LintSettings:
    """Settings from the config file; ``None`` means "not set there"."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    platforms: tuple[str, ...] | None = None
    builder: str | None = None
    package_caches: str | None = None
    cache_key_arg: str | None = None


def parse_settings(text: str, path: str) -> LintSettings | None:
    """Read ``[tool.patchkit.lint]`` from pyproject.toml text; ``None`` when absent.

    ``platforms`` and ``builder`` not set there come from ``[tool.patchkit]``.
    """
    import tomlkit
    from tomlkit.exceptions import ParseError

    try:
        doc = tomlkit.parse(text).unwrap()
    except ParseError as exc:
        from patchkit._toml_spans import toml_syntax_error

        raise toml_syntax_error(exc, text, path) from exc
    patchkit = doc.get("tool", {}).get("patchkit", {})
    if not isinstance(patchkit, dict):
        return None
    inherited = {k: patchkit[k] for k in ("platforms", "builder") if k in patchkit}
    table = patchkit.get("lint")
    if table is None:
        if not inherited:
            return None
        table = {}
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.patchkit.lint] must be a table")
    unknown = sorted(set(table) - set(_KEYS))
    if unknown:
        raise ConfigError(
            f"{path}: unknown key(s) in [tool.patchkit.lint]: {', '.join(unknown)} "
            f"(known: {', '.join(_KEYS)})"
        )
    own = set(table)  # written in [tool.patchkit.lint] itself; the rest is inherited
    table = {**inherited, **table}

    def where(key: str) -> str:
        # a key [tool.patchkit.lint] takes from [tool.patchkit] is reported where it is written
        return "[tool.patchkit.lint]" if key in own else "[tool.patchkit]"

    def strings(key: str) -> tuple[str, ...] | None:
        value = table.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{path}: {where(key)} {key} must be a list of strings")
        return tuple(value)

    def string(key: str) -> str | None:
        value = table.get(key)
        if value is not None and not isinstance(value, str):
            raise ConfigError(f"{path}: {where(key)} {key} must be a string")
        return value

    return LintSettings(
        select=strings("select"),
        ignore=strings("ignore"),
        platforms=strings("platforms"),
        builder=string("builder"),
        package_caches=string("package-caches"),
        cache_key_arg=string("cache-key-arg"),
    )
