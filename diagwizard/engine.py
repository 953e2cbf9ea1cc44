"""The engine: one facade over config, registry and runner for the CLI, TUI and tests."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from diagwizard import adapters, registry
from diagwizard.adapters.base import OsAdapter
from diagwizard.config import Config, probe_timeout
from diagwizard.model import Probe, Result, Status, Text, result
from diagwizard.runner import Callbacks, Runner, RunReport


@dataclass
class Engine:
    config: Config
    registry: registry.Registry
    os: OsAdapter
    platform: str = field(default_factory=adapters.system_name)

    @classmethod
    def create(
        cls, config: Config, *, plugins: bool = True, os_adapter: OsAdapter | None = None
    ) -> Engine:
        return cls(config, registry.load(plugins=plugins), os_adapter or adapters.current())

    @property
    def probes(self) -> dict[str, Probe]:
        return self.registry.probes

    def applicable(self, only: Iterable[str] = ()) -> list[Probe]:
        return [p for p in self.registry.select(only) if self.platform in p.platforms]

    def load_problem_results(self) -> dict[str, Result]:
        """Plugins that failed to load, reported as error results."""
        out: dict[str, Result] = {}
        for prob in self.registry.problems:
            pid = "plugin." + (re.sub(r"[^a-z0-9_]", "_", prob.source.lower()) or "unnamed")
            out[pid] = result(
                Status.ERROR,
                Text(f"外掛 {prob.source} 有問題", f"Plugin {prob.source} has a problem"),
                prob.finding(**prob.params),
            )
        return out

    def run(
        self,
        only: Iterable[str] = (),
        callbacks: Callbacks | None = None,
        prior: dict[str, Result] | None = None,
    ) -> RunReport:
        runner = Runner(self.config, self.os, self.registry.origins)
        report = runner.run(self.applicable(only), callbacks, prior=prior)
        if not only:
            report.results = {**self.load_problem_results(), **report.results}
        return report

    def runner_timeout(self, probe_id: str) -> float:
        """The effective timeout of a probe (its own, or the config's override)."""
        return probe_timeout(self.config, probe_id, self.registry.probes[probe_id].timeout)

    def rerun(self, probe_id: str, prior: dict[str, Result]) -> Result:
        """Re-run a single probe, using earlier results for its needs."""
        probe = self.registry.probes[probe_id]
        runner = Runner(self.config, self.os, self.registry.origins)
        report = runner.run([probe], prior={k: v for k, v in prior.items() if k != probe_id})
        return report.results[probe_id]
