"""The contract every transform kind implements, and its parameter schema.

A transform is a codemod-like unit (STYLE.md §3): it is built from a patch
file's ``transform:`` mapping (``from_params``), looks at one parsed
Dockerfile and says what state the file is in (``inspect``), and produces the
span edits that bring the file to the ``applied`` state (``edits``). It never
mutates the tree and never writes; the engine applies the edits of every patch
at once, which is what lets it find two patches editing one span before
anything is written, and re-runs the series on its own output to prove that
applying twice equals applying once.

Concrete kinds subclass :class:`Transform` and implement one method,
``analyze(tree) -> Analysis``; ``inspect`` and ``edits`` are derived from it,
so the state and the edits can never disagree: edits are non-empty exactly
when the state is ``pending``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Protocol

from patchkit.errors import InternalError
from patchkit.states import Inspection, PatchState

if TYPE_CHECKING:
    from patchkit.dockerfile import Dockerfile
    from patchkit.dockerfile.edit import Edit

__all__ = [
    "AFTER_PREVIOUS",
    "Analysis",
    "Param",
    "ParamError",
    "Scaffold",
    "Transform",
    "checked_analysis",
    "strings",
]

#: ``Edit.reason`` of an insertion that belongs after the instruction before it
#: (an ``insert_after``). When several patches insert whole lines at one point,
#: the engine puts these first and the ones that lead into the next
#: instruction last, so each patch still finds its lines where it put them.
AFTER_PREVIOUS = "patchkit:after-previous"


class ParamError(ValueError):
    """A transform parameter is invalid. ``field`` is its dotted name (``anchor.pattern``).

    The series loader turns it into a ``SourceError`` located at that field
    in the patch file.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class Param:
    """One parameter of a transform kind, as its patch files spell it.

    ``type`` is one of:

    - ``"str"``: a string (a plain YAML number is taken as written, so
      ``0.10`` stays ``"0.10"``);
    - ``"strs"``: a list of strings, or one string taken as a list of one;
    - ``"bool"``: ``true`` / ``false``;
    - ``"map"``: a mapping whose keys are described by ``fields``.

    ``choices`` restricts a string to fixed values. Unknown keys are errors.
    """

    name: str
    type: str
    doc: str
    required: bool = False
    default: object = None
    choices: tuple[str, ...] = ()
    fields: tuple[Param, ...] = ()

    def expected(self) -> str:
        """What a value of this parameter must look like, for error messages."""
        if self.choices:
            return "one of " + ", ".join(repr(c) for c in self.choices)
        return {
            "str": "a string",
            "strs": "a string or a list of strings",
            "bool": "true or false",
            "map": "a mapping with keys " + ", ".join(f.name for f in self.fields),
            "list": "a list",
        }[self.type]


@dataclass(frozen=True, slots=True)
class Scaffold:
    """The worked example ``patchkit new --kind`` writes, which must pass ``patchkit test``."""

    params: Mapping[str, object]
    before: str
    after: str
    file: str = "docker/Dockerfile"


@dataclass(frozen=True, slots=True)
class Analysis:
    """A transform's whole finding on one file: state, message, edits, warnings."""

    state: PatchState
    message: str
    edits: tuple[Edit, ...] = ()
    warnings: tuple[str, ...] = field(default=())


class Transform(Protocol):
    """One transformation kind (``cache-mount-id``, ``insert`` ...).

    Class attributes describe the kind for patch files and documentation:
    ``kind`` (its name in ``transform: {kind: ...}``), ``summary`` (one line),
    ``params`` (the schema), ``doc`` (what it does, when it is ``upstream``
    or ``drifted``, and the measured facts behind it) and ``scaffold``.
    """

    kind: ClassVar[str]
    summary: ClassVar[str]
    params: ClassVar[tuple[Param, ...]]
    doc: ClassVar[str]
    scaffold: ClassVar[Scaffold]

    @classmethod
    def from_params(cls, params: Mapping[str, object]) -> Transform:
        """Build the transform from validated parameters; raise ``ParamError`` if they clash."""
        ...

    def analyze(self, tree: Dockerfile) -> Analysis:
        """Look at one file: its state, a message saying why, and the edits if ``pending``."""
        ...

    def inspect(self, tree: Dockerfile) -> Inspection:
        """The state of this transform on ``tree`` (never ``skipped``: that is the engine's)."""
        result = checked_analysis(self, tree)
        return Inspection(result.state, result.message, result.warnings)

    def edits(self, tree: Dockerfile) -> list[Edit]:
        """The edits that bring ``tree`` to ``applied``; empty unless the state is ``pending``."""
        return list(checked_analysis(self, tree).edits)


def strings(params: Mapping[str, object], name: str) -> tuple[str, ...]:
    """A ``strs`` parameter as a tuple (empty when absent)."""
    value = params.get(name)
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, tuple | list):
        return tuple(str(v) for v in value)
    raise ParamError(name, "expected a string or a list of strings")


def checked_analysis(transform: Transform, tree: Dockerfile) -> Analysis:
    """``transform.analyze(tree)``, checking that edits exist exactly when the state is pending."""
    result = transform.analyze(tree)
    if result.state is PatchState.SKIPPED:
        raise InternalError(
            f"transform {transform.kind} reported 'skipped', which only the engine decides"
        )
    if (result.state is PatchState.PENDING) != bool(result.edits):
        raise InternalError(
            f"transform {transform.kind} reported {result.state.value!r} with "
            f"{len(result.edits)} edit(s); edits must exist exactly when the state is pending"
        )
    return result
