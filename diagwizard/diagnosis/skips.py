"""Why a check was not run, in words: "Not checked, because …", never a pass.

The reason comes from what the run recorded (the runner names the need that failed) or,
in a run without it, from the probes' declarations: the first check it needs, is
explained by or reads that did not pass, followed up the chain to the check that failed.

A case code holds statuses only, so a decoded skip carries a reason only where the
runner's rule makes it certain: the runner skips a probe exactly when one of its
``needs`` did not pass (the decoder marks those), naming the first in declared order.
Any other decoded skip says the code does not record why; it is never guessed from
``wants`` or ``explained_by``.
"""

from __future__ import annotations

from collections.abc import Mapping

from diagwizard.api.probe import Probe
from diagwizard.core.model import Result, Status
from diagwizard.core.text import Text
from diagwizard.core.words import records

RUNNER_NEED_FAILED = "runner.I001"
RUNNER_NEED_MISSING = "runner.I002"

FAILED, MISSING, UNCHECKED = "failed", "missing", "unchecked"
_WORDS = {
    FAILED: records.NEED_FAILED,
    MISSING: records.NEED_MISSING,
    UNCHECKED: records.NEED_NOT_CHECKED,
}


def skip_reason(
    pid: str,
    res: Result,
    probes: Mapping[str, Probe],
    results: Mapping[str, Result] | None = None,
) -> Text:
    """ "Not checked, because …", naming the check it waited for in words."""
    why = _why(pid, res, probes, results or {})
    return Text(
        records.SKIP_BECAUSE.zh.format(why=why.zh),
        records.SKIP_BECAUSE.en.format(why=_lower_first(why.en)),
    )


def _why(pid: str, res: Result, probes: Mapping[str, Probe], results: Mapping[str, Result]) -> Text:
    if from_code(res):
        found = needs_blocker(pid, probes, results) if _runner_skip(res) else None
        return _words(*found, probes) if found else records.NOT_RECORDED
    for f in res.findings:
        need = str(f.params.get("need", ""))
        if f.code in (RUNNER_NEED_FAILED, RUNNER_NEED_MISSING) and need:
            how = MISSING if f.code == RUNNER_NEED_MISSING else FAILED
            if how == FAILED and results.get(need, res).status == Status.SKIP:
                how = UNCHECKED
                need, how = blocker(need, probes, results) or (need, how)
            return _words(need, how, probes)
    if own_reason(res):  # the probe skipped itself and said why
        return res.summary
    found = blocker(pid, probes, results)
    if found is not None:
        return _words(*found, probes)
    return res.summary


def blocker(
    pid: str,
    probes: Mapping[str, Probe],
    results: Mapping[str, Result],
    trail: tuple[str, ...] = (),
) -> tuple[str, str] | None:
    """The check that kept ``pid`` from running, by its declarations: the first of its
    needs, its cause (``explained_by``) and what it reads that did not pass, with how
    (failed, missing here, not checked). A check that was itself skipped for no reason
    of its own is followed up to the one that failed."""
    probe = probes.get(pid)
    if probe is None:
        return None
    cause = (probe.explained_by,) if probe.explained_by else ()
    for dep in dict.fromkeys((*probe.needs, *cause, *probe.wants)):
        if dep in trail:
            continue
        res = results.get(dep)
        if res is None:
            if dep in probe.needs:
                return dep, MISSING
            continue
        if res.status == Status.SKIP:
            if own_reason(res):
                return dep, UNCHECKED
            return blocker(dep, probes, results, (*trail, pid)) or (dep, UNCHECKED)
        if not res.status.passed:
            return dep, FAILED
    return None


def skip_blocker(
    pid: str, res: Result, probes: Mapping[str, Probe], results: Mapping[str, Result]
) -> tuple[str, str] | None:
    """The check that kept ``pid`` from running, with how; from a case code only where
    the runner's rule makes it certain (see the module's doc)."""
    if res.status != Status.SKIP or own_reason(res):
        return None
    if from_code(res):
        return needs_blocker(pid, probes, results) if _runner_skip(res) else None
    return blocker(pid, probes, results)


def needs_blocker(
    pid: str,
    probes: Mapping[str, Probe],
    results: Mapping[str, Result],
    trail: tuple[str, ...] = (),
) -> tuple[str, str] | None:
    """The runner's rule (engine/runner.py), replayed on decoded results: a need not in
    the run first, else the first need that did not pass; a need itself skipped by that
    rule is followed up to the check that failed."""
    probe = probes.get(pid)
    if probe is None:
        return None
    missing = [n for n in probe.needs if n not in results]
    if missing:
        return missing[0], MISSING
    failed = [n for n in probe.needs if not results[n].status.passed]
    if not failed:
        return None
    need = failed[0]
    if results[need].status != Status.SKIP:
        return need, FAILED
    if _runner_skip(results[need]) and need not in trail:
        return needs_blocker(need, probes, results, (*trail, pid)) or (need, UNCHECKED)
    return need, UNCHECKED


def from_code(res: Result) -> bool:
    """A skip rebuilt from a case code: no reason, or the runner's mark without its need."""
    if res.status != Status.SKIP:
        return False
    if not res.findings:
        return res.summary == records.NOT_RECORDED
    return _runner_skip(res)


def _runner_skip(res: Result) -> bool:
    """Skipped by the runner for a need, as a decoded code marks it (no need named)."""
    return any(
        f.code in (RUNNER_NEED_FAILED, RUNNER_NEED_MISSING) and not f.params.get("need")
        for f in res.findings
    )


def own_reason(res: Result) -> bool:
    """A skip with a finding of its own (not the runner's): its summary says why."""
    return any(not f.code.startswith("runner.") for f in res.findings)


def _words(need: str, how: str, probes: Mapping[str, Probe]) -> Text:
    words = _WORDS[how]
    title = probes[need].title if need in probes else Text(need, need)
    return Text(words.zh.format(need=title.zh), words.en.format(need=title.en))


def _lower_first(text: str) -> str:
    """ "because No module …" reads "because no module …"; names ("HiPKI …") stay."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text
