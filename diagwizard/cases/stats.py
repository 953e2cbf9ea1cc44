"""Counts per problem over a window, per hour or per day, and waves.

A problem comes in a *wave* when its count in the last hour is at least ``min_count``
and at least ``factor`` times its hourly average over the rest of the window (no cases
before the last hour: an average of zero). Both thresholds come from the config's
``[cases]``. The counting happens in the database (:meth:`CaseStore.counts`, from hourly
counts); this module lays the counts out in local hours or days and applies the rule.
Days start at local midnight; in a time zone whose offset is not whole hours (India,
Nepal) a day's edge is the whole UTC hour next to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from diagwizard.cases.record import utc_now
from diagwizard.cases.titles import Titles
from diagwizard.cases.window import Window
from diagwizard.core.config import Cases as CasesConfig
from diagwizard.core.text import Text

if TYPE_CHECKING:  # the records here are shown by screens that need no SQLAlchemy
    from diagwizard.cases.store import CaseStore

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
HOURLY_UP_TO = timedelta(hours=48)  # longer windows are counted per day


@dataclass(frozen=True)
class WaveRule:
    min_count: int = 10
    factor: float = 3.0

    @classmethod
    def of(cls, cfg: CasesConfig) -> WaveRule:
        return cls(cfg.wave_min_count, cfg.wave_factor)

    def applies(self, last_hour: int, average: float) -> bool:
        return last_hour >= self.min_count and last_hour >= self.factor * average


@dataclass
class Trend:
    """One problem over the window."""

    code: str
    title: Text
    entry: str | None
    count: int = 0
    last_hour: int = 0
    hourly_average: float = 0.0  # over the window without its last hour
    wave: bool = False
    buckets: list[int] = field(default_factory=list)


@dataclass
class Stats:
    since: datetime
    until: datetime
    unit: timedelta
    starts: list[datetime]  # each bucket's start (UTC)
    problems: list[Trend]  # waves first, then the most frequent
    outcomes: dict[str, int]
    rule: WaveRule

    @property
    def total(self) -> int:
        """Cases in the window."""
        return sum(self.outcomes.values())

    @property
    def waves(self) -> list[Trend]:
        return [t for t in self.problems if t.wave]


def local_offset(at: datetime) -> timedelta:
    """This machine's offset from UTC, so that days start at local midnight."""
    return at.astimezone().utcoffset() or timedelta(0)


def compute(
    store: CaseStore,
    window: Window,
    rule: WaveRule,
    *,
    now: datetime | None = None,
    unit: timedelta | None = None,
    titles: Titles | None = None,
) -> Stats:
    """The window's counts per problem; per hour up to two days, else per day (or per
    ``unit``)."""
    now = now or utc_now()
    since = now - window.span
    unit = unit or (HOUR if window.span <= HOURLY_UP_TO else DAY)
    offset = local_offset(now)
    seconds = int(unit.total_seconds())

    def bucket_of(at: datetime) -> int:
        return (int(at.timestamp()) + int(offset.total_seconds())) // seconds

    first, last = bucket_of(since), bucket_of(now)
    starts = [
        datetime.fromtimestamp(b * seconds - int(offset.total_seconds()), now.tzinfo)
        for b in range(first, last + 1)
    ]
    titles = titles or Titles()
    counted = store.counts(since, max(since, now - HOUR))
    trends: dict[str, Trend] = {}
    for code, hour, n in counted.hours:
        trend = trends.get(code)
        if trend is None:
            entry = titles.entry(code)
            trend = Trend(code, titles.of(code, entry), entry, buckets=[0] * (last - first + 1))
            trends[code] = trend
        trend.count += n
        bucket = bucket_of(hour)
        if first <= bucket <= last:
            trend.buckets[bucket - first] += n
    for code, trend in trends.items():
        trend.last_hour = counted.recent.get(code, 0)
    rest_hours = window.span / HOUR - 1
    for trend in trends.values():
        rest = trend.count - trend.last_hour
        trend.hourly_average = rest / rest_hours if rest_hours > 0 else 0.0
        trend.wave = rule.applies(trend.last_hour, trend.hourly_average)
    ordered = sorted(trends.values(), key=lambda t: (not t.wave, -t.count, t.code))
    return Stats(since, now, unit, starts, ordered, counted.outcomes, rule)
