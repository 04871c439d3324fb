"""PKD002's analysis: which stages are consumed, and which RUNs in them can change
their result while their cache key stays the same.

A *consumer* is ``RUN --mount=type=bind,from=STAGE`` (``type`` defaults to
bind) or ``COPY --from=STAGE`` naming an earlier stage of the file. The
*producer chain* of a consumer is that stage and every stage it is built from
(their results are all inputs of the artifact).

A producing RUN is *unkeyed* when its result can change under an unchanged
cache key:

- ``git``: ``git clone``/``fetch``/``pull`` of a moving reference (no commit
  or release tag pinned by the clone, a later ``checkout``/``reset``/
  ``switch`` in the same stage, or the fetch refspec), ``git submodule update
  --remote``, or a ``git+URL`` requirement without a pinned ``@ref``;
- ``download``: ``curl``/``wget`` of a URL that carries no version or digest
  (or names ``latest``/``main``…), unless the RUN verifies a checksum
  (``sha256sum -c``…). Signing keys (``.gpg``, ``.asc``, ``.key``) are left
  out: a changed key makes later steps fail loudly instead of changing the
  artefact. ``ADD <url>`` is not unkeyed: BuildKit fetches the URL (or its
  ETag) at every build and keys the step by the content digest
  (``source/http/source.go``, ``CacheKey`` → ``formatCacheKey``);
- ``secret``: a ``--mount=type=secret`` whose id/target does not look like a
  credential (a credential authenticates a download; the download is judged);
- ``proxy``: the RUN reads ``$HTTP_PROXY``/``$HTTPS_PROXY``/``$FTP_PROXY``/
  ``$NO_PROXY``/``$ALL_PROXY`` (any case): BuildKit passes these build-args to
  the RUN but drops them from its key (``solver/llbsolver/ops/exec.go``,
  ``CacheMap`` clears ``ProxyEnv``);
- ``cache``: a ``--mount=type=cache`` whose row in the cache table
  (``_caches.py``) is mutable state (``.deps`` clones, ``node_modules``, a
  virtualenv, a git checkout made in the cache): its content is an input the
  key does not see.
- ``go install``/``go run`` of ``@latest`` or a branch, pip/uv installs of
  branch archives or requirements URLs on a branch (see PKD002's docs for the
  whole vocabulary and the pinned forms).

A RUN is not unkeyed when an ARG that carries the real input is in scope
before it: the configured cache-key ARG, or an ARG/ENV whose name ends in
``COMMIT``, ``SHA``, ``REVISION``, ``CACHE_KEY``, ``CACHE_INPUT``, ``CACHEBUST``/``CACHE_BUST``,
``BUILD_ID``, ``BUILD_DATE`` or ``TIMESTAMP``: a value passed with
``--build-arg`` enters the key of every RUN after it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from patchkit.lint._caches import classify_mount
from patchkit.lint._stages import (
    ancestry,
    env_keys,
    inherited_args,
    instruction_text,
    known_values,
    resolve,
    stage_named,
)
from patchkit.lint._text import URL, Command, commands, is_moving_ref, is_pinned_url, variable_refs

if TYPE_CHECKING:
    from patchkit.dockerfile import Dockerfile, Instruction, Mount, Stage

__all__ = ["Consumer", "Hazard", "consumers", "hazards", "is_covered_by_checksum"]


@dataclass(frozen=True, slots=True)
class Consumer:
    """A place that takes files from an earlier stage."""

    instruction: Instruction
    producer: Stage
    mount: Mount | None  # None for COPY --from

    @property
    def how(self) -> str:
        name = self.producer.name or str(self.producer.index)
        if self.mount is not None:
            return f"RUN --mount=type=bind,from={name} at line {self.instruction.start_line}"
        return f"COPY --from={name} at line {self.instruction.start_line}"


@dataclass(frozen=True, slots=True)
class Hazard:
    """One way a producing RUN's result can change under an unchanged key."""

    instruction: Instruction
    kind: str  # git | download | secret | proxy | cache
    what: str  # e.g. "git clone of https://… (default branch)"
    start: int
    end: int


def consumers(tree: Dockerfile) -> list[Consumer]:
    """Every bind mount ``from=<stage>`` and ``COPY --from=<stage>`` of the file, in order."""
    out: list[Consumer] = []
    for instr in tree.instructions:
        stage = instr.stage
        if stage is None:
            continue
        if instr.keyword == "RUN":
            for mount in instr.mounts:
                if (mount.type or "bind").lower() != "bind":
                    continue
                producer = stage_named(tree, mount.from_, before=stage)
                if producer is not None:
                    out.append(Consumer(instr, producer, mount))
        elif instr.keyword == "COPY":
            flag = instr.flag("from")
            producer = stage_named(tree, flag.value if flag else None, before=stage)
            if producer is not None:
                out.append(Consumer(instr, producer, None))
    return out


_KEY_ARG = re.compile(
    r"(?:COMMIT|SHA|REVISION|CACHE_?KEY|CACHE_?INPUT|CACHE_?BUST|BUILD_?ID|BUILD_?DATE|TIMESTAMP)$",
    re.IGNORECASE,
)
_PROXIES = ("HTTP_PROXY", "HTTPS_PROXY", "FTP_PROXY", "NO_PROXY", "ALL_PROXY")
_CREDENTIAL = re.compile(
    r"cred|token|auth|passw|secret_?key|access_?key|netrc|npmrc|pypirc|pip\.conf|\.aws|aws|gcp|"
    r"gcloud|azure|ssh|login|docker/config|hf_|huggingface|github|gitlab|api_?key|\.key$",
    re.IGNORECASE,
)
_CHECKSUM = re.compile(
    r"\bsha(?:1|224|256|384|512)sum\b[^\n]*(?:\s-c\b|--check)|\bshasum\b[^\n]*\s-c\b|"
    r"\bmd5sum\b[^\n]*(?:\s-c\b|--check)|\bgpg\b[^\n]*--verify|\bcosign\s+verify",
)
_KEYFILE = re.compile(
    r"(?:\.gpg|\.asc|\.key|\.pub|/gpg|gpgkey|GPG-PUB-KEY[^/]*|/public|\.crt|\.pem)$|keyring|"
    r"keypair|signing-?key|/keys?/",
    re.IGNORECASE,
)
# A package repository's definition (apt .list/.sources, yum .repo): the packages it
# brings move like any `apt-get install`, which no rule flags; the file itself is config.
# Also a package that only installs such a definition (packages-microsoft-prod.deb,
# epel-release-latest-9.noarch.rpm) and a script that adds one and apt-installs from it
# (apt.llvm.org/llvm.sh, get.docker.com): what they bring moves like apt, no more.
_REPO_FILE = re.compile(
    r"\.(?:list|sources|repo)$|[-_](?:prod|release|repo|apt-config)(?:[-_][\w.]*)?\.(?:deb|rpm)$",
    re.IGNORECASE,
)
_REPO_SETUP = re.compile(
    r"^https?://(?:apt\.llvm\.org/llvm\.sh|get\.docker\.com/?|test\.docker\.com/?)$",
    re.IGNORECASE,
)


def keyed_by_arg(tree: Dockerfile, stage: Stage, instr: Instruction, key_arg: str) -> str | None:
    """The ARG/ENV name in scope before ``instr`` that carries the real input, if any."""
    names = set(stage.args_in_scope(instr)) | env_keys(tree, stage, instr)
    names |= inherited_args(tree, stage)  # ARG values travel in the state env (see _stages)
    if key_arg in names:
        return key_arg
    for name in sorted(names):
        if _KEY_ARG.search(name):
            return name
    return None


_RELEVANT = re.compile(r"\b(?:git|curl|wget|pip\d?|uv|go|python\d?(?:\.\d+)?)\b")


def is_run(instr: Instruction) -> bool:
    """A RUN, or an ``ONBUILD RUN`` (which runs in every stage built FROM its stage)."""
    return instr.keyword == "RUN" or (instr.keyword == "ONBUILD" and instr.sub_keyword == "RUN")


def _body(instr: Instruction) -> Instruction:
    """The RUN to read: ``instr`` itself, or the RUN an ``ONBUILD`` carries (parsed on its own)."""
    if instr.keyword != "ONBUILD":
        return instr
    from patchkit.dockerfile import parse

    return parse("FROM scratch\n" + instr.args + "\n").instructions[-1]


def hazards(tree: Dockerfile, stage: Stage, instr: Instruction) -> Iterator[Hazard]:
    """The unkeyed inputs of one RUN or ONBUILD RUN (see the module docstring)."""
    body = _body(instr)
    script = instruction_text(body)
    shell = body.args + "\n" + "\n".join(h.body for h in body.heredocs)
    values = known_values(tree, stage, instr)
    if _RELEVANT.search(shell):
        pinned_later: list[tuple[bool, str | None]] = []  # on first need: a later pin?

        def pinned() -> tuple[bool, str | None]:
            if not pinned_later:
                later = [
                    i for i in stage.instructions if i.index >= instr.index and i.keyword == "RUN"
                ]
                pinned_later.append(_git_pins(tree, stage, later))
            return pinned_later[0]

        git: list[Hazard] = []
        for cmd in commands(shell):
            for hz in _git_hazards(instr, cmd, values, pinned):
                if hz.what.startswith("git fetch"):
                    # a fetch after a clone decides what is checked out: one hazard, not two
                    git = [g for g in git if not g.what.startswith("git clone")]
                git.append(hz)
            yield from _download_hazards(instr, cmd, values, script, shell)
            yield from _pip_git_hazards(instr, cmd, values)
            yield from _pip_url_hazards(instr, cmd, values, shell)
            yield from _go_hazards(instr, cmd, values)
        yield from git
    for mount in body.mounts:
        mtype = (mount.type or "bind").lower()
        if body is instr:
            start, end = mount.flag.start, mount.flag.end
        else:
            flag_text = body.tree.text[mount.flag.start : mount.flag.end]
            start, end = _locate(instr, re.escape(flag_text))
        if mtype == "secret":
            label = " ".join(x for x in (mount.id, mount.target, mount.get("env")) if x)
            if not _CREDENTIAL.search(label or ""):
                what = f"secret `{mount.id or mount.target or '?'}`"
                yield Hazard(instr, "secret", what, start, end)
        elif mtype == "cache":
            row = classify_mount(tree, body if body is instr else instr, mount)
            if row.changes_results:
                what = f"cache mount at {mount.target} ({row.tool})"
                yield Hazard(instr, "cache", what, start, end)
    if "PROXY" in script.upper() and not _proxy_transport_only(shell):
        for ref in variable_refs(script):
            if ref.name.upper() in _PROXIES:
                start, end = _locate(instr, re.escape(script[ref.start : ref.end]))
                yield Hazard(instr, "proxy", f"${ref.name}", start, end)
                break


_PROXY_REF = re.compile(r"\$\{?(?:" + "|".join(_PROXIES) + r")\b", re.IGNORECASE)
_PROXY_OPTIONS = ("-x", "--proxy", "--preproxy", "-e")


def _proxy_transport_only(shell: str) -> bool:
    """Is every proxy read a transport choice: a downloader's proxy option or a test?

    ``curl -x "$HTTP_PROXY" URL``, ``wget -e https_proxy=$HTTPS_PROXY URL`` and
    ``[ -n "$HTTP_PROXY" ]`` fetch the same file by another road: nothing keeps
    the value. Any other read (``echo … > apt.conf``, an ``ENV`` line built from
    it, a config command) may store it, and stays a hazard.
    """
    seen = False
    for cmd in commands(shell):
        w = list(cmd.words)
        test = bool(w) and any(x in ("[", "[[", "test") for x in w[:3])
        for i, word in enumerate(w):
            if not _PROXY_REF.search(word):
                continue
            seen = True
            if test:
                continue
            prev = w[i - 1] if i else ""
            if prev in _PROXY_OPTIONS or word.startswith(("--proxy=", "-x$", "-x${")):
                continue
            return False
    return seen


def _locate(instr: Instruction, pattern: str) -> tuple[int, int]:
    """Where ``pattern`` first occurs in the instruction's raw text (else the keyword)."""
    m = re.search(pattern, instr.raw)
    if m is None:
        return instr.start, instr.start + len(instr.keyword_raw)
    return instr.start + m.start(), instr.start + m.end()


def _git_words(cmd: Command) -> tuple[str, list[str]] | None:
    """(subcommand, its arguments) for a ``git`` command, skipping git's global options."""
    w = list(cmd.words)
    if not w or w[0] != "git":
        return None
    i = 1
    while i < len(w) and w[i].startswith("-"):
        if w[i] in ("-C", "-c", "--git-dir", "--work-tree", "--namespace"):
            i += 2
        else:
            i += 1
    if i >= len(w):
        return None
    return w[i], w[i + 1 :]


def _positional(args: list[str], with_value: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            out.extend(args[i + 1 :])
            break
        if a.startswith("-"):
            if a in with_value:
                i += 1
            i += 1
            continue
        out.append(a)
        i += 1
    return out


def _shown(ref: str, values: dict[str, str | None]) -> str:
    resolved = resolve(ref, values)
    return ref if resolved == ref else f"{ref} = {resolved}"


def _pinned(ref: str, values: dict[str, str | None]) -> bool:
    resolved = resolve(ref, values)
    if "$" in resolved:
        return True  # passed by the build (an ARG is in the key) or unknown: not judged
    return not is_moving_ref(resolved)


def _git_pins(tree: Dockerfile, stage: Stage, runs: list[Instruction]) -> tuple[bool, str | None]:
    """Does a checkout/reset/switch of a pinned ref follow (in this RUN or a later one)?

    Each ref is resolved with the variables in scope at its own RUN. Also
    returns the first moving ref checked out in the first RUN, for the message.
    """
    moving: str | None = None
    for run in runs:
        shell = run.args + "\n" + "\n".join(h.body for h in run.heredocs)
        if "git" not in shell:
            continue
        values = known_values(tree, stage, run)
        for cmd in commands(shell):
            parsed = _git_words(cmd)
            if parsed is None:
                continue
            sub, args = parsed
            if sub in ("checkout", "switch", "reset"):
                refs = _positional(args, ("-b", "-B", "-c", "-C", "--orphan"))
                if sub == "checkout" and any(a in ("-b", "-B") for a in args):
                    refs = refs[1:] if len(refs) > 1 else []
                refs = [r for r in refs if r.upper() != "FETCH_HEAD"]
                if any(_pinned(r, values) for r in refs[:1]):
                    return True, None
                if refs and moving is None and run is runs[0]:  # the clone's own RUN
                    moving = _shown(refs[0], values)
    return False, moving


def _git_hazards(
    instr: Instruction,
    cmd: Command,
    values: dict[str, str | None],
    pinned_later: Callable[[], tuple[bool, str | None]],
) -> Iterator[Hazard]:
    parsed = _git_words(cmd)
    if parsed is None:
        return
    sub, args = parsed
    if sub == "clone":
        branch = None
        for i, a in enumerate(args):
            if a in ("-b", "--branch", "--revision") and i + 1 < len(args):
                branch = args[i + 1]
            elif a.startswith(("--branch=", "--revision=")):
                branch = a.split("=", 1)[1]
        if branch is not None and _pinned(branch, values):
            return
        pinned, moving = pinned_later()
        if pinned:
            return
        pos = _positional(
            args,
            (
                "-b",
                "--branch",
                "--depth",
                "-o",
                "--origin",
                "-j",
                "--jobs",
                "--reference",
                "--separate-git-dir",
                "--filter",
                "-c",
                "--config",
                "--shallow-since",
                "--shallow-exclude",
                "-u",
                "--upload-pack",
                "--template",
                "--revision",
            ),
        )
        url = resolve(pos[0], values) if pos else "a repository"
        which = f"branch {_shown(branch, values)}" if branch else "its default branch"
        if moving:
            which += f", then checks out branch {moving}"
        start, end = _locate(instr, r"git\s[^\n]*?clone")
        yield Hazard(instr, "git", f"git clone of {url} ({which})", start, end)
    elif sub == "fetch":
        pos = _positional(
            args,
            (
                "--depth",
                "-j",
                "--jobs",
                "--shallow-since",
                "--shallow-exclude",
                "--filter",
                "-o",
                "--server-option",
                "--recurse-submodules-default",
            ),
        )
        refspecs = pos[1:]
        if refspecs and all(_pinned(r.split(":")[0].lstrip("+"), values) for r in refspecs):
            return
        if ("--tags" in args and not refspecs) or pinned_later()[0]:
            return
        which = (
            ", ".join(_shown(r, values) for r in refspecs) if refspecs else "the remote's branches"
        )
        start, end = _locate(instr, r"git\s[^\n]*?fetch")
        yield Hazard(instr, "git", f"git fetch of {which}", start, end)
    elif sub == "pull":
        if pinned_later()[0]:
            return
        start, end = _locate(instr, r"git\s[^\n]*?pull")
        yield Hazard(instr, "git", "git pull", start, end)
    elif sub == "submodule" and "update" in args and "--remote" in args:
        start, end = _locate(instr, r"git\s[^\n]*?submodule")
        yield Hazard(instr, "git", "git submodule update --remote", start, end)


_PIP_GIT = re.compile(r"git\+(?:https?|ssh|git|file)://[^\s\"']+")


def _pip_git_hazards(
    instr: Instruction, cmd: Command, values: dict[str, str | None]
) -> Iterator[Hazard]:
    prog = cmd.words[0].rsplit("/", 1)[-1] if cmd.words else ""
    if not (
        prog.startswith(("pip", "uv", "python"))
        and {"install", "wheel", "download"} & set(cmd.words)
    ):
        return
    for word in cmd.words:
        m = _PIP_GIT.search(word)
        if not m:
            continue
        url = resolve(m.group(0), values).split("#", 1)[0]
        scheme_rest = url.split("://", 1)[1]
        host_path = scheme_rest.split("/", 1)[1] if "/" in scheme_rest else ""
        ref = host_path.rsplit("@", 1)[1] if "@" in host_path else None
        if ref is not None and _pinned(ref, values):
            continue
        start, end = _locate(instr, re.escape(m.group(0)))
        which = f"@{ref}" if ref else "no @ref"
        yield Hazard(instr, "git", f"install of {m.group(0)} ({which})", start, end)


_SAMPLE = {
    "TARGETARCH": "amd64",
    "BUILDARCH": "amd64",
    "TARGETOS": "linux",
    "BUILDOS": "linux",
    "TARGETPLATFORM": "linux/amd64",
    "BUILDPLATFORM": "linux/amd64",
    "TARGETVARIANT": "",
    "BUILDVARIANT": "",
}


def _literal_assignment(shell: str, name: str) -> str | None:
    """The literal value a script gives a shell variable (``V=1.2``), if exactly one."""
    pattern = r"(?:^|[\s;&|(])(?:export\s+)?" + re.escape(name) + r"=([^\s;&|$`()]*)"
    found: set[str] = set(re.findall(pattern, shell))
    if len(found) == 1:
        return found.pop().strip("'\"")
    return None


def moving_url(raw: str, values: dict[str, str | None], shell: str) -> str | None:
    """The URL ``raw`` resolved, when it can serve another file tomorrow; else ``None``.

    Variables: known ARG/ENV values are substituted; a platform ARG
    (``$TARGETARCH``) is not a version, so it is replaced by a sample value
    and the rest of the URL is judged; a variable the script sets to a
    literal takes that literal. An ARG declared without a default is passed
    by the build (its value is in the cache key), and any other variable is
    unknown: such URLs are not judged. Then ``is_pinned_url`` decides.
    """
    url = resolve(raw, values)
    for ref in reversed(list(variable_refs(url))):
        if ref.name in _SAMPLE:
            value: str | None = _SAMPLE[ref.name]
        elif ref.name in values:
            return None  # declared without a default: the build passes it, it is in the key
        else:
            value = _literal_assignment(shell, ref.name)
        if value is None:
            return None  # a value computed at build time: not judged
        url = url[: ref.start] + value + url[ref.end :]
    if "$" in url or "://" not in url:
        return None
    host = url.split("://", 1)[1].split("/", 1)[0]
    if host.split(":")[0] in ("localhost", "127.0.0.1", "0.0.0.0", "[::1]"):
        return None
    bare = url.split("?", 1)[0]
    if _KEYFILE.search(bare) or _REPO_FILE.search(bare) or _REPO_SETUP.match(bare):
        return None
    return None if is_pinned_url(url) else url


_PLATFORM_PROBE = re.compile(
    r"(?:\$\(|`)\s*(?:uname\s+-[ms]|arch|dpkg\s+--print-architecture|uname)\s*(?:\)|`)"
)


def _computed_after(shell: str, cmd: Command, word: str) -> bool:
    """Does the URL word run into a ``$(…)``/backtick (``…/go$(awk … go.mod).tgz``)?

    A platform probe (``$(uname -m)``, ``$(dpkg --print-architecture)``) is
    not a version: such a URL is judged on the rest of its text.
    """
    if cmd.words[-1] != word:
        return False
    if shell[cmd.end : cmd.end + 2] != "$(" and shell[cmd.end : cmd.end + 1] != "`":
        return False
    return not _PLATFORM_PROBE.match(shell, cmd.end)


_PIN_FLAG = re.compile(
    r"(?:--default-toolchain|--toolchain|--version)(?:=|\s+)(['\"]?)([^\s'\";&|)]+)\1"
)
# what a download is piped into: `| sh -s -- v1.2`, `| POETRY_VERSION=1.8.3 python3 -`
_PIPED = re.compile(
    r"(?<!\|)\|(?!\|)\s*((?:sudo\s+(?:-\S+\s+)*)?(?:env\s+)?(?:[A-Za-z_]\w*=\S*\s+)*"
    r"(?:\S*/)?(?:(?:ba|da|z)?sh|python\d*(?:\.\d+)?|php|node|perl|ruby)\b[^|&;\n]*)"
)
# Installers that read their version from a variable (their docs): the variable in scope
# (ARG/ENV with a value, or passed by the build) pins what they install.
INSTALLER_VERSION_VARIABLES = {
    "install.python-poetry.org": ("POETRY_VERSION",),
    "get.pnpm.io": ("PNPM_VERSION",),
    "pdm-project.org": ("PDM_VERSION",),
    "sh.rustup.rs": ("RUSTUP_TOOLCHAIN",),
    "get.docker.com": ("VERSION",),
    "get.helm.sh": ("DESIRED_VERSION",),
    "raw.githubusercontent.com/helm/helm": ("DESIRED_VERSION",),
}
_MOVING_NAMES = ("latest", "stable", "nightly", "beta", "main", "master", "head", "lts")


def _pinned_by_installer_flag(
    script: str, values: dict[str, str | None], instr: Instruction
) -> bool:
    """Does the RUN pin what a downloaded installer installs?

    ``curl https://sh.rustup.rs | sh -s -- --default-toolchain 1.85.1``,
    ``… | php -- --version=${COMPOSER_VERSION}``, ``--default-toolchain none``
    (the toolchain comes later): a ``--default-toolchain``/``--toolchain``/
    ``--version`` value that is a version, ``none``, or a variable (passed
    by the build, so in the key); a version in what the download is piped
    into (``| POETRY_VERSION=1.8.3 python3 -``, ``| bash -s "bun-v1.1.0"``);
    the variable an installer reads its version from, in scope
    (``INSTALLER_VERSION_VARIABLES``). A ``rust-toolchain(.toml)`` copied into
    the stage before the RUN pins rustup's toolchain the same way.
    """
    for m in _PIN_FLAG.finditer(script):
        value = resolve(m.group(2), values)
        if value.lower() in _MOVING_NAMES:
            continue
        if "$" in value or value == "none" or re.search(r"\d", value):
            return True
    for m in _PIPED.finditer(script):  # curl …/install.sh | sh -s -- -b /bin v1.55.2
        args = resolve(m.group(1), values)
        if re.search(r"\d+\.\d+", args) or re.search(r"\$\{?\w*VERSION", args):
            return True
    for where, names in INSTALLER_VERSION_VARIABLES.items():
        if where in script and any(n in values or re.search(rf"\b{n}=\S", script) for n in names):
            return True
    if "rustup" in script and instr.stage is not None:
        for earlier in instr.stage.instructions:
            if earlier.index >= instr.index:
                break
            if earlier.keyword in ("COPY", "ADD") and "rust-toolchain" in earlier.args:
                return True
    return False


def _download_hazards(
    instr: Instruction, cmd: Command, values: dict[str, str | None], script: str, shell: str
) -> Iterator[Hazard]:
    prog = cmd.words[0].rsplit("/", 1)[-1] if cmd.words else ""
    if prog not in ("curl", "wget"):
        return
    if _CHECKSUM.search(script):
        return
    for word in cmd.words[1:]:
        for m in URL.finditer(word):
            raw = m.group(0)
            if _computed_after(shell, cmd, word):
                continue
            url = moving_url(raw, values, shell)
            if url is None:
                continue
            if _pinned_by_installer_flag(script, values, instr):
                continue
            start, end = _locate(instr, re.escape(raw))
            yield Hazard(instr, "download", f"{prog} of {url}", start, end)


_INDEX_FLAGS = ("-i", "--index-url", "--extra-index-url", "-f", "--find-links", "--index")


def _pip_url_hazards(
    instr: Instruction, cmd: Command, values: dict[str, str | None], shell: str
) -> Iterator[Hazard]:
    """``pip install https://…/archive/main.zip``, ``pip install -r https://…/main/req.txt``."""
    words = list(cmd.words)
    prog = words[0].rsplit("/", 1)[-1] if words else ""
    if not (
        prog.startswith(("pip", "uv", "python")) and {"install", "wheel", "download"} & set(words)
    ):
        return
    skip = False
    for word in words[1:]:
        if skip:
            skip = False
            continue
        if word in _INDEX_FLAGS:
            skip = True
            continue
        if word.startswith(tuple(f + "=" for f in _INDEX_FLAGS)):
            continue
        for m in URL.finditer(word):
            if word[max(0, m.start() - 4) : m.start()] == "git+":
                continue  # a git requirement: _pip_git_hazards
            url = moving_url(m.group(0), values, shell)
            if url is None:
                continue
            start, end = _locate(instr, re.escape(m.group(0)))
            yield Hazard(instr, "download", f"{prog} install of {url}", start, end)


_GO_MOVING = ("latest", "upgrade", "patch", "master", "main", "head")


def _go_hazards(
    instr: Instruction, cmd: Command, values: dict[str, str | None]
) -> Iterator[Hazard]:
    """``go install example.com/tool@latest`` (or ``@main``); ``@v1.2.3`` is pinned."""
    words = cmd.words
    if (
        len(words) < 3
        or words[0].rsplit("/", 1)[-1] != "go"
        or words[1]
        not in (
            "install",
            "run",
            "get",
        )
    ):
        return
    for word in words[2:]:
        if word.startswith("-") or "@" not in word:
            continue
        ref = resolve(word.rsplit("@", 1)[1], values)
        if "$" in ref:
            continue
        if ref.lower() in _GO_MOVING or is_moving_ref(ref):
            start, end = _locate(instr, re.escape(word))
            yield Hazard(instr, "git", f"go {words[1]} {resolve(word, values)}", start, end)


def is_covered_by_checksum(tree: Dockerfile, consumer: Consumer) -> bool:
    """Does the consumer's stage COPY a checksum from the producer before this RUN?

    That is vLLM's pattern (PR 44795) and what the ``bind-mount-cache-key``
    transform writes: ``COPY --from=STAGE …sha256 /tmp/…`` before the RUN.
    """
    stage = consumer.instruction.stage
    if stage is None:
        return False
    for instr in stage.instructions:
        if instr.index >= consumer.instruction.index:
            break
        if instr.keyword != "COPY":
            continue
        flag = instr.flag("from")
        src = stage_named(tree, flag.value if flag else None, before=stage)
        same = src is not None and src.index == consumer.producer.index
        if same and re.search(r"sha\d*|checksum|\.sum\b|md5", instr.args, re.IGNORECASE):
            return True
    return False


def producer_chain(tree: Dockerfile, consumer: Consumer) -> list[Stage]:
    """The producer and every stage it is built from."""
    return ancestry(tree, consumer.producer)
