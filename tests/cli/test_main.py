from __future__ import annotations

import subprocess
import sys

import pytest

from patchkit.cli.main import COMMANDS, main


def test_help_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for module in COMMANDS:
        assert module.NAME in out


@pytest.mark.parametrize("module", COMMANDS, ids=lambda m: m.NAME)
def test_every_command_is_wired_and_has_help(
    module: object, capsys: pytest.CaptureFixture[str]
) -> None:
    name = module.NAME  # type: ignore[attr-defined]
    assert main([name, "--help"]) == 0
    assert name in capsys.readouterr().out


def test_unknown_command_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["no-such-command"]) == 2
    assert "invalid choice" in capsys.readouterr().err


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2


def test_help_does_not_import_heavy_libraries() -> None:
    code = (
        "import sys\n"
        "from patchkit.cli.main import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('libcst', 'ruamel', 'ruamel.yaml', 'tomlkit', 'semver', 'packaging')"
        " if m in sys.modules]\n"
        "print('HEAVY=' + ','.join(heavy))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().splitlines()[-1] == "HEAVY="


def test_internal_error_is_one_line_exit_3(capsys: pytest.CaptureFixture[str]) -> None:
    def boom(args: object) -> int:
        raise ZeroDivisionError("boom")

    import patchkit.cli.main as m

    parser = m.build_parser()
    args = parser.parse_args(["parse"])
    args._run = boom
    assert m._run_guarded(args, debug=False) == 3
    err = capsys.readouterr().err
    assert "internal error" in err and "--debug" in err and "Traceback" not in err


def test_keyboard_interrupt_is_130(capsys: pytest.CaptureFixture[str]) -> None:
    import patchkit.cli.main as m

    def interrupted(args: object) -> int:
        raise KeyboardInterrupt

    args = m.build_parser().parse_args(["parse"])
    args._run = interrupted
    assert m._run_guarded(args, debug=False) == 130


@pytest.mark.parametrize(
    ("argv", "usage_of", "suggestion"),
    [
        (["chek"], "usage: patchkit ", "(did you mean 'check'?)"),
        (["bump", "--chek"], "usage: patchkit bump ", "(did you mean '--check'?)"),
        (["check", "--formt", "json"], "usage: patchkit check ", "(did you mean '--format'?)"),
        (["lint", "--format", "jsn", "."], "usage: patchkit lint ", "(did you mean 'json'?)"),
    ],
)
def test_a_typo_gets_the_commands_usage_and_the_nearest_name(
    argv: list[str], usage_of: str, suggestion: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(usage_of) and err.rstrip().endswith(suggestion)


def test_an_unknown_option_far_from_every_name_gets_no_guess(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["bump", "--frobnicate"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: patchkit bump ") and "did you mean" not in err
    assert err.rstrip().endswith("unrecognized arguments: --frobnicate")
