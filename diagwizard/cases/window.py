"""Time windows as people type them: ``30m``, ``24h``, ``7d``, ``2w``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from diagwizard.core.errors import UserError
from diagwizard.core.sanitize import clean
from diagwizard.core.text import Text
from diagwizard.core.words import cases as words

_SPAN = re.compile(r"\s*(\d{1,6})\s*([mhdw])\s*", re.I)
_UNIT = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1),
         "w": timedelta(weeks=1)}
LONGEST = timedelta(days=3660)


@dataclass(frozen=True)
class Window:
    """A span back from now, as typed (``7d``) and as a duration."""

    amount: int
    unit: str  # m, h, d or w

    @property
    def span(self) -> timedelta:
        return self.amount * _UNIT[self.unit]

    def words(self) -> Text:
        """``7 天`` / ``7 days``."""
        return words.SPANS[self.unit].fill(n=self.amount)


def parse(value: str, option: str = "--since") -> Window:
    """``value`` as a window; anything else is a one-line error naming ``option``."""
    m = _SPAN.fullmatch(value)
    if m is None or int(m.group(1)) == 0:
        raise UserError(words.BAD_SINCE, option=option, value=clean(value)[:40])
    window = Window(int(m.group(1)), m.group(2).lower())
    if window.span > LONGEST:
        raise UserError(words.BAD_SINCE, option=option, value=clean(value)[:40])
    return window
