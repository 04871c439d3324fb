"""Conversions between PEP 440 and ExVer, and from ``git describe`` (through setuptools-scm).

PEP 440 -> ExVer (upstream part) is **order-preserving by default**: if
``a < b`` in PEP 440 then ``convert(a) < convert(b)`` in ExVer, for every
string it converts (tested as a property). What ExVer cannot express that way
is refused with the reason, and the nearest usable form is offered as a
suggestion (research ``exver.md`` §8):

=====================  =========================  ====================================
PEP 440                ExVer upstream             notes
=====================  =========================  ====================================
``0.21.1``             ``0.21.1``                 numbers up to 2**53-1 (the SDK's limit)
``0.21.1rc0``          ``0.21.1-rc.0``            ``a``/``b``/``rc`` -> ``alpha``/``beta``/``rc``
``0.21.1rc1.post2``    ``0.21.1-rc.1.post.2``     above ``rc.1``, below ``rc.2``
``0.21.1.post1``       refused                    ``post="release"`` encodes it as ``0.21.1.0.1``
``0.21.1.dev3``        refused                    ``dev="suffix"`` gives ``0.21.1-dev.3``
``0.21.1rc1.dev132``   refused                    ``dev="suffix"`` gives ``0.21.1-rc.1.dev.132``
``1.0+g0b9f2c8``       refused                    ``drop_local=True`` gives ``1.0``
``1!2.0``              refused                    ExVer has no epoch
=====================  =========================  ====================================

Why the refusals: ExVer appends identifiers only *after* a version, so nothing
sorts below ``rc.1`` yet above ``rc.0.*`` (PEP 440's ``rc1.dev132``); the
conventional words sort ``alpha < beta < dev`` while PEP 440 puts ``.devN``
first; and every ExVer above ``X`` either is a pre-release (below ``X``) or has
more numbers (a different release), so ``X.postN`` has no place. The opt-in
encodings keep the visible numbers and are documented as not order-preserving
in exactly those cases.

ExVer -> PEP 440 is the inverse on that image (``-alpha.N`` -> ``aN`` ...),
round-trips hold for every order-preserving conversion, and the downstream
revision and flavor (which PEP 440 has no place for) are dropped with a note.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from patchkit.versions._exver_model import ExVer, ExVerPart, Identifier
from patchkit.versions._jsnumber import MAX_SAFE_INTEGER
from patchkit.versions.errors import ConversionError, VersionSyntaxError

if TYPE_CHECKING:
    from packaging.version import Version

__all__ = [
    "Conversion",
    "DevPolicy",
    "PostPolicy",
    "convert",
    "exver_to_pep440",
    "pep440_to_exver",
    "pep440_to_exver_part",
]

DevPolicy = Literal["refuse", "suffix"]
PostPolicy = Literal["refuse", "release"]

_PRE_WORDS = {"a": "alpha", "b": "beta", "rc": "rc"}
_PEP_PRE = {
    "alpha": "a",
    "a": "a",
    "beta": "b",
    "b": "b",
    "rc": "rc",
    "c": "rc",
    "pre": "rc",
    "preview": "rc",
}


def _parse_pep440(version: str | Version) -> Version:
    from packaging.version import InvalidVersion
    from packaging.version import Version as PepVersion

    if isinstance(version, PepVersion):
        return version
    try:
        return PepVersion(version)
    except InvalidVersion:
        from patchkit.versions.pep440 import check_pep440

        result = check_pep440(version)
        raise ConversionError(
            f"not a valid PEP 440 version ({result.error})",
            text=version,
            suggestion=result.suggestion,
        ) from None


def pep440_to_exver_part(
    version: str | Version,
    *,
    drop_local: bool = False,
    dev: DevPolicy = "refuse",
    post: PostPolicy = "refuse",
) -> ExVerPart:
    """The ExVer upstream version for a PEP 440 version.

    Raises ``ConversionError`` for what ExVer cannot express in an
    order-preserving way (see the module docstring); its ``suggestion`` is the
    result under the lenient policies, when there is one.

    >>> str(pep440_to_exver_part("0.21.1rc0"))
    '0.21.1-rc.0'
    >>> str(pep440_to_exver_part("0.21.1rc1.dev132+g0b9f2c8", drop_local=True, dev="suffix"))
    '0.21.1-rc.1.dev.132'
    """
    text = str(version)
    v = _parse_pep440(version)

    def refuse(reason: str) -> ConversionError:
        suggestion = note = None
        if (drop_local, dev, post) != (True, "suffix", "release"):
            try:
                suggestion = str(
                    pep440_to_exver_part(v, drop_local=True, dev="suffix", post="release")
                )
                note = _lenient_note(v)
            except ConversionError:
                pass
        return ConversionError(reason, text=text, suggestion=suggestion, suggestion_note=note)

    if v.epoch:
        raise refuse(
            f"ExVer has no epoch ({v.epoch}!): nothing can sort it above every plain version"
        )
    if v.local is not None and not drop_local:
        raise refuse(
            f'ExVer has no local version label ("+{v.local}"); drop it (keep the commit elsewhere, '
            "e.g. in the manifest's git hash)"
        )
    numbers: list[int] = list(v.release)
    ids: list[Identifier] = []
    if v.pre is not None:
        ids += [_PRE_WORDS[v.pre[0]], v.pre[1]]
    release = ".".join(str(n) for n in v.release)
    if v.post is not None:
        if v.pre is not None:
            ids += ["post", v.post]
        elif post == "release" and v.post == 0:
            raise ConversionError(
                f"{release}.post0 would be encoded as {release}.0.0, which equals {release}",
                text=text,
            )
        elif post == "release":
            numbers += [0, v.post]
        else:
            raise refuse(
                f"ExVer has no post-release: every ExVer above {release} is either a "
                "pre-release (which sorts below it) or a longer release, so "
                f"{release}.post{v.post} has no place"
            )
    if v.dev is not None:
        if dev != "suffix":
            if v.pre is None and v.post is None:
                raise refuse(
                    f"PEP 440 sorts {v.public} below every pre-release of "
                    f"{v.base_version.split('.dev')[0]} "
                    '(alpha included), but the ExVer word "dev" sorts above "alpha" and "beta"'
                )
            raise refuse(
                f"PEP 440 sorts {v.public} below {str(v.public).rsplit('.dev', 1)[0]}, but "
                "ExVer identifiers "
                "appended to a version always sort above it"
            )
        ids += ["dev", v.dev]
    too_big = [n for n in numbers + [i for i in ids if isinstance(i, int)] if n > MAX_SAFE_INTEGER]
    if too_big:
        raise ConversionError(
            f"{too_big[0]} is above 2**53-1, which the StartOS SDK cannot hold exactly", text=text
        )
    return ExVerPart(tuple(numbers), tuple(ids))


def _lenient_note(v: Version) -> str:
    notes = []
    if v.local is not None:
        notes.append(f'drops the local label "+{v.local}"')
    if v.post is not None and v.pre is None:
        notes.append(
            f"encodes .post{v.post} as extra release numbers .0.{v.post} (equal to that "
            "real release)"
        )
    if v.dev is not None:
        notes.append(f".dev{v.dev} becomes -dev.{v.dev}, which does not keep PEP 440's order")
    if v.epoch:
        notes.append("drops the epoch")
    return "; ".join(notes)


def pep440_to_exver(
    version: str | Version,
    *,
    downstream: str | ExVerPart = "0",
    flavor: str | None = None,
    drop_local: bool = False,
    dev: DevPolicy = "refuse",
    post: PostPolicy = "refuse",
) -> ExVer:
    """A full ExVer: the converted upstream part, ``:downstream`` (the package revision).

    >>> str(pep440_to_exver("0.21.1rc0"))
    '0.21.1-rc.0:0'
    """
    upstream = pep440_to_exver_part(version, drop_local=drop_local, dev=dev, post=post)
    down = downstream if isinstance(downstream, ExVerPart) else ExVerPart.parse(downstream)
    return ExVer(flavor, upstream, down)


def exver_to_pep440(version: str | ExVer | ExVerPart) -> str:
    """The normalised PEP 440 version for an ExVer's upstream part (the inverse mapping).

    Accepts a full ExVer (its flavor and downstream revision have no PEP 440
    counterpart and are ignored) or an upstream part alone.

    >>> exver_to_pep440("0.21.1-rc.0:0")
    '0.21.1rc0'
    """
    return _exver_to_pep440(version)[0]


def _exver_to_pep440(version: str | ExVer | ExVerPart) -> tuple[str, tuple[str, ...]]:
    from packaging.version import Version as PepVersion

    notes: list[str] = []
    text = str(version)
    if isinstance(version, str):
        try:
            version = ExVer.parse(text)
        except VersionSyntaxError:
            version = ExVerPart.parse(text)
    if isinstance(version, ExVer):
        if version.flavor:
            notes.append(
                f'the flavor "#{version.flavor}" has no PEP 440 counterpart and was dropped'
            )
        notes.append(
            f'the downstream revision ":{version.downstream}" (the StartOS package '
            "revision) was dropped"
        )
        part = version.upstream
    else:
        part = version
    if any(
        isinstance(n, float) or n > MAX_SAFE_INTEGER
        for n in part.numbers + tuple(i for i in part.prerelease if not isinstance(i, str))
    ):
        raise ConversionError(
            "it holds a number the StartOS SDK reads inexactly (above 2**53-1)", text=text
        )
    out = ".".join(str(n) for n in part.numbers)
    ids = list(part.prerelease)

    def take(words: set[str]) -> int | None:
        if (
            len(ids) >= 2
            and isinstance(ids[0], str)
            and ids[0].lower() in words
            and isinstance(ids[1], int)
        ):
            word, number = ids.pop(0), ids.pop(0)
            assert isinstance(word, str) and isinstance(number, int)
            nonlocal out
            out += {"post": ".post", "dev": ".dev"}.get(
                word.lower(), _PEP_PRE.get(word.lower(), "")
            ) + str(number)
            return number
        return None

    has_pre = take(set(_PEP_PRE)) is not None
    if has_pre:
        take({"post"})
    elif ids and isinstance(ids[0], str) and ids[0].lower() == "post":
        raise ConversionError(
            f"-post.N sorts below {'.'.join(str(n) for n in part.numbers)} in ExVer but "
            ".postN sorts above it "
            "in PEP 440",
            text=text,
        )
    if take({"dev"}) is not None and not has_pre:
        notes.append("ExVer sorts -dev.N above -alpha/-beta; PEP 440 sorts .devN below them")
    if ids:
        shown = ".".join(str(i) for i in part.prerelease)
        raise ConversionError(
            f'the pre-release "-{shown}" has no PEP 440 form (PEP 440 allows aN/bN/rcN, '
            ".postN and .devN, "
            "spelled in ExVer as -alpha.N/-beta.N/-rc.N, .post.N and .dev.N)",
            text=text,
        )
    return str(PepVersion(out)), tuple(notes)


@dataclass(frozen=True, slots=True)
class Conversion:
    """The result of ``convert``: what the CLI prints, one per input string.

    ``normalized`` is the converted string (``None`` when refused); ``source``
    is the scheme the input was read as (``exver``, ``pep440``,
    ``git-describe``); ``pep440`` the intermediate PEP 440 version of a
    ``git describe`` conversion.
    """

    input: str
    source: str | None
    target: str
    valid: bool
    normalized: str | None
    error: str | None = None
    suggestion: str | None = None
    notes: tuple[str, ...] = field(default=())
    pep440: str | None = None

    def render(self) -> str:
        """Human text: ``input -> output`` (or why not), then notes and the hint."""
        from patchkit.versions.result import display

        names = {"exver": "ExVer", "pep440": "PEP 440", "git-describe": "git describe"}
        source = names.get(self.source or "", self.source)
        if self.valid:
            lines = [f"{display(self.input)} -> {self.normalized}"]
        else:
            lines = [
                f"{display(self.input)}: cannot convert ({source}) to {names[self.target]}: "
                f"{self.error}"
            ]
        lines += [f"  note: {n}" for n in self.notes]
        if self.suggestion is not None:
            lines.append(f"  hint: {self.suggestion}")
        return "\n".join(lines)

    def to_json(self) -> dict[str, object]:
        return {
            "input": self.input,
            "valid": self.valid,
            "normalized": self.normalized,
            "error": self.error,
            "suggestion": self.suggestion,
            "from": self.source,
            "to": self.target,
            "pep440": self.pep440,
            "notes": list(self.notes),
        }


def _detect(text: str) -> str:
    from packaging.version import InvalidVersion
    from packaging.version import Version as PepVersion

    from patchkit.versions.describe import looks_like_git_describe

    try:
        ExVer.parse(text)
        return "exver"
    except VersionSyntaxError:
        pass
    if looks_like_git_describe(text):
        return "git-describe"
    try:
        PepVersion(text)
        return "pep440"
    except InvalidVersion:
        pass
    try:
        ExVerPart.parse(text)
        return "exver"
    except VersionSyntaxError:
        return "pep440"


def convert(
    text: str,
    *,
    to: Literal["exver", "pep440"],
    source: Literal["auto", "exver", "pep440", "git-describe"] = "auto",
    downstream: str = "0",
    drop_local: bool = False,
    dev: DevPolicy = "refuse",
    post: PostPolicy = "refuse",
    date: object = None,
    untagged_distance: int | None = None,
) -> Conversion:
    """Convert one string; never raises for bad input (the result says what went wrong).

    ``date`` (a ``datetime.date``) is the build date setuptools-scm puts in a
    dirty tree's local label; ``untagged_distance`` the commit count it uses
    when the repository has no tag (``git rev-list --count HEAD``).
    """
    from patchkit.versions.describe import git_describe_to_pep440

    kind = _detect(text) if source == "auto" else source
    notes: list[str] = []
    pep: str | None = None
    try:
        if kind == "exver":
            if to == "exver":
                value = ExVer.parse(text)
                return Conversion(text, kind, to, True, str(value))
            out, extra = _exver_to_pep440(text)
            return Conversion(text, kind, to, True, out, notes=extra)
        if kind == "git-describe":
            import datetime

            pep = git_describe_to_pep440(
                text,
                date=date if isinstance(date, datetime.date) else None,
                untagged_distance=untagged_distance,
            )
            if to == "pep440":
                return Conversion(text, kind, to, True, pep, pep440=pep)
            notes.append(f"setuptools-scm would compute {pep}")
            pep_source = pep
            drop_local = True
        else:
            pep_source = text
            if to == "pep440":
                normalized = str(_parse_pep440(text))
                if normalized != text:
                    notes.append(f"normalized from {text!r}")
                return Conversion(text, kind, to, True, normalized, notes=tuple(notes))
        value = pep440_to_exver(
            pep_source, downstream=downstream, drop_local=drop_local, dev=dev, post=post
        )
        local = _parse_pep440(pep_source).local
        if drop_local and local is not None:
            notes.append(f'the local label "+{local}" has no ExVer form and was dropped')
        if dev == "suffix" and _parse_pep440(pep_source).dev is not None:
            notes.append(
                "dev releases are converted with --dev suffix, which does not keep PEP 440's order"
            )
        if (
            post == "release"
            and _parse_pep440(pep_source).post is not None
            and _parse_pep440(pep_source).pre is None
        ):
            notes.append("the post release is encoded as extra release numbers (--post release)")
        return Conversion(text, kind, to, True, str(value), notes=tuple(notes), pep440=pep)
    except ConversionError as exc:
        suggestion = exc.suggestion
        if suggestion is not None and to == "exver" and ":" not in suggestion:
            suggestion = f"{suggestion}:{downstream}"
        if exc.suggestion_note:
            notes.append(f"the suggestion {exc.suggestion_note}")
        return Conversion(text, kind, to, False, None, exc.reason, suggestion, tuple(notes), pep)
    except VersionSyntaxError as exc:
        return Conversion(
            text, kind, to, False, None, exc.message, exc.suggestion, tuple(notes), pep
        )
