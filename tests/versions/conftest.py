"""Shared helpers for tests/versions: the StartOS SDK oracle and string generators.

The oracle is the real ``@start9labs/start-sdk`` installed from
``../shared/tools/exver-oracle`` (``.ci/setup-versions.sh`` installs it and
exports ``PATCHKIT_EXVER_ORACLE``). Every question goes to it in a batch:
one node process answers thousands of lines.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import SimpleNamespace

import pytest

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
BATCH_SCRIPT = HERE / "sdk_batch.mjs"


class SdkOracle:
    """Batch access to the SDK: ``oracle.mjs`` for parsing, ``sdk_batch.mjs`` for comparisons."""

    def __init__(self, directory: Path, node: str) -> None:
        self.directory = directory
        self.node = node

    def _run(self, args: Sequence[str], lines: Iterable[str]) -> list[dict[str, object]]:
        payload = "".join(line + "\n" for line in lines)
        proc = subprocess.run(
            [self.node, *args],
            input=payload,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="surrogatepass",
            check=True,
            timeout=600,
        )
        return [json.loads(line) for line in proc.stdout.split("\n") if line.strip()]

    def parse(self, strings: Sequence[str], rule: str = "exver") -> list[dict[str, object]]:
        """One ``oracle.mjs --json-lines`` record per string (exact inputs, JSON-quoted)."""
        records = self._run(
            [str(self.directory / "oracle.mjs"), "--json-lines", "--rule", rule],
            (json.dumps(s) for s in strings),
        )
        assert len(records) == len(strings), "the oracle answered a different number of lines"
        return records

    def parse_ranges(self, strings: Sequence[str]) -> list[dict[str, object]]:
        """``VersionRange.parse`` + ``toString()`` per string (no costly normalize)."""
        answers = self._run(
            [str(BATCH_SCRIPT), str(self.directory)],
            (json.dumps({"op": "parse", "rule": "range", "input": s}) for s in strings),
        )
        assert len(answers) == len(strings)
        return answers

    def compare(self, pairs: Sequence[tuple[str, str]]) -> list[int | None]:
        answers = self._run(
            [str(BATCH_SCRIPT), str(self.directory)],
            (json.dumps({"op": "compare", "a": a, "b": b}) for a, b in pairs),
        )
        assert len(answers) == len(pairs) and all("result" in a for a in answers), answers[:3]
        return [a["result"] for a in answers]  # type: ignore[misc]

    def satisfies(self, pairs: Sequence[tuple[str, str]]) -> list[bool]:
        answers = self._run(
            [str(BATCH_SCRIPT), str(self.directory)],
            (json.dumps({"op": "satisfies", "range": r, "version": v}) for r, v in pairs),
        )
        assert len(answers) == len(pairs) and all("result" in a for a in answers), answers[:3]
        return [bool(a["result"]) for a in answers]


@pytest.fixture(scope="session")
def sdk_oracle() -> SdkOracle:
    directory = os.environ.get("PATCHKIT_EXVER_ORACLE")
    if not directory:
        pytest.skip(
            "PATCHKIT_EXVER_ORACLE is not set: install the StartOS SDK oracle with "
            "`PATCHKIT_CI_CACHE=/tmp/patchkit-ci source .ci/setup-versions.sh` (needs node and npm)"
        )
    path = Path(directory)
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not on PATH; the StartOS SDK oracle needs it")
    if (
        not (path / "oracle.mjs").is_file()
        or not (path / "node_modules" / "@start9labs" / "start-sdk").is_dir()
    ):
        pytest.skip(
            f"PATCHKIT_EXVER_ORACLE={directory} holds no installed oracle (run npm ci there)"
        )
    return SdkOracle(path, node)


# --- string generators (deterministic: a seed in, the same strings out) -----------------------

_WORDS = ("alpha", "beta", "rc", "dev", "post", "a", "b", "RC", "Beta", "x", "y", "z", "pre")
_NUMBERS = ("0", "1", "2", "9", "10", "21", "01", "007", "00", "2024", "20240325")
_HUGE = (
    "9007199254740991",
    "9007199254740992",
    "9007199254740993",
    "18446744073709551615",
    "18446744073709551616",
    "99999999999999999999",
    "1152921504606846976",
    "1234567890123456789012",
    "99999999999999999999999",
    "1" * 309,
    "9" * 309,
    "1" * 400,
)
_STRAY = (
    " ",
    "\t",
    "\n",
    "\r",
    "+",
    "~",
    "!",
    "_",
    "é",
    "\uff11",  # FULLWIDTH DIGIT ONE
    "\u0663",  # ARABIC-INDIC DIGIT THREE
    "\U0001d7cf",  # MATHEMATICAL BOLD DIGIT ONE (outside the BMP)
    "v",
    "V",
    "#",
    "*",
    "\x00",
    "\u00a0",
    "-",
    ".",
    ":",
    "^",
    "=",
    "a",
    "Z",
    "/",
    "@",
    "\u2028",
)


def _number(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.04:
        return rng.choice(_HUGE)
    if r < 0.6:
        return rng.choice(_NUMBERS)
    return str(rng.randint(0, 40))


def gen_version(rng: random.Random, *, words: bool = True) -> str:
    """One ExVer version part (no ``:``), sometimes with SDK-tolerated oddities."""
    out = ".".join(_number(rng) for _ in range(rng.choice((1, 1, 2, 3, 3, 3, 4, 5))))
    if rng.random() < 0.55:
        ids = []
        for i in range(rng.choice((1, 1, 2, 2, 3, 4))):
            word = words and (rng.random() < (0.75 if i % 2 == 0 else 0.3))
            ids.append(rng.choice(_WORDS) if word else _number(rng))
        sep = "-" + ("." if rng.random() < 0.04 else "")
        out += sep + "".join(
            (("." if rng.random() > 0.05 else "..") if k else "") + ident
            for k, ident in enumerate(ids)
        )
    return out


def gen_exver(rng: random.Random) -> str:
    flavor = ""
    r = rng.random()
    if r < 0.15:
        flavor = "#" + rng.choice(("knots", "k", "a", "bitcoin", "")) + ":"
    return f"{flavor}{gen_version(rng)}:{gen_version(rng)}"


def mutate(rng: random.Random, s: str) -> str:
    """One random damage of the kinds people (and tools) do to version strings."""
    kind = rng.randrange(12)
    if not s:
        return rng.choice(_STRAY)
    i = rng.randrange(len(s) + 1)
    if kind == 0:  # drop a separator
        seps = [k for k, c in enumerate(s) if c in ".-:#"]
        if seps:
            k = rng.choice(seps)
            return s[:k] + s[k + 1 :]
    if kind == 1:  # double a separator
        seps = [k for k, c in enumerate(s) if c in ".-:"]
        if seps:
            k = rng.choice(seps)
            return s[: k + 1] + s[k:]
    if kind == 2:  # a letter inside a number
        digits = [k for k, c in enumerate(s) if c.isdigit()]
        if digits:
            k = rng.choice(digits)
            return s[:k] + rng.choice("abcrvxeE") + s[k:]
    if kind == 3:  # a unicode digit in place of an ASCII one
        digits = [k for k, c in enumerate(s) if c.isdigit()]
        if digits:
            k = rng.choice(digits)
            return s[:k] + rng.choice("\uff11\u0663\U0001d7cf\u096b") + s[k + 1 :]
    if kind == 4:  # a huge number
        digits = [k for k, c in enumerate(s) if c.isdigit()]
        if digits:
            k = rng.choice(digits)
            return s[:k] + rng.choice(_HUGE) + s[k + 1 :]
    if kind == 5:  # surrounding whitespace or a v prefix
        return rng.choice((" ", "\t", "v", "V", "\n", "")) + s + rng.choice((" ", "", "\n", "\r"))
    if kind == 6:  # truncate
        return s[:i]
    if kind == 7:  # drop the downstream part
        return s.rsplit(":", 1)[0]
    if kind == 8:  # letters and digits run together (rc.0 -> rc0)
        return s.replace(".", "", 1) if "-" in s else s + "rc0"
    if kind == 9:  # flavor damage
        return rng.choice(("#Knots:", "##k:", "#k-x:", "#k1:", "#:", "#")) + s
    if kind == 10:  # build metadata / PEP 440 spellings
        return s.replace(":", rng.choice(("+build:", "rc1:", ".post1:", ".dev3:", "~rc1:")), 1)
    return s[:i] + rng.choice(_STRAY) + s[i:]


def exver_corpus(seed: int, n_valid: int, n_mutants: int) -> list[str]:
    """Distinct candidate strings: generated ones, their mutations, the research's probes."""
    rng = random.Random(seed)
    out: dict[str, None] = {}
    probes = FIXTURES / "research_cases.jsonl"
    for line in probes.read_text(encoding="utf-8").splitlines():
        if line.strip():
            out[json.loads(line)] = None
    valid = [gen_exver(rng) for _ in range(n_valid)]
    out.update(dict.fromkeys(valid))
    for _ in range(n_mutants):
        s = rng.choice(valid)
        for _ in range(rng.choice((1, 1, 1, 2, 3))):
            s = mutate(rng, s)
        out[s] = None
    return list(out)


def gen_range(rng: random.Random, depth: int = 0) -> str:
    """A version range expression with random operators, spacing and nesting."""
    ws = lambda: rng.choice(("", "", " ", "  ", "\t", "\n"))  # noqa: E731
    r = rng.random()
    if depth < 3 and r < 0.12:
        return f"({ws()}{gen_range(rng, depth + 1)}{ws()})"
    if depth < 3 and r < 0.2:
        return f"!{ws()}{gen_range(rng, depth + 1) if rng.random() < 0.5 else _anchor(rng)}"
    if r < 0.25:
        return rng.choice(("*", "!", "#knots", "#", "#a"))
    atoms = [_anchor(rng) for _ in range(rng.choice((1, 1, 2, 2, 3)))]
    out = atoms[0]
    for atom in atoms[1:]:
        out += rng.choice((f"{ws()}&&{ws()}", f"{ws()}||{ws()}", " ", "  ")) + atom
    return out


def _anchor(rng: random.Random) -> str:
    op = rng.choice(("", ">=", "<=", ">", "<", "=", "!=", "^", "~", ">= ", "^"))
    flavor = rng.choice(("", "", "", "#knots:", "#:"))
    version = gen_version(rng)
    if rng.random() < 0.7:
        version += ":" + gen_version(rng)
    return f"{op}{flavor}{version}"


def range_corpus(seed: int, n_valid: int, n_mutants: int) -> list[str]:
    rng = random.Random(seed)
    valid = [gen_range(rng) for _ in range(n_valid)]
    out = dict.fromkeys(valid)
    for _ in range(n_mutants):
        s = rng.choice(valid)
        s = (
            mutate(rng, s)
            if rng.random() < 0.7
            else s + rng.choice((" ", " &&", "(", ")", "||", " 1:0", "!!"))
        )
        out[s] = None
    return list(out)


def version_families(seed: int, n: int) -> list[str]:
    """Versions sharing numbers, differing in pre-releases: their pairs compare interestingly."""
    rng = random.Random(seed)
    out: dict[str, None] = {}
    bases = ["1.0.0", "0.21.1", "1", "1.0", "2.0.0.1"]
    while len(out) < n:
        base = rng.choice(bases)
        ids = []
        for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
            ids.append(
                rng.choice(("alpha", "beta", "rc", "dev", "RC", "a", "1", "0", "2", "10", "x", "y"))
            )
        up = base + ("-" + ".".join(ids) if ids else "")
        down = rng.choice(("0", "0", "1", "0.1", "0-rc.1", "0-1", "2"))
        flavor = rng.choice(("", "", "", "", "#knots:"))
        out[f"{flavor}{up}:{down}"] = None
    return list(out)


@pytest.fixture(scope="session")
def corpora() -> SimpleNamespace:
    """The generators above, for test modules (they cannot import conftest in importlib mode)."""
    return SimpleNamespace(
        exver=exver_corpus,
        ranges=range_corpus,
        families=version_families,
        mutate=mutate,
        gen_exver=gen_exver,
        gen_version=gen_version,
        gen_range=gen_range,
    )
