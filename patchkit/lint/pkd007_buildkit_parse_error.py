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
    Reports what BuildKit's Dockerfile parser refuses, so the file cannot be
    built at all:
    - `ENV` or `LABEL` with a name and no value (`ENV PATH`), or a `KEY=value`
      list with a word that has no `=`;
    - a heredoc (`RUN <<EOF`) whose closing delimiter never comes;
    - `HEALTHCHECK CMD [...]` with a JSON array that holds something other than
      strings;
    - a parser directive given twice, or `# escape=` with a character other
      than `` ` `` or `\\`;
    - a line longer than BuildKit's limit, or a file with no instruction.

    These are the parser's own checks, the ones patchkit's tree reproduces and
    tests against BuildKit's parser (the errors BuildKit raises later, when it
    turns instructions into build steps, are not in this list).

    ## Why is this bad?
    BuildKit parses the whole Dockerfile before it runs anything: one such
    line fails every build of the file, on every platform, before any step
    runs, with the parser's message (`dockerfile2llb` returns the parser's
    error as it is, located at the line). Other rules still report on the
    rest of the file.

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
    """

    code = "PKD007"
    name = "buildkit-parse-error"
    severity = Severity.ERROR
    fix_title = "make the line one BuildKit's parser accepts"

    def check(self, tree: Dockerfile, context: LintContext) -> Iterator[Violation]:
        ends = [ins.end for ins in tree.instructions]
        for problem in tree.problems:
            # The finding belongs to the instruction at or after the problem (a directive
            # belongs to the first instruction; -1 when the file has none).
            index = bisect.bisect_left(ends, problem.start)
            yield Violation(
                self.code,
                f"BuildKit's Dockerfile parser refuses this file here ({problem.message}), "
                "so every build of it fails before any step runs",
                problem.start,
                problem.end,
                index if index < len(ends) else -1,
                self.severity,
            )


RULE = BuildkitParseError()
