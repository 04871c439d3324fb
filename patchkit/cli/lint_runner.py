"""The work behind ``patchkit lint``: find files and settings, lint, fix, print.

Kept out of ``commands/lint.py`` so that module stays a screen long. This is
CLI code: it reads the file system and the working directory (for the
``pyproject.toml`` that holds ``[tool.patchkit.lint]``); the library under
``patchkit.lint`` does neither.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from patchkit.errors import ConfigError, InputError, UsageError

if TYPE_CHECKING:
    from patchkit.diagnostics import Diagnostic
    from patchkit.lint.base import Applicability, LintContext, PretendFacts
    from patchkit.lint.config import LintSettings

__all__ = ["run_lint"]

_DOCKERFILE_NAMES = ("Dockerfile", "Containerfile")


@dataclass(frozen=True, slots=True)
class _Input:
    path: str
    text: str


def _is_dockerfile(name: str) -> bool:
    from patchkit._names import NOT_DOCKERFILE_SUFFIXES

    lower = name.lower()
    if lower.endswith(NOT_DOCKERFILE_SUFFIXES):
        return False  # Dockerfile.dockerignore, Dockerfile.md: beside a Dockerfile, not one
    return any(name == n or name.startswith(n + ".") for n in _DOCKERFILE_NAMES) or lower.endswith(
        (".dockerfile", ".containerfile")
    )


def _collect(paths: list[str]) -> list[_Input]:
    """Read every named file, and every Dockerfile under every named folder (sorted)."""
    from patchkit._fs import is_temporary, read_source, read_stdin, walk_error

    out: list[_Input] = []
    for raw in paths:
        if raw == "-":
            out.append(_Input("-", read_stdin(sys.stdin)))
            continue
        p = Path(raw)
        if p.is_dir():
            found = sorted(
                str(Path(root) / f)
                for root, dirs, files in os.walk(p, onerror=walk_error)
                for f in files
                if _is_dockerfile(f) and not is_temporary(f) and not dirs.sort()  # stable order
            )
            if not found:
                raise InputError("no Dockerfiles found in this folder", raw)
            for f in found:
                _check_inside(p, f)
            out.extend(_Input(f, read_source(f)) for f in found)
        else:
            out.append(_Input(raw, read_source(raw)))
    return out


def _check_inside(folder: Path, found: str) -> None:
    """Refuse a file of a linted folder that leads out of it through a symlink, as
    ``apply``, ``status`` and ``check`` do: its lines would be printed as findings."""
    real_folder, real = os.path.realpath(folder), os.path.realpath(found)
    if os.path.commonpath([real_folder, real]) != real_folder:
        raise InputError(
            f"resolves to {real}, outside the folder {folder} (through a symlink); patchkit "
            "lints only files inside the folders it is given. Remove the link, or name the "
            "file itself on the command line",
            found,
        )


def _find_settings() -> LintSettings | None:
    """``[tool.patchkit.lint]`` of the nearest pyproject.toml (from the cwd up) that has one."""
    from patchkit._fs import read_source
    from patchkit.cli.options import info
    from patchkit.lint.config import parse_settings

    here = Path.cwd()
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            text = read_source(candidate)
            if "patchkit" in text:
                settings = parse_settings(text, str(candidate))
                if settings is not None:
                    info(f"lint settings: [tool.patchkit.lint] of {candidate}")
                    return settings
    info("lint settings: none found (no [tool.patchkit.lint] from here up): the defaults")
    return None


def _split(values: list[str] | None) -> tuple[str, ...]:
    from patchkit.config_keys import split_list

    return tuple(split_list(values) or ())


def _context(args: argparse.Namespace) -> tuple[LintContext, tuple[str, ...]]:
    from patchkit.lint.base import DEFAULT_CACHE_KEY_ARG, LintContext
    from patchkit.lint.config import LintSettings
    from patchkit.lint.registry import select_codes

    settings = _find_settings() or LintSettings()
    platforms = _split(args.platform) or settings.platforms or ()
    for plat in platforms:
        parts = plat.split("/")
        if not 2 <= len(parts) <= 3 or not all(parts):
            raise UsageError(f"--platform: {plat!r} is not os/arch[/variant] (e.g. linux/arm64)")
    builder = args.builder or settings.builder or "buildkit"
    caches = args.package_caches or settings.package_caches or "share"
    try:
        context = LintContext(
            platforms=tuple(platforms),
            builder=builder,
            package_caches=caches,
            cache_key_arg=settings.cache_key_arg or DEFAULT_CACHE_KEY_ARG,
            target=getattr(args, "target", None),
            built_only=getattr(args, "target", None) is not None,
        )
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc
    select = _split(args.select) or settings.select
    ignore = _split(args.ignore) or settings.ignore
    return context, select_codes(select, ignore)


def _pretend(
    path: str, upstream: str | None, seen: dict[str, PretendFacts | None]
) -> PretendFacts | None:
    """What the upstream build honours, for PKD004 (None when no upstream project is found).

    ``--upstream DIR`` must be readable (else exit 2). Without it, the nearest
    folder above the Dockerfile with a setup.py or pyproject.toml is tried; if
    that cannot be read, PKD004 is skipped for the file with a note on stderr.
    """
    from patchkit.lint._upstream import pretend_facts

    if upstream is not None:
        if upstream not in seen:
            seen[upstream] = pretend_facts(Path(upstream))
        return seen[upstream]
    if path == "-":
        return None
    given = Path(path)
    folders = list(given.parents)  # relative stays relative, for messages
    if not given.is_absolute():
        folders += list(Path.cwd().parents)
    for folder in folders:
        if (folder / "setup.py").is_file() or (folder / "pyproject.toml").is_file():
            key = str(folder)
            if key not in seen:
                try:
                    seen[key] = pretend_facts(folder)
                except InputError as exc:
                    sys.stderr.write(f"note: PKD004 skipped, upstream not readable: {exc}\n")
                    seen[key] = None
            return seen[key]
    return None


def _diff(path: str, old: str, new: str) -> str:
    a = old.splitlines(keepends=True)
    b = new.splitlines(keepends=True)
    lines = []
    for line in difflib.unified_diff(a, b, path, path):
        lines.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(lines)


def run_lint(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from patchkit.cli.output import render_diagnostics
    from patchkit.lint.base import Applicability
    from patchkit.lint.runner import fix_text, lint_text

    base, codes = _context(args)
    inputs = _collect(args.paths)
    fixing = args.fix or args.diff
    diagnostics = []
    writes: list[tuple[str, str, str]] = []
    fixed = suppressed = 0
    fixable = {Applicability.SAFE: 0, Applicability.UNSAFE: 0}
    diff_out = []
    upstreams: dict[str, PretendFacts | None] = {}
    for item in inputs:
        context = replace(base, pretend=_pretend(item.path, args.upstream, upstreams))
        shown = "<stdin>" if item.path == "-" else item.path
        if fixing:
            outcome = fix_text(item.text, shown, context, codes, unsafe=args.unsafe_fixes)
            fixed += len(outcome.applied)
            result = outcome.remaining
            if outcome.changed:
                if args.diff:
                    diff_out.append(_diff(shown, item.text, outcome.fixed))
                else:
                    writes.append((item.path, item.text, outcome.fixed))
        else:
            result = lint_text(item.text, shown, context, codes)
        if context.target is not None and not any(
            (st.name or "").lower() == context.target.lower() for st in result.tree.stages
        ):
            names = ", ".join(st.name for st in result.tree.stages if st.name) or "none"
            raise UsageError(
                f"{shown}: --target {context.target}: no stage of that name (stages: {names})"
            )
        suppressed += result.suppressed
        for v in result.violations:
            if v.fix is not None and v.fix.applicability in fixable:
                fixable[v.fix.applicability] += 1
            diagnostics.append(v.to_diagnostic(result.tree, shown))
    _write_all(writes)
    if args.diff:
        from patchkit.cli.output import colour_diff

        sys.stdout.write(
            "".join(colour_diff("".join(diff_out).splitlines(keepends=True), sys.stdout))
        )
        sys.stderr.write(
            f"Would fix {fixed} finding(s) in {len(diff_out)} file(s); "
            f"{len(diagnostics)} would remain.\n"
        )
        return 1 if diff_out or diagnostics else 0
    # --quiet drops the summary; every finding decides lint's exit code, so all are printed
    quiet = bool(getattr(args, "quiet", False))
    if not (writes and inputs[0].path == "-"):
        _render(args, diagnostics, [i.path for i in inputs], fixed, suppressed)
    if args.format == "text" and not quiet:
        _summary(len(diagnostics), fixed, suppressed, fixable)
    return 1 if diagnostics else 0


def _write_all(writes: list[tuple[str, str, str]]) -> None:
    """Write every fixed file or none, like ``apply``: each new text is staged beside its
    file first (a full disk, a read-only folder or a symlink is found before any file
    changes), then all are renamed into place. Stale temporary files a killed run left
    in those folders go first, said once."""
    from patchkit._fs import commit_all, digest, stage_write, sweep_temporaries

    files = [(path, old, new) for path, old, new in writes if path != "-"]
    swept = sweep_temporaries(Path(path).parent for path, _, _ in files)
    if swept:
        sys.stderr.write(
            f"removed {len(swept)} temporary file(s) left by an interrupted patchkit run: "
            + ", ".join(map(str, swept))
            + "\n"
        )
    staged = []
    try:
        for path, old, new in files:
            staged.append(stage_write(path, new, expected_digest=digest(old)))
        commit_all(staged)
    finally:
        for write in staged:
            write.discard()
    for path, _, new in writes:
        if path == "-":
            sys.stdout.write(new)


def _render(
    args: argparse.Namespace,
    diagnostics: list[Diagnostic],
    paths: list[str],
    fixed: int,
    suppressed: int,
) -> None:
    """The findings in ``--format``, to stdout or ``--output-file``."""
    from patchkit.cli.output import render_findings, report_stream

    with report_stream(getattr(args, "output_file", None)) as out:
        render_findings(
            diagnostics,
            args.format,
            out,
            name="patchkit lint",
            files=["<stdin>" if p == "-" else p for p in paths],
            schema="patchkit/lint/v1",
            extra={"files": len(paths), "fixed": fixed, "suppressed": suppressed},
        )


def _summary(found: int, fixed: int, suppressed: int, fixable: dict[Applicability, int]) -> None:
    from patchkit.lint.base import Applicability

    parts = []
    if fixed:
        parts.append(f"Fixed {fixed} finding(s).")
    if found:
        line = f"Found {found} finding(s)"
        safe, unsafe = fixable[Applicability.SAFE], fixable[Applicability.UNSAFE]
        extra = []
        if safe:
            extra.append(f"{safe} fixable with --fix")
        if unsafe:
            extra.append(f"{unsafe} more with --fix --unsafe-fixes")
        parts.append(line + (f" ({', '.join(extra)})" if extra else "") + ".")
    elif not fixed:
        parts.append("All checks passed.")
    if suppressed:
        parts.append(f"{suppressed} suppressed by # patchkit: ignore[...].")
    sys.stderr.write(" ".join(parts) + "\n")
