"""A fact's value in plain JSON types, as reports and the fact words show it."""

from __future__ import annotations

from typing import Any


def jsonable(value: Any) -> Any:
    """Coerce a fact value into plain JSON types (bytes as hex, anything else as text)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    if isinstance(value, bytes):
        return value.hex()
    return str(value)
