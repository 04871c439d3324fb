"""``schemas_page()``: the JSON Schemas of the ``--format json`` documents."""

from __future__ import annotations

from patchkit.reference._markdown import code, inline, table

__all__ = ["schemas_page"]

_VALIDATE = """\
```python
import json, pathlib
import jsonschema, referencing
from referencing.jsonschema import DRAFT202012

folder = pathlib.Path("schemas")          # the files below, downloaded
docs = [json.loads(p.read_text()) for p in folder.glob("*.json")]
registry = referencing.Registry().with_resources(
    (d["$id"], DRAFT202012.create_resource(d)) for d in docs
)
report = json.loads(pathlib.Path("check.json").read_text())  # patchkit check --format json
schema = next(d for d in docs if d["properties"]["schema"]["const"] == report["schema"])
jsonschema.Draft202012Validator(schema, registry=registry).validate(report)
```
"""


def schemas_page() -> str:
    """The schemas page: one row per schema, with its ``$id`` and its file."""
    from patchkit import schemas

    rows = []
    for name in schemas.names():
        doc = schemas.load(name)
        props = doc["properties"]
        assert isinstance(props, dict)
        rows.append(
            [
                code(str(props["schema"]["const"])),
                inline(str(doc.get("title", ""))),
                inline(str(doc.get("description", ""))),
                f"[{name}](../schemas/{name})",
            ]
        )
    return "\n".join(
        [
            "# JSON Schemas\n",
            'Every JSON document patchkit prints carries `"schema": "patchkit/<kind>/v<N>"`; '
            "a change of shape bumps `N`. Each has a JSON Schema (Draft 2020-12), shipped in the "
            "package (`patchkit/schemas/<kind>.v<N>.json`, read with `patchkit.schemas.load`) "
            "and published here. Objects are closed (`additionalProperties: false`), so a "
            "renamed or added field fails validation; patchkit's tests validate every command's "
            "real output against them.\n",
            f"Each file's `$id` is `{schemas.SCHEMA_BASE}<kind>.v<N>.json`. That base names no "
            "live host yet (the project has no public home); references between the files are "
            "relative (`diagnostics.v1.json#/$defs/diagnostic`), so a validator resolves them "
            "from the files themselves, as below.\n",
            table(["schema", "command", "what it holds", "file"], rows),
            "SARIF output (`--format sarif`) follows the OASIS SARIF 2.1.0 schema instead, and "
            "`patchkit version check|convert --format json` prints a bare list that carries no "
            "`schema` field.\n",
            "## Validating a document\n",
            _VALIDATE,
        ]
    )
