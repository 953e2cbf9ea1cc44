"""A fixed fake engine for UI-only tests: the real probe definitions, canned results."""

from __future__ import annotations

import time

from checks import middleware, pcsc, pkcs11_pin
from diagwizard.api.probe import Probe
from diagwizard.core.model import Result, Status, result
from diagwizard.core.text import Text
from diagwizard.engine import registry
from diagwizard.engine.runner import Callbacks, RunResults
from diagwizard.engine.runner_results import skipped_need

_REGISTRY = registry.load(plugins=False)


def _canned() -> dict[str, Result]:
    ok = lambda zh, en, **facts: result(Status.OK, Text(zh, en), facts=facts)  # noqa: E731
    out = {p.id: ok("正常", "Fine") for p in _REGISTRY}
    out["pcsc.card"] = result(
        Status.FAIL, Text("沒有插入卡片", "No card inserted"), pcsc.NO_CARD(), facts={"cards": []}
    )
    out["pcsc.card_type"] = skipped_need("pcsc.card", missing=False, title=pcsc.card.title)
    out["middleware.hipki"] = result(
        Status.FAIL,
        Text("跨平台網頁元件沒有執行", "HiPKI Local Server not running"),
        middleware.HIPKI_DOWN(),
    )
    out["pkcs11.pin"] = result(
        Status.WARN,
        Text("PIN 碼已輸錯過", "Wrong PINs were entered"),
        pkcs11_pin.COUNT_LOW(),
        facts={"tries_left": "fewer"},
    )
    for r in out.values():
        r.duration_ms = 12
    return out


class FakeEngine:
    platform = "linux"

    def __init__(self) -> None:
        self.results = _canned()
        self.runs: list[tuple[str, ...]] = []
        self.reruns: list[str] = []

    @property
    def probes(self) -> dict[str, Probe]:
        return _REGISTRY.probes

    def applicable(self, only: list[str] | tuple[str, ...] = ()) -> list[Probe]:
        return _REGISTRY.select(only)

    def run(self, only=(), callbacks: Callbacks | None = None, prior=None) -> RunResults:
        self.runs.append(tuple(only))
        cb = callbacks or Callbacks()
        chosen = self.applicable(only)
        for p in chosen:
            cb.on_start(p)
        out = {}
        for p in chosen:
            out[p.id] = self.results[p.id]
            cb.on_finish(p, self.results[p.id])
        return RunResults(time.time(), 5, out)

    def rerun(self, probe_id: str, prior: dict[str, Result]) -> Result:
        """After "I fixed it", the probe passes."""
        self.reruns.append(probe_id)
        fixed = result(Status.OK, Text("已修正", "Fixed now"))
        fixed.duration_ms = 7
        self.results[probe_id] = fixed
        return fixed
