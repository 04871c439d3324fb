from __future__ import annotations


def suggest_exver(text: str) -> str | None:
    return None
