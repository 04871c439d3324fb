"""`patchkit --help` starts light: the modules it imports, not its timing (bench/startup.py
measures that). The parser is built from the command table; a command's module is
imported only when that command is parsed; the shell completion still sees every option."""

from __future__ import annotations

import argparse
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import patchkit.cli.commands as commands_pkg
from patchkit.cli.commands import COMMANDS, module_name
from patchkit.cli.main import build_parser, load_command, main

ROOT = Path(__file__).resolve().parents[2]

#: what `patchkit --help` may import of patchkit itself
LIGHT = {
    "patchkit",
    "patchkit.__main__",
    "patchkit.cli",
    "patchkit.cli.main",
    "patchkit.cli.commands",
    "patchkit.cli.options",
}
#: never at --help: the configuration reader, the layers, and the libraries they use
HEAVY = (
    "patchkit.config",
    "patchkit.config_keys",
    "patchkit.errors",
    "patchkit.engine",
    "patchkit.dockerfile",
    "patchkit.versions",
    "patchkit.lint",
    "patchkit.check",
    "patchkit.build",
    "libcst",
    "ruamel.yaml",
    "tomlkit",
    "semver",
    "packaging",
    "shtab",
    "dataclasses",
    "json",
)


def _imported_by(*args: str) -> set[str]:
    """The modules a whole `python -m patchkit ARGS` process imported (beyond the interpreter's
    own start-up), recorded at exit."""
    code = (
        "import sys, atexit\n"
        "before = set(sys.modules)\n"
        "def report():\n"
        "    mods = sorted(set(sys.modules) - before)\n"
        "    sys.__stderr__.write('MODULES=' + ','.join(mods) + '\\n')\n"
        "atexit.register(report)\n"
        "import runpy\n"
        f"sys.argv = ['patchkit', *{list(args)!r}]\n"
        "runpy.run_module('patchkit', run_name='__main__', alter_sys=True)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    line = next(x for x in done.stderr.splitlines() if x.startswith("MODULES="))
    return set(line.removeprefix("MODULES=").split(","))


def test_help_imports_no_command_module_and_nothing_heavy() -> None:
    mods = _imported_by("--help")
    ours = {m for m in mods if m.split(".")[0] == "patchkit"}
    assert ours <= LIGHT, sorted(ours - LIGHT)
    for heavy in HEAVY:
        assert heavy not in mods, heavy


def test_version_imports_no_command_module() -> None:
    mods = _imported_by("--version")
    assert {m for m in mods if m.startswith("patchkit.")} <= LIGHT


def test_a_commands_help_imports_that_command_alone() -> None:
    mods = _imported_by("check", "--help")
    commands = {m for m in mods if m.startswith("patchkit.cli.commands.")}
    assert commands == {"patchkit.cli.commands.check"}
    assert "patchkit.config" not in mods  # the flags come from config_keys, the reader stays out
    assert "patchkit.config_keys" in mods
    for heavy in HEAVY[3:]:
        assert heavy not in mods, heavy


def test_the_table_names_every_command_module_with_its_help() -> None:
    modules = {
        m.name for m in pkgutil.iter_modules(commands_pkg.__path__) if not m.name.startswith("_")
    }
    assert {module_name(name).rsplit(".", 1)[1] for name, _ in COMMANDS} == modules
    for name, help_text in COMMANDS:
        module = load_command(name)
        assert name == module.NAME
        assert help_text == module.HELP, f"{name}: COMMANDS and {module.__name__}.HELP differ"


def test_lazy_and_full_parsers_agree_on_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    full = build_parser()
    lazy = build_parser(full=False)
    assert lazy.format_help() == full.format_help()
    for name, _ in COMMANDS:
        assert main([name, "--help"]) == 0
        shown = capsys.readouterr().out
        sub = next(a for a in full._actions if isinstance(a, argparse._SubParsersAction))
        assert shown == sub.choices[name].format_help()


def _option_strings(parser: argparse.ArgumentParser) -> set[str]:
    found: set[str] = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                found |= _option_strings(child)
        else:
            found.update(action.option_strings)
    return found


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_completion_sees_every_option_of_every_command(
    shell: str, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("shtab")
    assert main(["completion", shell]) == 0
    script = capsys.readouterr().out
    options = _option_strings(build_parser())
    assert {"--select", "--patch", "--quiet", "--verbose", "--range", "--to"} <= options
    missing = sorted(o for o in options if o not in script)
    assert not missing
    for name, _ in COMMANDS:
        assert name in script


def test_a_light_command_imports_no_configuration_reader_nor_output_module() -> None:
    # main used to import both for every command (to reset --config and --color): a third
    # of `version check`'s start-up
    mods = _imported_by("version", "check", "1.0.0:0")
    assert "patchkit.versions" in mods
    for unused in ("patchkit.config", "patchkit.cli.output", "patchkit.diagnostics"):
        assert unused not in mods, unused


def test_config_and_color_flags_still_apply_and_are_reset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import patchkit.cli.output as output
    import patchkit.config as config

    cfg = tmp_path / "patchkit.toml"
    cfg.write_text('patches = "elsewhere"\n', encoding="utf-8")
    seen = {}

    def spy(args: argparse.Namespace) -> int:
        seen["config"] = config._explicit_file
        seen["color"] = output._COLOR
        return 0

    parser = build_parser(full=False)
    args = parser.parse_args(["--config", str(cfg), "--color", "always", "rules"])
    assert args.config == str(cfg)
    import patchkit.cli.commands.rules as rules

    original = rules.run
    rules.run = spy  # type: ignore[assignment]
    try:
        assert main(["--config", str(cfg), "--color", "always", "rules"]) == 0
    finally:
        rules.run = original  # type: ignore[assignment]
    assert seen == {"config": cfg, "color": "always"}
    assert config._explicit_file is None and output._COLOR == "auto"
