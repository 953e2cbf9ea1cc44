"""The engine: one facade over config, registry and runner for the CLI, TUI and tests."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

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
        runner = self._runner()
        run = runner.run(self.applicable(only), callbacks, prior=prior)
        if not only:
            run.results = {**self.load_problem_results(), **run.results}
        return run

    def _runner(self) -> Runner:
        titles = {pid: p.title for pid, p in self.registry.probes.items()}
        return Runner(self.config, self.os, self.registry.origins, titles)

    def runner_timeout(self, probe_id: str) -> float:
        """The effective timeout of a probe (its own, or the config's override)."""
        return probe_timeout(self.config, probe_id, self.registry.probes[probe_id].timeout)

    def rerun(self, probe_id: str, prior: dict[str, Result]) -> Result:
        """Re-run a single probe, using earlier results for its needs."""
        probe = self.registry.probes[probe_id]
        runner = self._runner()
        run = runner.run([probe], prior={k: v for k, v in prior.items() if k != probe_id})
        return run.results[probe_id]

    def readers_of(self, probe_id: str) -> list[str]:
        """The probes that read ``probe_id`` or are explained by it (its needs, wants and
        ``explained_by`` turned round): what may change when its result changes."""
        return [
            p.id
            for p in self.registry.probes.values()
            if probe_id in p.needs or probe_id in p.wants or p.explained_by == probe_id
        ]

    def chain(
        self, probe_ids: Iterable[str], ran: Collection[str], *, upstream: bool = True
    ) -> list[str]:
        """``probe_ids``, with what they depend on (needs, wants and the failure chain
        above, when ``upstream``) and everything that depends on them, in both cases only
        the probes that ran (``ran``): what to run again so that a change anywhere on the
        chain is seen everywhere on it. A fixed cause thus also re-runs the checks that
        were skipped because of it."""
        chosen: list[str] = []
        probes = self.registry.probes

        def up(pid: str) -> None:
            if pid in chosen or pid not in probes:
                return
            probe = probes[pid]
            cause = (probe.explained_by,) if probe.explained_by else ()
            for dep in (*probe.needs, *probe.wants, *cause):
                if dep in ran:
                    up(dep)
            chosen.append(pid)

        def down(pid: str) -> None:
            for reader in self.readers_of(pid):
                if reader in ran and reader not in chosen:
                    chosen.append(reader)
                    down(reader)

        for pid in probe_ids:
            if upstream:
                up(pid)
            elif pid in probes and pid not in chosen:
                chosen.append(pid)
        for pid in list(chosen):
            down(pid)
        return chosen

    def recheck(
        self, probe_ids: str | Iterable[str], prior: dict[str, Result]
    ) -> dict[str, Result]:
        """Re-run probes with their chain (:meth:`chain`): what they depend on that ran
        before, so a fix upstream is seen, and what depends on them, so no check stays
        skipped because of a cause that is gone."""
        ids = [probe_ids] if isinstance(probe_ids, str) else list(probe_ids)
        return self.run_chain(self.chain(ids, prior), prior)

    def follow_up(self, probe_ids: Iterable[str], prior: dict[str, Result]) -> dict[str, Result]:
        """Re-run what depends on ``probe_ids``, whose fresh results are in ``prior``
        already (a fix's own re-check): the checks downstream that ran before."""
        ids = list(probe_ids)
        below = [p for p in self.chain(ids, prior, upstream=False) if p not in ids]
        return self.run_chain(below, prior) if below else {}

    def run_chain(self, chosen: list[str], prior: dict[str, Result]) -> dict[str, Result]:
        """Run ``chosen`` afresh; every other result in ``prior`` stands for its probe."""
        keep = {k: v for k, v in prior.items() if k not in chosen}
        runner = self._runner()
        probes = self.registry.probes
        ordered = registry.Registry._ordered({p: probes[p] for p in chosen if p in probes})
        return runner.run(ordered, prior=keep).results
