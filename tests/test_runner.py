"""Runner behaviour: concurrency, needs, callbacks, re-checks."""

from __future__ import annotations

import time

from diagwizard.api.context import Context
from diagwizard.api.probe import probe
from diagwizard.core.config import Config
from diagwizard.core.model import Result, Status, result
from diagwizard.core.text import Text
from diagwizard.engine.runner import Callbacks, Runner
from diagwizard.system import adapters


def _sleepy(pid: str, seconds: float, status: Status = Status.OK, needs: tuple[str, ...] = ()):
    @probe(pid, pid, pid, needs=needs, timeout=5.0)
    def run(ctx: Context) -> Result:
        time.sleep(seconds)
        return result(status, Text("", ""), facts={"saw": sorted(ctx.results)})

    return run


def _runner() -> Runner:
    return Runner(Config(), adapters.current())


def test_independent_probes_run_concurrently() -> None:
    probes = [_sleepy(f"t.p{i}", 0.4) for i in range(4)]
    started = time.monotonic()
    report = _runner().run(probes)
    assert time.monotonic() - started < 1.0  # not 1.6 s in a row
    assert all(r.status == Status.OK for r in report.results.values())


def test_probe_with_failed_need_is_skipped_with_reason() -> None:
    base = _sleepy("t.base", 0, Status.FAIL)
    dep = _sleepy("t.dep", 0, needs=("t.base",))
    report = _runner().run([base, dep])
    res = report.results["t.dep"]
    assert res.status == Status.SKIP
    assert res.findings[0].code == "runner.I001"
    assert "t.base" in res.findings[0].render("en")


def test_need_not_registered_is_skip_not_crash() -> None:
    dep = _sleepy("t.dep", 0, needs=("t.nowhere",))
    report = _runner().run([dep])
    assert report.results["t.dep"].findings[0].code == "runner.I002"


def test_dependent_sees_its_needs_results_and_order_is_stable() -> None:
    base = _sleepy("t.base", 0.1)
    dep = _sleepy("t.dep", 0, needs=("t.base",))
    report = _runner().run([dep, base])
    assert list(report.results) == ["t.dep", "t.base"]
    assert report.results["t.dep"].fact("saw") == ["t.base"]


def test_callbacks_fire_for_start_and_finish() -> None:
    seen: list[tuple[str, str]] = []
    cb = Callbacks(
        on_start=lambda p: seen.append(("start", p.id)),
        on_finish=lambda p, r: seen.append(("finish", p.id)),
    )
    _runner().run([_sleepy("t.a", 0), _sleepy("t.b", 0.05, needs=("t.a",))], cb)
    assert (
        seen.index(("start", "t.a")) < seen.index(("finish", "t.a")) < seen.index(("start", "t.b"))
    )
    assert ("finish", "t.b") in seen


def test_rerun_uses_prior_results_for_needs() -> None:
    base = _sleepy("t.base", 0)
    dep = _sleepy("t.dep", 0, needs=("t.base",))
    first = _runner().run([base, dep])
    again = _runner().run([dep], prior=first.results)
    assert list(again.results) == ["t.dep"]
    assert again.results["t.dep"].status == Status.OK


def test_probes_that_use_a_child_process_start_first() -> None:
    """Their child then works while the others start; results keep the given order."""
    started: list[str] = []
    isolating = probe("t.iso", "t.iso", "t.iso", isolates_calls=True, timeout=5.0)(
        lambda ctx: result(Status.OK, Text("", ""))
    )
    plain = [_sleepy(f"t.p{i}", 0) for i in range(3)]
    report = _runner().run([*plain, isolating], Callbacks(on_start=lambda p: started.append(p.id)))
    assert started[0] == "t.iso"
    assert list(report.results) == ["t.p0", "t.p1", "t.p2", "t.iso"]


def test_skip_summary_names_the_needed_check_by_its_title() -> None:
    """The summary (JSON, reports) says which check did not pass in words, not its id."""

    @probe("t.base", "智慧卡服務", "Smart-card service", timeout=5.0)
    def base(ctx: Context) -> Result:
        return result(Status.FAIL, Text("", ""))

    dep = _sleepy("t.dep", 0, needs=("t.base",))
    summary = _runner().run([base, dep]).results["t.dep"].summary
    assert summary.zh == "未檢查，因為「智慧卡服務」沒有通過"
    assert summary.en == "Not checked, because “Smart-card service” did not pass"


def test_recheck_skip_summary_takes_the_title_from_the_engine() -> None:
    from diagwizard.engine.engine import Engine

    engine = Engine.create(Config(), plugins=False)
    failed = result(Status.FAIL, Text("", ""))
    res = engine.rerun("pcsc.readers", {"pcsc.service": failed})
    assert res.status == Status.SKIP
    assert "pcsc.service" not in res.summary.zh + res.summary.en
    assert "智慧卡服務" in res.summary.zh
