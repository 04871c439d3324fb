"""``config_reference()``: every key of ``[tool.patchkit]``, from ``patchkit.config_keys``."""

from __future__ import annotations

import re

from patchkit.reference._markdown import code, inline, table

__all__ = ["config_reference"]


def _flags() -> dict[str, str]:
    from patchkit.config_keys import FLAGS, LIST_KEYS

    return {
        key: code(flag) + (" (repeatable)" if key in LIST_KEYS else "") for key, flag, _ in FLAGS
    }


def _default(text: str) -> str:
    return code(text) if text[:1] in ('"', "[", "{") else inline(text)


def _example() -> str:
    """The example of ``patchkit.config``'s docstring (the one written for readers of the code)."""
    import patchkit.config

    found = re.search(r"```toml\n(.*?)```", patchkit.config.__doc__ or "", re.S)
    return f"```toml\n{found.group(1)}```\n" if found else ""


def config_reference() -> str:
    """The configuration reference page."""
    from patchkit.config import BUILDERS, MANIFEST_KINDS, SCHEMES
    from patchkit.config_keys import CONFIG_KEYS, LINT_KEYS

    flags = _flags()
    header = ["key", "type", "default", "flag", "what it does"]
    top = [
        [code(k.name), inline(k.type), _default(k.default), flags.get(k.name, ""), inline(k.help)]
        for k in CONFIG_KEYS
    ]
    lint = [
        [
            code(k.name),
            inline(k.type),
            _default(k.default),
            flags.get(f"lint.{k.name}", "as the top-level key"),
            inline(k.help),
        ]
        for k in LINT_KEYS
    ]
    return "\n".join(
        [
            "# Configuration reference\n",
            "patchkit reads `[tool.patchkit]` of the downstream repository's `pyproject.toml` "
            "(or the top level of a `patchkit.toml`), found walking up from the current folder "
            "to the repository root, or the file `--config PATH` names. Every key has a default "
            "and a flag; a flag given on the command line wins over the file. Paths and globs "
            "are relative to the repository root and may not leave it. An unknown key is an "
            "error naming the file, line and column, with the nearest valid name.\n",
            _example(),
            "## `[tool.patchkit]`\n",
            table(header, top),
            "## `[tool.patchkit.lint]`\n",
            "`patchkit lint` and the lint area of `patchkit check` read this table; "
            "`platforms` and `builder` fall back to the top-level keys.\n",
            table(header, lint),
            "## `manifests` entries\n",
            "An entry is a table `{ path, kind, scheme }` or a bare path (its kind from the "
            "file name, its scheme from the kind); `--manifest PATH[:KIND[:SCHEME]]` on the "
            "command line.\n",
            table(
                ["field", "values"],
                [
                    ["`path`", "a path or glob, relative to the repository root"],
                    ["`kind`", ", ".join(code(k) for k in MANIFEST_KINDS)],
                    ["`scheme`", ", ".join(code(s) for s in SCHEMES)],
                ],
            ),
            f"`builder` takes {', '.join(code(b) for b in BUILDERS)}.\n",
        ]
    )
