"""The repair loop: from the first problem to a working login, the same in ``diagwizard
fix`` and the wizard.

Problems come in the diagnosis' order. For each, the consented fix where one applies
(planned now, shown in full, applied only after a yes), or its manual steps. After a fix
is applied, its own probes are checked again (by the fixer, which logs the verdict), then
everything that depends on them (:meth:`Engine.follow_up`: the checks that were skipped
or explained because of the cause that is now gone), and the problems are worked out
again: the new count is known at once, and a problem that only shows once its cause is
fixed joins the list.

Nothing here changes the caller's diagnosis: each step reads a copy and returns what it
checked again (:class:`Round`); the caller records it (:func:`record`: the wizard on its
own thread, the CLI in its diagnosis).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from diagwizard.core.model import Result, Severity
from diagwizard.core.sanitize import clean
from diagwizard.core.words import fixes as words
from diagwizard.diagnosis.outcome import Problem, RunOutcome
from diagwizard.diagnosis.session import Diagnosis
from diagwizard.engine.fixer import Fixer, FixOutcome, Offer, Verdict

if TYPE_CHECKING:
    from diagwizard.engine.engine import Engine


@dataclass
class Round:
    """What one step of the loop did: the fixes' verdicts, every result checked again, and
    the problems before and after."""

    outcomes: list[FixOutcome]
    results: dict[str, Result]
    before: list[Problem]
    after: RunOutcome
    fixed: list[Problem] = field(default_factory=list)  # gone since ``before``
    revealed: list[Problem] = field(default_factory=list)  # new since ``before``

    @property
    def changed(self) -> bool:
        """Whether anything was checked again (a fix that failed to apply checks nothing)."""
        return bool(self.results)


def settle(
    diagnosis: Diagnosis, fresh: Mapping[str, Result], platform: str, outcomes: list[FixOutcome]
) -> Round:
    """The problems before and after ``fresh`` results, and which went or came."""
    before = diagnosis.outcome(platform).problems
    after = diagnosis.with_results(fresh).outcome(platform)
    old = {p.key for p in before}
    now = {p.key for p in after.problems}
    return Round(
        outcomes,
        dict(fresh),
        before,
        after,
        [p for p in before if p.key not in now],
        [p for p in after.problems if p.key not in old],
    )


def record(diagnosis: Diagnosis, round_: Round) -> None:
    """Put what a round checked into the diagnosis, and count what it fixed."""
    diagnosis.results.update(round_.results)
    diagnosis.fixed += len(round_.fixed)


def progress(round_: Round, fixed: int, lang: str) -> str:
    """「已修好 1 個，還有 2 個問題」 (``fixed``: the tally so far), then what came to light."""
    left = round_.after.count
    line = (words.PROGRESS if left else words.PROGRESS_DONE).get(lang, fixed=fixed, left=left)
    if round_.revealed:
        sep = "；" if lang != "en" else "; "
        found = sep.join(clean(p.headline.get(lang)) for p in round_.revealed)
        line += (" " if lang == "en" else "") + words.REVEALED.get(lang, problems=found)
    return line


def next_steps(outcome: RunOutcome, lang: str, case_code: str) -> str:
    """What to do once no fix is left to offer: log in again, or the manual steps, and
    the case code to read to the helpdesk."""
    if not outcome.problems:
        return words.NEXT_ALL_CLEAR.get(lang, code=case_code)
    return words.NEXT_MANUAL.get(lang, n=outcome.count, code=case_code)


def chain_of(problem: Problem, probes: Mapping[str, object]) -> list[str]:
    """The probes that show a problem and those it explains: what "check again" runs
    (with their chain, :meth:`Engine.chain`)."""
    return [p for p in (*problem.sources, *problem.explains) if p in probes]


def fixes_for(problem: Problem, fixer: Fixer) -> list[str]:
    """The ids of the fixes that address a problem: they fix one of its findings, or (a
    fix that names no finding) look at a probe that shows it."""
    codes = {f.code for f in problem.findings if f.severity != Severity.INFO}
    return [
        fix.id
        for fix in fixer.fixes.values()
        if codes & set(fix.codes) or (not fix.codes and set(fix.probes) & set(problem.sources))
    ]


class Repair:
    """One person's way through their problems: the engine, the fixer, the fixes this loop
    may offer (``allowed``: all, or those named on the command line) and what was tried."""

    def __init__(self, engine: Engine, fixer: Fixer, allowed: Iterable[str] | None = None) -> None:
        self.engine = engine
        self.fixer = fixer
        self.allowed = set(allowed) if allowed is not None else None
        self.tried: set[str] = set()  # fix ids applied or declined here: not offered again

    @property
    def platform(self) -> str:
        return self.engine.platform

    # -- what can be done -------------------------------------------------------------------
    def offers(self, problem: Problem, results: Mapping[str, Result]) -> list[Offer]:
        """The consented fixes that apply to ``problem`` now (planned against ``results``),
        leaving out those already tried in this loop."""
        self.fixer.results = dict(results)
        ids = [i for i in fixes_for(problem, self.fixer) if self._may(i)]
        return self.fixer.offers(self.fixer.fixes[i] for i in ids)

    def others(self, results: Mapping[str, Result]) -> list[Offer]:
        """Fixes that apply now, not yet tried (after the problems: those that belong to
        none, e.g. a registration of a module that is gone)."""
        self.fixer.results = dict(results)
        return self.fixer.offers(f for f in self.fixer.fixes.values() if self._may(f.id))

    def next(self, outcome: RunOutcome) -> tuple[Problem, list[Offer]] | None:
        """The first problem, in order, with a fix to offer; None when only manual fixes
        (or none) are left."""
        for problem in outcome.problems:
            offers = self.offers(problem, outcome.results)
            if offers:
                return problem, offers
        return None

    def _may(self, fix_id: str) -> bool:
        return fix_id not in self.tried and (self.allowed is None or fix_id in self.allowed)

    def decline(self, offer: Offer) -> None:
        self.tried.add(offer.fix.id)

    # -- doing it ------------------------------------------------------------------------------
    def apply(self, offers: Iterable[Offer], diagnosis: Diagnosis) -> Round:
        """Apply consented fixes one after another; check each one's probes and everything
        downstream again; work the problems out anew. ``diagnosis`` is only read."""
        results = dict(diagnosis.results)
        outcomes: list[FixOutcome] = []
        fresh: dict[str, Result] = {}
        for offer in offers:
            self.tried.add(offer.fix.id)
            self.fixer.results = dict(results)
            try:
                outcome = self.fixer.apply(offer)
            except Exception as exc:  # a fix (maybe a plugin's) that breaks: a verdict
                outcome = FixOutcome(offer.fix, Verdict.FAILED, f"{type(exc).__name__}: {exc}")
            outcomes.append(outcome)
            if outcome.verdict in (Verdict.FAILED, Verdict.NEEDS_ADMIN):
                continue  # nothing changed, nothing to check again
            again = {k: v for k, v in self.fixer.results.items() if results.get(k) is not v}
            results.update(again)
            below = self.engine.follow_up(list(again), results)
            results.update(below)
            fresh.update(again)
            fresh.update(below)
        return settle(diagnosis, fresh, self.platform, outcomes)


__all__ = [
    "Repair",
    "Round",
    "chain_of",
    "fixes_for",
    "next_steps",
    "progress",
    "record",
    "settle",
]
