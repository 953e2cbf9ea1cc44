"""``diagwizard fix``: list the fixes that apply now, show each in full, apply after
consent (or ``--yes``), check again, and log; ``--undo`` reverts the last one."""

from __future__ import annotations

import argparse
import sys

from diagwizard.core import config
from diagwizard.core.errors import UserError
from diagwizard.core.i18n import resolve_lang
from diagwizard.core.words import fixes
from diagwizard.core.words.common import CHECKING_NOW
from diagwizard.engine import fixlog
from diagwizard.engine.engine import Engine
from diagwizard.engine.fixer import Fixer, FixOutcome, Offer, UnknownFix, Verdict
from diagwizard.ui.fixwords import describe


def _ask(prompt: str) -> bool:
    sys.stdout.write(prompt)
    sys.stdout.flush()
    line = sys.stdin.readline()
    if not line.endswith("\n"):  # end of input: keep the next message on its own line
        print()
    return line.strip().lower() == "yes"


def _report(outcome: FixOutcome, fixer: Fixer, lang: str) -> None:
    print(
        fixes.RESULT.get(lang, title=outcome.fix.title.get(lang), verdict=outcome.render(lang))
    )
    for pid, res in outcome.results.items():
        probe = fixer.engine.probes.get(pid)
        name = probe.title.get(lang) if probe else pid
        print("  " + fixes.RECHECKED.get(lang, probe=name, summary=res.summary.get(lang)))


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
    for offer in offers:
        print()
        print("\n".join(describe(offer, lang)))
        if not yes and not _ask(fixes.CONFIRM.get(lang, title=offer.fix.title.get(lang))):
            print(fixes.SKIPPED.get(lang))
            declined += 1
            continue
        outcome = fixer.apply(offer)
        _report(outcome, fixer, lang)
        outcomes.append(outcome)
    if any(o.logged for o in outcomes):
        print(fixes.LOGGED.get(lang, path=str(fixlog.log_path())))
    if any(o.verdict != Verdict.FIXED for o in outcomes):
        return 1
    return 2 if declined and not outcomes else 0


def _undo(fixer: Fixer, lang: str, yes: bool, dry_run: bool = False) -> int:
    found = fixer.last_undoable()
    if found is None:
        print(fixes.UNDO_NONE.get(lang))
        return 0
    entry, fix = found
    title = entry.get("title", {}).get(lang) or str(entry.get("fix"))
    if fix is None:
        print(fixes.UNDO_GONE.get(lang, title=title))
        return 1
    print(fixes.UNDO_PLAN.get(lang, title=title, when=entry.get("applied_at", "?")))
    for change in entry.get("changes", []):
        print(f"  - {change.get(lang, '')}")
    print(f"  {fixes.UNDO.get(lang, text=fix.undo_text.get(lang))}")
    if dry_run:
        print(fixes.DRY_RUN.get(lang))
        return 0
    if not yes and not _ask(fixes.UNDO_CONFIRM.get(lang)):
        print(fixes.SKIPPED.get(lang))
        return 2
    outcome = fixer.undo(entry, fix)
    _report(outcome, fixer, lang)
    return 0 if outcome.verdict == Verdict.UNDONE else 1
