"""SemVer 2.0.0 validation through the ``semver`` package (strict: three numbers, no ``v``).

Strings that are valid PEP 440 but not SemVer (``1.0``, ``1.0.0rc1``) get a
hint and, where one is evident, the SemVer spelling as the suggestion; valid
SemVer that is not PEP 440 (``1.0.0-alpha.beta``) gets a warning, because
Python packaging tools will reject it.
"""

from __future__ import annotations

from patchkit.versions.result import CheckResult

__all__ = ["check_semver", "pep440_to_semver"]


def pep440_to_semver(text: str) -> str | None:
    """The SemVer spelling of a PEP 440 version with at most three release numbers, or ``None``.

    ``1.0`` -> ``1.0.0``; ``1.0.0rc1`` -> ``1.0.0-rc.1``; ``1.0.0.dev3`` ->
    ``1.0.0-dev.3``; a local label becomes build metadata. Epochs and
    post-releases have no SemVer form.
    """
    from packaging.version import InvalidVersion, Version

    try:
        v = Version(text)
    except InvalidVersion:
        return None
    if v.epoch or v.post is not None or len(v.release) > 3:
        return None
    out = ".".join(str(n) for n in (*v.release, 0, 0)[:3])
    ids: list[str] = []
    if v.pre is not None:
        ids += [{"a": "alpha", "b": "beta", "rc": "rc"}[v.pre[0]], str(v.pre[1])]
    if v.dev is not None:
        ids += ["dev", str(v.dev)]
    if ids:
        out += "-" + ".".join(ids)
    if v.local is not None:
        out += "+" + v.local
    return out


def check_semver(text: str) -> CheckResult:
    """Validate ``text`` as strict SemVer 2.0.0.

    >>> check_semver("1.0").suggestion
    '1.0.0'
    """
    import semver
    from packaging.version import InvalidVersion, Version

    try:
        version = semver.Version.parse(text)
    except (ValueError, TypeError):
        hint = pep440_to_semver(text)
        message = (
            "not a SemVer 2.0.0 version (MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD], no leading zeros)"
        )
        try:
            Version(text)
            message += f"; it is valid PEP 440 ({Version(text)})"
        except InvalidVersion:
            pass
        return CheckResult(text, "semver", False, None, error=message, suggestion=hint)
    warnings: list[str] = []
    try:
        Version(text)
    except InvalidVersion:
        warnings.append("valid SemVer but not PEP 440: Python packaging tools will reject it")
    return CheckResult(text, "semver", True, str(version), warnings=tuple(warnings))
