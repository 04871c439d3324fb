"""BuildKit's check ``SecretsUsedInArgOrEnv``, as data: which ARG/ENV names it flags.

BuildKit warns (and with ``# check=error=true`` refuses to build) when an
``ARG`` or ``ENV`` name has one of ``SECRET_TOKENS`` as a whole
``_``-separated word (or as the whole name), case-insensitively, unless one of
``ALLOW_TOKENS`` is also such a word. Every name a patchkit fix inserts must
pass it: ``PATCHKIT_CACHE_KEY`` did not (``KEY``).

Source: moby/buildkit ``frontend/dockerfile/dockerfile2llb/validations.go``,
``getSecretsRegex`` and ``validateNoSecretKey`` (called for ``ENV`` keys and
``ARG`` names in ``convert.go``), at commit
73ed6825c4b7569379ef89df0aedcdbe64473d31; the rule's text is in
``frontend/dockerfile/linter/ruleset.go`` (``RuleSecretsUsedInArgOrEnv``).
"""

from __future__ import annotations

import re

__all__ = ["ALLOW_TOKENS", "SECRET_TOKENS", "SOURCE", "flagged_as_secret"]

SOURCE = (
    "moby/buildkit frontend/dockerfile/dockerfile2llb/validations.go (getSecretsRegex) "
    "at 73ed6825c4b7569379ef89df0aedcdbe64473d31"
)

SECRET_TOKENS = (
    "apikey",
    "auth",
    "credential",
    "credentials",
    "key",
    "password",
    "pword",
    "passwd",
    "secret",
    "token",
)

ALLOW_TOKENS = ("public", "file", "version")


def _words(tokens: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?i)(?:_|^)(?:" + "|".join(tokens) + r")(?:_|$)")


_DENY = _words(SECRET_TOKENS)
_ALLOW = _words(ALLOW_TOKENS)


def flagged_as_secret(name: str) -> bool:
    """Would BuildKit's SecretsUsedInArgOrEnv flag an ARG or ENV called ``name``?

    >>> flagged_as_secret("PATCHKIT_CACHE_KEY"), flagged_as_secret("PATCHKIT_CACHE_INPUT")
    (True, False)
    >>> flagged_as_secret("PUBLIC_KEY"), flagged_as_secret("KEYRING")
    (False, False)
    """
    return bool(_DENY.search(name)) and not _ALLOW.search(name)
