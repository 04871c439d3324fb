"""PKD004 unhonoured-pretend-version."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import TYPE_CHECKING

from patchkit.diagnostics import Severity
from patchkit.lint import _fixes
from patchkit.lint._pretend import setters
from patchkit.lint.base import Applicability, Fix, LintContext, Violation

if TYPE_CHECKING:
    from patchkit.dockerfile import Dockerfile

__all__ = ["RULE", "UnhonouredPretendVersion"]


class UnhonouredPretendVersion:
    """## What it does
    Flags a setuptools-scm pretend-version variable set in the Dockerfile
    (`ENV`, `ARG`, an inline RUN assignment or `export`) that the upstream
    build will not read. What the build reads comes from `patchkit.scm`'s
    static reading of the upstream `setup.py` and `pyproject.toml` (found in
    the nearest folder above the Dockerfile that has one, or given with
    `--upstream`): for every setuptools-scm major the build admits, the names
    honoured in lookup order. When no upstream project is found the rule
    says nothing.

    ## Why is this bad?
    A `get_version()` call without `dist_name` (vLLM's `setup.py` calls
    `get_version(write_to="vllm/_version.py")` before `setup()`) has never
    read pyproject.toml nor any `_FOR_<DIST>` variable, in any setuptools-scm
    release from 7 to 10.3.4 (measured, `research/setuptools-scm.md`). A
    Dockerfile that sets only `SETUPTOOLS_SCM_PRETEND_VERSION_FOR_VLLM` gets
    "setuptools-scm was unable to detect version" when the build context has
    no `.git`. The generic `SETUPTOOLS_SCM_PRETEND_VERSION` is read by every
    release.

    ## Example
    ```dockerfile
    ENV SETUPTOOLS_SCM_PRETEND_VERSION_FOR_VLLM=0.21.1
    ```

    Use instead:
    ```dockerfile
    ENV SETUPTOOLS_SCM_PRETEND_VERSION=0.21.1
    ```

    ## Fix safety
    The fix is the `scm-pretend-version` transform: it renames the variable
    to the first name every admitted major honours (the generic one). It is
    safe when the Dockerfile builds one Python project, the common case; in a
    Dockerfile that builds several, the generic name applies to all of them.

    ## Evidence
    On 396 real Dockerfiles of 57 other repositories
    (`corpora/dockerfiles-2/`), 4 files set a pretend version (each read
    against its repository's top-level pyproject.toml/setup.py): no finding;
    each sets a name its build reads.
    """

    code = "PKD004"
    name = "unhonoured-pretend-version"
    severity = Severity.ERROR
    fix_title = "use the variable the build reads (scm-pretend-version)"

    def check(self, tree: Dockerfile, context: LintContext) -> Iterator[Violation]:
        facts = context.pretend
        if facts is None or not facts.honoured:
            return
        target = facts.honoured[0]
        for s in setters(tree):
            missing = facts.majors_not_reading(s.name)
            if missing == ():
                continue
            under = (
                ""
                if not missing
                else " under setuptools-scm " + ", ".join(f"{m}.x" for m in missing)
            )
            message = (
                f"{s.name} is set here ({s.form}) but the upstream build ({facts.source}) does "
                f"not read it{under}; it reads {', '.join(facts.honoured)}"
            )
            renamable = s.name.startswith("SETUPTOOLS_SCM_PRETEND_VERSION_FOR_")
            fix = Fix(
                title=f"rename it to {target} (scm-pretend-version)",
                # the transform renames SETUPTOOLS_SCM_PRETEND_VERSION_FOR_<DIST>; other
                # spellings are shown, not rewritten
                applicability=Applicability.SAFE if renamable else Applicability.DISPLAY,
                edits=functools.partial(_fixes.rename_pretend, tree, s.name),
                transform="scm-pretend-version",
            )
            yield Violation(
                self.code, message, s.name_start, s.name_end, s.instruction.index, fix=fix
            )


RULE = UnhonouredPretendVersion()
