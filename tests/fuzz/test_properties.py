"""Laws over adversarial text, run in CI with a bounded number of examples.

1. ``str(parse(t)) == t`` for any text: decoded random bytes, CR/LF mixes,
   an escape (backslash or backtick) at the end of the file, heredoc markers
   that never end, NULs, very long lines, and the characters ``str.splitlines``
   treats as line breaks but BuildKit does not (U+2028, U+2029, U+0085, VT,
   FF, U+001C-U+001E, a lone CR). Lines are numbered the way BuildKit numbers
   them: only ``\\n`` ends a line.
2. apply∘apply = apply for a whole series (one patch of every transform kind)
   over adversarial, vLLM-shaped files: through ``apply_to_text`` and through
   the engine's plan/write on a real folder (the second ``apply`` writes nothing).
3. Generated setup.py-shaped programs (``setup_py_programs.py``) go through the
   setup-py fuzz target without breaking its contract, and every call and
   environment write the analyser reports is where it says, spelled as it says.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from patchkit import engine
from patchkit.dockerfile import parse
from patchkit.engine import PatchConflict, apply_to_text
from patchkit.errors import InternalError, PatchkitError
from patchkit.series import Series, parse_patch
from patchkit.states import PatchState

EXAMPLES = int(os.environ.get("PATCHKIT_PROPERTY_EXAMPLES", "200"))
_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

# Line breaks for str.splitlines, ordinary characters for BuildKit (its scanner splits on \n).
NOT_LINE_BREAKS = ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\r"]
PIECES = [
    "\n", "\r\n", "\r", "\\", "`", "\\\n", "\\ \n", "`\r\n", "\\\r\n", "<<EOF", "<<-EOF",
    "<<'EOF'", '<<"E F"', "<<", "EOF", "\tEOF", "RUN ", "run ", "FROM ", "FROM a AS b",
    "ARG ", "ENV ", "COPY ", "ONBUILD ", "--mount=", "type=cache,target=/x", ",id=", "=",
    '"', "'", "[", "]", '["a"]', "#", "# escape=`", "# syntax=x", "${A:-x}", "$", "\x00",
    "\ufeff", " ", "\t", *NOT_LINE_BREAKS,
]  # fmt: skip


def _check_round_trip(text: str) -> None:
    for legacy in (False, True):
        tree = parse(text, legacy=legacy)
        assert str(tree) == text
        for ins in tree.instructions:
            assert text[ins.start : ins.end] == ins.raw
            # BuildKit's line numbers: only "\n" ends a line
            assert ins.start_line == text.count("\n", 0, ins.start) + 1, (ins.raw, legacy)
            assert ins.start_line <= ins.end_line <= text.count("\n") + 1
            ins.flags, ins.mounts, ins.pairs, ins.heredocs, ins.values, ins.exec_form  # noqa: B018
        for stage in tree.stages:
            stage.args_in_scope(), stage.parent
        for problem in tree.problems:
            assert 1 <= problem.line <= text.count("\n") + 1


@_SETTINGS
@given(st.binary(max_size=400))
def test_decoded_random_bytes_round_trip(data: bytes) -> None:
    for text in (
        data.decode("utf-8", "replace"),
        data.decode("utf-8", "surrogateescape"),
        data.decode("latin-1"),
    ):
        _check_round_trip(text)


@_SETTINGS
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=40).map("".join))
def test_adversarial_pieces_round_trip(text: str) -> None:
    _check_round_trip(text)


@_SETTINGS
@given(
    body=st.lists(st.sampled_from(PIECES), max_size=20).map("".join),
    ending=st.sampled_from(["\\", "`", "\\ ", "\\\t", "\\\r", "` ", "\\\n", "`\n", "<<EOF", "<<"]),
    escape_directive=st.booleans(),
)
def test_an_escape_or_heredoc_at_the_end_of_the_file(
    body: str, ending: str, escape_directive: bool
) -> None:
    text = ("# escape=`\n" if escape_directive else "") + "FROM a\nRUN x " + body + ending
    _check_round_trip(text)


@_SETTINGS
@given(
    marker=st.sampled_from(["<<EOF", "<<-EOF", "<<'EOF'", '<<"EOF"', "<<EOF <<X", "3<<EOF"]),
    lines=st.lists(st.sampled_from(["echo hi", "EOFX", " EOF", "EOF ", "\tEOF", "", "X"])),
    nl=st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_heredocs_that_never_end(marker: str, lines: list[str], nl: str) -> None:
    text = f"FROM a{nl}RUN cat {marker}{nl}" + nl.join(lines)
    _check_round_trip(text)
    tree = parse(text)
    ends = "EOF" in lines or (marker == "<<-EOF" and "\tEOF" in lines)
    if nl != "\r" and " " not in marker and not ends:  # a lone CR does not end a line
        assert tree.problems, "an unterminated heredoc is a problem BuildKit would refuse"


@pytest.mark.parametrize("sep", NOT_LINE_BREAKS, ids=[f"U+{ord(c):04X}" for c in NOT_LINE_BREAKS])
def test_splitlines_breaks_are_not_line_breaks(sep: str) -> None:
    text = f"FROM a{sep}RUN x\nRUN y{sep}z\nENV K=v{sep}w\n"
    tree = parse(text)
    assert str(tree) == text
    assert [(i.keyword, i.start_line) for i in tree.instructions] == [
        ("FROM", 1),
        ("RUN", 2),
        ("ENV", 3),
    ]
    assert tree.line_col(text.index("RUN y")) == (2, 1)


@pytest.mark.parametrize("sep", NOT_LINE_BREAKS, ids=[f"U+{ord(c):04X}" for c in NOT_LINE_BREAKS])
def test_splitlines_breaks_agree_with_buildkit(sep: str) -> None:
    dockerfile = pytest.importorskip(
        "dockerfile", reason="the BuildKit oracle (PyPI dockerfile==3.4.0) is not installed"
    )
    for text in (
        f"FROM a{sep}b\nRUN x{sep}RUN y \\{sep}\n  z\nLABEL K=v{sep}w=1\n",
        f"FROM a\nENV K=v{sep}w\n",  # Go's unicode.IsSpace splits here: BuildKit refuses
    ):
        tree = parse(text, legacy=True)
        try:
            theirs = [
                (c.cmd, c.start_line, c.end_line, tuple(c.value))
                for c in dockerfile.parse_string(text)
            ]
        except dockerfile.GoParseError:
            assert tree.problems, f"BuildKit refuses {text!r}, patchkit sees no problem"
            continue
        ours = [
            (i.keyword_raw, i.start_line, i.end_line, tuple(i.values)) for i in tree.instructions
        ]
        assert not tree.problems
        assert ours == theirs


@pytest.mark.parametrize("size", [65_535, 65_536, 70_000, 300_000])
def test_huge_lines_round_trip(size: int) -> None:
    for text in (
        "FROM a\nRUN " + "x" * size + "\n",
        "FROM a\nRUN " + "\\\n" * (size // 2),
        "FROM a\n# " + "y" * size,
        "FROM a\nENV " + "K=v " * (size // 4) + "\n",
    ):
        tree = parse(text)
        assert str(tree) == text
        tree.problems, [i.pairs for i in tree.instructions]


def test_nuls_round_trip_and_stay_in_the_arguments() -> None:
    text = "FROM a\x00b\nRUN \x00\nENV K=\x00\n\x00\n"
    tree = parse(text)
    assert str(tree) == text
    assert tree.instructions[0].values == ["a\x00b"]


# -- apply∘apply = apply for a whole series over adversarial files ------------------------

SERIES_TEXTS = [
    "kind: cache-mount-id\ntarget: /app-workspace/.deps\nid: 'deps-${TARGETARCH}'",
    "kind: cache-mount-id\ntarget: [/root/.cache/uv, /root/.cache/ccache]",
    "kind: scm-pretend-version\narg: APP_VERSION\nstage: app-build",
    "kind: cache-key-arg\nname: APP_COMMIT\nrun: bdist_wheel",
    "kind: bind-mount-cache-key\nfrom: app-build",
    "kind: insert\nanchor: {keyword: WORKDIR}\ntext: ENV HF_HUB_DOWNLOAD_TIMEOUT=120",
    "kind: replace\nanchor: {keyword: RUN, pattern: 'uv pip install'}\n"
    "find: '--torch-backend cpu'\nwith: '--torch-backend cpu --no-cache'\nall: true",
]


def _series() -> list:  # type: ignore[type-arg]
    out = []
    for i, body in enumerate(SERIES_TEXTS):
        transform = "\n".join("  " + line for line in body.splitlines())
        text = f"id: p{i}\nsummary: s\nwhy: w\nfiles: [Dockerfile]\ntransform:\n{transform}\n"
        out.append(parse_patch(text, f"p{i}.yaml"))
    return out


SERIES = _series()
STAGES = ["base", "app-build", "app-test", "app-server"]
LINES = [
    "ARG TARGETARCH", "ARG APP_VERSION", "ARG APP_COMMIT=abc", "WORKDIR /app-workspace",
    "ENV SETUPTOOLS_SCM_PRETEND_VERSION_FOR_APP=${APP_VERSION}", "COPY . .",
    "RUN --mount=type=cache,target=/app-workspace/.deps make deps",
    "RUN --mount=type=cache,target=/root/.cache/uv uv pip install -r r.txt --torch-backend cpu",
    "RUN --mount=type=cache,target=/root/.cache/ccache,id=x python3 setup.py bdist_wheel",
    "RUN --mount=type=bind,from=app-build,src=/app-workspace/dist,target=dist "
    "uv pip install dist/*.whl",
    "run --mount=type=cache,target=/app-workspace/.deps \\\n  make deps",
    "RUN --mount=type=cache,target=/root/.cache/uv \\\n# comment inside\n\n  uv pip install x",
    "RUN <<EOF\nmake deps\nEOF", "RUN cat <<EOF\nunterminated", "# a comment", "",
    "RUN echo \u2028 \x85 \x0b \x0c tail", "ENV A=\x00", "ONBUILD RUN make deps",
    'RUN ["a", "b"]',
]  # fmt: skip


@st.composite
def adversarial_dockerfiles(draw: st.DrawFn) -> str:
    stages = draw(st.lists(st.sampled_from(STAGES), min_size=1, max_size=4, unique=True))
    lines: list[str] = []
    if draw(st.integers(0, 4)) == 0:
        lines.append(draw(st.sampled_from(["# escape=`", "# syntax=docker/dockerfile:1"])))
    for i, name in enumerate(stages):
        lines.append(f"FROM {draw(st.sampled_from(['ubuntu:22.04', *stages[:i]]))} AS {name}")
        lines.extend(draw(st.lists(st.sampled_from(LINES), max_size=6)))
    nls = draw(st.lists(st.sampled_from(["\n", "\n", "\r\n"]), min_size=1, max_size=3))
    text = ""
    for j, line in enumerate(lines):
        nl = nls[j % len(nls)]
        text += line.replace("\n", nl) + nl
    if draw(st.booleans()):
        text = text.rstrip("\r\n")  # no final newline
    if draw(st.integers(0, 9)) == 0:
        text = "\ufeff" + text
    return text + draw(st.sampled_from(["", "", "\\", "`", " ", "\r"]))


def _apply_twice(text: str) -> str:
    try:
        once = apply_to_text(text, SERIES, path="Dockerfile")  # verifies idempotence itself
    except PatchConflict:
        reject()
    except InternalError:
        raise
    except PatchkitError:  # a clear, located refusal (e.g. nowhere safe to insert a line)
        reject()
    twice = apply_to_text(once.text, SERIES, path="Dockerfile", verify=False)
    assert twice.text == once.text
    for _patch, state in twice.states:
        assert state.state is not PatchState.PENDING, state.message
    assert str(parse(once.text)) == once.text
    return once.text


@_SETTINGS
@given(adversarial_dockerfiles())
def test_a_whole_series_applied_twice_equals_once(text: str) -> None:
    _apply_twice(text)


@settings(max_examples=max(10, EXAMPLES // 10), deadline=None, database=None)
@given(text=adversarial_dockerfiles())
def test_applying_a_folder_twice_writes_nothing_the_second_time(
    text: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = tmp_path_factory.mktemp("series")
    upstream, out = root / "upstream", root / "out"
    upstream.mkdir()
    (upstream / "Dockerfile").write_bytes(text.encode("utf-8"))
    series = Series(str(root), tuple(SERIES))
    version = engine.resolve_upstream_version(upstream, "1.0")
    try:
        first = engine.plan(series, upstream, version, out=out)
    except InternalError:
        raise
    except PatchkitError:
        reject()
    if first.drifted:
        return
    engine.write_plan(first)
    written = (out / "Dockerfile").read_bytes().decode("utf-8")
    assert written == _apply_twice(text)
    second = engine.plan(series, upstream, version, out=out)
    assert engine.check_targets(second) == []
    assert engine.write_plan(second) == []
    assert (out / "Dockerfile").read_bytes() == written.encode("utf-8")
    assert (upstream / "Dockerfile").read_bytes() == text.encode("utf-8")
    assert not [p for p in Path(out).rglob("*") if p.name.endswith(".patchkit-tmp")]


# -- 3. setup.py-shaped programs ---------------------------------------------------------


@_SETTINGS
@given(data=st.data())
def test_setup_py_shaped_programs(fuzz, setup_py_programs, data) -> None:  # type: ignore[no-untyped-def]
    from patchkit.scm.setup_py import parse_setup_py

    text = data.draw(setup_py_programs)
    fuzz.setup_py(b"\0" + text.encode("utf-8"))  # the target's contract: no crash, no bug
    sp = parse_setup_py(text, "setup.py")
    lines = text.splitlines()
    for call in sp.calls:
        # line and column (characters, 1-based) point at the callee as the file spells it
        assert lines[call.line - 1][call.col - 1 :].startswith(call.callee), call
    for env in sp.env_assignments:
        assert 1 <= env.col <= len(lines[env.line - 1]), env
