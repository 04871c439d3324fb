"""JSON Schemas (Draft 2020-12) of the documents ``--format json`` prints.

Every JSON document patchkit prints carries ``"schema": "patchkit/<kind>/v<N>"``;
its schema is the file ``<kind>.v<N>.json`` of this folder, shipped in the wheel
and published in the docs site under ``schemas/``. Each file's ``$id`` is
``SCHEMA_BASE + "<kind>.v<N>.json"``; references between them are relative
(``diagnostics.v1.json#/$defs/diagnostic``), so they resolve wherever the
folder is served as a whole.

``SCHEMA_BASE`` names no live host yet (``.example`` is reserved for
documentation): the project has no public home. When it has one, change the
base here and in every file's ``$id`` (``tests/schemas`` checks they agree).

Reading a schema needs only the standard library; validating needs
``jsonschema`` (the ``test`` extra), which this module never imports.
"""

from __future__ import annotations

import json
import re
from importlib import resources

__all__ = ["SCHEMA_BASE", "file_name", "load", "names"]

SCHEMA_BASE = "https://patchkit.example/schemas/"

_ID = re.compile(r"^patchkit/(?P<kind>[a-z][a-z0-9-]*)/v(?P<version>[0-9]+)$")


def file_name(schema_id: str) -> str:
    """``patchkit/check/v1`` -> ``check.v1.json``; ``ValueError`` for another shape."""
    m = _ID.match(schema_id)
    if m is None:
        raise ValueError(f"not a patchkit schema id: {schema_id!r} (expected patchkit/<kind>/v<N>)")
    return f"{m['kind']}.v{m['version']}.json"


def names() -> list[str]:
    """The schema files shipped, sorted (``build.v1.json``, ...)."""
    folder = resources.files(__name__)
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".json"))


def load(name: str) -> dict[str, object]:
    """The schema in file ``name`` (``check.v1.json``) or of id ``patchkit/check/v1``."""
    if "/" in name:
        name = file_name(name)
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    doc: dict[str, object] = json.loads(text)
    return doc
