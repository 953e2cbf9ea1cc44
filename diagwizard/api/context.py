"""What a probe gets to look at: the config, the OS adapter, and earlier results."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import msgspec

from diagwizard.core.config import Config
from diagwizard.core.model import Result

if TYPE_CHECKING:
    from diagwizard.system.adapters.base import OsAdapter


class Context(msgspec.Struct):
    config: Config
    os: OsAdapter
    results: Mapping[str, Result] = msgspec.field(default_factory=dict)
    # Seconds this run of the probe may take (set by the runner; None: not limited).
    time_limit: float | None = None

    def need(self, probe_id: str) -> Result:
        """The result of a probe this one declared in ``needs``."""
        return self.results[probe_id]
