"""``diagwizard decode CODE``: the caller's results and the fixes, from a case code."""

from __future__ import annotations

import argparse

from diagwizard import casecode, config
from diagwizard.diagnosis import Diagnosis
from diagwizard.i18n import STATUS_LABEL, STATUS_STYLE, resolve_lang
from diagwizard.model import Text


def cmd_decode(args: argparse.Namespace) -> int:
    cfg = config.load(args.config)
    lang = resolve_lang(args.lang, cfg.lang)
    book = casecode.current_codebook()
    state = casecode.decode(" ".join(args.code), book)
    results = casecode.to_results(state, book)
    probes = {p.id: p for p in book.probes}
    diagnosis = Diagnosis(probes, results, dict(state.answers))
    from rich.console import Console
    from rich.markdown import Markdown
    from rich.table import Table

    from diagwizard import knowledge
    from diagwizard.kb.markdown import fix_markdown

    console = Console(highlight=False)
    head = Text("平台：{p}　{scope}", "Platform: {p}   {scope}")
    scope = (
        Text("完整檢查", "complete check")
        if state.ran is None
        else Text("部分檢查", "partial check")
    )
    console.print(head.get(lang, p=state.platform, scope=scope.get(lang)))
    table = Table(box=None, pad_edge=False)
    table.add_column(Text("狀態", "Status").get(lang), no_wrap=True)
    table.add_column(Text("檢查項目", "Check").get(lang))
    table.add_column(Text("發現", "Finding").get(lang), overflow="fold")
    for pid, res in results.items():
        finding = res.findings[0] if res.findings else None
        text = f"{finding.code} {finding.render(lang)}" if finding else ""
        style = STATUS_STYLE[res.status]
        table.add_row(
            f"[{style}]{STATUS_LABEL[res.status].get(lang)}[/]", probes[pid].title.get(lang), text
        )
    console.print(table)
    for problem in diagnosis.answer_findings():
        console.print(f"• {problem.finding.render(lang)}")
    kb = knowledge.load()
    fixes = diagnosis.fixes()
    if not fixes:
        console.print(Text("沒有需要處理的問題。", "Nothing to fix.").get(lang))
    for n, entry_id in enumerate(fixes, 1):
        entry = kb.entries[entry_id]
        console.print(Markdown(f"## {n}. {entry.title.get(lang)}\n\n{fix_markdown(entry, lang)}"))
    return 0
