"""Results the runner itself produces when a probe could not report normally: it timed
out, raised, crashed, ran out of overall time, or a probe it needs did not pass."""

from __future__ import annotations

from diagwizard.core.model import FindingDef, Result, Status, found, skipped
from diagwizard.core.text import Text
from diagwizard.core.words import records

TIMED_OUT = FindingDef(
    "runner.E001",
    Text(
        "檢查超過 {seconds:g} 秒未完成，已中止",
        "Check did not finish within {seconds:g} s and was stopped",
    ),
)
RAISED = FindingDef(
    "runner.E002",
    Text("檢查程式發生錯誤：{error}", "The check itself failed: {error}"),
)
CRASHED = FindingDef(
    "runner.E003",
    Text(
        "檢查所用的元件當掉了（{how}）",
        "A component used by the check crashed ({how})",
    ),
)
NEED_FAILED = FindingDef(
    "runner.I001",
    Text("未執行：前置檢查 {need} 未通過", "Not run: prerequisite check {need} did not pass"),
)
NEED_MISSING = FindingDef(
    "runner.I002",
    Text(
        "未執行：前置檢查 {need} 不適用於此電腦",
        "Not run: prerequisite check {need} is not available here",
    ),
)
DEADLINE = FindingDef(
    "runner.E004",
    Text(
        "整體檢查時間已到，此項未能完成",
        "The overall time limit was reached before this check finished",
    ),
)

NOT_CONTAINED = FindingDef(
    "runner.E005",
    Text(
        "為了安全沒有執行這項檢查：無法把它的子程式放進 Windows 工作物件（{how}）",
        "Not run, for safety: its child process could not be put in a Windows job object ({how})",
    ),
)

CODES = (TIMED_OUT, RAISED, CRASHED, NEED_FAILED, NEED_MISSING, DEADLINE, NOT_CONTAINED)


def timed_out(seconds: float, finding: FindingDef | None = None) -> Result:
    return found(
        (finding or TIMED_OUT)(seconds=seconds),
        summary=records.TIMED_OUT.fill(seconds=f"{seconds:g}"),
        status=Status.TIMEOUT,  # not the probe's verdict: it gave none
    )


def deadline_reached() -> Result:
    return found(
        DEADLINE(),
        summary=records.DEADLINE,
        status=Status.TIMEOUT,
    )


def raised(exc: BaseException) -> Result:
    error = f"{type(exc).__name__}: {exc}"
    return found(
        RAISED(error=error),
        summary=records.RAISED,
        status=Status.ERROR,  # a fault of the check, not a finding about the computer
    )


def crashed(how: str, finding: FindingDef | None = None) -> Result:
    return found(
        (finding or CRASHED)(how=how),
        summary=records.CRASHED,
        status=Status.ERROR,
    )


def not_contained(how: str) -> Result:
    """The isolated child was ended before it ran (see ``isolation.winjob``)."""
    return found(NOT_CONTAINED(how=how), summary=records.NOT_CONTAINED, status=Status.ERROR)


def specialise(
    res: Result, probe_crash: FindingDef | None, probe_hang: FindingDef | None
) -> Result:
    """Swap the generic crash/timeout finding for the probe's own, keeping the params."""
    swap = {CRASHED.code: probe_crash, TIMED_OUT.code: probe_hang}
    for i, f in enumerate(res.findings):
        own = swap.get(f.code)
        if own is not None:
            res.findings[i] = own(**dict(f.params))
    return res


def skipped_need(need: str, missing: bool, title: Text | None = None) -> Result:
    """A probe not run for its need; the summary names the need by its title (its id
    only when no probe of that id is known), the finding keeps the id for the engine."""
    finding = NEED_MISSING(need=need) if missing else NEED_FAILED(need=need)
    name = title or Text(need, need)
    why = records.NEED_MISSING if missing else records.NEED_FAILED
    summary = Text(
        records.SKIP_BECAUSE.get("zh-TW", why=why.get("zh-TW", need=name.zh)),
        records.SKIP_BECAUSE.get("en", why=why.get("en", need=name.en)),
    )
    return skipped(summary, finding)
