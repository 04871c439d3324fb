"""PEP 440 -> ExVer upstream part, for ``patchkit upstream-version``.

The mapping is the one measured against the StartOS SDK
(``../shared/research/exver.md`` §8): release numbers as they are;
``aN``/``bN``/``rcN`` -> ``-alpha.N``/``-beta.N``/``-rc.N``; ``.devN`` ->
``.dev.N`` inside the pre-release (``-dev.N`` on a final release);
``.postN`` on a final release -> ``.0.N`` (an encoding that keeps the order);
the local label is dropped (ExVer has no ``+``); epochs are refused.
"""

from __future__ import annotations

from patchkit.errors import UsageError

__all__ = ["pep440_to_exver_upstream"]


def pep440_to_exver_upstream(version: str) -> str:
    """The ExVer upstream part for a PEP 440 version.

    >>> pep440_to_exver_upstream("0.21.1rc0"), pep440_to_exver_upstream("0.33.1.dev3+g4ba787ec9")
    ('0.21.1-rc.0', '0.33.1-dev.3')
    >>> pep440_to_exver_upstream("0.10.1.1"), pep440_to_exver_upstream("0.6.1.post2")
    ('0.10.1.1', '0.6.1.0.2')
    """
    from packaging.version import InvalidVersion, Version

    try:
        v = Version(version)
    except InvalidVersion as exc:
        raise UsageError(f"{version!r} is not a PEP 440 version") from exc
    if v.epoch:
        raise UsageError(f"{version!r} has an epoch ({v.epoch}!), which ExVer cannot express")
    release = ".".join(str(n) for n in v.release)
    pre: list[str] = []
    if v.pre is not None:
        word = {"a": "alpha", "b": "beta", "rc": "rc"}[v.pre[0]]
        pre += [word, str(v.pre[1])]
        if v.post is not None:
            pre += ["post", str(v.post)]
    elif v.post is not None:
        release += f".0.{v.post}"
    if v.dev is not None:
        pre += ["dev", str(v.dev)]
    return release + ("-" + ".".join(pre) if pre else "")
