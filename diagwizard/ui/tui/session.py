"""One wizard run's state, held by the app: the engine, built on first use (loading every
probe takes a moment, and the first screen should not wait for it), and the diagnosis
that every screen shows and only the app changes."""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Mapping
from typing import TYPE_CHECKING, Protocol, cast

from diagwizard.ui.tui.view import View

if TYPE_CHECKING:
    from diagwizard.api.probe import Probe
    from diagwizard.core.model import Result
    from diagwizard.diagnosis.repair import Repair, Round
    from diagwizard.diagnosis.session import Diagnosis
    from diagwizard.engine.engine import Engine
    from diagwizard.engine.runner import Callbacks, RunResults


class EngineLike(Protocol):
    """What the wizard needs from the engine (the real Engine, or a fixed fake in tests)."""

    platform: str

    @property
    def probes(self) -> dict[str, Probe]: ...

    def applicable(self, only: list[str] | tuple[str, ...] = ()) -> list[Probe]: ...

    def run(
        self,
        only: list[str] | tuple[str, ...] = (),
        callbacks: Callbacks | None = None,
        prior: dict[str, Result] | None = None,
    ) -> RunResults: ...

    def rerun(self, probe_id: str, prior: dict[str, Result]) -> Result: ...


class Session:
    """The engine, the diagnosis and the repair loop. The app changes the diagnosis on its
    own thread only; the blocking calls (:meth:`run`, :meth:`recheck`, the repair loop's
    planning and fixes, one at a time under :attr:`busy`) run in its thread workers on a
    copy taken before (:meth:`prior`, ``Diagnosis.with_results``)."""

    def __init__(
        self, engine: EngineLike | None = None, factory: Callable[[], EngineLike] | None = None
    ) -> None:
        assert engine is not None or factory is not None, "the wizard needs an engine or a factory"
        self._engine = engine
        self._factory = factory
        self._lock = threading.Lock()
        self._diagnosis: Diagnosis | None = None
        self._repair: Repair | None = None
        self.busy = threading.Lock()  # one repair step (planning, applying) at a time
        self.adopted = False  # showing a caller's results (helpdesk mode): fix nothing here

    @property
    def engine(self) -> EngineLike:
        with self._lock:
            if self._engine is None:
                assert self._factory is not None
                self._engine = self._factory()
            return self._engine

    @property
    def diagnosis(self) -> Diagnosis:
        if self._diagnosis is None:
            from diagwizard.diagnosis.session import Diagnosis  # lazy: start-up time (outcome, KB)

            self._diagnosis = Diagnosis(dict(self.engine.probes))
        return self._diagnosis

    def view(self) -> View:
        engine = self.engine
        return View(
            engine.probes, self.diagnosis, engine.platform, engine.applicable, not self.adopted
        )

    def adopt(self, platform: str, diagnosis: Diagnosis) -> None:
        """Show someone else's results (a caller's case code) as if run on ``platform``."""
        self.engine.platform = platform
        self._diagnosis = diagnosis
        self.adopted = True

    def record(self, results: Mapping[str, Result]) -> None:
        self.diagnosis.results.update(results)

    def prior(self, rerun: Collection[str] | None) -> dict[str, Result] | None:
        """The results a run may reuse: all but ``rerun``'s (None: none)."""
        if rerun is None:
            return None
        return {k: v for k, v in self.diagnosis.results.items() if k not in rerun}

    def run(
        self, only: list[str], callbacks: Callbacks, prior: dict[str, Result] | None
    ) -> dict[str, Result]:
        return self.engine.run(only, callbacks, prior=prior).results

    def recheck(self, probe_ids: Collection[str], diagnosis: Diagnosis) -> Round:
        """The probes again with their chain (what they depend on and what depends on them)
        where the engine can (the real one), each alone where it cannot (a fixed fake);
        ``diagnosis`` is a copy, read only. The round says what went and what came."""
        from diagwizard.diagnosis.repair import settle  # lazy: start-up time (outcome, KB)

        engine = self.engine
        prior = dict(diagnosis.results)
        again = getattr(engine, "recheck", None)
        if again is not None:
            fresh: dict[str, Result] = again(list(probe_ids), prior)
        else:
            fresh = {pid: engine.rerun(pid, prior) for pid in probe_ids}
        return settle(diagnosis, fresh, engine.platform, [])

    def repair(self, lang: str) -> Repair | None:
        """The repair loop of this run (fixes tried here are not offered again), in
        ``lang``; None where nothing can be fixed (a fake engine, helpdesk mode's caller)."""
        engine = self.engine
        if self.adopted or not hasattr(engine, "config") or not hasattr(engine, "os"):
            return None
        if self._repair is None:
            from diagwizard.diagnosis.repair import Repair  # lazy: start-up time (fixes)
            from diagwizard.engine.fixer import Fixer  # lazy: start-up time (fixes, adapters)

            real = cast("Engine", engine)
            self._repair = Repair(real, Fixer(real, lang))
        self._repair.fixer.lang = lang
        return self._repair

    def record_round(self, round_: Round) -> None:
        """What a fix or re-check checked again, into the diagnosis, with the tally."""
        from diagwizard.diagnosis.repair import record  # lazy: start-up time

        record(self.diagnosis, round_)
