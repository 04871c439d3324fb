"""Hypothesis strategies that write odd but plausible Dockerfiles (imported by conftest.py)."""

from __future__ import annotations

from hypothesis import strategies as st

KEYWORDS = (
    "FROM", "RUN", "ENV", "ARG", "COPY", "ADD", "CMD", "LABEL", "WORKDIR", "ONBUILD",
    "VOLUME", "HEALTHCHECK", "EXPOSE", "USER", "SHELL", "ENTRYPOINT", "STOPSIGNAL",
    "MAINTAINER", "run", "From", "FROBNICATE",
)  # fmt: skip

# ASCII only inside flags: BuildKit's flag splitter walks bytes, not runes, so it
# garbles non-ASCII flag text (v0.12.5 and current); patchkit reads runes.
_FLAG_CHARS = st.sampled_from(list("abcxyz019=,/.-_:$'\"\\{}"))
_WORD_CHARS = st.sampled_from(
    [*list("abcXYZ0189=,/.-_:$'\"\\{}[]<>#|&;*é"), "${A}", "${B:-x}", "<<"]
)
_BLANKS = st.sampled_from(["", " ", "\t", "  ", " \t "])
_SEP = st.sampled_from([" ", "  ", "\t"])


@st.composite
def words(draw, chars=_WORD_CHARS, min_size=1, max_size=6):  # type: ignore[no-untyped-def]
    return "".join(draw(st.lists(chars, min_size=min_size, max_size=max_size)))


@st.composite
def continuation(draw, nl: str, escape: str) -> str:  # type: ignore[no-untyped-def]
    """An escape at the end of a line, perhaps with blanks, comment and blank lines after it."""
    out = " " * draw(st.integers(0, 1)) + escape + draw(st.sampled_from(["", " ", "\t", "  "])) + nl
    for _ in range(draw(st.integers(0, 2))):
        kind = draw(st.sampled_from(["comment", "blank", "comment-esc"]))
        if kind == "comment":
            out += draw(_BLANKS) + "# " + draw(words()) + nl
        elif kind == "comment-esc":
            out += draw(_BLANKS) + "# note " + escape + nl
        else:
            out += draw(_BLANKS) + nl
    return out + draw(_BLANKS)


@st.composite
def instruction(draw, nl: str, escape: str) -> tuple[str, list[str]]:  # type: ignore[no-untyped-def]
    """One instruction's lines and the heredoc bodies it needs after it."""
    kw = draw(st.sampled_from(KEYWORDS))
    parts = [kw]
    if kw.upper() == "ONBUILD":
        parts.append(draw(st.sampled_from(["RUN", "COPY", "CMD"])))
    for _ in range(draw(st.integers(0, 2))):
        name = draw(st.sampled_from(["mount", "from", "platform", "chmod", "link", "network"]))
        value = draw(words(_FLAG_CHARS, 0, 8))
        parts.append(f"--{name}" + (f"={value}" if draw(st.booleans()) else ""))
    heredocs: list[tuple[str, bool]] = []
    shape = draw(st.sampled_from(["words", "json", "heredoc", "pairs", "empty"]))
    if shape == "json":
        items = draw(
            st.lists(
                st.sampled_from(['"a"', '"b c"', '"\\u0041"', '"x\\"y"', "1", '"-c"']), max_size=3
            )
        )
        parts.append("[" + ", ".join(items) + "]" + draw(st.sampled_from(["", "", " tail"])))
    elif shape == "heredoc":
        for _ in range(draw(st.integers(1, 2))):
            name = draw(st.sampled_from(["EOF", "X", "END_1"]))
            quote = draw(st.sampled_from(["", "'", '"']))
            dash = draw(st.sampled_from(["", "-"]))
            prefix = draw(st.sampled_from(["", "", "3", "cat "]))
            parts.append(f"{prefix}<<{dash}{quote}{name}{quote}")
            heredocs.append((name, dash == "-"))
        parts.append(draw(words()))
    elif shape == "pairs":
        for _ in range(draw(st.integers(1, 3))):
            parts.append(draw(st.sampled_from(["K", "a.b", "X1"])) + "=" + draw(words(min_size=0)))
    elif shape == "words":
        parts.extend(draw(st.lists(words(), max_size=4)))
    text = parts[0]
    for p in parts[1:]:
        glue = draw(continuation(nl, escape)) if draw(st.integers(0, 4)) == 0 else draw(_SEP)
        text += glue + p
    bodies: list[str] = []
    for name, strip in heredocs:
        body = "".join(draw(words()) + nl for _ in range(draw(st.integers(0, 2))))
        closing = ("\t" if strip and draw(st.booleans()) else "") + name
        bodies.append(body + closing)
    return text, bodies


@st.composite
def dockerfiles(draw) -> str:  # type: ignore[no-untyped-def]
    """A whole Dockerfile: maybe a BOM and directives, instructions, trivia, odd endings."""
    nl = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    out = "\ufeff" if draw(st.integers(0, 9)) == 0 else ""
    escape = "\\"
    for d in draw(
        st.lists(
            st.sampled_from(
                ["syntax=docker/dockerfile:1", "escape=`", "escape=\\", "check=skip=all"]
            ),
            max_size=2,
            unique=True,
        )
    ):
        out += "# " + d + nl
        if d == "escape=`" and "check" not in out:
            escape = "`"
    lines: list[str] = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["ins", "ins", "ins", "comment", "blank"]))
        if kind == "comment":
            lines.append(draw(_BLANKS) + "# " + draw(words()))
        elif kind == "blank":
            lines.append(draw(_BLANKS))
        else:
            text, bodies = draw(instruction(nl, escape))
            lines.append(
                draw(st.sampled_from(["", "", " ", "\t"]))
                + text
                + draw(st.sampled_from(["", "", " ", "\t"]))
            )
            lines.extend(bodies)
    out += nl.join(lines)
    if lines and draw(st.booleans()):
        out += nl
    return out
