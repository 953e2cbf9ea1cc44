"""``diagwizard fix``: list the fixes that apply now, show each in full, apply after
consent (or ``--yes``), check again, and log; ``--undo`` reverts the last one."""

from __future__ import annotations

import argparse
import sys

from diagwizard.core import config
from diagwizard.core.errors import UserError
from diagwizard.core.i18n import resolve_lang
from diagwizard.core.sanitize import clean
from diagwizard.core.words import fixes
from diagwizard.core.words.common import CHECKING_NOW
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
    fixer.diagnose(chosen)
    offers = fixer.offers(chosen)
    if not offers:
        print(fixes.NOTHING.get(lang))
        return 0
    print(fixes.FIXES_NOW.get(lang, n=len(offers)))
    if args.dry_run:
        for offer in offers:
            print("\n".join(describe(offer, lang)))
        print(fixes.DRY_RUN.get(lang))
        return 0
    return _apply_all(fixer, offers, lang, args.yes)


def _apply_all(fixer: Fixer, offers: list[Offer], lang: str, yes: bool) -> int:
    outcomes: list[FixOutcome] = []
    declined = 0
    problem = fixer.log_problem()
    if problem:  # before anyone agrees: what is applied now cannot be undone by the tool
        print(fixes.LOG_UNUSABLE.get(lang, err=problem))
    for offer in offers:
        print()
        print("\n".join(describe(offer, lang)))
        if not yes and not _ask(clean(fixes.CONFIRM.get(lang, title=offer.fix.title.get(lang)))):
            print(fixes.SKIPPED.get(lang))
            declined += 1
            continue
        outcome = fixer.apply(offer)
        _report(outcome, fixer, lang)
        outcomes.append(outcome)
    if any(o.logged for o in outcomes):
        print(clean(fixes.LOGGED.get(lang, path=str(fixlog.log_path()))))
    if any(o.verdict != Verdict.FIXED for o in outcomes):
        return 1
    return 2 if declined and not outcomes else 0


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
