"""MkDocs hook: the reference pages and JSON Schemas, generated from the code at build time.

Adds to the site, as files that exist only in the build (nothing is written
into docs/):

- ``reference/cli.md``, ``reference/config.md``, ``reference/schemas.md``
- ``rules/index.md`` and ``rules/<CODE>.md`` for every code ``patchkit rules`` lists
- ``schemas/<kind>.v<N>.json``: the schema files shipped in the package

The text comes from ``patchkit.reference`` (the argument parser, the
configuration key table, the rule docs, ``patchkit/schemas/``), so a page can
never disagree with the code. A hand-written file at one of these paths is an
error: the generated page is the only source. Enable it in mkdocs.yml with
``hooks: [docs/_hooks/reference.py]``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

_PACKAGE = Path(__file__).resolve().parents[2] / "patchkit"


def _import_this_checkout() -> None:
    """Import ``patchkit`` from this checkout, whatever else the interpreter has installed.

    The pages describe the code next to them: an editable install of another
    checkout (or a released wheel) must not supply them.
    """
    loaded = sys.modules.get("patchkit")
    if loaded is not None:
        where = Path(loaded.__file__ or "").resolve().parent
        if where != _PACKAGE:
            raise PluginError(f"patchkit is already imported from {where}, not from {_PACKAGE}")
        return
    spec = importlib.util.spec_from_file_location(
        "patchkit", _PACKAGE / "__init__.py", submodule_search_locations=[str(_PACKAGE)]
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["patchkit"] = module
    spec.loader.exec_module(module)


def generated() -> dict[str, str | bytes]:
    """Site path -> content of every file this hook adds."""
    _import_this_checkout()
    from patchkit.reference import pages, schema_files

    out: dict[str, str | bytes] = dict(pages())
    out.update(schema_files())
    return out


def on_files(files: Files, config: Any) -> Files:
    made = generated()
    clash = sorted(path for path in made if files.get_file_from_path(path) is not None)
    if clash:
        raise PluginError(
            f"docs/{clash[0]} is generated from the code by docs/_hooks/reference.py: delete "
            f"{', '.join('docs/' + c for c in clash)} and change the source (patchkit/reference/)"
        )
    for path, content in made.items():
        files.append(File.generated(config, path, content=content))
    return files
