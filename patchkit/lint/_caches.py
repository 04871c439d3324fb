"""What a ``--mount=type=cache`` holds: one table of tools, their cache folders, and evidence.

PKD001 asks whether the platforms of one build may share a cache, PKD008
whether two builds may write it at once, PKD002 whether its content can change
a RUN's result while the RUN's cache key stays the same. All three read the
row ``classify`` picks for a mount; the rows are data (``CACHES``), each with
its source, and ``patchkit rule PKD001`` renders them (``render_table``).

Classes:

- ``DOWNLOAD``: a download cache whose entries are named by what they are
  (version, platform tag, content hash): a hit gives the file a fresh
  download would have given, and a platform never uses another's files.
- ``COMPILER``: a compiler or analysis cache addressed by a hash of the tool,
  its target platform, its flags and its input.
- ``INCREMENTAL``: a build folder reused across builds. Whether it is keyed
  by platform depends on the tool (cargo's fingerprints are, a CMake or make
  tree, ``node_modules`` are not); a build whose inputs are in the key gets
  the same result from it either way, so PKD002 leaves it alone.
- ``MUTABLE``: state the RUN changes and then trusts: CMake FetchContent and
  other dependency clones (``.deps``), virtualenvs (``pip install -r``
  keeps what satisfies a requirement), a git checkout. Not keyed by
  platform, and what a later build finds there is an input its cache key
  does not see.

A mount's target is matched after ``ARG``/``ENV`` values in scope are
substituted, against each row's default folders (``~`` is ``/root`` or
``/home/<user>``) and the folders its variables name (``GOCACHE``,
``CARGO_HOME/registry``...). A target *above* tool folders (``/root/.cache``
holds ``go-build``, ``pip``, ``uv``...; ``/go/pkg`` holds ``mod``) takes the
row of the tool the RUN runs, else the folder's own row. A target none of the
rows knows gets ``UNKNOWN``, which no rule flags.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from patchkit.dockerfile import Dockerfile, Instruction, Mount

__all__ = [
    "CACHES",
    "UNKNOWN",
    "CacheClass",
    "CacheRow",
    "classify",
    "classify_mount",
    "render_table",
]


class CacheClass(str, Enum):
    DOWNLOAD = "download cache"
    COMPILER = "compiler cache"
    INCREMENTAL = "incremental build state"
    MUTABLE = "mutable state"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class CacheRow:
    """One tool's cache: where it lives, what it is, and what may share it.

    ``paths``: default folders (``~`` = a home folder; ``**/name`` = a folder
    of that name anywhere). ``variables``: ``NAME`` or ``NAME/sub``: the
    folder is the variable's value (plus ``sub``). ``programs``: commands
    that use it (picks the row when a mount covers several tools' folders).
    ``platform_safe``/``concurrent_safe``: ``None`` when not established.
    ``needs_program``: the folder name alone says little (``build/``), so the
    row applies only to a RUN that runs one of ``programs``.
    """

    tool: str
    cls: CacheClass
    paths: tuple[str, ...]
    variables: tuple[str, ...]
    programs: tuple[str, ...]
    platform_safe: bool | None
    concurrent_safe: bool | None
    source: str
    needs_program: bool = False  # the row applies only when the RUN runs one of its programs

    @property
    def changes_results(self) -> bool:
        """Can what a build finds here change its result under an unchanged key (PKD002)?"""
        return self.cls is CacheClass.MUTABLE


_D, _C = CacheClass.DOWNLOAD, CacheClass.COMPILER
_I, _M = CacheClass.INCREMENTAL, CacheClass.MUTABLE

CACHES: tuple[CacheRow, ...] = (
    CacheRow(
        "apt",
        _D,
        ("/var/cache/apt", "/var/lib/apt"),
        (),
        ("apt", "apt-get"),
        True,
        False,
        "Dockerfile reference, RUN --mount=type=cache example: 'Apt needs exclusive access to its "
        "data, so the caches use the option sharing=locked' (moby/buildkit a577b86); .deb files "
        "and index files carry the architecture in their names",
    ),
    CacheRow(
        "apk",
        _D,
        ("/var/cache/apk", "/etc/apk/cache"),
        (),
        ("apk",),
        True,
        None,
        "Alpine wiki 'Local APK cache'; packages and APKINDEX files are per repository URL, "
        "which names the architecture",
    ),
    CacheRow(
        "dnf/yum",
        _D,
        ("/var/cache/dnf", "/var/cache/yum", "/var/cache/libdnf5"),
        (),
        ("dnf", "yum", "microdnf", "tdnf"),
        True,
        None,
        "dnf.conf(5) cachedir; repository cache folders are per repo id and $basearch",
    ),
    CacheRow(
        "zypper",
        _D,
        ("/var/cache/zypp",),
        (),
        ("zypper",),
        True,
        None,
        "zypper(8); packages are per repository and architecture",
    ),
    CacheRow(
        "pacman",
        _D,
        ("/var/cache/pacman",),
        (),
        ("pacman",),
        True,
        None,
        "pacman.conf(5) CacheDir; package files carry the architecture",
    ),
    CacheRow(
        "pip",
        _D,
        ("~/.cache/pip", "**/pip/cache"),
        ("PIP_CACHE_DIR",),
        ("pip", "pip3"),
        True,
        None,
        "pip docs 'Caching': HTTP responses by URL, locally built wheels named with their "
        "platform tag",
    ),
    CacheRow(
        "uv",
        _D,
        ("~/.cache/uv", "**/uv/cache", "**/uv"),
        ("UV_CACHE_DIR",),
        ("uv", "uvx"),
        True,
        True,
        "uv docs 'Caching': 'the uv cache is thread-safe and append-only, and thus robust to "
        "multiple concurrent readers and writers'; wheels named with their platform tag",
    ),
    CacheRow(
        "poetry",
        _D,
        ("~/.cache/pypoetry",),
        ("POETRY_CACHE_DIR",),
        ("poetry",),
        True,
        None,
        "Poetry docs 'Configuration', cache-dir: downloaded artifacts by URL and hash",
    ),
    CacheRow(
        "pdm",
        _D,
        ("~/.cache/pdm",),
        ("PDM_CACHE_DIR",),
        ("pdm",),
        True,
        None,
        "PDM docs 'Configuration', cache_dir",
    ),
    CacheRow(
        "conda/mamba",
        _D,
        ("/opt/conda/pkgs", "~/.conda/pkgs", "~/micromamba/pkgs", "/opt/mamba/pkgs"),
        ("CONDA_PKGS_DIRS", "MAMBA_ROOT_PREFIX/pkgs"),
        ("conda", "mamba", "micromamba"),
        None,
        None,
        "conda docs 'pkgs_dirs'; whether two platforms' packages can collide there is not "
        "established (not flagged)",
    ),
    CacheRow(
        "npm",
        _D,
        ("~/.npm",),
        ("npm_config_cache", "NPM_CONFIG_CACHE"),
        ("npm", "npx"),
        True,
        True,
        "npm docs 'npm cache': content-addressable (cacache, 'lockless, high-concurrency cache "
        "access'), every entry verified by integrity hash",
    ),
    CacheRow(
        "yarn",
        _D,
        ("/usr/local/share/.cache/yarn", "~/.cache/yarn", "~/.yarn/berry/cache", "**/.yarn/cache"),
        ("YARN_CACHE_FOLDER",),
        ("yarn",),
        True,
        False,
        "Yarn 1 CLI docs: --mutex exists 'to avoid conflicts when running multiple yarn "
        "commands concurrently'; archives are named by package version and checksum",
    ),
    CacheRow(
        "pnpm",
        _D,
        ("~/.local/share/pnpm/store", "/pnpm/store", "**/.pnpm-store"),
        ("npm_config_store_dir", "PNPM_HOME/store"),
        ("pnpm",),
        True,
        True,
        "pnpm docs 'store-dir': a content-addressable store; pnpm's Docker recipe mounts it "
        "as one cache for every build",
    ),
    CacheRow(
        "bun",
        _D,
        ("~/.bun/install/cache",),
        ("BUN_INSTALL_CACHE_DIR",),
        ("bun",),
        True,
        None,
        "bun docs 'Global cache': packages by name and version",
    ),
    CacheRow(
        "go modules",
        _D,
        ("/go/pkg/mod", "~/go/pkg/mod"),
        ("GOMODCACHE", "GOPATH/pkg/mod"),
        ("go",),
        True,
        True,
        "Go Modules Reference, 'Module cache': module sources and go.mod files, platform "
        "independent, written under file locks by the go command",
    ),
    CacheRow(
        "go build",
        _C,
        ("~/.cache/go-build",),
        ("GOCACHE", "XDG_CACHE_HOME/go-build"),
        ("go",),
        True,
        True,
        "`go help cache`; an action ID hashes the toolchain, GOOS/GOARCH and flags "
        "(cmd/go/internal/work); BuildKit's own Dockerfile shares /root/.cache across platforms",
    ),
    CacheRow(
        "golangci-lint",
        _C,
        ("~/.cache/golangci-lint",),
        ("GOLANGCI_LINT_CACHE",),
        ("golangci-lint",),
        True,
        True,
        "golangci-lint docs 'Cache': analysis results keyed by a hash of the package and "
        "the linter configuration",
    ),
    CacheRow(
        "cargo registry/git",
        _D,
        ("~/.cargo/registry", "~/.cargo/git", "/usr/local/cargo/registry", "/usr/local/cargo/git"),
        ("CARGO_HOME/registry", "CARGO_HOME/git"),
        ("cargo",),
        True,
        None,
        "Cargo Book 'Cargo Home': registry/ holds .crate files and their sources by "
        "name-version, git/ bare clones and checkouts by revision; the official rust image "
        "sets CARGO_HOME=/usr/local/cargo",
    ),
    CacheRow(
        "cargo home",
        _D,
        ("~/.cargo", "/usr/local/cargo"),
        ("CARGO_HOME",),
        ("cargo",),
        True,
        True,
        "Cargo Book 'Cargo Home'; cargo locks the package cache ($CARGO_HOME/.package-cache)",
    ),
    CacheRow(
        "cargo target",
        _I,
        ("**/target",),
        ("CARGO_TARGET_DIR",),
        ("cargo",),
        True,
        True,
        "Cargo Book 'Build cache'; a unit's metadata hash includes the rustc version info "
        "(host triple) and cargo locks the build folder",
    ),
    CacheRow(
        "ccache",
        _C,
        ("~/.ccache", "~/.cache/ccache", "**/ccache", "**/.ccache"),
        ("CCACHE_DIR",),
        ("ccache",),
        True,
        True,
        "ccache manual 'How ccache works' (the hash covers the compiler and its arguments) "
        "and 'Sharing a cache'",
    ),
    CacheRow(
        "sccache",
        _C,
        ("~/.cache/sccache", "**/sccache*", "**/.sccache*"),
        ("SCCACHE_DIR",),
        ("sccache",),
        True,
        True,
        "sccache README: entries keyed by a hash of compiler binary, arguments and inputs",
    ),
    CacheRow(
        "gradle",
        _D,
        ("~/.gradle",),
        ("GRADLE_USER_HOME",),
        ("gradle", "gradlew", "./gradlew"),
        True,
        None,
        "Gradle docs 'Gradle User Home': dependency cache by coordinates and checksum",
    ),
    CacheRow(
        "maven",
        _D,
        ("~/.m2",),
        ("MAVEN_CONFIG",),
        ("mvn", "mvnw", "./mvnw"),
        True,
        False,
        "Maven Resolver docs 'Named locks': without them the local repository is not safe for "
        "concurrent builds",
    ),
    CacheRow(
        "nuget",
        _D,
        ("~/.nuget/packages", "~/.local/share/NuGet"),
        ("NUGET_PACKAGES",),
        ("dotnet", "nuget"),
        True,
        None,
        "Microsoft docs 'Managing the global packages, cache, and temp folders'",
    ),
    CacheRow(
        "composer",
        _D,
        ("~/.composer/cache", "~/.cache/composer", "/tmp/cache"),
        ("COMPOSER_CACHE_DIR", "COMPOSER_HOME/cache"),
        ("composer",),
        True,
        None,
        "Composer docs 'COMPOSER_CACHE_DIR'; the official composer image sets COMPOSER_HOME=/tmp",
    ),
    CacheRow(
        "bundler/gems",
        _D,
        ("~/.bundle/cache", "~/.gem", "/usr/local/bundle/cache"),
        ("BUNDLE_USER_CACHE",),
        ("bundle", "gem"),
        True,
        None,
        "Bundler docs 'bundle config' (user cache): .gem files by name and version",
    ),
    CacheRow(
        "bazel",
        _C,
        ("~/.cache/bazel", "~/.cache/bazelisk"),
        (),
        ("bazel", "bazelisk"),
        True,
        None,
        "Bazel docs 'Output directory layout': outputs per configuration (k8-opt, "
        "aarch64-opt), action cache by content digest",
    ),
    CacheRow(
        "Hugging Face hub",
        _D,
        ("~/.cache/huggingface",),
        ("HF_HOME", "HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "TRANSFORMERS_CACHE"),
        (),
        True,
        True,
        "huggingface_hub docs 'Manage the cache': files by commit hash, written under lock files",
    ),
    CacheRow(
        "Triton kernels",
        _C,
        ("~/.triton",),
        ("TRITON_CACHE_DIR",),
        (),
        True,
        None,
        "Triton: compiled kernels keyed by a hash of source, target and backend",
    ),
    CacheRow(
        "node-gyp headers",
        _D,
        ("~/.cache/node-gyp",),
        (),
        ("node-gyp",),
        True,
        None,
        "node-gyp README: Node.js headers per version",
    ),
    CacheRow(
        "Playwright browsers",
        _I,
        ("~/.cache/ms-playwright",),
        ("PLAYWRIGHT_BROWSERS_PATH",),
        ("playwright",),
        False,
        None,
        "Playwright docs 'Browsers': one folder per browser revision, not per architecture",
    ),
    CacheRow(
        "XDG cache home",
        _D,
        ("~/.cache",),
        ("XDG_CACHE_HOME",),
        (),
        True,
        True,
        "XDG Base Directory spec: non-essential cached data; here go-build, pip, uv, "
        "golangci-lint... (BuildKit, buildx, docker/cli and compose all share /root/.cache "
        "across platforms); a RUN of a tool with its own row takes that row",
    ),
    CacheRow(
        "FetchContent/.deps dependency clones",
        _M,
        ("**/.deps", "**/_deps"),
        ("FETCHCONTENT_BASE_DIR",),
        (),
        False,
        False,
        "vLLM's CPU image: an arm64 build found the shallow oneDNN clone an amd64 build left in "
        "/vllm-workspace/.deps and failed ('reference is not a tree'); CMake docs FetchContent",
    ),
    CacheRow(
        "CMake/make build tree",
        _I,
        ("**/build", "**/_build", "**/cmake-build-*", "**/builddir"),
        (),
        ("cmake", "make", "ninja", "meson", "python-build"),
        False,
        False,
        "CMake docs 'CMakeCache.txt': the tree records the compiler and its checks; make and "
        "ninja rebuild by timestamps, not by target platform (only for a RUN that runs "
        "cmake, make, ninja, meson or a Python package build, which may run CMake: a `build/` "
        "of yarn or Gradle holds no native objects)",
        needs_program=True,
    ),
    CacheRow(
        "vcpkg",
        _D,
        ("**/vcpkg_installed", "~/.cache/vcpkg"),
        ("VCPKG_DEFAULT_BINARY_CACHE",),
        ("vcpkg", "cmake"),
        True,
        None,
        "vcpkg docs 'Binary caching': packages per triplet (x64-linux, arm64-linux) and ABI hash",
    ),
    CacheRow(
        "tool caches in node_modules (.cache, .vite)",
        _C,
        ("**/node_modules/.cache", "**/node_modules/.vite"),
        (),
        (),
        True,
        None,
        "babel-loader, webpack, eslint and Vite keep content-hashed results of JavaScript "
        "transforms there: no native code",
    ),
    CacheRow(
        "node_modules",
        _I,
        ("**/node_modules",),
        (),
        (),
        False,
        False,
        "npm docs 'folders' and 'npm ci': installed packages with native addons built for one "
        "architecture; installs reconcile the folder with the lockfile (npm ci empties it "
        "first), so it is not an input outside the key",
    ),
    CacheRow(
        "Python virtualenv synced to a lockfile",
        _I,
        ("**/.venv", "**/venv", "/opt/venv"),
        ("VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT"),
        ("lock-sync",),
        False,
        False,
        "uv docs 'uv sync' (and pdm sync, poetry sync, pip-sync): the environment is made to "
        "match the lockfile exactly, extraneous packages removed; compiled extensions are "
        "still built for one platform",
        needs_program=True,
    ),
    CacheRow(
        "Python virtualenv",
        _M,
        ("**/.venv", "**/venv", "/opt/venv"),
        ("VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT"),
        (),
        False,
        False,
        "Python docs 'venv': interpreter links and compiled extensions of one platform; pip "
        "keeps installed packages that satisfy a requirement",
    ),
)

UNKNOWN = CacheRow("unknown", CacheClass.UNKNOWN, (), (), (), None, None, "not in the table")
_GIT = CacheRow(
    "git checkout",
    _M,
    (),
    (),
    ("git",),
    False,
    False,
    "a clone the RUN makes inside the cache: the next build finds the old checkout",
)

_HOME = r"(?:/root|/home/[^/]+)"


def _pattern(path: str) -> re.Pattern[str]:
    """``path`` as a regex matching that folder or anything inside it."""
    if path.startswith("**/"):
        body = re.escape(path[3:]).replace(r"\*", "[^/]*")
        return re.compile(r"(?:^|/)" + body + r"(?:/|$)")
    home = path.startswith("~")
    body = re.escape(path[1:] if home else path).replace(r"\*", "[^/]*")
    if home:
        body = _HOME + body
    return re.compile("^" + body + "(?:/|$)")


_COMPILED = tuple((row, tuple(_pattern(p) for p in row.paths)) for row in CACHES)
_COMPILED_BY_TOOL = {row.tool: patterns for row, patterns in _COMPILED}


def _norm(path: str) -> str:
    path = path.strip().strip("'\"")
    path = re.sub(r"^(?:~|\$HOME|\$\{HOME\})(?=/|$)", "/root", path)
    path = re.sub(r"/+", "/", path)
    return path.rstrip("/") or "/"


def _below(target: str, path: str) -> bool:
    """Is the default folder ``path`` (literal part) strictly inside ``target``?"""
    if path.startswith("**/"):
        return False
    literal = path.split("*", 1)[0]
    if literal.startswith("~"):
        home = re.match(_HOME, target)
        literal = (home.group(0) if home else "/root") + literal[1:]
    return literal.rstrip("/").startswith(target.rstrip("/") + "/")


def _variable_paths(row: CacheRow, values: Mapping[str, str | None]) -> list[str]:
    out = []
    for spec in row.variables:
        name, _, sub = spec.partition("/")
        value = values.get(name)
        if value and "$" not in value:
            out.append(_norm(value + ("/" + sub if sub else "")))
    return out


def _unresolved_variable_paths(row: CacheRow, path: str) -> list[str]:
    """``${CARGO_HOME}/registry/index`` with no known value still names CARGO_HOME's folder."""
    out = []
    for spec in row.variables:
        name, _, sub = spec.partition("/")
        for spelled in (f"${{{name}}}", f"${name}"):
            folder = spelled + ("/" + sub if sub else "")
            if path == folder or path.startswith(folder + "/"):
                out.append(folder)
    return out


def _worst(rows: Iterable[CacheRow]) -> CacheRow:
    order = {False: 0, None: 1, True: 2}
    return min(rows, key=lambda r: (order[r.platform_safe], r.cls is not CacheClass.MUTABLE))


def classify(
    target: str | None,
    values: Mapping[str, str | None] | None = None,
    programs: Iterable[str] = (),
    cloned_into: Iterable[str] = (),
) -> CacheRow:
    """The row for a cache mounted at ``target`` (already resolved, or resolved here).

    ``values``: ARG/ENV values in scope (for the variables of each row);
    ``programs``: the commands the RUN runs; ``cloned_into``: folders the RUN
    ``git clone``s into (a clone inside the cache makes it a git checkout).
    """
    values = values or {}
    path = _norm(target or "")
    ran = set(programs)
    for dest in cloned_into:
        d = _norm(dest)
        if d == path or d.startswith(path.rstrip("/") + "/"):
            return _GIT
    inside: list[CacheRow] = []  # rows whose folder is the target or holds it
    above: list[CacheRow] = []  # rows whose folder is inside the target
    for row, patterns in _COMPILED:
        if row.needs_program and not ran & set(row.programs):
            continue
        var_paths = _variable_paths(row, values) + _unresolved_variable_paths(row, path)
        if any(p.search(path) for p in patterns) or any(
            path == v or path.startswith(v.rstrip("/") + "/") for v in var_paths
        ):
            inside.append(row)
        elif any(_below(path, p) for p in row.paths) or any(
            v.startswith(path.rstrip("/") + "/") for v in var_paths
        ):
            above.append(row)
    used = [r for r in above if ran & set(r.programs)]
    if used:  # /root/.cache mounted for `go build`: the go-build row
        return _worst(used)
    if inside:
        # the most specific default folder wins: ~/.cache/go-build over ~/.cache
        return max(inside, key=lambda r: _specificity(r, path, values))
    if above:
        return _worst(above)
    return UNKNOWN


def _specificity(row: CacheRow, path: str, values: Mapping[str, str | None]) -> int:
    """How deep into ``path`` the row's folder reaches (the deepest folder wins)."""
    best = 0
    for v in _variable_paths(row, values):
        if path == v or path.startswith(v.rstrip("/") + "/"):
            best = max(best, len(v.rstrip("/")) + 1)
    for pattern in _COMPILED_BY_TOOL[row.tool]:
        m = pattern.search(path)
        if m:
            best = max(best, m.end())
    return best


def render_table() -> str:
    """The cache table as Markdown, for the rule docs."""

    def yes(v: bool | None) -> str:
        return {True: "yes", False: "**no**", None: "not established"}[v]

    lines = [
        "| tool | class | default folders | moved by | platforms may share | "
        "concurrent writers | source |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in CACHES:
        lines.append(
            f"| {row.tool} | {row.cls.value} | {', '.join(f'`{p}`' for p in row.paths)} | "
            f"{', '.join(f'`{v}`' for v in row.variables) or '-'} | {yes(row.platform_safe)} | "
            f"{yes(row.concurrent_safe)} | {row.source} |"
        )
    return "\n".join(lines)


def classify_mount(tree: Dockerfile, instr: Instruction, mount: Mount) -> CacheRow:
    """``classify`` for one cache mount of a RUN, with the values and commands of its stage."""
    from patchkit.lint._stages import known_values, resolve
    from patchkit.lint._text import commands

    values = known_values(tree, instr.stage, instr) if instr.stage is not None else {}
    target = resolve(mount.target or "", values)
    shell = instr.args + "\n" + "\n".join(h.body for h in instr.heredocs)
    programs: set[str] = set()
    clones: list[str] = []
    for cmd in commands(shell):
        prog = cmd.words[0].rsplit("/", 1)[-1]
        programs.add(prog)
        if _python_build(prog, cmd.words):
            programs.add("python-build")
        if _lock_sync(prog, cmd.words):
            programs.add("lock-sync")
        if prog == "git" and "clone" in cmd.words:
            rest = [w for w in cmd.words[cmd.words.index("clone") + 1 :] if not w.startswith("-")]
            if len(rest) >= 2:
                dest = resolve(rest[-1], values)
                clones.append(dest if dest.startswith("/") else _norm(target) + "/" + dest)
    return classify(target, values, programs, clones)


def _python_build(prog: str, words: tuple[str, ...]) -> bool:
    """A Python package build, which may compile native code (vLLM's setup.py runs CMake)."""
    if prog.startswith("python"):
        return "setup.py" in words or ("-m" in words and "build" in words)
    if prog.startswith("pip"):
        return "wheel" in words or (
            "install" in words and any(w in (".", "-e") or w.startswith("./") for w in words)
        )
    return False


def _lock_sync(prog: str, words: tuple[str, ...]) -> bool:
    """``uv sync``, ``pdm sync``, ``poetry sync``/``install --sync``, ``pip-sync``."""
    if prog == "pip-sync":
        return True
    if prog in ("uv", "pdm", "poetry") and "sync" in words:
        return True
    return prog == "poetry" and "install" in words and "--sync" in words
