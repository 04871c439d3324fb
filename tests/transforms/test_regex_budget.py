"""Patch-file regexes run under a time budget (issue 21, item 5).

``find: "(a|aa)+b"`` against a 60-character RUN backtracked for ever with
``re``. Now every user pattern (``find``, ``anchor.pattern``, ``upstream-if``,
``run``) is an error naming the patch file, the field and the pattern within
about a second, exit 2; and patterns ``re`` accepts still mean what they meant.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from patchkit.errors import SourceError
from patchkit.series import parse_patch
from patchkit.transforms import _regex

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "redos"
EVIL = "(a|aa)+b"
HEAD = "id: evil\nsummary: s\nwhy: w\nfiles: [docker/Dockerfile]\ntransform:\n"
TRANSFORMS = {
    "find": f"  kind: replace\n  anchor: {{keyword: RUN}}\n  find: '{EVIL}'\n  with: c\n",
    "anchor.pattern": f"  kind: insert\n  anchor: {{keyword: RUN, pattern: '{EVIL}'}}\n"
    "  text: ENV A=1\n",
    "run": f"  kind: cache-key-arg\n  name: APP_COMMIT\n  run: '{EVIL}'\n",
}


@pytest.mark.parametrize("field", sorted(TRANSFORMS))
def test_a_backtracking_pattern_is_exit_2_naming_the_patch_and_the_pattern(
    cli: Callable[..., subprocess.CompletedProcess[str]], tmp_path: Path, field: str
) -> None:
    (tmp_path / "up" / "docker").mkdir(parents=True)
    shutil.copyfile(FIXTURES / "Dockerfile", tmp_path / "up" / "docker" / "Dockerfile")
    (tmp_path / "patches").mkdir()
    (tmp_path / "patches" / "evil.yaml").write_text(HEAD + TRANSFORMS[field], encoding="utf-8")
    for command in ("apply", "status"):
        started = time.monotonic()
        done = cli(
            command,
            *("--upstream", "up", "--upstream-version", "1", "--patches", "patches"),
            cwd=tmp_path,
            timeout=60,
        )
        assert done.returncode == 2, (command, done.stdout, done.stderr)
        assert "patches/evil.yaml:" in done.stderr and f"transform.{field}:" in done.stderr
        assert repr(EVIL) in done.stderr and "ran longer than patchkit allows" in done.stderr
        assert "Traceback" not in done.stderr
        assert time.monotonic() - started < 30
    assert not (tmp_path / ".dockerfiles").exists()


def test_a_pattern_gets_a_total_budget_not_only_one_per_call(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_regex, "TOTAL", 0.0)
    pattern = _regex.UserRegex("a", "find")
    with pytest.raises(_regex.RegexBudgetError, match="'a' ran longer"):
        pattern.search("a")


def test_patterns_keep_their_re_meaning() -> None:
    # look-behind, a back-reference in a look-ahead, \A...\Z: what lint --fix writes
    pattern = _regex.UserRegex(r"(?<![A-Za-z0-9_])X(\s*=\s*|\s+)(['\"]?)1(?=\2)", "find")
    assert pattern.sub(r"X\g<1>\g<2>2", "ENV X='1' AX=1") == "ENV X='2' AX=1"
    assert _regex.UserRegex(r"\Amake all\Z", "run").search("make all") is not None


@pytest.mark.parametrize(
    ("find", "with_", "message"),
    [
        ("setup.py (bdist", "x", "invalid regular expression"),
        ("(a)", r"\2", "invalid group reference 2"),
        ("(a)", r"\q", "bad escape"),
        ("(?P<v>a)", r"\g<w>", "unknown group name"),
    ],
)
def test_bad_patterns_and_templates_are_refused_when_the_patch_loads(
    find: str, with_: str, message: str
) -> None:
    text = (
        HEAD + f"  kind: replace\n  anchor: {{keyword: RUN}}\n  find: '{find}'\n  with: '{with_}'\n"
    )
    with pytest.raises(SourceError, match=message):
        parse_patch(text, "p.yaml")


def test_the_cli_does_not_import_regex_at_start_up() -> None:
    import sys

    code = "import sys, patchkit.cli.main; print('regex' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
