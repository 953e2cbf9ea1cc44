"""``diagwizard fix``: the repair loop in the terminal (:mod:`diagwizard.diagnosis.repair`).

Everything is checked first; then the problems come in order. For each, the fixes that
apply are shown in full and applied after consent (or ``--yes``); the problem's probes and
everything that depends on them are checked again and the new count is said at once
(「已修好 1 個，還有 2 個問題」), with any problem the fix brought to light. When no fix is
left to offer, the problems left are named with their steps, then what to do next and the
case code. ``--dry-run`` shows the fixes and changes nothing; ``--undo`` reverts the last
fix that can be undone.
"""

from __future__ import annotations

import argparse
import sys

from diagwizard.core import config
from diagwizard.core.errors import UserError
from diagwizard.core.i18n import resolve_lang
from diagwizard.core.sanitize import clean
from diagwizard.core.words import fixes, terminal
from diagwizard.core.words.common import CHECKING_NOW
from diagwizard.diagnosis import casecode
from diagwizard.diagnosis.outcome import RunOutcome
from diagwizard.diagnosis.repair import Repair, Round, next_steps, progress, record
from diagwizard.diagnosis.session import Diagnosis
from diagwizard.engine import fixlog
from diagwizard.engine.engine import Engine
from diagwizard.engine.fixer import Fixer, FixOutcome, Offer, UnknownFix, Verdict
from diagwizard.ui.fixwords import describe, describe_undo, left_alone, verdict_lines


def _ask(prompt: str) -> bool:
    sys.stdout.write(prompt)
    sys.stdout.flush()
    line = sys.stdin.readline()
    if not line.endswith("\n"):  # end of input: keep the next message on its own line
        print()
    return line.strip().lower() == "yes"


def _report(outcome: FixOutcome, fixer: Fixer, lang: str) -> None:
    titles = {pid: p.title.get(lang) for pid, p in fixer.engine.probes.items()}
    print("\n".join(verdict_lines(outcome, titles, lang)))


def make_fixer(args: argparse.Namespace) -> tuple[Fixer, str]:
    cfg = config.load(args.config)
    lang = resolve_lang(args.lang, cfg.lang)
    return Fixer(Engine.create(cfg, plugins=not args.no_plugins), lang), lang


def cmd_fix(args: argparse.Namespace) -> int:
    fixer, lang = make_fixer(args)
    if args.undo:
        return _undo(fixer, lang, args.yes, args.dry_run)
    try:
        chosen = fixer.select(args.ids)
    except UnknownFix as exc:
        raise UserError(
            fixes.UNKNOWN, ids=", ".join(exc.ids), known=", ".join(exc.known)
        ) from None
    print(CHECKING_NOW.get(lang), flush=True)
    engine = fixer.engine
    diagnosis = Diagnosis(dict(engine.probes))
    diagnosis.results = engine.run().results
    repair = Repair(engine, fixer, allowed=[f.id for f in chosen])
    loop = Loop(repair, diagnosis, lang, args.yes)
    if args.dry_run:
        return loop.dry_run()
    return loop.run()


class Loop:
    """The terminal's side of the repair loop: what it prints and asks."""

    def __init__(self, repair: Repair, diagnosis: Diagnosis, lang: str, yes: bool) -> None:
        self.repair, self.diagnosis, self.lang, self.yes = repair, diagnosis, lang, yes
        self.outcomes: list[FixOutcome] = []
        self.declined = 0
        self.warned = False  # said whether the fix log can record the fixes

    def outcome(self) -> RunOutcome:
        return self.diagnosis.outcome(self.repair.platform)

    def dry_run(self) -> int:
        """Each problem with the fixes that would be offered; nothing changes."""
        outcome = self.outcome()
        shown = self._problems(outcome, offers=True)
        others = [o for o in self.repair.others(outcome.results) if o.fix.id not in shown]
        for offer in others:
            print("\n".join(describe(offer, self.lang, only_this=True)))
        if not shown and not others:
            print(fixes.NOTHING.get(self.lang))
            return 0
        print(fixes.DRY_RUN.get(self.lang))
        return 0

    def run(self) -> int:
        lang = self.lang
        outcome = self.outcome()
        self._problems(outcome, offers=False)
        step = self.repair.next(outcome)
        if step is None and not self.repair.others(outcome.results):
            print(fixes.NOTHING.get(lang))
        while step is not None:
            problem, offers = step
            n = outcome.problems.index(problem) + 1
            heading = fixes.PROBLEM_HEADING.get(
                lang, n=n, total=outcome.count, headline=clean(problem.headline.get(lang))
            )
            print(f"\n{heading}")
            # One fix at a time: the next is planned against what this one changed.
            outcome = self._offer(offers[0]) or outcome
            step = self.repair.next(outcome)
        for offer in self.repair.others(outcome.results):  # fixes that belong to no problem
            outcome = self._offer(offer) or outcome
        self._closing(outcome)
        if any(o.logged for o in self.outcomes):
            print(clean(fixes.LOGGED.get(lang, path=str(fixlog.log_path()))))
        if any(o.verdict != Verdict.FIXED for o in self.outcomes):
            return 1
        return 2 if self.declined and not self.outcomes else 0

    def _offer(self, offer: Offer) -> RunOutcome | None:
        """Show one fix in full, apply it after consent; the new outcome, if it ran."""
        lang = self.lang
        if not self.warned:  # before anyone agrees: what is applied now cannot be undone
            self.warned = True
            problem = self.repair.fixer.log_problem()
            if problem:
                print(fixes.LOG_UNUSABLE.get(lang, err=problem))
        print()
        print("\n".join(describe(offer, lang)))
        if not self.yes and not _ask(clean(fixes.CONFIRM.get(lang, title=offer.fix.title.get(lang)))):
            print(fixes.SKIPPED.get(lang))
            self.repair.decline(offer)
            self.declined += 1
            return None
        done = self.repair.apply([offer], self.diagnosis)
        record(self.diagnosis, done)
        for outcome in done.outcomes:
            _report(outcome, self.repair.fixer, lang)
            self.outcomes.append(outcome)
        self._progress(done)
        return done.after

    def _progress(self, done: Round) -> None:
        if done.changed:
            print(progress(done, self.diagnosis.fixed, self.lang))

    def _problems(self, outcome: RunOutcome, offers: bool) -> set[str]:
        """The verdict and each problem's headline, marked where a fix is offered (with
        ``offers``, each such fix in full); the ids of the fixes shown."""
        lang = self.lang
        shown: set[str] = set()
        if not outcome.problems:
            return shown
        print(fixes.FOUND.get(lang, n=outcome.count))
        for n, problem in enumerate(outcome.problems, 1):
            found = self.repair.offers(problem, outcome.results)
            gap = " " if lang == "en" else ""  # no space before a full-width bracket
            mark = f"{gap}{fixes.AUTO_MARK.get(lang)}" if found else ""
            print(f"{n}. {clean(problem.headline.get(lang))}{mark}")
            if not found and problem.kb:
                print("   " + terminal.FIX_AT.get(lang, id=problem.kb))
            for offer in found if offers else []:
                if offer.fix.id not in shown:  # only in a dry run
                    print("\n".join(describe(offer, lang, only_this=True)))
                    shown.add(offer.fix.id)
        return shown

    def _closing(self, outcome: RunOutcome) -> None:
        """The problems left, each with where its steps are; what to do next, the code."""
        lang = self.lang
        print()
        if outcome.problems and self.outcomes:  # else: as listed at the start
            print(terminal.PROBLEMS_IN_ORDER.get(lang, n=outcome.count))
            for n, problem in enumerate(outcome.problems, 1):
                print(f"{n}. {clean(problem.headline.get(lang))}")
                if problem.kb:
                    print("   " + terminal.FIX_AT.get(lang, id=problem.kb))
        results = self.diagnosis.results
        code = casecode.code_for(results, dict(self.diagnosis.answers), self.repair.platform)
        print(next_steps(outcome, lang, code))


def _undo(fixer: Fixer, lang: str, yes: bool, dry_run: bool = False) -> int:
    search = fixer.last_undoable()
    for note in search.notes:  # log entries skipped: said, never run
        print(clean(note.get(lang)))
    entry, fix, offer = search.entry, search.fix, search.offer
    if entry is None or fix is None:
        print(fixes.UNDO_NONE.get(lang))
        return 0
    if offer is None:
        when = entry.applied_at or "?"
        print(clean(fixes.UNDO_NOTHING_NOW.get(lang, title=fix.title.get(lang), when=when)))
        print("\n".join(left_alone(search.left_alone, lang)))
        return 0
    print("\n".join(describe_undo(offer, lang)))
    if dry_run:
        print(fixes.DRY_RUN.get(lang))
        return 0
    if not yes and not _ask(fixes.UNDO_CONFIRM.get(lang)):
        print(fixes.SKIPPED.get(lang))
        return 2
    outcome = fixer.undo(offer)
    _report(outcome, fixer, lang)
    return 0 if outcome.verdict == Verdict.UNDONE else 1
