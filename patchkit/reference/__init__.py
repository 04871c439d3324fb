"""The docs site's reference pages, generated from the code so no text is written twice.

- ``cli_reference()``: every command of the real argument parser (usage,
  description, every option with its choices, default and help).
- ``config_reference()``: every ``[tool.patchkit]`` key from ``patchkit.config_keys``.
- ``rules_index()`` and ``rule_page(code)``: every code ``patchkit rules`` lists,
  each page the text ``patchkit rule CODE`` prints (``patchkit.cli.catalog``).
- ``schemas_page()``: the JSON Schemas of ``patchkit.schemas``.

``pages()`` maps each page's path in the site to its Markdown and
``schema_files()`` each schema's path to its bytes; the MkDocs hook
``docs/_hooks/reference.py`` adds both to the build. Pure functions: nothing here
reads the environment or writes a file. The command line never imports this
package (``patchkit --help`` stays light).
"""

from __future__ import annotations

from patchkit.reference.cli import cli_reference
from patchkit.reference.config import config_reference
from patchkit.reference.rules import rule_page, rules_index
from patchkit.reference.schemas import schemas_page

__all__ = [
    "cli_reference",
    "config_reference",
    "pages",
    "rule_page",
    "rules_index",
    "schema_files",
    "schemas_page",
]


def pages() -> dict[str, str]:
    """Site path (``reference/cli.md``, ``rules/PKD001.md``, ...) -> Markdown."""
    from patchkit.cli.catalog import code_rows

    out = {
        "reference/cli.md": cli_reference(),
        "reference/config.md": config_reference(),
        "reference/schemas.md": schemas_page(),
        "rules/index.md": rules_index(),
    }
    for row in code_rows():
        out[f"rules/{row['code']}.md"] = rule_page(row["code"])
    return out


def schema_files() -> dict[str, bytes]:
    """Site path (``schemas/check.v1.json``) -> the schema file's bytes, as shipped."""
    from importlib import resources

    from patchkit import schemas

    folder = resources.files(schemas.__name__)
    return {f"schemas/{name}": folder.joinpath(name).read_bytes() for name in schemas.names()}
