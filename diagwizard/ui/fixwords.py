"""The one description of a fix's plan (and of an undo's) that ``diagwizard fix`` and the
wizard both show in full before asking (the words are in
:mod:`diagwizard.core.words.fixes`).

Plans name things read from the machine (a registration's name in ``pkcs11.txt``, a
module path from the config, a certificate's friendly name): every line passes through
the one sanitiser, so the screen where a person agrees cannot be cleared, recoloured or
reordered by what it shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from diagwizard.core.sanitize import clean
from diagwizard.core.words import fixes
from diagwizard.system.adapters.commands import shown

if TYPE_CHECKING:
    from diagwizard.api.fix import Fix, Plan
    from diagwizard.core.text import Text
    from diagwizard.engine.fixer import FixOutcome, Offer, UndoOffer


def _plan_lines(fix: Fix, plan: Plan, lang: str, prompts_for_rights: bool) -> list[str]:
    lines = [f"  {(fixes.ADMIN_YES if fix.needs_admin else fixes.ADMIN_NO).get(lang)}"]
    if prompts_for_rights:  # Windows asks (UAC) before each command needing the rights
        lines.append(f"  {fixes.ADMIN_PROMPT.get(lang)}")
    if plan.note is not None:
        lines.append(f"  {fixes.FIRST.get(lang, text=plan.note.get(lang))}")
    lines.append(f"  {fixes.WILL_CHANGE.get(lang)}")
    for change in plan.changes:
        lines.append(f"    - {change.render(lang)}")
        if change.command and not change.render(lang).endswith(shown(change.command)):
            lines.append(f"      $ {shown(change.command)}")
    for text in plan.left_alone:
        lines.append(f"    · {fixes.LEFT_ALONE.get(lang, what=text.get(lang))}")
    return lines


def describe(offer: Offer, lang: str, only_this: bool = False) -> list[str]:
    """The full plan as lines: title, rights, changes with their exact commands, undo;
    with ``only_this`` (a dry run, which a helpdesk reads), the command that applies just
    this fix, the one place its id is shown."""
    fix = offer.fix
    lines = [fix.title.get(lang), *_plan_lines(fix, offer.plan, lang, offer.prompts_for_rights)]
    undo = offer.plan.undo_text or fix.undo_text  # this system's words, where the plan has them
    lines.append(f"  {fixes.UNDO.get(lang, text=undo.get(lang))}")
    if only_this:
        lines.append(f"  {fixes.ONLY_THIS.get(lang, id=fix.id)}")
    return [clean(line) for line in lines]


def describe_undo(offer: UndoOffer, lang: str) -> list[str]:
    """An undo, planned again from the fix's code: what it reverts, with every command."""
    fix = offer.fix
    head = fixes.UNDO_PLAN.get(lang, title=fix.title.get(lang), when=offer.applied_at or "?")
    return [clean(line) for line in (head, *_plan_lines(fix, offer.plan, lang, False))]


def left_alone(texts: tuple[Text, ...], lang: str) -> list[str]:
    """What an undo leaves alone, and why (when nothing of it is left to revert)."""
    return [clean(f"  · {fixes.LEFT_ALONE.get(lang, what=t.get(lang))}") for t in texts]


def verdict_lines(outcome: FixOutcome, probe_titles: dict[str, str], lang: str) -> list[str]:
    """A fix's verdict and each probe checked again, sanitised (summaries name the
    machine's things; a failure's detail quotes a command's error output)."""
    fix = outcome.fix
    lines = [fixes.RESULT.get(lang, title=fix.title.get(lang), verdict=outcome.render(lang))]
    for pid, res in outcome.results.items():
        name = probe_titles.get(pid, pid)
        lines.append("  " + fixes.RECHECKED.get(lang, probe=name, summary=res.summary.get(lang)))
    return [clean(line) for line in lines]
