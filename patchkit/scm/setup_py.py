"""Read an upstream ``setup.py`` without importing or running it.

What it finds (``research/setuptools-scm.md``, "Rules for a static checker"):

* every call of setuptools-scm's ``get_version``, whatever the import form
  (``import setuptools_scm [as m]``, ``from setuptools_scm import get_version
  [as g]``, a star import, an import inside a function), with its arguments:
  ``dist_name`` as a literal, a name bound to a literal, something patchkit
  cannot resolve, or absent; ``root``, ``relative_to``, ``fallback_version``,
  ``version_scheme``, ``local_scheme``, ``write_to`` and the rest as written.
  A local function that merely shares the name does not count; names are
  resolved by Python's scoping rules (:mod:`patchkit.scm._pyscope`), not
  matched as text;
* ``setuptools.setup(...)`` calls with their ``version=``, ``name=`` and
  ``use_scm_version=`` arguments (``version=`` makes the build hook stand down);
* ``os.environ[...] = …`` (and ``setdefault`` / ``update`` / ``os.putenv``) of
  pretend-version variables, with the value's source: a literal, or another
  environment variable such as vLLM's ``VLLM_VERSION_OVERRIDE``;
* for each of those, the *guards*: ``if os.getenv("X"):`` / ``"X" in os.environ``
  around it, including the early-return shape vLLM uses (statements after
  ``if guard: … return`` run only when the guard is false). Code after a
  ``return`` or ``raise`` in the same block is unreachable and reported apart.

Calls inside functions count as executed: vLLM calls its helper from
``setup(version=get_vllm_version())``.

This module holds what is found; :mod:`patchkit.scm._setup_analysis` walks the
:mod:`ast` tree that finds it (and says why ``ast``, not libcst).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from patchkit._source import splitlines_offset
from patchkit.errors import SourceError

__all__ = [
    "GET_VERSION_PARAMS",
    "ArgValue",
    "DistName",
    "EnvAssignment",
    "GetVersionCall",
    "Guard",
    "SetupCall",
    "SetupPy",
    "parse_setup_py",
]

# Positional parameters of setuptools_scm.get_version, per major (from each
# release's signature): a dist_name passed positionally is the 13th (7.x) or
# the 15th (8.x to 10.x) argument.
_P7 = (
    "root", "version_scheme", "local_scheme", "write_to", "write_to_template",
    "relative_to", "tag_regex", "parentdir_prefix_version", "fallback_version",
    "fallback_root", "parse", "git_describe_command", "dist_name", "version_cls",
    "normalize", "search_parent_directories",
)  # fmt: skip
_P8 = (
    "root", "version_scheme", "local_scheme", "write_to", "write_to_template",
    "version_file", "version_file_template", "relative_to", "tag_regex",
    "parentdir_prefix_version", "fallback_version", "fallback_root", "parse",
    "git_describe_command", "dist_name", "version_cls", "normalize",
    "search_parent_directories",
)  # fmt: skip
GET_VERSION_PARAMS: Mapping[int, tuple[str, ...]] = {
    7: _P7,
    8: _P8,
    9: (*_P8, "scm"),
    10: (*_P8, "scm"),
}

ValueKind = Literal["literal", "env", "unknown"]


@dataclass(frozen=True, slots=True)
class ArgValue:
    """An argument as written (``text``) and what patchkit could make of it.

    ``kind`` is ``literal`` (``value`` holds a str, bool, None or a dict of
    such), ``env`` (the value of environment variable ``env_var``), or
    ``unknown``. ``via`` names the variable a literal was resolved through.
    """

    text: str
    kind: ValueKind
    value: object = None
    env_var: str | None = None
    via: str | None = None

    @property
    def known(self) -> bool:
        return self.kind == "literal"


@dataclass(frozen=True, slots=True)
class DistName:
    """What a ``get_version`` call passes as ``dist_name``.

    ``state``: ``absent`` (not passed), ``none`` (``None``), ``known`` (a string
    patchkit resolved, in ``value``), ``unknown`` (``reason`` says why).
    """

    state: Literal["absent", "none", "known", "unknown"]
    value: str | None = None
    text: str | None = None
    reason: str = ""

    @property
    def name(self) -> str | None:
        return self.value if self.state == "known" else None


@dataclass(frozen=True, slots=True)
class Guard:
    """A condition on an environment variable around a statement.

    ``mode="truthy"``: ``os.getenv(var)`` / ``os.environ.get(var)`` is used as a
    truth value (set and non-empty); ``mode="present"``: ``var in os.environ``
    (or ``is not None``). ``when_set`` False means the negation.
    """

    var: str
    when_set: bool = True
    mode: Literal["truthy", "present"] = "truthy"

    def negated(self) -> Guard:
        return Guard(self.var, not self.when_set, self.mode)

    def holds(self, env: Mapping[str, str]) -> bool:
        state = self.var in env if self.mode == "present" else bool(env.get(self.var))
        return state == self.when_set

    def describe(self) -> str:
        what = "is set and non-empty" if self.mode == "truthy" else "is present"
        return f"{self.var} {what}" if self.when_set else f"not ({self.var} {what})"


@dataclass(frozen=True, slots=True)
class GetVersionCall:
    """One ``setuptools_scm.get_version(...)`` call site."""

    line: int
    col: int
    callee: str
    function: str | None
    guards: tuple[Guard, ...]
    positional: tuple[ArgValue, ...]
    keywords: tuple[tuple[str, ArgValue], ...]
    star_args: bool
    reachable: bool = True

    def argument(self, name: str, major: int = 10) -> ArgValue | None:
        """The argument bound to parameter ``name`` under ``major``'s signature."""
        for key, value in self.keywords:
            if key == name:
                return value
        params = GET_VERSION_PARAMS.get(major, _P8)
        if name in params:
            index = params.index(name)
            if index < len(self.positional):
                return self.positional[index]
        return None

    def dist_name(self, major: int = 10) -> DistName:
        arg = self.argument("dist_name", major)
        if arg is None:
            if self.star_args:
                return DistName("unknown", reason="the call passes *args/**kwargs")
            return DistName("absent")
        if arg.kind == "literal":
            if arg.value is None:
                return DistName("none", text=arg.text)
            if isinstance(arg.value, str):
                return DistName("known", arg.value, arg.text)
            return DistName("unknown", text=arg.text, reason="dist_name is not a string")
        if arg.kind == "env":
            return DistName(
                "unknown",
                text=arg.text,
                reason=f"dist_name comes from environment variable {arg.env_var}",
            )
        return DistName("unknown", text=arg.text, reason=f"patchkit cannot resolve {arg.text!r}")

    def fallback_version(self, major: int = 10) -> ArgValue | None:
        arg = self.argument("fallback_version", major)
        if arg is None or (arg.kind == "literal" and arg.value is None):
            return None
        return arg


@dataclass(frozen=True, slots=True)
class SetupCall:
    """A ``setuptools.setup(...)`` call: what decides whether the build hook runs."""

    line: int
    col: int
    version: ArgValue | None
    name: ArgValue | None
    use_scm_version: ArgValue | None
    star_kwargs: bool
    guards: tuple[Guard, ...] = ()

    @property
    def passes_version(self) -> bool:
        """``version=`` given (and not the literal ``None``): the hook stands down on 8+."""
        return self.version is not None and not (
            self.version.kind == "literal" and self.version.value is None
        )

    @property
    def scm_keyword(self) -> bool | None:
        """True/False when ``use_scm_version`` is clearly (in)active, None when unknown."""
        v = self.use_scm_version
        if v is None:
            return False
        if v.kind == "literal":
            return bool(v.value)
        return True if v.text.startswith(("lambda", "{")) else None


@dataclass(frozen=True, slots=True)
class EnvAssignment:
    """setup.py setting a pretend variable in its own environment before a call."""

    line: int
    col: int
    name: str
    kind: str
    value: ArgValue
    guards: tuple[Guard, ...]
    function: str | None


@dataclass(frozen=True, slots=True)
class SetupPy:
    """Everything patchkit read from one ``setup.py``."""

    path: str
    imports_scm: bool
    calls: tuple[GetVersionCall, ...]
    setup_calls: tuple[SetupCall, ...]
    env_assignments: tuple[EnvAssignment, ...]
    notes: tuple[str, ...] = ()

    @property
    def reachable_calls(self) -> tuple[GetVersionCall, ...]:
        return tuple(c for c in self.calls if c.reachable)


def parse_setup_py(text: str, path: str = "setup.py") -> SetupPy:
    """Analyse ``text`` as a setup.py; raise ``SourceError`` when it is not Python.

    The text is compiled to an :mod:`ast` tree (never run) by the interpreter's own
    parser, so what is valid Python here is exactly what the running Python accepts.
    Compiler warnings about the upstream's code (``invalid escape sequence``) are not
    patchkit's to print and are silenced.
    """
    import ast
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text, filename=path)
    except SyntaxError as exc:
        if "\x00" in text:
            pos = text.find("\x00")
            raise SourceError(
                "not valid Python: a NUL byte (binary content?)", path=path, text=text, offset=pos
            ) from exc
        # Python ends lines at a lone CR too; patchkit's line table does not
        offset = splitlines_offset(text, exc.lineno or 1, (exc.offset or 1) - 1, python=True)
        raise SourceError(
            f"not valid Python: {exc.msg}", path=path, text=text, offset=min(offset, len(text))
        ) from exc
    except ValueError as exc:  # NUL bytes
        pos = text.find("\x00")
        raise SourceError(
            f"not valid Python: {exc}", path=path, text=text, offset=max(pos, 0)
        ) from exc
    except (RecursionError, MemoryError) as exc:  # CPython's parser on deep nesting
        raise _too_deep(text, path) from exc
    from patchkit.scm._setup_analysis import analyse

    try:
        return analyse(tree, text, path)
    except RecursionError as exc:  # belt and braces: the walks themselves are iterative
        raise _too_deep(text, path) from exc


def _too_deep(text: str, path: str) -> SourceError:
    """Expressions nested thousands of levels deep (``1+1+...``, ``not not ...``) exhaust
    the recursion of Python's own parser; a real setup.py never does."""
    return SourceError(
        "cannot analyse this file: an expression is nested too deeply for Python's parser "
        "(thousands of levels)",
        path=path,
        text=text,
        offset=0,
        suggestion="this is not a setup.py a build would use; check that the path is right",
    )
