"""PKD005 invalid-version-default."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import TYPE_CHECKING

from patchkit.diagnostics import Severity
from patchkit.lint import _fixes
from patchkit.lint._pretend import setters
from patchkit.lint._text import variable_refs
from patchkit.lint.base import Applicability, Fix, LintContext, Violation

if TYPE_CHECKING:
    from patchkit.dockerfile import Dockerfile

__all__ = ["RULE", "InvalidVersionDefault"]


class InvalidVersionDefault:
    """## What it does
    Checks the literal value given to a setuptools-scm pretend-version
    variable (`SETUPTOOLS_SCM_PRETEND_VERSION`, its `_FOR_<DIST>` forms and
    the `VCS_VERSIONING_` spellings) in an `ENV` or `ARG` default or an
    inline RUN assignment. Values that use variables are not judged.
    - an invalid PEP 440 version (including the `git describe` form
      `0.21.1-3-g0b9f2c8`) is an error;
    - an empty value is an error: a present but empty variable means "no
      pretend version", and it masks the generic variable after it;
    - a valid but non-normalised version (`v0.21.1`, `0.21.1-rc0`) is a
      warning that names the version the wheel will really carry.

    ## Why is this bad?
    Measured with setuptools-scm 7.1.0, 8.3.1, 9.2.2, 10.3.4 and setuptools
    84.2.1 (`research/setuptools-scm.md`): 9.x/10.x reject an invalid
    pretend value with `InvalidVersion` in `get_version()`; 7.x/8.x return it
    verbatim and setuptools rejects it when it normalises the version, so the
    build dies either way, late. A valid spelling is kept verbatim in
    `_version.py` but normalised in the wheel (`0.21.1-rc0` → `0.21.1rc0`), so
    the two disagree. An empty value (e.g. `ENV
    SETUPTOOLS_SCM_PRETEND_VERSION=$V` with no build-arg) gives "unable to
    detect version".

    ## Example
    ```dockerfile
    ENV SETUPTOOLS_SCM_PRETEND_VERSION=0.21.1-3-g0b9f2c8
    ```

    Use instead:
    ```dockerfile
    ENV SETUPTOOLS_SCM_PRETEND_VERSION=0.21.2.dev3+g0b9f2c8
    ```

    ## Fix safety
    For a non-normalised value the fix writes the normalised spelling: safe,
    the wheel version does not change. For an invalid value with an evident
    correction the fix writes it: unsafe, since it changes the version the
    build reports.

    ## Evidence
    On 396 real Dockerfiles of 57 other repositories
    (`corpora/dockerfiles-2/`) (4 set a pretend version, by variable or a
    valid literal): no finding.
    """

    code = "PKD005"
    name = "invalid-version-default"
    severity = Severity.ERROR
    fix_title = "write the version as PEP 440 (normalised)"

    def check(self, tree: Dockerfile, context: LintContext) -> Iterator[Violation]:
        for s in setters(tree):
            if s.value is None or s.value_start is None or s.value_end is None:
                continue
            value = s.value
            if any(True for _ in variable_refs(value)) or "$(" in value or "`" in value:
                continue
            verdict = _judge(value)
            if verdict is None:
                continue
            severity, message, suggestion, safe = verdict
            fix = None
            if suggestion is not None:
                fix = Fix(
                    title=f"write {suggestion}",
                    applicability=Applicability.SAFE if safe else Applicability.UNSAFE,
                    edits=functools.partial(
                        _fixes.replace_value, tree, s.instruction, s.name, value, suggestion
                    ),
                    transform="replace",
                )
            yield Violation(
                self.code,
                f"{s.name}={value!r} ({s.form}): {message}",
                s.value_start if s.value_end > s.value_start else s.name_start,
                s.value_end if s.value_end > s.value_start else s.name_end,
                s.instruction.index,
                severity=severity,
                fix=fix,
            )


def _judge(value: str) -> tuple[Severity, str, str | None, bool] | None:
    """(severity, why, suggested value, suggestion is safe) or None when the value is fine.

    The verdict and the suggestion are ``patchkit.versions``' (``check_pep440``:
    ``packaging`` for validity; an ExVer or ``git describe`` string gets the PEP
    440 version setuptools-scm's default scheme would compute).
    """
    from patchkit.versions.pep440 import check_pep440

    if value == "":
        return (
            Severity.ERROR,
            "an empty pretend version means 'no version' and masks the variables read after it; "
            "setuptools-scm then fails with 'unable to detect version'",
            None,
            False,
        )
    result = check_pep440(value)
    if not result.valid:
        return (
            Severity.ERROR,
            f"not a PEP 440 version ({result.error}): setuptools-scm 9/10 raise InvalidVersion, "
            "7/8 pass it on and setuptools rejects it when building the wheel",
            result.suggestion,
            False,
        )
    if result.normalized is not None and result.normalized != value:
        return (
            Severity.WARNING,
            f"valid PEP 440 but not normalised: the wheel will say {result.normalized}, while "
            "_version.py keeps the spelling as written",
            result.normalized,
            True,
        )
    return None


RULE = InvalidVersionDefault()
