"""The runner owns concurrency, timeouts, isolation and ordering; probes own none of it.

Every probe whose needs are met starts at once on its own daemon thread (an abandoned,
hung thread must not keep the process alive). A probe is cut off at its own timeout,
and nothing runs past the overall deadline. Isolated probes run in a child process.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable, Mapping

import msgspec

from diagwizard.api.context import Context, Resources
from diagwizard.api.probe import Probe
from diagwizard.core.config import Config, probe_timeout
from diagwizard.core.model import Result
from diagwizard.core.text import Text
from diagwizard.engine import runner_results
from diagwizard.engine.isolated import run_isolated
from diagwizard.engine.registry import Origin

# Extra time given to an isolated probe's own kill-on-timeout before the runner gives up.
ISOLATION_GRACE = 1.0


class Callbacks(msgspec.Struct):
    on_start: Callable[[Probe], None] = lambda probe: None
    on_finish: Callable[[Probe, Result], None] = lambda probe, result: None


class RunResults(msgspec.Struct):
    """One run's results in probe order, when it started and how long it took."""

    started_at: float
    duration_ms: int
    results: dict[str, Result] = msgspec.field(default_factory=dict)


class Runner:
    def __init__(
        self,
        config: Config,
        os_adapter: object,
        origins: dict[str, Origin] | None = None,
        titles: Mapping[str, Text] | None = None,
    ) -> None:
        self.config = config
        self.os = os_adapter
        self.origins = origins or {}
        self.titles = dict(titles or {})  # every known probe's title, for skip summaries

    # -- one probe -------------------------------------------------------------------
    def _execute(
        self, probe: Probe, results: dict[str, Result], timeout: float, resources: Resources
    ) -> Result:
        """Run a probe in this thread (or its child process); never raises."""
        started = time.monotonic()
        needs = {n: results[n] for n in (*probe.needs, *probe.wants) if n in results}
        try:
            if probe.isolated:
                origin = self.origins.get(probe.id)
                if origin is None:
                    raise LookupError(f"no entry point known for isolated probe {probe.id}")
                res = run_isolated(origin.target, probe.id, self.config, needs, timeout)
            else:
                ctx = Context(self.config, self.os, needs, timeout, resources)  # type: ignore[arg-type]
                res = probe.run(ctx)
                if not isinstance(res, Result):
                    raise TypeError(f"probe returned {type(res).__name__}, not Result")
        except Exception as exc:
            res = runner_results.raised(exc)
        res = runner_results.specialise(res, probe.on_crash, probe.on_timeout)
        res.duration_ms = int((time.monotonic() - started) * 1000)
        return res

    def timeout_for(self, probe: Probe) -> float:
        return probe_timeout(self.config, probe.id, probe.timeout)

    # -- a whole run -----------------------------------------------------------------
    def run(
        self,
        probes: Iterable[Probe],
        callbacks: Callbacks | None = None,
        deadline: float | None = None,
        prior: dict[str, Result] | None = None,
    ) -> RunResults:
        """Run probes concurrently, honouring needs, timeouts and the overall deadline.

        ``prior`` holds earlier results that may satisfy needs (used for re-checks).
        """
        cb = callbacks or Callbacks()
        todo = list(probes)
        order = [p.id for p in todo]
        # A probe that hands its work to a child process starts first: the child works
        # on the other core while this process starts the rest (issue 15).
        todo.sort(key=lambda p: not (p.isolated or p.isolates_calls))
        known = {p.id for p in todo} | set(prior or {})
        titles = {**self.titles, **{p.id: p.title for p in todo}}

        def skip_for(need: str, missing: bool) -> Result:
            return runner_results.skipped_need(need, missing, titles.get(need))

        pending_ids = {p.id for p in todo}
        wall_start = time.time()
        start = time.monotonic()
        overall = self.config.timeouts.overall if deadline is None else deadline
        end_at = start + overall

        results: dict[str, Result] = dict(prior or {})
        resources = Resources()  # what this run's probes share; closed when it ends
        done_q: queue.Queue[tuple[str, Result]] = queue.Queue()
        running: dict[str, tuple[Probe, float, float]] = {}  # id -> (probe, cut-off, started)
        finished: dict[str, Result] = {}

        def finish(probe: Probe, res: Result) -> None:
            finished[probe.id] = res
            results[probe.id] = res
            cb.on_finish(probe, res)

        def start_ready() -> None:
            for probe in list(todo):
                missing = [n for n in probe.needs if n not in known]
                if missing:
                    todo.remove(probe)
                    finish(probe, skip_for(missing[0], missing=True))
                    continue
                if not all(n in results for n in probe.needs):
                    continue
                if any(w in pending_ids and w not in results for w in probe.wants):
                    continue  # wait for wanted probes that are part of this run
                todo.remove(probe)
                failed = [n for n in probe.needs if not results[n].status.passed]
                if failed:
                    finish(probe, skip_for(failed[0], missing=False))
                    continue
                remaining = end_at - time.monotonic()
                if remaining <= 0:
                    finish(probe, runner_results.deadline_reached())
                    continue
                limit = min(self.timeout_for(probe), remaining)
                grace = ISOLATION_GRACE if probe.isolated or probe.isolates_calls else 0.0
                running[probe.id] = (probe, time.monotonic() + limit + grace, time.monotonic())
                cb.on_start(probe)
                snapshot = dict(results)
                threading.Thread(
                    target=lambda p=probe, s=snapshot, t=limit: done_q.put(
                        (p.id, self._execute(p, s, t, resources))
                    ),
                    name=f"probe:{probe.id}",
                    daemon=True,
                ).start()

        start_ready()
        while running or todo:
            if not running:  # nothing can make progress: unresolvable needs (cycle)
                for probe in list(todo):
                    todo.remove(probe)
                    finish(probe, skip_for(probe.needs[0], missing=True))
                break
            wait = max(0.0, min(cut for _, cut, _ in running.values()) - time.monotonic())
            try:
                pid, res = done_q.get(timeout=wait)
            except queue.Empty:
                now = time.monotonic()
                for pid_, (probe, cut, began) in list(running.items()):
                    if cut <= now:
                        del running[pid_]
                        over = now >= end_at
                        res = (
                            runner_results.deadline_reached()
                            if over
                            else runner_results.timed_out(self.timeout_for(probe))
                        )
                        res.duration_ms = int((now - began) * 1000)
                        finish(probe, res)
                start_ready()
                continue
            if pid in running:  # else: already reported as timed out; drop the late answer
                probe, _, _ = running.pop(pid)
                finish(probe, res)
            start_ready()

        resources.close()
        run = RunResults(wall_start, int((time.monotonic() - start) * 1000))
        run.results = {pid: finished[pid] for pid in order if pid in finished}
        return run
