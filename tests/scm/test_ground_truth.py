"""patchkit's static answer against what the real setuptools-scm does.

Each project under ``fixtures/projects/`` (setup.py / pyproject.toml shapes
from ``research/setuptools-scm.md``, vLLM's among them) is copied to a temp
folder (no VCS, except the ``*_git`` ones, which get a one-commit git repo)
and asked for its wheel metadata by setuptools' PEP 517 backend, with a real
setuptools-scm in its own venv, once per environment below. patchkit reads the
same files statically and predicts the outcome with ``model.simulate``.
Expected values come only from those real runs.

setuptools-scm 10 runs in the default suite (through ``setup.py --version``,
the same hooks without writing egg-info); the latest 7, 8, 9 and 10 through
the PEP 517 ``prepare_metadata_for_build_wheel`` hook are marked ``slow``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from patchkit.scm.model import Outcome, honoured_names, load_upstream, simulate
from patchkit.scm.names import MAJORS

GEN = "SETUPTOOLS_SCM_PRETEND_VERSION"
FOR = GEN + "_FOR_"
VV = "VCS_VERSIONING_PRETEND_VERSION"
VVF = VV + "_FOR_"

# Distinct values per variable, so the winner is visible in the version.
CORE: dict[str, dict[str, str]] = {
    "none": {},
    "GEN": {GEN: "1.0.0"},
    "GEN empty": {GEN: ""},
    "FOR_VLLM": {FOR + "VLLM": "2.0.0"},
    "GEN+FOR_VLLM": {GEN: "1.0.0", FOR + "VLLM": "2.0.0"},
    "GEN+FOR_VLLM empty": {GEN: "1.0.0", FOR + "VLLM": ""},
    "VV_GEN": {VV: "3.0.0"},
    "VV_FOR_VLLM": {VVF + "VLLM": "4.0.0"},
    "GEN+VV_FOR_VLLM": {GEN: "1.0.0", VVF + "VLLM": "4.0.0"},
    "FOR_vllm (variant)": {FOR + "vllm": "5.0.0"},
    "GEN+FOR_vllm (variant)": {GEN: "1.0.0", FOR + "vllm": "5.0.0"},
}
# More environments for the cases they concern (by case-name prefix).
EXTRA: dict[str, dict[str, dict[str, str]]] = {
    "B_": {
        "VV_FOR_vllm (variant)": {VVF + "vllm": "5.1.0"},
        "VV_GEN+FOR_vllm (variant)": {VV: "3.0.0", FOR + "vllm": "5.0.0"},
    },
    "B_function_alias_dotted": {
        "FOR_MY_PKG_NAME_X": {FOR + "MY_PKG_NAME_X": "7.0.0"},
        "FOR_MY.PKG-NAME_X (7.x spelling)": {FOR + "MY.PKG-NAME_X": "7.1.0"},
        "FOR_my-pkg.name-x (variant)": {FOR + "my-pkg.name-x": "7.2.0"},
    },
    "D5_": {
        "FOR_MY_PKG_NAME_X": {FOR + "MY_PKG_NAME_X": "7.0.0"},
        "FOR_MY.PKG-NAME_X (7.x spelling)": {FOR + "MY.PKG-NAME_X": "7.1.0"},
        "FOR_my-pkg.name-x (variant)": {FOR + "my-pkg.name-x": "7.2.0"},
    },
    "D4_": {
        "FOR_RENAMED": {FOR + "RENAMED": "6.0.0"},
        "GEN+FOR_RENAMED": {GEN: "1.0.0", FOR + "RENAMED": "6.0.0"},
    },
    "V_": {
        "VLLM_VERSION_OVERRIDE": {"VLLM_VERSION_OVERRIDE": "8.0.0"},
        "VLLM_VERSION_OVERRIDE+FOR_VLLM": {"VLLM_VERSION_OVERRIDE": "8.0.0", FOR + "VLLM": "2.0.0"},
        "VLLM_VERSION_OVERRIDE+VV_GEN": {"VLLM_VERSION_OVERRIDE": "8.0.0", VV: "3.0.0"},
        "VLLM_VERSION_OVERRIDE empty+GEN": {"VLLM_VERSION_OVERRIDE": "", GEN: "1.0.0"},
    },
    "E_guard": {
        "MY_VERSION": {"MY_VERSION": "9.0.0"},
        "MY_VERSION+GEN": {"MY_VERSION": "9.0.0", GEN: "1.0.0"},
        "MY_VERSION empty": {"MY_VERSION": ""},
    },
}


def envs_for(case: str) -> dict[str, dict[str, str]]:
    out = dict(CORE)
    for prefix, extra in EXTRA.items():
        if case.startswith(prefix):
            out.update(extra)
    return out


PROJECTS = Path(__file__).resolve().parent / "fixtures" / "projects"
CASES = sorted(p.name for p in PROJECTS.iterdir() if p.is_dir())


def _mismatch(pred: Outcome, real: Mapping[str, object], env: Mapping[str, str]) -> str | None:
    from packaging.version import Version

    if pred.ok != real["ok"]:
        said = "success" if pred.ok else "failure"
        return f"patchkit predicts {said} ({pred.error or pred.version}), real: {real}"
    if not pred.ok:
        err = str(real.get("error", ""))
        return (
            None
            if err.startswith("LookupError")
            else f"real failure is not a LookupError: {err[:300]}"
        )
    got = str(real["version"])
    if pred.version is not None:
        want = str(Version(pred.version))
        return (
            None if got == want else f"patchkit predicts {want} (from {pred.source}), real: {got}"
        )
    values = {str(Version(v)) for v in env.values() if v and v[0].isdigit()}
    if got in values:
        return f"patchkit predicts no pretend variable is used, real version {got} came from one"
    return None


def _explain_mismatch(
    up: Any, major: int, real: Mapping[str, object], env: Mapping[str, str], scm: bool
) -> str | None:
    """`scm explain` lists a name as honoured exactly when, set alone, it became the version."""
    from packaging.version import Version

    if len(env) != 1 or scm:
        return None
    ((name, value),) = env.items()
    if not value:
        return None
    if any(r.dist_unknown for r in up.model(major).readers) and "_FOR_" in name:
        return None  # patchkit says "cannot tell" here (PKS009)
    honoured, _ = honoured_names(up, major)
    listed = any(c.name == name or (c.variant and _variant_matches(c.name, name)) for c in honoured)
    took = bool(real["ok"]) and str(real.get("version")) == str(Version(value))
    if listed != took:
        said = "honoured" if listed else "ignored"
        what = real.get("version") or str(real.get("error", ""))[:80]
        return f"explain lists {name} as {said}, real run: {what}"
    return None


def _variant_matches(pattern: str, name: str) -> bool:
    from patchkit.scm.names import is_variant_suffix, parse_name

    prefix, _, rest = pattern.partition("_FOR_<any spelling of ")
    dist = rest.rstrip(">").strip("'")
    parsed = parse_name(name)
    return (
        parsed is not None
        and parsed.suffix is not None
        and name.startswith(prefix + "_FOR_")
        and is_variant_suffix(parsed.suffix, dist)
    )


def _check(
    major: int, mode: str, tmp_path_factory: pytest.TempPathFactory, real_scm: Any
) -> list[str]:
    jobs = [(f"{c}|{n}", PROJECTS / c, env) for c in CASES for n, env in envs_for(c).items()]
    real = real_scm(major, jobs, tmp_path_factory.mktemp(f"scm{major}"), mode)
    problems: list[str] = []
    uncertain: list[str] = []
    for case in CASES:
        up = load_upstream(PROJECTS / case, majors=MAJORS)
        scm = (PROJECTS / case / ".scm-git-init").exists()
        for name, env in envs_for(case).items():
            pred = simulate(up, major, env, scm=scm)
            if not pred.certain:
                uncertain.append(f"{case} / {name}")
                continue
            why = _mismatch(pred, real[f"{case}|{name}"], env)
            if why:
                problems.append(f"{case} / {name}: {why}")
            why = _explain_mismatch(up, major, real[f"{case}|{name}"], env, scm)
            if why:
                problems.append(f"{case} / {name} (explain): {why}")
    # patchkit may only say "cannot tell" where the dist name is truly unknown.
    problems += [
        f"{u}: patchkit cannot tell" for u in uncertain if not u.startswith("B_dist_name_from_env")
    ]
    assert any(u.startswith("B_dist_name_from_env") for u in uncertain)
    return problems


def test_static_answer_equals_setuptools_scm_10(
    tmp_path_factory: pytest.TempPathFactory, real_scm: Any
) -> None:
    problems = _check(10, "version", tmp_path_factory, real_scm)
    assert not problems, "\n".join(problems)


@pytest.mark.slow
@pytest.mark.parametrize("major", [7, 8, 9, 10])
def test_static_answer_equals_setuptools_scm_wheel_metadata(
    major: int, tmp_path_factory: pytest.TempPathFactory, real_scm: Any
) -> None:
    """The latest 7, 8, 9 and 10, through the PEP 517 metadata hook a real build calls."""
    problems = _check(major, "metadata", tmp_path_factory, real_scm)
    assert not problems, "\n".join(problems)


# Random environments: several names at once, empty values, two variant
# spellings in one environment (where the environment's order decides).
_POOL = [
    GEN, FOR + "VLLM", FOR + "vllm", FOR + "Vllm", VV, VVF + "VLLM", VVF + "vllm",
    FOR + "MY_PKG_NAME_X", FOR + "my.pkg-name_x", "VLLM_VERSION_OVERRIDE",
]  # fmt: skip
_RANDOM_CASES = [
    "V_vllm_shape",
    "B_dist_name_literal",
    "D1_pyproject_only_tool",
    "D5_dotted_project_name",
]


def _random_envs(seed: int, n: int) -> dict[str, dict[str, str]]:
    import random

    rng = random.Random(seed)
    out: dict[str, dict[str, str]] = {}
    for i in range(n):
        names = rng.sample(_POOL, rng.randint(1, 4))
        env = {
            name: ("" if rng.random() < 0.2 else f"{i}.{k}.0") for k, name in enumerate(names, 1)
        }
        out[f"random {i}: " + ", ".join(f"{k}={v!r}" for k, v in env.items())] = env
    return out


def _check_random(
    major: int, mode: str, n: int, tmp_path_factory: pytest.TempPathFactory, real_scm: Any
) -> list[str]:
    envs = _random_envs(20261125 + major, n)
    jobs = [(f"{c}|{k}", PROJECTS / c, env) for c in _RANDOM_CASES for k, env in envs.items()]
    real = real_scm(major, jobs, tmp_path_factory.mktemp(f"rnd{major}"), mode)
    problems = []
    for case in _RANDOM_CASES:
        up = load_upstream(PROJECTS / case, majors=MAJORS)
        for k, env in envs.items():
            why = _mismatch(simulate(up, major, env), real[f"{case}|{k}"], env)
            if why:
                problems.append(f"{case} / {k}: {why}")
    return problems


def test_random_environments_setuptools_scm_10(
    tmp_path_factory: pytest.TempPathFactory, real_scm: Any
) -> None:
    problems = _check_random(10, "version", 15, tmp_path_factory, real_scm)
    assert not problems, "\n".join(problems)


@pytest.mark.slow
@pytest.mark.parametrize("major", [7, 8, 9, 10])
def test_random_environments_wheel_metadata(
    major: int, tmp_path_factory: pytest.TempPathFactory, real_scm: Any
) -> None:
    problems = _check_random(major, "metadata", 40, tmp_path_factory, real_scm)
    assert not problems, "\n".join(problems)
