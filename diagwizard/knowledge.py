"""The engine's single door to the knowledge base (finding code -> KB entry ids)."""

from __future__ import annotations

from functools import cache


@cache
def _index() -> dict[str, list[str]]:
    return {}


def entries_for_code(code: str) -> list[str]:
    return list(_index().get(code, []))
