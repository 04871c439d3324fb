"""One test per crash the fuzzers and properties found, each asserting the clear error now given.

The inputs are the minimised ones; the raw fuzzer inputs are kept under
``crashes/<target>/`` and replayed by ``test_targets.py``.
"""

from __future__ import annotations

import pytest

from patchkit._source import render_caret
from patchkit.dockerfile import parse
from patchkit.engine import apply_to_text
from patchkit.errors import InternalError, PatchkitError, SourceError
from patchkit.series import Patch, parse_patch


def _patch(transform: str) -> Patch:
    body = "\n".join("  " + line for line in transform.splitlines())
    return parse_patch(
        f"id: p\nsummary: s\nwhy: w\nfiles: [Dockerfile]\ntransform:\n{body}\n", "p.yaml"
    )


# Found by test_properties.test_a_whole_series_applied_twice_equals_once: a bare ValueError
# from the tree's insert_after escaped the transform (exit 3 "internal error" in the CLI).
@pytest.mark.parametrize(
    ("transform", "text", "line"),
    [
        (
            "kind: scm-pretend-version\narg: APP_VERSION\nstage: app-build",
            "FROM ubuntu:22.04 AS app-build\\",
            1,
        ),
        ("kind: insert\nanchor: {keyword: RUN}\ntext: ENV A=1", "FROM a\nRUN x \\", 2),
        ("kind: insert\nanchor: {keyword: RUN}\ntext: ENV A=1", "FROM a\nRUN x `", None),
    ],
)
def test_inserting_after_a_continuation_open_at_eof_is_a_located_error(
    transform: str, text: str, line: int | None
) -> None:
    if line is None:  # the backtick is only an escape with the directive
        text = "# escape=`\n" + text
        line = 3
    with pytest.raises(SourceError, match="line continuation still open") as info:
        apply_to_text(text, [_patch(transform)], path="Dockerfile")
    assert info.value.line == line
    assert info.value.path == "Dockerfile"


# Found by the same property: a line inserted after an instruction whose heredoc never
# ends fell inside the heredoc body, so the engine's idempotence check raised an
# InternalError (exit 3) blaming the patch. The tree now says such an instruction
# continues to the end of the file, and the transform refuses with the location.
@pytest.mark.parametrize(
    ("transform", "text"),
    [
        (
            "kind: bind-mount-cache-key\nfrom: app-build",
            "FROM ubuntu AS s\nRUN --mount=type=bind,from=app-build,src=/d,target=d x\n"
            "FROM ubuntu AS app-build\nRUN cat <<EOF\nunterminated\n",
        ),
        ("kind: insert\nanchor: {keyword: RUN}\ntext: ENV A=1", "FROM a\nRUN <<EOF\nx"),
    ],
)
def test_inserting_after_an_unterminated_heredoc_is_a_located_error(
    transform: str, text: str
) -> None:
    with pytest.raises(SourceError, match="heredoc, whose delimiter never comes"):
        apply_to_text(text, [_patch(transform)], path="Dockerfile")


# Found by the dockerfile target (atheris) once it checked BuildKit's refusals: a heredoc
# opened on the file's last line, with no line break after it, had its body and its
# "unterminated heredoc" problem start and end one character past the end of the text.
@pytest.mark.parametrize(
    "text",
    ["FROM a\nRUN <<EOF", "FROM a\nRUN <<EOF\r", "FROM a\nRUN <<EOF <<X", "FROM a\nRUN <<EOF\n"],
)
def test_a_heredoc_opened_on_the_last_line_stays_inside_the_text(text: str) -> None:
    tree = parse(text)
    run = tree.instructions[1]
    assert (tree.problems[0].message, tree.problems[0].end) == (
        "unterminated heredoc 'EOF'",
        len(text),
    )
    assert all(h.start == h.end == len(text) and h.content == "" for h in run.heredocs)
    assert run.end <= len(text) and str(tree) == text


def test_an_unterminated_heredoc_continues_to_the_end_of_the_file() -> None:
    tree = parse("FROM a\nRUN <<EOF\nx\n")
    assert tree.instructions[1].continues_to_eof
    assert not parse("FROM a\nRUN <<EOF\nx\nEOF\n").instructions[1].continues_to_eof


# Found by hand while writing the patch-file target, then by it: ruamel.yaml counts a lone
# CR (and NEL, U+2028, U+2029) as a line break, patchkit's line index does not, so
# converting the YAML mark's line/column to an offset ran off the line table (IndexError).
@pytest.mark.parametrize("text", ["a: b\rc: [", "a: b\x85c: [\n", "id: x\u2028y: [", "a:\r\r\r["])
def test_yaml_errors_after_yaml_only_line_breaks_are_located(text: str) -> None:
    with pytest.raises(SourceError) as info:
        parse_patch(text, "p.yaml")
    assert info.value.offset <= len(text)
    assert info.value.render().startswith("p.yaml:1:")


def test_error_lines_cannot_drive_the_terminal() -> None:
    shown = render_caret("RUN \x1b[2J\x1b]0;pwned\x07 x\r", 5)
    assert "\x1b" not in shown and "\x07" not in shown and "\r" not in shown
    # one column per character, so the caret still points at the right place
    assert shown.splitlines()[1] == "    ^"


def test_every_regression_input_is_a_patchkit_error_not_a_crash() -> None:
    for text in ("a: b\rc: [", "\ufeffid: x\rsummary: ["):
        with pytest.raises(PatchkitError):
            parse_patch(text)


# Found by the exver target (atheris, as "slow" inputs: 2.8 s for 199 bytes under
# instrumentation): range parsing backtracked exponentially on nested "!(" (each level's
# failed Not re-parsed as "!" then the same parenthesis). 64 characters took 8 s, 256
# would take days: `patchkit version check --scheme exver-range` hung. The range parser
# now memoizes atoms; the SDK's verdicts (from its oracle, recorded below) are unchanged.
SDK_EXPECTED = (
    'Expected "!", "!=", "#", "&&", "(", ")", "*", "<", "<=", "=", ">", ">=", "^", "||", '
    '"~", [0-9], or whitespace but end of input found.'
)


@pytest.mark.parametrize(
    "text",
    ["!(1 " * 64, "!(1 " * 2000, "(!(1 " * 500, "!((" * 500 + "x", "!(1 ||" * 300,
     "!(5\r2#1(5\r2#12#" * 100],
)  # fmt: skip
def test_nested_ranges_parse_in_linear_time(text: str) -> None:
    import time

    from patchkit.versions import VersionSyntaxError, parse_range

    start = time.perf_counter()
    with pytest.raises(VersionSyntaxError):
        parse_range(text)
    assert time.perf_counter() - start < 2.0


def test_memoized_range_errors_are_still_the_sdks() -> None:
    from patchkit.versions import VersionSyntaxError, parse_range

    with pytest.raises(VersionSyntaxError) as info:
        parse_range("!(1 !(1 !(1 ")
    assert (info.value.offset, info.value.sdk_message) == (12, SDK_EXPECTED)
    assert str(parse_range("!(1 !(1 ))")) == "!(^1:0 && !(^1:0))"


def test_the_nesting_limit_is_exact_with_the_memo() -> None:
    from patchkit.versions import VersionSyntaxError, parse_range
    from patchkit.versions.exver import MAX_RANGE_DEPTH

    ok = "(" * MAX_RANGE_DEPTH + "1:0" + ")" * MAX_RANGE_DEPTH
    assert str(parse_range(ok)) == "^1:0"
    deep = "(" * (MAX_RANGE_DEPTH + 1) + "1:0" + ")" * (MAX_RANGE_DEPTH + 1)
    with pytest.raises(VersionSyntaxError, match="nested deeper"):
        parse_range(deep)
    # a memo entry made shallow must not hide the limit when replayed deeper
    mixed = "!" + "(" * MAX_RANGE_DEPTH + "1:0" + ")" * MAX_RANGE_DEPTH
    with pytest.raises(VersionSyntaxError, match="nested deeper"):
        parse_range(mixed)


# Found while checking the other YAML/TOML readers for the same line-counting mismatch as
# the patch loader: tomlkit reports positions counting lines as str.splitlines does, and
# converting them with patchkit's "\n"-only line table ran past its end (IndexError, exit 3)
# in the manifest pyproject reader and in [tool.patchkit] configuration loading.
@pytest.mark.parametrize("text", ["a = 1\rb = [", "a = 1\r\r\r\r\rb = [", "a=1\n\x85\n\x85\nb=["])
def test_toml_errors_after_splitlines_only_breaks_are_located(text: str) -> None:
    from pathlib import Path

    from patchkit.config import parse_config
    from patchkit.manifest.pyproject import find_versions

    with pytest.raises(SourceError) as info:
        list(find_versions(text, "pyproject.toml"))
    assert 0 <= info.value.offset <= len(text)
    info.value.render()
    with pytest.raises(SourceError) as info:
        parse_config(text, root=Path("."))
    assert 0 <= info.value.offset <= len(text)


def test_splitlines_offset_counts_lines_like_str_splitlines() -> None:
    from patchkit._source import splitlines_offset

    text = "a\rb\u2028c\r\nd\ne"
    for line, piece in enumerate(text.splitlines(keepends=True), start=1):
        assert text[splitlines_offset(text, line, 0) :].startswith(piece)
    assert splitlines_offset(text, 99, 5) == len(text)


# Found by probing the setup.py analyser target by hand with the shapes the fuzzers reach
# slowly (inputs in crashes/setup-py/): expressions nested a few hundred levels deep made
# CPython's parser raise RecursionError or MemoryError, and libcst's visitors
# RecursionError, all escaping as exit 3. What Python's own parser refuses is now a
# located SourceError; what it accepts is analysed (the walks no longer recurse).
@pytest.mark.parametrize(
    "text",
    [
        "x = " + "1+" * 20000 + "1\n",
        "x = " + "not " * 3000 + "1\n",
        "x = " + "lambda: " * 3000 + "1\n",
    ],
    ids=["binop-20000", "not-3000", "lambda-3000"],
)
def test_deeply_nested_setup_py_is_a_clear_error(text: str) -> None:
    import ast

    from patchkit.scm.setup_py import parse_setup_py

    # the running CPython's own parser is the oracle: 3.11+ refuses these depths,
    # 3.10 accepts some of them (then patchkit analyses them, without recursing)
    try:
        ast.parse(text)
    except (RecursionError, MemoryError, SyntaxError):
        with pytest.raises(SourceError, match="nested too deeply"):
            parse_setup_py(text, "setup.py")
    else:
        assert parse_setup_py(text, "setup.py") is not None


@pytest.mark.parametrize(
    ("text", "expected_dist"),
    [
        ("v = get_version(dist_name='a' + " + "'b'+" * 500 + "'c')\n", None),
        ("v = get_version(dist_name=a" + ".b" * 600 + ")\n", None),
        ("v = get_version(dist_name=" + "(" * 150 + "'deep'" + ")" * 150 + ")\n", "deep"),
        ("if " + "not " * 900 + "os.getenv('X'):\n    v = get_version()\n", None),
    ],
    ids=["binop-500", "attr-600", "parens-150", "not-900"],
)
def test_deep_but_valid_setup_py_is_analysed(text: str, expected_dist: str | None) -> None:
    from patchkit.scm.setup_py import parse_setup_py

    head = "import os\nfrom setuptools_scm import get_version\n"
    sp = parse_setup_py(head + text, "setup.py")
    assert [c.line for c in sp.calls] == [3 + text.count("\n") - 1]
    assert sp.calls[0].dist_name().name == expected_dist
    if "not " in text:  # an even number of `not`: the guard is "X is set"
        assert [g.describe() for g in sp.calls[0].guards] == ["X is set and non-empty"]


# Same family as the YAML and TOML ones: Python's tokenizer ends a line at a lone CR, so
# ast's error line pointed past patchkit's "\n"-only line table (the caret fell at the end
# of the file).
def test_python_errors_after_a_lone_cr_point_at_the_right_character() -> None:
    from patchkit.scm.setup_py import parse_setup_py

    text = "a=1\rb=2\rc = )\r"
    with pytest.raises(SourceError) as info:
        parse_setup_py(text, "setup.py")
    assert text[info.value.offset] == ")"


# Found in the security review's look at every YAML reader: the workflow scanner of
# `patchkit scm check` turned ruamel's (line, column) into offsets with patchkit's "\n"-only
# line table, so a workflow with lone-CR line breaks crashed (IndexError, exit 3), and a
# deeply nested one hit RecursionError. Positions now count lines as YAML does.
@pytest.mark.parametrize(
    "text",
    [
        "jobs:\r  a: [\r",
        "jobs:\r  b:\r    env:\r      SETUPTOOLS_SCM_PRETEND_VERSION: '1'\r",
        "jobs:\r  b:\r    steps:\r      - run: |\r"
        "          export SETUPTOOLS_SCM_PRETEND_VERSION=1\r",
        "jobs: " + "[" * 3000 + "]" * 3000,
    ],
    ids=["cr-error", "cr-env", "cr-run", "deep"],
)
def test_workflows_with_yaml_only_line_breaks_are_read(text: str) -> None:
    from patchkit.scm.setters import scan_file

    try:
        found = scan_file(
            ".github/workflows/ci.yml", "yaml", lambda k: k.startswith("SETUPTOOLS_SCM"), text
        )
    except PatchkitError as exc:
        exc.render()
        return
    for setter in found.setters:
        assert setter.value == "1"
        offset = text.index("SETUPTOOLS_SCM_PRETEND_VERSION")
        assert (setter.line, setter.col) == (
            text.count("\n", 0, offset) + 1,
            offset - (text.rfind("\n", 0, offset) + 1) + 1,
        )


# Found by the patch-file target with schema-shaped patch documents (hypothesis engine,
# `test_targets.patch_documents`): parameter values the transforms accepted but could not
# apply idempotently, so the engine's check raised InternalError ("a bug in patchkit",
# exit 3), or a bare ValueError escaped from the tree's edit helpers. Each is now refused
# where the patch file says it, and a replace/insert that is still not idempotent on some
# file is the patch's located error (exit 2), not patchkit's.
@pytest.mark.parametrize(
    ("transform", "field", "message"),
    [
        ("kind: replace\nanchor: {keyword: RUN}\nfind: ''\nwith: x", "find", "empty text"),
        ("kind: replace\nanchor: {keyword: RUN}\nfind: 'a*'\nwith: x", "find", "empty text"),
        ("kind: replace\nanchor: {keyword: RUN}\nfind: '\\b'\nwith: x", "find", "empty text"),
        ("kind: insert\nanchor: {keyword: RUN}\ntext: '\\'", "text", "open"),
        ("kind: insert\nanchor: {keyword: RUN}\ntext: 'RUN <<EOF'", "text", "open"),
        ("kind: scm-pretend-version\narg: P\ndefault: 'ENV A=1'", "default", "one word"),
        ('kind: scm-pretend-version\narg: P\ndefault: "\\n"', "default", "one word"),
        ("kind: cache-key-arg\nname: C\nrun: make\ndefault: 'a\"b'", "default", "one word"),
    ],
)
def test_transform_parameters_that_cannot_apply_idempotently_are_refused(
    transform: str, field: str, message: str
) -> None:
    with pytest.raises(SourceError, match=message) as info:
        _patch(transform)
    assert f"transform.{field}" in str(info.value)


def test_a_replace_that_is_not_idempotent_is_the_patch_files_error() -> None:
    # find matches a word the replacement creates again: each run adds one more
    patch = _patch("kind: replace\nanchor: {keyword: RUN}\nfind: 'b$'\nwith: 'b c b'")
    with pytest.raises(SourceError, match="not idempotent") as info:
        apply_to_text("FROM a\nRUN b\n", [patch], path="Dockerfile")
    assert not isinstance(info.value, InternalError)
    assert info.value.path == "p.yaml"
