"""Output formats shared by every command: text, json, github annotations.

JSON documents carry ``"schema": "patchkit/<kind>/v1"`` so scripts can rely on
the shape; a change of shape bumps the version.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import TextIO

from patchkit.diagnostics import Diagnostic, Severity

__all__ = [
    "FORMATS",
    "check_output_folder",
    "colour_diff",
    "dump_json",
    "github_error",
    "render_diagnostics",
    "render_findings",
    "report_stream",
    "set_color",
    "use_color",
    "write_output",
]

FORMATS = ("text", "json", "github")


_COLOR = "auto"


def set_color(mode: str) -> None:
    """``--color``: ``auto``, ``always`` or ``never`` (``patchkit.cli.main`` sets it per command)."""
    global _COLOR
    _COLOR = mode


def use_color(stream: TextIO) -> bool:
    """``--color always|never`` decide; on ``auto``: never with ``NO_COLOR`` (https://no-color.org),
    always with ``FORCE_COLOR`` (https://force-color.org), else only on a terminal."""
    if _COLOR != "auto":
        return _COLOR == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


_DIFF_TINT = (("+++", "1"), ("---", "1"), ("@@", "36"), ("+", "32"), ("-", "31"))


def colour_diff(lines: Iterable[str], stream: TextIO) -> Iterable[str]:
    """Unified-diff lines, tinted (added green, removed red, hunks cyan) when ``stream`` takes colour."""
    if not use_color(stream):
        yield from lines
        return
    for line in lines:
        tint = next((t for prefix, t in _DIFF_TINT if line.startswith(prefix)), None)
        if tint is None:
            yield line
        else:
            body = line.rstrip("\r\n")
            yield f"\033[{tint}m{body}\033[0m" + line[len(body) :]


def dump_json(doc: object, stream: TextIO | None = None) -> None:
    """Write one JSON document followed by a newline."""
    out = stream or sys.stdout
    json.dump(doc, out, indent=2, ensure_ascii=False)
    out.write("\n")


def _gh_escape(value: str, *, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def render_diagnostics(
    diagnostics: Sequence[Diagnostic],
    fmt: str,
    stream: TextIO | None = None,
    *,
    schema: str = "patchkit/diagnostics/v1",
    extra: dict[str, object] | None = None,
    quiet: bool = False,
) -> None:
    """Print diagnostics as ``path:line:col: CODE message`` lines, JSON, or GitHub annotations.

    ``quiet`` (a command's ``--quiet``) keeps only error-severity diagnostics in
    the text and github formats; a JSON document is always whole.
    """
    out = stream or sys.stdout
    ordered = sorted(diagnostics, key=Diagnostic.sort_key)
    if quiet and fmt != "json":
        ordered = [d for d in ordered if d.severity is Severity.ERROR]
    if fmt == "json":
        doc: dict[str, object] = {"schema": schema}
        if extra:
            doc.update(extra)
        doc["diagnostics"] = [d.to_json() for d in ordered]
        dump_json(doc, out)
        return
    if fmt == "github":
        for d in ordered:
            level = {Severity.ERROR: "error", Severity.WARNING: "warning"}.get(d.severity, "notice")
            props = f"file={_gh_escape(d.path, prop=True)},line={d.line},col={d.col}"
            if d.end_line is not None:
                props += f",endLine={d.end_line}"
            if d.end_col is not None:
                props += f",endColumn={d.end_col}"
            props += f",title={_gh_escape(d.code, prop=True)}"
            msg = d.message + (f" Fix: {d.fix}" if d.fix else "")
            out.write(f"::{level} {props}::{_gh_escape(msg)}\n")
        return
    color = use_color(out)
    for d in ordered:
        code = d.code
        if color:
            tint = "\033[31m" if d.severity is Severity.ERROR else "\033[33m"
            code = f"{tint}{code}\033[0m"
        sev = "" if d.severity is Severity.ERROR else f"[{d.severity.value}] "
        out.write(f"{d.path}:{d.line}:{d.col}: {code} {sev}{d.message}\n")
        if d.fix:
            out.write(f"  fix: {d.fix}\n")


def count_errors(diagnostics: Iterable[Diagnostic]) -> int:
    return sum(1 for d in diagnostics if d.severity is Severity.ERROR)


def github_error(exc: object, command: str) -> str:
    """An ``::error`` workflow command for an error that stopped a command (exit 2)."""
    path = getattr(exc, "path", None)
    line = getattr(exc, "line", None)
    col = getattr(exc, "col", None)
    props = f"title={_gh_escape(f'patchkit {command}'.strip(), prop=True)}"
    if path:
        props = (
            f"file={_gh_escape(str(path), prop=True)}"
            + (f",line={line}" if line else "")
            + (f",col={col}" if col else "")
            + ","
            + props
        )
    message = getattr(exc, "message", None) or str(exc)
    return f"::error {props}::{_gh_escape(str(message))}\n"


def write_output(text: str, output_file: str | None) -> None:
    """``text`` to stdout, or atomically to ``output_file`` (``--output-file``)."""
    if output_file is None or output_file == "-":
        sys.stdout.write(text)
        return
    from patchkit._fs import atomic_write_text

    check_output_folder(output_file)
    atomic_write_text(output_file, text)


def check_output_folder(output_file: str) -> None:
    """Refuse (exit 2) an ``--output-file`` whose folder does not exist, before any work."""
    from patchkit.errors import InputError

    folder = os.path.dirname(os.path.abspath(output_file))
    if not os.path.isdir(folder):
        raise InputError(f"--output-file: the folder {folder} does not exist", output_file)


@contextlib.contextmanager
def report_stream(output_file: str | None) -> Iterator[TextIO]:
    """Where a command prints its report: stdout, or (``--output-file PATH``) a buffer
    written atomically to PATH when the block ends without an error (nothing otherwise).
    ``patchkit.cli.main`` refuses a PATH in a missing folder before the command runs."""
    if output_file is None or output_file == "-":
        yield sys.stdout
        return
    buffer = io.StringIO()
    yield buffer
    write_output(buffer.getvalue(), output_file)


def render_findings(
    diagnostics: Sequence[Diagnostic],
    fmt: str,
    out: TextIO,
    *,
    name: str,
    files: Sequence[str],
    schema: str,
    extra: dict[str, object] | None = None,
    quiet: bool = False,
) -> None:
    """Findings in any machine format: ``sarif`` (SARIF 2.1.0), ``junit`` (a testsuite per
    file of ``files``, the report ``name``d ``patchkit lint``...), else ``render_diagnostics``."""
    if fmt == "sarif":
        from patchkit.cli.sarif import sarif_document

        dump_json(sarif_document(diagnostics), out)
    elif fmt == "junit":
        from patchkit.cli.junit import junit_xml

        groups = [(f, f, [d for d in diagnostics if d.path == f], False) for f in files]
        out.write(junit_xml(name, groups))
    else:
        render_diagnostics(diagnostics, fmt, out, schema=schema, extra=extra, quiet=quiet)
