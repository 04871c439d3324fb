"""What BuildKit refuses after its parser, when ``instructions.Parse`` reads each instruction.

No oracle runs this stage offline (PyPI ``dockerfile`` wraps the parser only), so the
expected messages are written by hand: the first group are the cases of BuildKit's own
``frontend/dockerfile/instructions/parse_test.go`` (moby/buildkit master, 73ed6825), the
rest read off ``parse.go`` and ``bflag.go`` there, one line per branch.
"""

from __future__ import annotations

import pytest

from patchkit.dockerfile import instruction_errors, parse, refusals

# BuildKit's parse_test.go: each command alone is refused with this message.
BUILDKIT_TESTS = [
    *[(cmd, f"{cmd} requires exactly one argument") for cmd in
      ("MAINTAINER", "WORKDIR", "USER", "STOPSIGNAL")],
    *[(cmd, f"{cmd} requires at least one argument") for cmd in
      ("ENV", "LABEL", "ONBUILD", "HEALTHCHECK", "EXPOSE", "VOLUME")],
    *[(f"{cmd} arg1", f"{cmd} requires at least two arguments, but only one was provided. "
       "Destination could not be determined") for cmd in ("ADD", "COPY")],
    ("COPY\t\n", "COPY requires at least two arguments, but only one was provided. "
     "Destination could not be determined"),
    ("ONBUILD FROM scratch", "FROM isn't allowed as an ONBUILD trigger"),
    ("MAINTAINER --boo joe@example.com", "unknown flag: --boo"),
    ("ONBUILD ONBUILD RUN touch foobar", "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"),
    ("FOO bar", "unknown instruction: FOO"),
    ("foo bar", "unknown instruction: foo"),
]  # fmt: skip


@pytest.mark.parametrize(("line", "message"), BUILDKIT_TESTS)
def test_buildkits_own_cases(line: str, message: str) -> None:
    # BuildKit's tests parse the line alone (in a file it follows a FROM) and check that the
    # error contains the message: a suggestion may follow it.
    tree = parse(f"FROM scratch\n{line}")
    found = [p.message for p in instruction_errors(tree)]
    assert len(found) == 1 and found[0].startswith(message), found


# util/suggest: a suggestion under edit distance 3, in the spelling's case for instructions
# (matchCase), as is for flags (compared case-sensitively).
SUGGESTIONS = [
    ("ADDD a b", "unknown instruction: ADDD (did you mean ADD?)"),
    ("runn make", "unknown instruction: runn (did you mean run?)"),
    ("Runn make", "unknown instruction: Runn (did you mean run?)"),
    ("XYZZY a", "unknown instruction: XYZZY"),
    ("COPY --form=x a b", "unknown flag: --form (did you mean from?)"),
    ("COPY --FROM=x a b", "unknown flag: --FROM"),
    ("FROM --platfrom=x a", "unknown flag: --platfrom (did you mean platform?)"),
    ("ENV --x=1 A=1", "unknown flag: --x"),
]


@pytest.mark.parametrize(("line", "message"), SUGGESTIONS)
def test_suggestions(line: str, message: str) -> None:
    tree = parse(f"FROM scratch\n{line}\n")
    assert [p.message for p in instruction_errors(tree)] == [message]


# parse.go and bflag.go, branch by branch: (instruction after `FROM scratch`, message or None).
BRANCHES = [
    # FROM: one argument, or three with AS (any case) and a valid stage name
    ("FROM a b", "FROM requires either one or three arguments"),
    ("FROM a AS b c", "FROM requires either one or three arguments"),
    ("FROM a as Build.1-x_y", None),
    ("FROM a AS 1st",
     "invalid name for build stage: \"1st\", name can't start with a number or contain symbols"),
    ("FROM a AS b@c",
     "invalid name for build stage: \"b@c\", name can't start with a number or contain symbols"),
    ("FROM --platform=linux/arm64 a", None),
    ("FROM --platform a", "missing a value on flag: --platform"),
    ("FROM --pull=always a", "unknown flag: --pull"),  # "pull" is 4 edits from "platform"
    # the argument count comes before the flags where parse.go checks it first...
    ("COPY --bogus a", "COPY requires at least two arguments, but only one was provided. "
     "Destination could not be determined"),
    ("USER --bogus", "USER requires exactly one argument"),
    # ...and after them where it parses the flags first
    ("ENV --bogus", "unknown flag: --bogus"),
    ("LABEL --bogus", "unknown flag: --bogus"),
    # BFlags.Parse: a lone `--` ends the flags; strings may repeat; booleans take true/false
    ("ENV -- A=1", None),
    ("COPY --exclude=a --exclude=b src dst", None),
    ("COPY --chown=1 --chown=2 src dst", "duplicate flag specified: --chown"),
    ("COPY --link --parents=FALSE src dst", None),
    ("COPY --link= src dst", "missing a value on flag: --link"),
    ("COPY --link=yes src dst", "expecting boolean value for flag --link, not: yes"),
    ("ADD --checksum src dst", "missing a value on flag: --checksum"),
    ("ADD --from=x src dst", "unknown flag: --from"),
    ("ADD --keep-git-dir --unpack src dst", None),
    # instructions that never parse their flags ignore them
    ("STOPSIGNAL --x SIGTERM", None),
    ("ARG --x A", None),
    # RUN's flags come from parseRun's pre-hooks: mount and device repeat, network and security
    # are strings
    ("RUN --mount=type=cache,target=/a --mount=type=bind,target=/b true", None),
    ("RUN --network=none --security=insecure --device=/dev/x --device=/dev/y true", None),
    ("RUN --mout=type=cache,target=/a true", "unknown flag: --mout (did you mean mount?)"),
    ("RUN --network=none --network=host true", "duplicate flag specified: --network"),
    ("RUN --mount true", "missing a value on flag: --mount"),
    # and those that declare none refuse every one
    ("CMD --x echo", "unknown flag: --x"),
    ("ENTRYPOINT --x [\"a\"]", "unknown flag: --x"),
    ("SHELL --x [\"a\"]", "unknown flag: --x"),
    ("EXPOSE --x 80", "unknown flag: --x"),
    ("VOLUME --x /v", "unknown flag: --x"),
    ("WORKDIR --x /w", "unknown flag: --x"),
    ("ONBUILD --x RUN a", "unknown flag: --x"),
    # one argument as BuildKit reads it (the whole rest, for these)
    ("WORKDIR /a b", None),
    ("USER a b", None),
    ("MAINTAINER a b", None),
    # blank names, empty volumes, heredoc destinations
    ("ENV =x", "ENV names can not be blank"),
    ("LABEL =x", "LABEL names can not be blank"),
    ("ARG =x", "ARG names can not be blank"),
    ("ARG", "ARG requires at least one argument"),
    ("ARG A B=1", None),
    ("VOLUME [\"\"]", "VOLUME specified can not be an empty string"),
    ("COPY a <<EOF\nx\nEOF", "COPY cannot accept a heredoc as a destination"),
    ("COPY <<EOF /dst\nx\nEOF", None),
    # ONBUILD triggers
    ("ONBUILD maintainer me", "MAINTAINER isn't allowed as an ONBUILD trigger"),
    ("ONBUILD RUN make", None),
    # HEALTHCHECK: NONE alone, CMD with a command, no other type
    ("HEALTHCHECK NONE", None),
    ("HEALTHCHECK none x", "HEALTHCHECK NONE takes no arguments"),
    ("HEALTHCHECK CMD", "Missing command after HEALTHCHECK CMD"),
    ("HEALTHCHECK CMD []", "Missing command after HEALTHCHECK CMD"),
    ("HEALTHCHECK --interval=5s CMD curl x", None),
    ("HEALTHCHECK --interval CMD curl x", "missing a value on flag: --interval"),
    ("HEALTHCHECK --every=5s CMD curl x", "unknown flag: --every"),
    ("HEALTHCHECK TEST curl", "Unknown type \"TEST\" in HEALTHCHECK (try CMD)"),
    # keywords are matched case-insensitively; the message keeps the spelling
    ("copy a b", None),
    ("Runn make", "unknown instruction: Runn (did you mean run?)"),
]  # fmt: skip


@pytest.mark.parametrize(("line", "message"), BRANCHES)
def test_each_branch(line: str, message: str | None) -> None:
    tree = parse(f"FROM scratch\n{line}\n")
    assert tree.problems == [], "the parser accepts every line here"
    want = [] if message is None else [message]
    assert [p.message for p in instruction_errors(tree)] == want


def test_only_arg_may_come_before_the_first_from() -> None:
    tree = parse("ARG A=1\nRUN echo $A\nFROM scratch\nRUN echo ok\n")
    assert [(p.line, p.message) for p in instruction_errors(tree)] == [
        (2, "no build stage in current context")
    ]


def test_every_refused_instruction_is_listed_in_order_with_its_span() -> None:
    text = "FROM scratch\nRUNN a\nRUN ok\nCOPY one\n"
    found = instruction_errors(parse(text))
    assert [(p.line, text[p.start : p.end]) for p in found] == [(2, "RUNN a"), (4, "COPY one")]


def test_refusals_put_the_parser_first_and_skip_what_it_already_refuses() -> None:
    # `ENV A` is the parser's; `COPY a <<EOF` never ends its heredoc (the parser's), so
    # its destination is not judged again; `RUNN` after both is the second reading's.
    text = "FROM scratch\nENV A\nRUNN x\nCOPY a <<EOF\n"
    tree = parse(text)
    assert [(p.line, p.message) for p in refusals(tree)] == [
        (2, "ENV must have two arguments"),
        (3, "unknown instruction: RUNN (did you mean RUN?)"),
        (4, "unterminated heredoc 'EOF'"),
    ]


@pytest.mark.parametrize(
    ("syntax", "judged"),
    [
        ("docker/dockerfile:1", True),
        ("docker/dockerfile:1.7-labs", True),
        ("docker.io/docker/dockerfile-upstream:master", True),
        ("docker/dockerfile@sha256:" + "a" * 64, True),
        ("registry.example.com:5000/docker/dockerfile:1", True),
        ("example.com/my/frontend:2", False),
        ("tonistiigi/dockerfile:runmount", False),
    ],
)
def test_only_buildkits_dockerfile_frontend_is_judged(syntax: str, judged: bool) -> None:
    tree = parse(f"# syntax={syntax}\nFROM scratch\nRUNN make\n")
    assert bool(instruction_errors(tree)) is judged
