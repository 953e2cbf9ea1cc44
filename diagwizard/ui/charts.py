"""A trend as one line of block characters (a sparkline): its shape reads without colour."""

from __future__ import annotations

from collections.abc import Sequence

BARS = "▁▂▃▄▅▆▇█"
NONE = "·"  # a bucket without a case, so that one case still stands out from none


def sparkline(values: Sequence[int]) -> str:
    """One character per value, scaled to the largest; zero is :data:`NONE`."""
    top = max(values, default=0)
    if top <= 0:
        return NONE * len(values)
    return "".join(NONE if v <= 0 else BARS[(v * len(BARS) - 1) // top] for v in values)
