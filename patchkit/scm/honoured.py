"""Which variable names one setuptools-scm reader consults, in which order, per major.

A *reader* is one place where setuptools-scm looks for a pretend version: a
direct ``get_version(...)`` call, or the setuptools build hook. What it reads
depends only on the major release, the setting (``PRETEND_VERSION`` or
``PRETEND_METADATA``) and the distribution name it knows (``None`` when it
knows none: a ``get_version()`` call without ``dist_name``).

The orders below are the measured ones (``research/setuptools-scm.md``,
"Matrix" and "Dist-name normalisation"); the first name that is *present* in
the environment wins, even with an empty value, which then means "no version":

====  ==========================================================================
7.x   ``FOR_<dist.upper()>`` > generic
8.x   ``FOR_<N>`` > generic                        (N: ``-_.`` runs -> ``_``, upper)
9.x   ``FOR_<N>`` > variant spellings (warning) > generic
10.x  ``FOR_<N>`` > ``VCS_VERSIONING_…_FOR_<N>`` > generic > ``VCS_VERSIONING_…``
      > variant spellings of both prefixes (warning)
====  ==========================================================================

Without a distribution name every release reads the generic names only
(10.x: ``SETUPTOOLS_SCM_…`` then ``VCS_VERSIONING_…``). ``PRETEND_METADATA``
exists from 9.x on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from patchkit.scm.names import (
    METADATA,
    SS,
    VERSION,
    VV,
    env_name,
    is_variant_suffix,
    parse_name,
)

__all__ = ["Hit", "NameRule", "describe_rule", "lookup_order", "resolve"]


@dataclass(frozen=True, slots=True)
class NameRule:
    """One step of a lookup: an exact name, or (``variant``) any spelling for ``dist``."""

    name: str
    prefix: str
    setting: str
    dist: str | None = None
    variant: bool = False

    def matches(self, env_var: str) -> bool:
        if not self.variant:
            return env_var == self.name
        parsed = parse_name(env_var)
        return (
            parsed is not None
            and parsed.prefix == self.prefix
            and parsed.setting == self.setting
            and parsed.suffix is not None
            and self.dist is not None
            and is_variant_suffix(parsed.suffix, self.dist)
        )


@dataclass(frozen=True, slots=True)
class Hit:
    """The name that won a lookup, the rule that matched it, and its value (may be empty)."""

    rule: NameRule
    name: str
    value: str


def _exact(prefix: str, setting: str, dist: str | None, major: int) -> NameRule:
    return NameRule(env_name(prefix, setting, dist, major), prefix, setting, dist)


def _variant(prefix: str, setting: str, dist: str) -> NameRule:
    return NameRule(
        f"{prefix}_{setting}_FOR_<any spelling of {dist!r}>", prefix, setting, dist, True
    )


def lookup_order(major: int, dist: str | None, setting: str = VERSION) -> tuple[NameRule, ...]:
    """The rules a reader with distribution name ``dist`` applies under ``major``, in order.

    >>> [r.name for r in lookup_order(8, "vllm")]
    ['SETUPTOOLS_SCM_PRETEND_VERSION_FOR_VLLM', 'SETUPTOOLS_SCM_PRETEND_VERSION']
    >>> [r.name for r in lookup_order(10, None)]
    ['SETUPTOOLS_SCM_PRETEND_VERSION', 'VCS_VERSIONING_PRETEND_VERSION']
    """
    if setting == METADATA and major < 9:
        return ()
    prefixes = (SS, VV) if major >= 10 else (SS,)
    generic = tuple(_exact(p, setting, None, major) for p in prefixes)
    if dist is None:
        return generic
    specific = tuple(_exact(p, setting, dist, major) for p in prefixes)
    if major <= 8:
        return specific + generic
    if major == 9:
        return (*specific, _variant(SS, setting, dist), *generic)
    return specific + generic + tuple(_variant(p, setting, dist) for p in prefixes)


def resolve(rules: tuple[NameRule, ...], env: Mapping[str, str]) -> Hit | None:
    """The first rule with a present name in ``env`` (its value may be empty), or None.

    Variant rules take the first matching variable in ``env``'s own order, as
    setuptools-scm iterates ``os.environ``.
    """
    for rule in rules:
        if rule.variant:
            for key, value in env.items():
                if rule.matches(key):
                    return Hit(rule, key, value)
        elif rule.name in env:
            return Hit(rule, rule.name, env[rule.name])
    return None


def describe_rule(rule: NameRule) -> str:
    """A short human label: the name, or the variant pattern with its warning."""
    if rule.variant:
        return f"{rule.name} (accepted with a warning)"
    return rule.name
