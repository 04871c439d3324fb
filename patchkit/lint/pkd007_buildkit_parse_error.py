"""PKD007 buildkit-parse-error."""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from typing import TYPE_CHECKING

from patchkit.diagnostics import Severity
from patchkit.lint.base import LintContext, Violation

if TYPE_CHECKING:
    from patchkit.dockerfile import Dockerfile

__all__ = ["RULE", "BuildkitParseError"]


class BuildkitParseError:
    """## What it does
    Reports what BuildKit refuses while it reads a Dockerfile, before it runs
    any step. Its parser refuses:
    - `ENV` or `LABEL` with a name and no value (`ENV PATH`), or a `KEY=value`
      list with a word that has no `=`;
    - a heredoc (`RUN <<EOF`) whose closing delimiter never comes;
    - `HEALTHCHECK CMD [...]` with a JSON array that holds something other than
      strings;
    - a parser directive given twice, or `# escape=` with a character other
      than `` ` `` or `\\`;
    - a line longer than BuildKit's limit, or a file with no instruction.

    Then its reading of each instruction (`instructions.Parse`) refuses:
    - an unknown instruction (`RUNN make`);
    - a wrong number of arguments (`COPY src` without a destination, `FROM a b`,
      `WORKDIR` alone), a stage name that is not `[a-z][a-z0-9-_.]*`;
    - an unknown, repeated or value-less flag (`RUN --mout=type=cache,...`,
      `COPY --form=build`, `ENV --x=1`);
    - `ONBUILD ONBUILD`/`FROM`/`MAINTAINER`, `HEALTHCHECK NONE` with
      arguments, a blank `ENV`/`LABEL`/`ARG` name, a heredoc as `COPY`'s
      destination, an instruction other than `ARG` before the first `FROM`.

    The parser's verdicts are tested against BuildKit's parser; the second
    list follows `frontend/dockerfile/instructions/parse.go` (moby/buildkit
    master, 73ed6825) and its tests. Flag values (`--mount` options) are not
    checked, and a file whose `# syntax=` names another frontend than
    `docker/dockerfile` gets only the parser's list (that frontend reads the
    instructions by its own rules).

    ## Why is this bad?
    BuildKit reads the whole Dockerfile before it runs anything: one such
    line fails every build of the file, on every platform, before any step
    runs. The parser's errors come with the parser's message at the line
    (`dockerfile2llb` returns them as they are); the second reading's come as
    "dockerfile parse error on line N: ..." (all but "no build stage in
    current context"). Other rules still report on the rest of the file.

    ## Example
    ```dockerfile
    FROM python:3.12
    ENV PIP_NO_CACHE_DIR
    ```

    Use instead:
    ```dockerfile
    FROM python:3.12
    ENV PIP_NO_CACHE_DIR=1
    ```

    ## Fix safety
    No automatic fix: only a person knows the value or the heredoc's end.

    ## Evidence
    On 396 real Dockerfiles of 57 other repositories
    (`corpora/dockerfiles-2/`): no finding. On the 607 files of
    `corpora/dockerfiles/`: 11, one a deliberately broken test fixture and ten
    the lines of a `Dockerfile.dockerignore` (BuildKit's ignore file for
    `Dockerfile`, not a Dockerfile), which `patchkit lint FOLDER` no longer
    reads.
    """

    code = "PKD007"
    name = "buildkit-parse-error"
    severity = Severity.ERROR
    fix_title = "make the line one BuildKit's parser accepts"

    def check(self, tree: Dockerfile, context: LintContext) -> Iterator[Violation]:
        from patchkit.dockerfile import instruction_errors

        ends = [ins.end for ins in tree.instructions]
        problems = tree.problems
        found = [
            (p, f"BuildKit's Dockerfile parser refuses this file here ({p.message}), so every "
             "build of it fails before any step runs")
            for p in problems
        ] + [
            (p, f"BuildKit refuses this instruction when it reads the parsed file "
             f"({p.message}), so every build of it fails before any step runs")
            for p in instruction_errors(tree, problems)
        ]  # fmt: skip
        for problem, message in sorted(found, key=lambda f: (f[0].start, f[0].end)):
            # The finding belongs to the instruction at or after the problem (a directive
            # belongs to the first instruction; -1 when the file has none).
            index = bisect.bisect_left(ends, problem.start)
            yield Violation(
                self.code,
                message,
                problem.start,
                problem.end,
                index if index < len(ends) else -1,
                self.severity,
            )


RULE = BuildkitParseError()
