"""The generated reference pages (docs/_hooks/reference.py) against the code they describe.

The expected names come from the real argument parser, the configuration
tables and ``patchkit rules --format json``, walked here, not from the
generator. The site build runs ``mkdocs build --strict`` with this branch's
mkdocs.yml into a temporary folder.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from patchkit.cli.main import build_parser, main

ROOT = Path(__file__).resolve().parents[2]
HOOK = ROOT / "docs" / "_hooks" / "reference.py"


def _need_mkdocs() -> None:
    if importlib.util.find_spec("mkdocs") is None:
        if os.environ.get("CI"):
            pytest.fail("mkdocs is not installed (the `test` extra has it)")
        pytest.skip("mkdocs is not installed (pip install -e '.[test]')")


@pytest.fixture(scope="module")
def hook() -> ModuleType:
    _need_mkdocs()
    spec = importlib.util.spec_from_file_location("reference_hook", HOOK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def site_files(hook: ModuleType) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = hook.generated()
    return files


def _text(files: dict[str, str | bytes], path: str) -> str:
    content = files[path]
    assert isinstance(content, str), path
    return content


def _listed_codes(capsys: pytest.CaptureFixture[str]) -> list[str]:
    capsys.readouterr()
    assert main(["rules", "--format", "json"]) == 0
    return [row["code"] for row in json.loads(capsys.readouterr().out)["rules"]]


# --- rules -----------------------------------------------------------------------


def test_every_listed_code_has_its_page_and_it_is_what_patchkit_rule_prints(
    site_files: dict[str, str | bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    codes = _listed_codes(capsys)
    assert {"PKD001", "PKM001", "PKS001", "PKB001", "PKP001", "PKC001"} <= set(codes)
    pages = {
        p.removeprefix("rules/").removesuffix(".md") for p in site_files if p.startswith("rules/")
    }
    assert pages - {"index"} == set(codes)
    index = _text(site_files, "rules/index.md")
    for code in codes:
        assert main(["rule", code]) == 0
        printed = capsys.readouterr().out
        assert _text(site_files, f"rules/{code}.md") == printed
        assert f"[{code}]({code}.md)" in index


def test_lint_pages_have_the_ruff_sections_and_evidence(
    site_files: dict[str, str | bytes],
) -> None:
    page = _text(site_files, "rules/PKD001.md")
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Fix safety"):
        assert section in page
    assert "## Evidence" in page and "607 real Dockerfiles" in page
    other = _text(site_files, "rules/PKM001.md")
    assert other.startswith("# invalid-version (PKM001)\n") and "## What it reports" in other


# --- CLI -------------------------------------------------------------------------


def _walk(parser: argparse.ArgumentParser) -> list[tuple[str, argparse.ArgumentParser]]:
    out = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                out.append((sub.prog, sub))
                out += _walk(sub)
    return out


def _sections(page: str) -> dict[str, str]:
    """Heading text (code spans unwrapped) -> the text up to the next heading."""
    parts = re.split(r"^#{2,3} (.+)$", page, flags=re.M)
    return {parts[i].strip("`"): parts[i + 1] for i in range(1, len(parts), 2)}


def test_cli_page_names_every_command_and_every_option(
    site_files: dict[str, str | bytes],
) -> None:
    page = _text(site_files, "reference/cli.md")
    sections = _sections(page)
    parser = build_parser()
    common = {
        s
        for a in parser._actions
        for s in a.option_strings
        if s not in ("-h", "--help", "--version")
    }
    for option in common:
        assert f"`{option}" in sections["Options every command takes"], option
    commands = _walk(parser)
    assert len(commands) >= 19  # 15 commands, scm's and version's subcommands
    for prog, sub in commands:
        assert prog in sections, f"no section for {prog}"
        body = sections[prog]
        for action in sub._actions:
            if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
                continue
            if not action.option_strings:  # a positional: its metavar or dest
                name = action.metavar if isinstance(action.metavar, str) else action.dest
                assert f"`{name}`" in body, f"{prog}: {name}"
                continue
            if set(action.option_strings) <= common:  # said once, linked from here
                assert "(#options-every-command-takes)" in body, f"{prog}: {action.dest}"
                continue
            for option in action.option_strings:
                assert re.search(rf"`{re.escape(option)}[ `]", body), f"{prog}: {option}"
            for choice in action.choices or ():
                assert f"`{choice}`" in body, f"{prog}: {action.option_strings} {choice}"


# --- configuration ---------------------------------------------------------------


def test_config_page_names_every_key_and_its_flag(site_files: dict[str, str | bytes]) -> None:
    from patchkit.config import LintSettings, _field_names
    from patchkit.config_keys import CONFIG_KEYS, FLAGS, LINT_KEYS

    page = _text(site_files, "reference/config.md")
    top, _, lint = page.partition("## `[tool.patchkit.lint]`")
    for name in _field_names():
        assert f"| `{name}` |" in top, name
    lint_fields = {f.replace("_", "-") for f in LintSettings.__slots__}  # type: ignore[attr-defined]
    assert {k.name for k in LINT_KEYS} == lint_fields
    for key in LINT_KEYS:
        assert f"| `{key.name}` |" in lint, key.name
    for _, flag, _ in FLAGS:
        assert f"`{flag}`" in page, flag
    assert {k.name for k in CONFIG_KEYS} == set(_field_names())


def test_literal_defaults_in_the_key_table_are_the_real_defaults(tmp_path: Path) -> None:
    """A default written as TOML in config_keys, read back by load_config, is Config's default."""
    from patchkit.config import Config, load_config
    from patchkit.config_keys import CONFIG_KEYS, LINT_KEYS
    from patchkit.lint.base import LintContext

    literal = [k for k in CONFIG_KEYS if k.default[:1] in ('"', "[") and k.name != "lint"]
    assert {k.name for k in literal} >= {"upstream", "patches", "out", "platforms", "manifests"}
    body = "".join(f"{k.name} = {k.default}\n" for k in literal)
    (tmp_path / "pyproject.toml").write_text("[tool.patchkit]\n" + body, encoding="utf-8")
    configured, default = load_config(tmp_path), Config(root=tmp_path)
    for key in literal:
        assert getattr(configured, key.name) == getattr(default, key.name), key.name
    context = {f: getattr(LintContext(), f) for f in ("package_caches", "cache_key_arg")}
    for key in LINT_KEYS:
        if key.default.startswith('"'):
            assert context[key.name.replace("-", "_")] == key.default.strip('"'), key.name


# --- schemas ---------------------------------------------------------------------


def test_schemas_are_published_byte_for_byte_and_listed(
    site_files: dict[str, str | bytes],
) -> None:
    folder = ROOT / "patchkit" / "schemas"
    shipped = sorted(p.name for p in folder.glob("*.json"))
    published = sorted(p.removeprefix("schemas/") for p in site_files if p.startswith("schemas/"))
    assert published == shipped
    page = _text(site_files, "reference/schemas.md")
    for name in shipped:
        assert site_files[f"schemas/{name}"] == (folder / name).read_bytes()
        assert f"](../schemas/{name})" in page
        kind, version = name.removesuffix(".json").rsplit(".", 1)
        assert f"`patchkit/{kind}/{version}`" in page


# --- the hook in a real build ----------------------------------------------------


def test_hook_refuses_a_hand_written_copy_of_a_generated_page(
    hook: ModuleType, tmp_path: Path
) -> None:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.exceptions import PluginError
    from mkdocs.structure.files import File, Files

    docs, site = tmp_path / "docs", tmp_path / "site"
    (docs / "rules").mkdir(parents=True)
    (docs / "rules" / "PKD001.md").write_text("# stale copy\n")
    config = MkDocsConfig()
    config.load_dict({"site_name": "t", "docs_dir": str(docs), "site_dir": str(site)})
    errors, _ = config.validate()
    assert not errors
    files = Files([File("rules/PKD001.md", str(docs), str(site), False)])
    with pytest.raises(PluginError, match=r"docs/rules/PKD001\.md is generated"):
        hook.on_files(files, config)


@pytest.mark.slow
def test_mkdocs_build_strict(tmp_path: Path) -> None:
    _need_mkdocs()
    site = tmp_path / "site"
    # no PYTHONPATH: the hook imports this checkout's patchkit itself, even when the
    # interpreter has another one installed (an editable install of another checkout)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["NO_MKDOCS_2_WARNING"] = "1"
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"),
         "-d", str(site)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "WARNING" not in proc.stderr, proc.stderr
    for page in ("reference/cli", "reference/config", "reference/schemas", "rules", "rules/PKD001",
                 "rules/PKC003"):  # fmt: skip
        assert (site / page / "index.html").is_file(), page
    shipped = ROOT / "patchkit" / "schemas" / "check.v1.json"
    assert (site / "schemas" / "check.v1.json").read_bytes() == shipped.read_bytes()
    assert not list((ROOT / "docs").glob("rules/*.md"))  # generated in the build, not on disk
    # this checkout's codes, not an installed patchkit's
    from patchkit.cli.catalog import all_codes

    for code in all_codes():
        assert (site / "rules" / code / "index.html").is_file(), code


def test_the_command_line_does_not_import_the_generators() -> None:
    code = (
        "import sys, patchkit.cli.main as m; m.build_parser(); "
        "print(sorted(n for n in sys.modules if n.startswith(('patchkit.reference', "
        "'patchkit.schemas', 'jsonschema', 'mkdocs'))))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], env=dict(os.environ, PYTHONPATH=str(ROOT)),
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
