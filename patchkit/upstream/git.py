"""Read-only git on the upstream checkout.

Every command runs as ``git --no-optional-locks -C ROOT ...`` (so even
``git status`` never rewrites the index) with argument lists, never a shell.
Nothing here checks anything out, fetches, or writes to the repository.

The upstream folder must be the *top level* of its own checkout: a folder
inside another repository (``examples/upstream/`` inside the downstream repo,
say) would otherwise answer with the outer repository's tags, which is a
wrong answer that looks right. A submodule checkout (``.git`` is a pointer
file) is its own top level and works.

>>> repo = GitRepo.open("vllm")                      # doctest: +SKIP
>>> repo.describe(match="v[0-9]*")                    # doctest: +SKIP
Describe(tag='v0.33.0', distance=3, node='4ba7...', dirty=False)
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from types import TracebackType

from patchkit.errors import InputError

__all__ = [
    "BlobReader",
    "Describe",
    "GitError",
    "GitRepo",
    "RawChange",
]

# A long describe line: TAG-DISTANCE-gNODE. Tags may contain dashes, so the
# suffix is matched precisely instead of splitting on the last two dashes.
_DESCRIBE_LONG = re.compile(r"^(?P<tag>.+)-(?P<distance>\d+)-g(?P<node>[0-9a-f]{4,64})$")
_FULL_SHA = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")
# Commands may take a while on a big history (vLLM: ~20k commits); a hang is a bug.
_TIMEOUT = 600
# git describe takes many commits per call; keep each command line far below ARG_MAX.
_DESCRIBE_BATCH = 400
# Variables that point git at another repository than the folder's own; git hooks
# export some of them (a pre-commit hook running patchkit must still read vllm/).
_REDIRECTS = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_COMMON_DIR",
    "GIT_PREFIX",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_NAMESPACE",
)


# Settings forced on every git command (as `-c` would, through GIT_CONFIG_COUNT): a
# checkout's own .git/config may name a core.fsmonitor command, which git runs on any
# command that looks at the working tree (status, describe --dirty).
_FORCED_CONFIG = (("core.fsmonitor", "false"), ("core.hooksPath", os.devnull))


def _child_env() -> dict[str, str]:
    """The environment for git: inherited, minus what would redirect it to another repository,
    plus ``_FORCED_CONFIG``."""
    env = {k: v for k, v in os.environ.items() if k not in _REDIRECTS}
    count = int(env.get("GIT_CONFIG_COUNT", "0") or "0")
    for key, value in _FORCED_CONFIG:
        env[f"GIT_CONFIG_KEY_{count}"] = key
        env[f"GIT_CONFIG_VALUE_{count}"] = value
        count += 1
    env["GIT_CONFIG_COUNT"] = str(count)
    return env


class GitError(InputError):
    """A git command failed, or the folder is not a usable checkout (exit 2)."""

    def __init__(self, message: str, path: str | None = None, *, hint: str | None = None) -> None:
        super().__init__(message, path)
        self.hint = hint

    def render(self) -> str:
        out = str(self)
        if self.hint:
            out += f"\nhint: {self.hint}"
        return out


@dataclass(frozen=True, slots=True)
class Describe:
    """What ``git describe --tags --long`` says about one commit.

    ``tag`` is the nearest matching tag as git names it (``v0.21.1rc0``),
    ``distance`` the number of commits since it, ``node`` the full commit id
    of the described commit, ``dirty`` whether tracked files differ from it
    (only meaningful for the working tree, never for a commit in history).
    """

    tag: str
    distance: int
    node: str
    dirty: bool = False

    @property
    def exact(self) -> bool:
        """Checked out exactly on the tag with no local changes (setuptools-scm's ``exact``)."""
        return self.distance == 0 and not self.dirty


@dataclass(frozen=True, slots=True)
class RawChange:
    """One file changed by one commit, from ``git log --raw`` (blob ids are full)."""

    path: str
    blob: str | None  # None when the commit deleted the file


class GitRepo:
    """A git checkout whose top level is ``root``; every query is read-only."""

    def __init__(self, root: Path, *, git: str = "git") -> None:
        self.root = root
        self.git = git

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, git: str = "git") -> GitRepo:
        """Open ``path`` as the top level of a git checkout; ``GitError`` says why not."""
        folder = Path(path)
        shown = str(path)
        if not folder.exists():
            raise GitError("no such folder", shown)
        if not folder.is_dir():
            raise GitError("is a file, expected the upstream checkout's folder", shown)
        repo = cls(folder.resolve(), git=git)
        proc = repo._run(["rev-parse", "--show-toplevel"], check=False)
        if proc.returncode != 0:
            err = proc.stderr.decode("utf-8", "replace").strip()
            if "dubious ownership" in err:
                raise GitError(
                    "git refuses to read this checkout: it is owned by another user",
                    shown,
                    hint=f"git config --global --add safe.directory {repo.root}",
                )
            raise GitError(
                "not a git checkout, so its version cannot be read from tags",
                shown,
                hint=(
                    "check out the upstream with git (a submodule works); for a plain folder, "
                    "apply and status take the version from --upstream-version"
                ),
            )
        top = Path(proc.stdout.decode("utf-8", "replace").strip()).resolve()
        if top != repo.root:
            raise GitError(
                f"is a folder inside the git checkout {top}, not a checkout of its own; "
                "its tags would be the outer repository's",
                shown,
                hint=(
                    "point at the upstream checkout's top folder "
                    "(apply and status also take --upstream-version)"
                ),
            )
        return repo

    # -- running ---------------------------------------------------------------------------

    def _run(
        self, args: Sequence[str], *, check: bool = True, stdin: bytes | None = None
    ) -> subprocess.CompletedProcess[bytes]:
        cmd = [self.git, "--no-optional-locks", "-C", str(self.root), *args]
        try:
            proc = subprocess.run(
                cmd,
                input=stdin,
                capture_output=True,
                timeout=_TIMEOUT,
                check=False,
                env=_child_env(),
            )
        except FileNotFoundError as exc:
            raise GitError(
                f"cannot run {self.git!r}: not found",
                str(self.root),
                hint="install git; patchkit reads the upstream's tags and history with it",
            ) from exc
        except subprocess.TimeoutExpired as exc:
            raise GitError(
                f"'git {' '.join(args)}' did not finish in {_TIMEOUT} s", str(self.root)
            ) from exc
        if check and proc.returncode != 0:
            err = proc.stderr.decode("utf-8", "replace").strip()
            raise GitError(f"'git {' '.join(args)}' failed: {err}", str(self.root))
        return proc

    def _text(self, args: Sequence[str]) -> str:
        return self._run(args).stdout.decode("utf-8", "replace")

    # -- queries ---------------------------------------------------------------------------

    def resolve(self, rev: str) -> str | None:
        """The full commit id ``rev`` names, or None when it names no commit."""
        if rev.startswith("-"):
            return None  # never let a revision be read as an option
        proc = self._run(
            ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"],
            check=False,
        )
        if proc.returncode != 0:
            return None
        return proc.stdout.decode("ascii", "replace").strip()

    def head(self) -> str | None:
        """The commit checked out, or None in a repository with no commits yet."""
        return self.resolve("HEAD")

    def head_is_missing(self) -> bool:
        """True when HEAD names an object id the repository does not hold (a damaged
        repository), as opposed to an unborn branch (no commits yet), where it names none."""
        if self.head() is not None:
            return False
        proc = self._run(["rev-parse", "--verify", "--quiet", "HEAD"], check=False)
        return proc.returncode == 0 and bool(proc.stdout.strip())

    def is_shallow(self) -> bool:
        """True when history was cut (``git clone --depth``): distances would be wrong."""
        return self._text(["rev-parse", "--is-shallow-repository"]).strip() == "true"

    def is_dirty(self) -> bool:
        """Tracked files differ from HEAD (untracked files do not count, as for setuptools-scm)."""
        return bool(self._text(["status", "--porcelain", "--untracked-files=no"]).strip())

    def commit_date(self, rev: str = "HEAD") -> date:
        """The committer date of ``rev``, in UTC."""
        stamp = self._text(
            ["-c", "log.showSignature=false", "log", "-n", "1", "--format=%ct", rev, "--"]
        )
        return datetime.fromtimestamp(int(stamp.strip()), tz=timezone.utc).date()

    def subject(self, rev: str) -> str:
        """The first line of ``rev``'s commit message."""
        return self._text(
            ["-c", "log.showSignature=false", "log", "-n", "1", "--format=%s", rev, "--"]
        ).strip()

    def tags(self, match: str = "*") -> list[str]:
        """Tag names matching the glob ``match``."""
        return [t for t in self._text(["tag", "--list", match]).splitlines() if t]

    def tags_at(self, rev: str, match: str = "*") -> list[str]:
        """Tags matching ``match`` that point exactly at ``rev``."""
        return [
            t for t in self._text(["tag", "--list", match, "--points-at", rev]).splitlines() if t
        ]

    def describe(self, rev: str = "HEAD", *, match: str = "*[0-9]*") -> Describe | None:
        """``git describe --tags --long`` of ``rev`` restricted to tags matching ``match``.

        None when no matching tag is reachable (a tagless checkout). ``dirty`` is
        filled in only for ``HEAD``.
        """
        found = self.describe_many([rev], match=match)[rev]
        if found is not None and rev == "HEAD":
            return Describe(found.tag, found.distance, found.node, self.is_dirty())
        return found

    def describe_many(
        self, revs: Sequence[str], *, match: str = "*[0-9]*"
    ) -> dict[str, Describe | None]:
        """Describe many commits with a few git processes (``git describe`` takes a list).

        ``--always`` keeps one untaggable commit from failing the whole batch: git
        then prints the bare commit id, which this reads as "no tag".
        """
        result: dict[str, Describe | None] = {}
        for start in range(0, len(revs), _DESCRIBE_BATCH):
            batch = list(revs[start : start + _DESCRIBE_BATCH])
            if any(r.startswith("-") for r in batch):
                raise GitError(
                    f"not a revision: {next(r for r in batch if r.startswith('-'))}", str(self.root)
                )
            lines = self._text(
                [
                    "describe",
                    "--tags",
                    "--long",
                    "--always",
                    "--abbrev=40",
                    "--match",
                    match,
                    *batch,
                ]
            ).splitlines()
            if len(lines) != len(batch):
                raise GitError(
                    f"git describe answered {len(lines)} lines for {len(batch)} commits",
                    str(self.root),
                )
            for rev, line in zip(batch, lines, strict=True):
                result[rev] = _parse_describe(line.strip())
        return result

    def rev_list(self, rng: str, *, first_parent: bool = True) -> list[str]:
        """Commit ids in ``rng`` (``A..B``), oldest first, along first parents by default."""
        args = ["rev-list", "--reverse"]
        if first_parent:
            args.append("--first-parent")
        return self._text([*args, "--end-of-options", rng]).split()

    def ls_tree(self, rev: str) -> dict[str, str]:
        """Every file in ``rev``'s tree: path -> blob id (submodules and symlinks left out)."""
        out: dict[str, str] = {}
        raw = self._run(["ls-tree", "-r", "-z", "--full-tree", rev]).stdout
        for entry in raw.split(b"\0"):
            if not entry:
                continue
            meta, _, path = entry.partition(b"\t")
            mode, kind, blob = meta.decode("ascii").split(" ")
            if kind == "blob" and mode in ("100644", "100755"):
                out[path.decode("utf-8", "surrogateescape")] = blob
        return out

    def gitlink(self, rev: str, path: str) -> str | None:
        """The commit a submodule at ``path`` is pinned to in ``rev`` (None: no gitlink there)."""
        proc = self._run(["ls-tree", "-z", rev, "--", path], check=False)
        if proc.returncode != 0:
            return None
        for entry in proc.stdout.split(b"\0"):
            meta, _, _name = entry.partition(b"\t")
            parts = meta.decode("ascii", "replace").split(" ")
            if len(parts) == 3 and parts[0] == "160000" and parts[1] == "commit":
                return parts[2]
        return None

    def changes(
        self, rng: str, *, first_parent: bool = True
    ) -> Iterator[tuple[str, list[RawChange]]]:
        """For each commit in ``rng`` (oldest first), the files it changed, with new blob ids.

        With ``--first-parent`` a merge is diffed against its first parent
        (git >= 2.31 implies ``--diff-merges=first-parent``), so following the
        changes from the range's start reproduces each commit's tree.
        Renames are reported as a deletion plus an addition (``--no-renames``).
        """
        args = [
            "-c",
            "log.showSignature=false",
            "log",
            "--reverse",
            "--raw",
            "--no-abbrev",
            "--no-renames",
            "-z",
            "--format=%x00commit %H",
        ]
        if first_parent:
            args += ["--first-parent", "--diff-merges=first-parent"]
        raw = self._run([*args, "--end-of-options", rng, "--"]).stdout
        yield from _parse_raw_log(raw)

    def show(self, rev: str, path: str) -> str | None:
        """The text of ``path`` at ``rev`` (UTF-8), or None when the file is not there."""
        proc = self._run(["cat-file", "blob", f"{rev}:{path}"], check=False)
        if proc.returncode != 0:
            return None
        return proc.stdout.decode("utf-8", "surrogateescape")

    def blob_reader(self) -> BlobReader:
        """One ``git cat-file --batch`` process for reading many objects (a context manager)."""
        return BlobReader(self)


def _parse_describe(line: str) -> Describe | None:
    if _FULL_SHA.match(line):
        return None  # --always fallback: no tag reachable
    m = _DESCRIBE_LONG.match(line)
    if m is None:
        return None
    return Describe(m.group("tag"), int(m.group("distance")), m.group("node"))


def _parse_raw_log(raw: bytes) -> Iterator[tuple[str, list[RawChange]]]:
    # With -z and a format starting with NUL, the stream is:
    #   \0commit SHA\0\0:old new oldsha newsha X\0path\0:...\0path\0 ...
    fields = raw.split(b"\0")
    commit: str | None = None
    changes: list[RawChange] = []
    i = 0
    while i < len(fields):
        f = fields[i].lstrip(b"\n")  # the first change line follows the header's newline
        if f.startswith(b"commit "):
            if commit is not None:
                yield commit, changes
            commit, changes = f[7:].decode("ascii").strip(), []
            i += 1
            continue
        if f.startswith(b":"):
            meta = f[1:].decode("ascii").split()
            new_mode, new_blob, status = meta[1], meta[3], meta[4]
            path = fields[i + 1].decode("utf-8", "surrogateescape")
            if status.startswith("D") or new_mode not in ("100644", "100755"):
                changes.append(RawChange(path, None))
            else:
                changes.append(RawChange(path, new_blob))
            i += 2
            continue
        i += 1
    if commit is not None:
        yield commit, changes


class BlobReader:
    """Read many git objects through one ``git cat-file --batch`` process.

    >>> with repo.blob_reader() as blobs:               # doctest: +SKIP
    ...     text = blobs.text("4ba787ec9:docker/Dockerfile.cpu")
    """

    def __init__(self, repo: GitRepo) -> None:
        self._repo = repo
        self._proc: subprocess.Popen[bytes] | None = None
        self._cache: dict[str, bytes | None] = {}

    def __enter__(self) -> BlobReader:
        cmd = [
            self._repo.git,
            "--no-optional-locks",
            "-C",
            str(self._repo.root),
            "cat-file",
            "--batch",
        ]
        try:
            self._proc = subprocess.Popen(
                cmd,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=_child_env(),
            )
        except FileNotFoundError as exc:
            raise GitError(
                f"cannot run {self._repo.git!r}: not found", str(self._repo.root)
            ) from exc
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            if proc.stdin:
                proc.stdin.close()
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        finally:
            if proc.stdout:
                proc.stdout.close()

    def read(self, spec: str) -> bytes | None:
        """The content of the object ``spec`` (``SHA`` or ``REV:PATH``); None if missing."""
        if spec in self._cache:
            return self._cache[spec]
        proc = self._proc
        if proc is None or proc.stdin is None or proc.stdout is None:
            raise RuntimeError("BlobReader used outside its 'with' block")
        if "\n" in spec:
            raise GitError(f"object name contains a newline: {spec!r}", str(self._repo.root))
        proc.stdin.write(spec.encode("utf-8", "surrogateescape") + b"\n")
        proc.stdin.flush()
        header = proc.stdout.readline()
        if not header:
            raise GitError("git cat-file --batch stopped answering", str(self._repo.root))
        parts = header.split()
        if len(parts) != 3:  # "<spec> missing" / "ambiguous"
            self._cache[spec] = None
            return None
        _sha, kind, size = parts
        data = proc.stdout.read(int(size))
        proc.stdout.read(1)  # the newline after the content
        content = data if kind == b"blob" else None
        self._cache[spec] = content
        return content

    def text(self, spec: str) -> str | None:
        """Like :meth:`read`, decoded as UTF-8 (undecodable bytes kept as surrogates)."""
        data = self.read(spec)
        return None if data is None else data.decode("utf-8", "surrogateescape")
