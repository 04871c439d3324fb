"""``patchkit init``: set a downstream repo up for patchkit with as little configuration as possible.

What the build model discovers is not written down (a copy would go stale):
the configuration file gets only what discovery could not tell — the upstream
tree when several submodules exist and no build says which one, or the
values given as flags. The patched-copies folder goes into ``.gitignore``.
Every write is planned first and made all or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from patchkit.build.model import BuildModel
    from patchkit.config import Config

__all__ = ["InitPlan", "plan_init", "write_init"]


@dataclass
class InitPlan:
    """What ``init`` would change: file path → (old text or None, new text); and what it found."""

    writes: dict[Path, tuple[str | None, str]] = field(default_factory=dict)
    found: list[str] = field(default_factory=list)
    todo: list[str] = field(default_factory=list)


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def plan_init(config: Config, model: BuildModel, settings: dict[str, str]) -> InitPlan:
    """The changes for ``config.root``; ``settings``: keys given as flags (written as given)."""
    from patchkit._fs import read_source

    plan = InitPlan()
    root = config.root
    for build in model.builds:
        what = build.tag.value if build.tag else build.dockerfile.value if build.dockerfile else "?"
        plan.found.append(f"{build.label}: {what}")
    if model.upstream is not None:
        plan.found.append(f"upstream: {model.upstream.value}/ ({model.upstream.where()})")
    want = dict(settings)
    if model.upstream is None and "upstream" not in want and len(model.submodules) > 1:
        names = ", ".join(s.path for s in model.submodules)
        plan.todo.append(
            f"several submodules ({names}) and no build names one: pass --upstream DIR"
        )
    if want:
        target = config.source if config.source is not None else root / "patchkit.toml"
        old = read_source(target) if target.is_file() else None
        plan.writes[target] = (
            old,
            _with_settings(old, want, standalone=target.name == "patchkit.toml"),
        )
    out = config.out.strip("/")
    ignore = root / ".gitignore"
    old_ignore = read_source(ignore) if ignore.is_file() else None
    lines = [x.strip().strip("/") for x in (old_ignore or "").splitlines()]
    if out not in lines:
        text = old_ignore or ""
        if text and not text.endswith("\n"):
            text += "\n"
        text += f"# patched copies written by `patchkit apply`\n/{out}/\n"
        plan.writes[ignore] = (old_ignore, text)
    return plan


def _with_settings(old: str | None, settings: dict[str, str], *, standalone: bool) -> str:
    """``old`` with ``key = "value"`` lines set in its patchkit table (tomlkit keeps the rest)."""
    import tomlkit

    doc = tomlkit.parse(old or "")
    table = doc
    if not standalone:
        tool = doc.setdefault("tool", tomlkit.table(is_super_table=True))
        table = tool.setdefault("patchkit", tomlkit.table())
    for key, value in settings.items():
        table[key] = value
    return tomlkit.dumps(doc)


def write_init(plan: InitPlan) -> list[Path]:
    """Make every planned write, all or none (staged first, then renamed)."""
    from patchkit._fs import commit_all, digest, stage_write

    staged = []
    try:
        for path, (old, new) in plan.writes.items():
            staged.append(
                stage_write(
                    path,
                    new,
                    expected_digest=digest(old) if old is not None else None,
                    expect_absent=old is None,
                )
            )
    except BaseException:
        for s in staged:
            s.discard()
        raise
    commit_all(staged)  # a failed rename names the files already replaced, leaves no temp
    return list(plan.writes)
