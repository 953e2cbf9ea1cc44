"""The engine: one facade over config, registry and runner for the CLI, TUI and tests."""

from __future__ import annotations

import re
from collections.abc import Iterable

import msgspec

from diagwizard.api.probe import Probe
from diagwizard.core.config import Config, probe_timeout
from diagwizard.core.errors import UserError
from diagwizard.core.model import Result, Status, result
from diagwizard.core.words import errors, records
from diagwizard.engine import registry, selection
from diagwizard.engine.runner import Callbacks, Runner, RunResults
from diagwizard.system import adapters
from diagwizard.system.adapters.base import OsAdapter


class Engine(msgspec.Struct):
    config: Config
    registry: registry.Registry
    os: OsAdapter
    platform: str = msgspec.field(default_factory=adapters.system_name)
    only: tuple[str, ...] = ()  # the registry holds only what a run with these needs
    plugins: bool = True

    @classmethod
    def create(
        cls,
        config: Config,
        *,
        plugins: bool = True,
        os_adapter: OsAdapter | None = None,
        only: Iterable[str] = (),
    ) -> Engine:
        """``only`` (``--only`` values) loads just the probe modules such a run needs."""
        reg = registry.load(plugins=plugins, only=only)
        return cls(config, reg, os_adapter or adapters.current(), only=tuple(only), plugins=plugins)

    @property
    def probes(self) -> dict[str, Probe]:
        return self.registry.probes

    def applicable(self, only: Iterable[str] = ()) -> list[Probe]:
        return [p for p in self.registry.select(only) if self.platform in p.platforms]

    def resolve_only(self, only: Iterable[str]) -> list[str]:
        """``--only`` values, matched case-insensitively; one that matches nothing is a
        usage error listing the ids there are."""
        wanted = selection.normalise(only)
        ids = [p.id for p in self.applicable()]
        unknown = [w for w in wanted if not any(selection.matches(i, [w]) for i in ids)]
        if unknown:
            if self.only:  # name every check there is, not just the ones loaded
                full = registry.load(plugins=self.plugins)
                ids = [p.id for p in full.select() if self.platform in p.platforms]
            raise UserError(
                errors.UNKNOWN_ONLY,
                bad=", ".join(unknown),
                ids=", ".join(ids),
            )
        return wanted

    def load_problem_results(self) -> dict[str, Result]:
        """Plugins that failed to load, reported as error results."""
        out: dict[str, Result] = {}
        for prob in self.registry.problems:
            pid = "plugin." + (re.sub(r"[^a-z0-9_]", "_", prob.source.lower()) or "unnamed")
            out[pid] = result(
                Status.ERROR,
                records.PLUGIN_PROBLEM.fill(name=prob.source),
                prob.finding(**prob.params),
            )
        return out

    def run(
        self,
        only: Iterable[str] = (),
        callbacks: Callbacks | None = None,
        prior: dict[str, Result] | None = None,
    ) -> RunResults:
        runner = Runner(self.config, self.os, self.registry.origins)
        run = runner.run(self.applicable(only), callbacks, prior=prior)
        if not only:
            run.results = {**self.load_problem_results(), **run.results}
        return run

    def runner_timeout(self, probe_id: str) -> float:
        """The effective timeout of a probe (its own, or the config's override)."""
        return probe_timeout(self.config, probe_id, self.registry.probes[probe_id].timeout)

    def rerun(self, probe_id: str, prior: dict[str, Result]) -> Result:
        """Re-run a single probe, using earlier results for its needs."""
        probe = self.registry.probes[probe_id]
        runner = Runner(self.config, self.os, self.registry.origins)
        run = runner.run([probe], prior={k: v for k, v in prior.items() if k != probe_id})
        return run.results[probe_id]

    def recheck(self, probe_id: str, prior: dict[str, Result]) -> dict[str, Result]:
        """Re-run a probe and every probe it depends on that ran before (its needs, what it
        reads, and the failure chain above it), so a fix upstream is seen."""
        chosen: list[str] = []

        def take(pid: str) -> None:
            if pid in chosen or pid not in self.registry.probes:
                return
            probe = self.registry.probes[pid]
            cause = (probe.explained_by,) if probe.explained_by else ()
            for dep in (*probe.needs, *probe.wants, *cause):
                if dep in prior:
                    take(dep)
            chosen.append(pid)

        take(probe_id)
        keep = {k: v for k, v in prior.items() if k not in chosen}
        runner = Runner(self.config, self.os, self.registry.origins)
        probes = [self.registry.probes[p] for p in chosen]
        return runner.run(probes, prior=keep).results
