"""Agreement between places: current version, migration keys, constants, pretend values, names.

PKM002, PKM003, PKM004, PKM006, PKM008, PKM009, PKM011. Pure functions over
found items and, where named, the upstream version as a PEP 440 string.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from patchkit.diagnostics import Diagnostic, Severity
from patchkit.manifest import _versions as V
from patchkit.manifest._common import Item, diag, is_configured_constant, is_pretend_name, scheme_of
from patchkit.manifest._glob import matches
from patchkit.manifest.located import ItemKind, LocatedVersion, Unreadable

__all__ = [
    "CurrentTarget",
    "CurrentVersion",
    "check_current_upstream",
    "check_exver_order_hazards",
    "check_migration_keys",
    "check_pretend_versions",
    "check_version_constants",
    "check_version_file_names",
    "current_target",
    "find_current",
    "retag",
]


@dataclass(frozen=True, slots=True)
class CurrentVersion:
    """The version the package is at, and how patchkit knew it was current.

    ``variant``: ``VARIANT=nvidia`` when the version graph names another current
    version per variant (None: the same for all); ``default_variant``: the one
    built when the selecting variable is unset.
    """

    item: LocatedVersion
    how: str
    variant: str | None = None
    default_variant: bool = True


def find_current(items: Sequence[Item]) -> tuple[CurrentVersion | None, list[Diagnostic]]:
    """Which declared version is current, and PKM009 when that cannot be told.

    In order: the VersionInfo a version graph names (``VersionGraph.of({ current })``,
    ``export { X as current }``, ``VersionGraph.of(X, ...)``); the one version in a
    file named ``current.ts``; the only declared ExVer version. With several
    candidates and nothing naming one of them, PKM009 says so instead of guessing.
    """
    declared = [
        it
        for it in items
        if isinstance(it, (LocatedVersion, Unreadable))
        and it.kind == ItemKind.VERSION
        and (it.file_kind == "startos-ts" or scheme_of(it) == "exver")
    ]
    if not declared:
        return None, []
    refs = [it for it in items if isinstance(it, LocatedVersion) and it.kind == ItemKind.CURRENT]
    named = {ref.text for ref in refs}
    chosen = [c for c in declared if c.name in named]
    if len({(c.path, c.name) for c in chosen}) > 1:
        names = ", ".join(sorted({c.name for c in chosen}))
        return None, [diag("PKM009", refs[0], f"several versions are named current ({names})")]
    if not chosen:
        chosen = [c for c in declared if posixpath.basename(c.path) in ("current.ts", "current.js")]
        how = "the version in a file named current"
    else:
        ref = next(r for r in refs if r.text == chosen[0].name)
        how = f"{ref.context} in {ref.path}:{ref.line}"
    if not chosen and len(declared) == 1:
        chosen, how = declared, "the only declared version"
    if len(chosen) == 1:
        # an unreadable current version is reported as PKM005; nothing else is guessed
        only = chosen[0]
        return (CurrentVersion(only, how) if isinstance(only, LocatedVersion) else None), []
    names = ", ".join(
        f"{c.text if isinstance(c, LocatedVersion) else c.raw} ({c.path}:{c.line})"
        for c in declared[:5]
    )
    return None, [
        diag(
            "PKM009",
            declared[0],
            f"cannot tell which of {len(declared)} versions is current: {names}",
            fix="name it: VersionGraph.of({ current: v_..., other: [...] }) "
            "or export { v_... as current }",
        )
    ]


def check_migration_keys(items: Sequence[Item]) -> list[Diagnostic]:
    """PKM002: every ``migrations.other`` key must be older than the version of its VersionInfo.

    A key of another flavor (``#knots:…`` beside an unflavored version) is not
    ordered against it and passes; range keys (``^28``) and invalid keys (PKM001)
    are skipped.
    """
    owners = {
        (it.path, it.name): it
        for it in items
        if isinstance(it, LocatedVersion)
        and it.kind == ItemKind.VERSION
        and it.file_kind == "startos-ts"
    }
    out: list[Diagnostic] = []
    for key in items:
        if not (isinstance(key, LocatedVersion) and key.kind == ItemKind.MIGRATION_KEY):
            continue
        owner = owners.get((key.path, key.name))
        if owner is None or V.looks_like_range(key.text):
            continue
        order = V.compare_exver(key.text, owner.text)
        if order is None or order < 0:
            continue
        relation = "the same as" if order == 0 else "newer than"
        out.append(
            diag(
                "PKM002",
                key,
                f"migrations.other key {key.text!r} is {relation} the version {owner.text!r} "
                f"it migrates to "
                f"(line {owner.line}); other migrations come from older versions",
            )
        )
    return out


def check_current_upstream(
    current: LocatedVersion,
    upstream_version: str,
    upstream_tag: str | None = None,
    variant: str | None = None,
) -> list[Diagnostic]:
    """PKM006: the upstream part of the current ExVer must be the upstream version.

    Compared by the StartOS SDK's equality (``29.1`` equals ``29.1.0``), with the
    upstream version as the upstream project writes it when git names its tag
    (``v0.21.2-beta`` is ``0.21.2-beta``, not PEP 440's ``0.21.2b0``), else as
    PEP 440 mapped to ExVer.
    """
    found = _check_current_upstream(current, upstream_version, upstream_tag)
    if variant is None:
        return found
    return [replace(d, message=f"{d.message} [{variant}]") for d in found]


@dataclass(frozen=True, slots=True)
class CurrentTarget:
    """What the current version should say for an upstream version (PKM006, and ``bump``).

    ``text``: the current version with the upstream part the upstream's version maps to,
    the flavor kept and the downstream revision restarted at 0 (None when it cannot be
    told); ``same``: the current version already says that upstream; ``why``: in words.
    """

    same: bool
    text: str | None
    why: str


def current_target(
    current_text: str, upstream_version: str, upstream_tag: str | None = None
) -> CurrentTarget | None:
    """The ExVer ``current_text`` should become for ``upstream_version`` (PEP 440), read from
    ``upstream_tag`` (as the upstream writes it) when given; None when ``current_text`` is
    not a valid ExVer (PKM001 says why).

    Compared by the StartOS SDK's equality (``29.1`` equals ``29.1.0``).
    """
    parts = V.exver_parts(current_text)
    if parts is None:
        return None
    flavor, upstream_part, _downstream = parts
    prefix = f"#{flavor}:" if flavor else ""
    quoted = repr(current_text)
    if upstream_tag is not None:
        match = V.match_upstream(upstream_tag, upstream_part)
        if match is not None:
            why = (
                f"the current version {quoted} says upstream {upstream_part}, but the "
                f"upstream is at tag {upstream_tag} ({match.verdict})"
            )
            return CurrentTarget(match.same, f"{prefix}{match.reading.part}:0", why)
    try:
        expected = V.pep440_to_exver_upstream(upstream_version)
    except ValueError as exc:
        why = (
            f"the upstream version {upstream_version} has no ExVer form ({exc}), "
            f"so the current version {quoted} cannot be checked against it"
        )
        return CurrentTarget(False, None, why)
    target = f"{prefix}{expected}:0"
    if V.compare_exver(f"{prefix}{upstream_part}:0", target) == 0:
        return CurrentTarget(True, target, "")
    match = V.match_upstream(upstream_version, upstream_part)
    if match is not None and match.same:
        return CurrentTarget(True, target, "")
    verdict = f"; {match.verdict}" if match is not None else ""
    why = (
        f"the current version {quoted} says upstream {upstream_part}, but the upstream "
        f"version is {upstream_version} (ExVer {expected}){verdict}"
    )
    return CurrentTarget(False, target, why)


def _check_current_upstream(
    current: LocatedVersion, upstream_version: str, upstream_tag: str | None
) -> list[Diagnostic]:
    target = current_target(current.text, upstream_version, upstream_tag)
    if target is None or target.same:
        return []
    if target.text is None:
        return [diag("PKM006", current, target.why, severity=Severity.WARNING)]
    return [
        diag(
            "PKM006",
            current,
            target.why,
            fix=f"write '{target.text}' (a new upstream restarts the downstream revision at 0)",
        )
    ]


def _tag_as_exver(tag: str) -> str | None:
    value = tag[1:] if tag[:1] in "vV" else tag
    try:
        return V.pep440_to_exver_upstream(value)
    except ValueError:
        return None


def check_version_constants(
    items: Sequence[Item],
    version_constants: Sequence[str],
    *,
    upstream_version: str | None = None,
    current: LocatedVersion | None = None,
) -> list[Diagnostic]:
    """PKM003: each configured constant (an image tag, ``VLLM_VERSION = 'v0.21.1'``) must name
    the upstream version; without one, the upstream part of the current version.

    A leading ``v`` is a tag prefix; the rest is compared as a version
    (``v0.21.1`` equals ``0.21.1``; ``v0.21.0`` does not).
    """
    out: list[Diagnostic] = []
    current_upstream: str | None = None
    parts = V.exver_parts(current.text) if current is not None else None
    if parts is not None:
        current_upstream = parts[1]
    for item in items:
        if not (isinstance(item, LocatedVersion) and item.kind == ItemKind.CONSTANT):
            continue
        if not is_configured_constant(item.name, version_constants) or is_pretend_name(item.name):
            continue
        value = item.text[1:] if item.text[:1] in "vV" else item.text
        if upstream_version is not None:
            same = V.pep440_equal(value, upstream_version)
            if same is False:
                out.append(
                    diag(
                        "PKM003",
                        item,
                        f"{item.name} = {item.text!r} feeds image tags but the upstream version is "
                        f"{upstream_version}",
                        fix=f"write '{retag(item.text, upstream_version)}'",
                    )
                )
            continue
        if current_upstream is None or current is None:
            continue
        if _tag_as_exver(item.text) is None:
            continue  # PKM001 reports a value that is not a version tag
        match = V.match_upstream(item.text, current_upstream, tag=True)
        if match is not None and not match.same:
            out.append(
                diag(
                    "PKM003",
                    item,
                    f"{item.name} = {item.text!r} feeds image tags but the current version "
                    f"{current.text!r} ({current.path}:{current.line}) "
                    f"is upstream {current_upstream}: {match.verdict}",
                )
            )
    return out


def retag(old: str, version: str) -> str:
    """``version`` spelled like the tag ``old`` (keeps a ``v`` prefix)."""
    return ("v" if old[:1] in "vV" else "") + version


def check_pretend_versions(items: Sequence[Item], upstream_version: str) -> list[Diagnostic]:
    """PKM008: a literal pretend-version value handed to the build must equal the upstream version.

    Compared as PEP 440 versions (``0.21.1`` equals ``0.21.1.0``); an empty value
    is left to ``patchkit scm check``, which explains what an empty value does.
    """
    out: list[Diagnostic] = []
    for item in items:
        if not (isinstance(item, LocatedVersion) and item.kind == ItemKind.CONSTANT):
            continue
        if not is_pretend_name(item.name) or item.text == "":
            continue
        same = V.pep440_equal(item.text, upstream_version)
        if same is True:
            continue
        why = "is not a PEP 440 version" if same is None else "differs from"
        out.append(
            diag(
                "PKM008",
                item,
                f"{item.name}={item.text} {why} the upstream version {upstream_version}; "
                f"the build would label its wheel with a version the source is not",
                fix=f"set {item.name}={upstream_version}",
            )
        )
    return out


_WORDS = {"alpha": "a", "beta": "b"}
_TOKEN = re.compile(r"[0-9]+|[A-Za-z]+")


def _version_tokens(text: str) -> list[str]:
    """Comparable tokens of a version or a file name: numbers (no leading zeros) and short words."""
    out: list[str] = []
    for tok in _TOKEN.findall(text):
        if tok.isdigit():
            out.append(str(int(tok)))
        else:
            low = tok.lower()
            out.append(_WORDS.get(low, low))
    return out


def _encoded_name(stem: str) -> str | None:
    """The version part of a name like ``v_0_20_0_0_4_b0`` or ``v0.2.1.1.b0`` (None otherwise)."""
    m = re.match(r"v[_.]?(?=[0-9])(.*)\Z", stem)
    return m.group(1) if m else None


def _spellings(version: str) -> list[str]:
    """``version`` and the spellings the SDK holds equal to it: its upstream numbers with
    trailing zeros dropped or added, up to four (``29.1:2``, ``29.1.0:2``, ``29.1.0.0:2``)."""
    body = version.split(":", 1)[1] if version.startswith("#") else version
    upstream, sep, downstream = body.partition(":")
    numbers, dash, pre = upstream.partition("-")
    nums = numbers.split(".")
    if not all(n.isdigit() for n in nums):
        return [body]
    core = list(nums)
    while len(core) > 1 and core[-1].strip("0") == "":
        core.pop()
    out = [body]
    for size in range(len(core), max(len(core), 4) + 1):
        spelled = ".".join(core + ["0"] * (size - len(core))) + dash + pre
        out.append(spelled + sep + downstream)
        out.append(spelled)
    return list(dict.fromkeys(out))


def _name_agrees(encoded: str, version: str) -> bool:
    """True when a name encodes the whole version, or (a common convention) its upstream part,
    in any spelling the SDK holds equal (``29.1.0`` for ``29.1``)."""
    name_tokens = _version_tokens(encoded)
    body = version.split(":", 1)[1] if version.startswith("#") else version
    upstream = body.split(":", 1)[0]
    for candidate in (body, upstream, *_spellings(version)):
        if name_tokens == _version_tokens(candidate):
            return True
        # compact names without separators: v0360 for 0.3.6:0
        if re.fullmatch(r"[0-9]+", encoded) and encoded == "".join(
            re.findall(r"[0-9]+", candidate)
        ):
            return True
    return False


def _suggest_name(version: str, prefix: str, sep: str) -> str:
    """A name for ``version`` in a given style: ``v_`` + ``0_20_0_0_4_b0``."""
    out: list[str] = []
    for tok in _version_tokens(version.lstrip("#")):
        if out and tok.isdigit() and out[-1].isalpha():
            out[-1] += tok
        else:
            out.append(tok)
    return prefix + sep.join(out)


def check_version_file_names(items: Sequence[Item], pattern: str | None) -> list[Diagnostic]:
    """PKM004: a version file matching ``pattern`` must encode the version it declares.

    Names and versions are compared token by token (numbers and words, with
    ``alpha``/``beta`` abbreviated ``a``/``b``), so ``v_0_20_0_0_4_b0.ts``,
    ``v0.20.0.0.4-beta.0.ts`` and ``'0.20.0:0.4-beta.0'`` all agree; a name may
    also encode just the upstream part (``v0.6.ts`` for ``'0.6:1-beta.0'``). The
    VersionInfo constant's name is held to the same rule when it encodes a version.
    Does nothing when ``pattern`` is None (the layout has no such convention).
    """
    if pattern is None:
        return []
    out: list[Diagnostic] = []
    for item in items:
        if not (
            isinstance(item, LocatedVersion)
            and item.kind == ItemKind.VERSION
            and item.file_kind == "startos-ts"
            and matches(item.path, pattern)
        ):
            continue
        base = posixpath.basename(item.path)
        stem = base[: -len(".ts")] if base.endswith(".ts") else base
        wrong: list[str] = []
        fixes: list[str] = []
        encoded = _encoded_name(stem)
        if encoded is not None and not _name_agrees(encoded, item.text):
            sep = "_" if "_" in stem[2:] else "."
            prefix = stem[:2] if stem[1:2] in ("_", ".") else "v"
            wrong.append(f"the file name {base}")
            fixes.append(f"rename the file {_suggest_name(item.text, prefix, sep)}.ts")
        const = _encoded_name(item.name)
        if const is not None and not _name_agrees(const, item.text):
            prefix = item.name[:2] if item.name[1:2] == "_" else "v"
            wrong.append(f"the constant {item.name}")
            fixes.append(f"rename the constant {_suggest_name(item.text, prefix, '_')}")
        if wrong:
            out.append(
                diag(
                    "PKM004",
                    item,
                    f"{' and '.join(wrong)} encode{'s' if len(wrong) == 1 else ''} "
                    "another version than "
                    f"{item.text!r}, the version declared here",
                    fix=" and ".join(fixes) + ", or fix the version",
                )
            )
    return out


def check_exver_order_hazards(items: Sequence[Item]) -> list[Diagnostic]:
    """PKM011: two ExVer strings of one package that the StartOS SDK 2.0.9 orders wrongly.

    The SDK mis-compares a number and a word at the same pre-release position
    (research/exver.md §5); StartOS itself orders them right, so the version
    graph and the OS can disagree. Reported at the later string, naming the
    earlier one. Declared ExVer versions and ``migrations.other`` keys take part.
    """
    located: dict[str, LocatedVersion] = {}
    for item in items:
        if not (
            isinstance(item, LocatedVersion)
            and item.kind in (ItemKind.VERSION, ItemKind.MIGRATION_KEY)
            and (item.kind == ItemKind.MIGRATION_KEY or scheme_of(item) == "exver")
        ):
            continue
        located.setdefault(item.text, item)
    out: list[Diagnostic] = []
    for a, b, why in V.ordering_hazards(list(located)):
        first, second = located[a], located[b]
        out.append(
            diag(
                "PKM011",
                second,
                f"{why} (the other version is at {first.path}:{first.line})",
                fix="start every pre-release with a word (rc.N, alpha.N, beta.N)",
            )
        )
    return out
