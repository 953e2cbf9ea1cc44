"""The one description of a fix's plan that ``diagwizard fix`` and the wizard both show in
full before asking (the words are in :mod:`diagwizard.core.words.fixes`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from diagwizard.core.words import fixes
from diagwizard.system.adapters.commands import shown

if TYPE_CHECKING:
    from diagwizard.engine.fixer import Offer

def describe(offer: Offer, lang: str) -> list[str]:
    """The full plan as lines: title, rights, changes with their exact commands, undo."""
    fix, plan = offer.fix, offer.plan
    lines = [f"[{fix.id}] {fix.title.get(lang)}"]
    lines.append(f"  {(fixes.ADMIN_YES if fix.needs_admin else fixes.ADMIN_NO).get(lang)}")
    if offer.prompts_for_rights:
        lines.append(f"  {fixes.ADMIN_PROMPT.get(lang)}")
    if plan.note is not None:
        lines.append(f"  {fixes.FIRST.get(lang, text=plan.note.get(lang))}")
    lines.append(f"  {fixes.WILL_CHANGE.get(lang)}")
    for change in plan.changes:
        lines.append(f"    - {change.render(lang)}")
        if change.command and not change.render(lang).endswith(shown(change.command)):
            lines.append(f"      $ {shown(change.command)}")
    lines.append(f"  {fixes.UNDO.get(lang, text=fix.undo_text.get(lang))}")
    return lines
