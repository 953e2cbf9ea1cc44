"""Bilingual words around fixes, shared by the CLI and the wizard, and the one
description of a plan that both show in full before asking."""

from __future__ import annotations

from typing import TYPE_CHECKING

from diagwizard.core.text import Text
from diagwizard.system.adapters.fixops import shown

if TYPE_CHECKING:
    from diagwizard.engine.fixer import Offer

FIX_WORDS: dict[str, Text] = {
    "fix_it": Text("幫我修好", "Fix it for me"),
    "fixes_now": Text("可以幫您處理的問題（{n} 項）：", "Fixes that apply now ({n}):"),
    "nothing": Text(
        "目前沒有可以自動處理的問題。", "Nothing can be fixed automatically right now."
    ),
    "will_change": Text("將會變更：", "What will change:"),
    "admin_yes": Text("需要系統管理員權限", "Needs administrator rights"),
    "admin_no": Text("不需要系統管理員權限", "No administrator rights needed"),
    "first": Text("請先：{text}", "First: {text}"),
    "undo": Text("如何復原：{text}", "How to undo: {text}"),
    "dry_run": Text("（試跑：沒有做任何變更）", "(dry run: nothing was changed)"),
    "confirm": Text("要套用「{title}」嗎？輸入 yes 套用：", "Apply “{title}”? Type yes to apply: "),
    "skipped": Text("已略過，沒有變更。", "Skipped; nothing changed."),
    "result": Text("{title}：{verdict}", "{title}: {verdict}"),
    "rechecked": Text("再檢查一次：{probe} — {summary}", "Checked again: {probe} — {summary}"),
    "unknown": Text(
        "沒有這個修正：{ids}（可用的有：{known}）", "No such fix: {ids} (available: {known})"
    ),
    "undo_none": Text("沒有可以復原的修正。", "No applied fix can be undone."),
    "undo_gone": Text(
        "無法復原「{title}」：這個版本沒有這項修正", "Cannot undo “{title}”: this version lacks it"
    ),
    "undo_plan": Text(
        "將復原 {when} 套用的「{title}」：", "This undoes “{title}”, applied {when}:"
    ),
    "undo_confirm": Text("要復原嗎？輸入 yes 復原：", "Undo it? Type yes to undo: "),
    "logged": Text("已記錄在 {path}", "Logged in {path}"),
    "no_fix_here": Text(
        "這一項沒有可以自動處理的修正。", "There is no automatic fix for this item."
    ),
    "press_f": Text(
        "🔧 按 f「幫我修好」：先顯示會變更什麼，經您同意才執行",
        "🔧 Press f, “Fix it for me”: see exactly what changes; nothing runs without your OK",
    ),
    "check_hint": Text(
        "有 {n} 項問題可以由工具協助處理（經您同意）：diagwizard fix",
        "{n} problem(s) can be fixed for you, with your consent: diagwizard fix",
    ),
    "cancel": Text("取消", "Cancel"),
    "close": Text("關閉", "Close"),
    "running": Text("正在處理並重新檢查…", "Applying and checking again…"),
}


def describe(offer: Offer, lang: str) -> list[str]:
    """The full plan as lines: title, rights, changes with their exact commands, undo."""
    fix, plan = offer.fix, offer.plan
    lines = [f"[{fix.id}] {fix.title.get(lang)}"]
    lines.append(f"  {FIX_WORDS['admin_yes' if fix.needs_admin else 'admin_no'].get(lang)}")
    if plan.note is not None:
        lines.append(f"  {FIX_WORDS['first'].get(lang, text=plan.note.get(lang))}")
    lines.append(f"  {FIX_WORDS['will_change'].get(lang)}")
    for change in plan.changes:
        lines.append(f"    - {change.render(lang)}")
        if change.command and not change.render(lang).endswith(shown(change.command)):
            lines.append(f"      $ {shown(change.command)}")
    lines.append(f"  {FIX_WORDS['undo'].get(lang, text=fix.undo_text.get(lang))}")
    return lines
