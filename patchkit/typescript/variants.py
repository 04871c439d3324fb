"""Evaluate a program once per variant: unset environment first, then each value it selects by.

A manifest that reads ``process.env.VARIANT`` is evaluated with the variable
unset (the default variant), and, from what that evaluation saw (the values
the code compared the variable with or indexed a map with), once per other
value. The StartOS images (``patchkit.build.startos``) and the version graph's
``current`` (``patchkit.manifest.startos_graph``) both go through here.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from patchkit.typescript.modules import Program, Sources

__all__ = ["MAX_VARIANTS", "Variant", "evaluate_variants"]

T = TypeVar("T")

#: At most this many environments beside the default (a product of selectors).
MAX_VARIANTS = 32


@dataclass(frozen=True, slots=True)
class Variant(Generic[T]):
    """One evaluation: ``label`` (``VARIANT=cpu``; None when the program reads no selector),
    whether it is the default one (variables unset), and what ``read`` gave."""

    label: str | None
    is_default: bool
    value: T


def evaluate_variants(sources: Sources, read: Callable[[Program], T]) -> list[Variant[T]]:
    """``read`` under the default environment, then under each variant's (default first)."""
    default = Program(sources)
    first = read(default)
    selectors = {k: v for k, v in default.env_reads.items() if v}
    if not selectors:
        return [Variant(None, True, first)]
    names = sorted(selectors)
    fallbacks = {n: default.env_defaults.get(n) for n in names}
    label = ", ".join(
        f"{n}={fallbacks[n]}" if fallbacks[n] is not None else f"{n} unset" for n in names
    )
    out = [Variant(label, True, first)]
    combos = itertools.product(*(sorted(selectors[n]) for n in names))
    for combo in itertools.islice(combos, MAX_VARIANTS):
        env = dict(zip(names, combo, strict=True))
        if all(fallbacks[n] == v for n, v in env.items()):
            continue  # the default variant, already evaluated
        value = read(Program(sources, env))
        out.append(Variant(", ".join(f"{n}={v}" for n, v in env.items()), False, value))
    return out
