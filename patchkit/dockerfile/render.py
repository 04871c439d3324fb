"""Show a tree to people (text) and to scripts (JSON, schema ``patchkit/parse/v1``).

This is what ``patchkit parse`` prints: what patchkit *sees*, so that a
maintainer can check it against what they meant before trusting a patch or a
lint finding to it.
"""

from __future__ import annotations

from patchkit.dockerfile.instruction_errors import instruction_errors
from patchkit.dockerfile.nodes import Dockerfile, Instruction
from patchkit.dockerfile.stages import Stage

__all__ = ["SCHEMA", "render_json", "render_text"]

SCHEMA = "patchkit/parse/v1"
_ARGS_WIDTH = 72


def _lines(ins: Instruction) -> str:
    if ins.start_line == ins.end_line:
        return str(ins.start_line)
    return f"{ins.start_line}-{ins.end_line}"


def _short(s: str, width: int = _ARGS_WIDTH) -> str:
    s = " ".join(s.split())
    return s if len(s) <= width else s[: width - 3] + "..."


def _instruction_text(ins: Instruction, out: list[str]) -> None:
    other_flags = [f.text for f in ins.flags if not (f.name == "mount" and ins.keyword == "RUN")]
    head = " ".join([ins.keyword, *other_flags])
    if ins.sub_keyword is not None:
        head = " ".join([head, ins.sub_keyword, *(f.text for f in ins.sub_flags)])
    if ins.exec_form is not None:
        body = "[" + ", ".join(f'"{a}"' for a in ins.exec_form) + "] (exec form)"
    else:
        body = ins.args if ins.sub_args is None else ins.sub_args
    out.append(f"  {_lines(ins):>9}  {head} {_short(body)}".rstrip())
    for m in ins.mounts:
        opts = ",".join(k if v is None else f"{k}={v}" for k, v in m.options)
        out.append(f"  {'':>9}    mount {opts}")
    for h in ins.heredocs:
        n = h.body.count("\n") + (0 if h.body.endswith("\n") or not h.body else 1)
        quoted = ", quoted" if h.quoted else ""
        tabs = ", strips tabs" if h.strip_tabs else ""
        out.append(f"  {'':>9}    heredoc {h.name}: {n} line{'s' if n != 1 else ''}{quoted}{tabs}")


def _stage_title(st: Stage) -> str:
    name = st.name or f"#{st.index}"
    plat = f" --platform={st.platform}" if st.platform else ""
    parent = f" (stage {st.parent.name or st.parent.index})" if st.parent is not None else ""
    return f"stage {st.index} {name}: FROM{plat} {st.base}{parent}"


def render_text(tree: Dockerfile) -> str:
    """A readable outline: one line per instruction, mounts and heredocs under it."""
    out: list[str] = []
    esc = "backtick" if tree.escape == "`" else "backslash"
    nl = "CRLF" if tree.newline == "\r\n" else "LF"
    out.append(
        f"{tree.path or '<input>'}: {len(tree.stages)} "
        f"stage{'s' if len(tree.stages) != 1 else ''}, "
        f"{len(tree.instructions)} instructions, escape {esc}, {nl} line endings"
    )
    if tree.directives:
        out.append("directives: " + ", ".join(f"{k}={v}" for k, v in tree.directives.items()))
    before = [i for i in tree.instructions if i.stage is None]
    if before:
        out.append("")
        out.append("before the first FROM (global ARGs):")
        for ins in before:
            _instruction_text(ins, out)
    for st in tree.stages:
        out.append("")
        out.append(_stage_title(st))
        scope = sorted(st.args_in_scope())
        out.append(f"  ARGs in scope at its end: {', '.join(scope) if scope else '(none)'}")
        _instruction_text(st.from_instruction, out)
        for ins in st.instructions:
            _instruction_text(ins, out)
    problems = tree.problems
    if problems:
        out.append("")
        out.append("BuildKit's parser would refuse this file:")
        for p in problems:
            out.append(f"  {tree.path or '<input>'}:{p.line}: {p.message}")
    refused = instruction_errors(tree, problems)
    if refused:
        out.append("")
        out.append("BuildKit would then refuse these instructions (instructions.Parse):")
        for p in refused:
            out.append(f"  {tree.path or '<input>'}:{p.line}: {p.message}")
    return "\n".join(out) + "\n"


def _instruction_json(ins: Instruction) -> dict[str, object]:
    doc: dict[str, object] = {
        "index": ins.index,
        "keyword": ins.keyword,
        "keyword_raw": ins.keyword_raw,
        "start_line": ins.start_line,
        "end_line": ins.end_line,
        "start": ins.start,
        "end": ins.end,
        "stage": ins.stage.index if ins.stage is not None else None,
        "flags": [{"name": f.name, "value": f.value} for f in ins.flags],
        "args": ins.args,
        "exec_form": ins.exec_form,
    }
    if ins.sub_keyword is not None:
        doc["sub_keyword"] = ins.sub_keyword
    if ins.mounts:
        doc["mounts"] = [
            {
                "options": [[k, v] for k, v in m.options],
                "type": m.type,
                "target": m.target,
                "id": m.id,
                "from": m.from_,
                "source": m.source,
                "sharing": m.sharing,
            }
            for m in ins.mounts
        ]
    if ins.heredocs:
        doc["heredocs"] = [
            {"name": h.name, "quoted": h.quoted, "strip_tabs": h.strip_tabs, "body": h.body}
            for h in ins.heredocs
        ]
    if ins.pairs:
        doc["pairs"] = [{"key": p.key, "value": p.value} for p in ins.pairs]
    return doc


def render_json(tree: Dockerfile) -> dict[str, object]:
    """The tree as a JSON-ready dict (``schema``: ``patchkit/parse/v1``)."""
    problems = tree.problems
    return {
        "schema": SCHEMA,
        "path": tree.path,
        "escape": tree.escape,
        "newline": tree.newline,
        "directives": dict(tree.directives),
        "problems": [{"line": p.line, "message": p.message} for p in problems],
        "instruction_errors": [
            {"line": p.line, "message": p.message} for p in instruction_errors(tree, problems)
        ],
        "global_args": [i.index for i in tree.global_args],
        "stages": [
            {
                "index": st.index,
                "name": st.name,
                "base": st.base,
                "platform": st.platform,
                "parent": st.parent.index if st.parent is not None else None,
                "from_line": st.from_instruction.start_line,
                "declared_args": st.declared_args,
                "args_in_scope": sorted(st.args_in_scope()),
                "instructions": [st.from_instruction.index] + [i.index for i in st.instructions],
            }
            for st in tree.stages
        ],
        "instructions": [_instruction_json(i) for i in tree.instructions],
    }
