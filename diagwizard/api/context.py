"""What a probe gets to look at: the config, the OS adapter, the results of the probes it
declared it reads, and the run's shared resources."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any, Protocol, TypeVar

import msgspec

from diagwizard.core.config import Config
from diagwizard.core.model import Result
from diagwizard.system.adapters.base import OsAdapter


class Closable(Protocol):
    def close(self) -> None: ...


R = TypeVar("R", bound=Closable)


class Resources:
    """What the probes of one run share while it lasts, one of each kind, made on first
    use: e.g. the open connection ``net.reach`` made, on which ``net.tls`` continues. The
    runner that made the run closes them all when it ends; nothing outlives the run, and a
    re-check is a new run with new resources."""

    def __init__(self) -> None:
        self._items: dict[type[Any], Closable] = {}
        self._lock = threading.Lock()

    def get(self, kind: type[R]) -> R:
        with self._lock:
            item = self._items.get(kind)
            if item is None:
                item = self._items[kind] = kind()
        return item  # type: ignore[return-value]

    def close(self) -> None:
        with self._lock:
            items, self._items = list(self._items.values()), {}
        for item in items:
            item.close()


class Context(msgspec.Struct):
    config: Config
    os: OsAdapter
    results: Mapping[str, Result] = msgspec.field(default_factory=dict)
    # Seconds this run of the probe may take (set by the runner; None: not limited).
    time_limit: float | None = None
    resources: Resources = msgspec.field(default_factory=Resources)

    def need(self, probe_id: str) -> Result:
        """The result of a probe this one declared in ``needs``."""
        return self.results[probe_id]
