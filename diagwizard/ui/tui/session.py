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
    from diagwizard.diagnosis.session import Diagnosis
    from diagwizard.engine.engine import Engine
    from diagwizard.engine.fixer import Fixer
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
    """The engine and the diagnosis. The app changes the diagnosis on its own thread only;
    the blocking calls (:meth:`run`, :meth:`recheck`, :meth:`fixer` planning) run in its
    thread workers on a copy of the results taken before (:meth:`prior`)."""

    def __init__(
        self, engine: EngineLike | None = None, factory: Callable[[], EngineLike] | None = None
    ) -> None:
        assert engine is not None or factory is not None, "the wizard needs an engine or a factory"
        self._engine = engine
        self._factory = factory
        self._lock = threading.Lock()
        self._diagnosis: Diagnosis | None = None

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
        return View(engine.probes, self.diagnosis, engine.platform, engine.applicable)

    def adopt(self, platform: str, diagnosis: Diagnosis) -> None:
        """Show someone else's results (a caller's case code) as if run on ``platform``."""
        self.engine.platform = platform
        self._diagnosis = diagnosis

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

    def recheck(self, probe_id: str, prior: dict[str, Result]) -> dict[str, Result]:
        """The probe again, with what it depends on where the engine can (the real one)."""
        engine = self.engine
        again = getattr(engine, "recheck", None)
        if again is not None:
            fresh: dict[str, Result] = again(probe_id, prior)
            return fresh
        return {probe_id: engine.rerun(probe_id, prior)}

    def fixer(self, lang: str) -> Fixer | None:
        """Who plans and applies fixes here; None where nothing can be fixed (a fake
        engine, helpdesk mode's caller)."""
        engine = self.engine
        if not hasattr(engine, "config") or not hasattr(engine, "os"):
            return None
        from diagwizard.engine.fixer import Fixer  # lazy: start-up time (fixes, adapters)

        return Fixer(cast("Engine", engine), lang, results=dict(self.diagnosis.results))
