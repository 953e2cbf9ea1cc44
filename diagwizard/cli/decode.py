"""``diagwizard decode CODE``: the caller's problems and their fixes, from a case code.

Renders the same outcome object as ``check``: the case code, platform and problem count
first, then the problems in the order to fix them, then every check in plain words; the
finding codes appear only under the details heading.
"""

from __future__ import annotations

import argparse

from diagwizard import casecode, config, outcome
from diagwizard.i18n import STATUS_LABEL, STATUS_STYLE, resolve_lang
from diagwizard.model import Status, Text
from diagwizard.outcome import RunOutcome, skip_reason

L = {
    "head": Text(
        "案件代碼 {code}　平台：{p}　{scope}", "Case code {code}   Platform: {p}   {scope}"
    ),
    "complete": Text("完整檢查", "complete check"),
    "partial": Text("部分檢查", "partial check"),
    "count": Text("需要處理的問題：{n} 個", "Problems to fix: {n}"),
    "none": Text("沒有需要處理的問題。", "Nothing to fix."),
    "problem": Text("問題 {n}", "problem {n}"),
    "caused": Text("原因見問題 {n}", "caused by problem {n}"),
    "checks": Text("各項檢查", "The checks"),
    "status": Text("狀態", "Status"),
    "check": Text("檢查項目", "Check"),
    "note": Text("說明", "Note"),
    "details": Text("詳細資料（給技術人員）", "Details (for technical staff)"),
    "answers": Text("來電者的回答", "The caller's answers"),
}


def decoded_outcome(code: str) -> tuple[RunOutcome, bool]:
    """The outcome a case code stands for, and whether the check was complete."""
    book = casecode.current_codebook()
    state = casecode.decode(code, book)
    results = casecode.to_results(state, book)
    shown = casecode.encode(state, book)
    probes = {p.id: p for p in book.probes}
    out = outcome.build(
        probes, results, platform=state.platform, answers=dict(state.answers), case_code=shown
    )
    return out, state.ran is None


def cmd_decode(args: argparse.Namespace) -> int:
    cfg = config.load(args.config)
    lang = resolve_lang(args.lang, cfg.lang)
    result, complete = decoded_outcome(" ".join(args.code))
    from rich.console import Console
    from rich.markdown import Markdown
    from rich.markup import escape
    from rich.table import Table

    from diagwizard import knowledge
    from diagwizard.kb.markdown import fix_markdown

    def t(key: str, **kw: object) -> str:
        return L[key].get(lang, **kw)

    console = Console(highlight=False)
    scope = t("complete") if complete else t("partial")
    console.print(
        f"[bold]{escape(t('head', code=result.case_code, p=result.platform, scope=scope))}[/]"
    )
    console.print(t("count", n=result.count) if result.count else t("none"))
    kb = knowledge.load()
    for n, problem in enumerate(result.problems, 1):
        entry = kb.entries.get(problem.kb or "")
        body = fix_markdown(entry, lang) if entry else ""
        console.print(Markdown(f"## {n}. {problem.title.get(lang)}\n\n{body}"))
    number = {p.key: n for n, p in enumerate(result.problems, 1)}
    table = Table(box=None, pad_edge=False, title=t("checks"), title_justify="left")
    table.add_column(t("status"), no_wrap=True)
    table.add_column(t("check"))
    table.add_column(t("note"), overflow="fold")
    for pid, res in result.results.items():
        own = [p for p in result.problems if pid in p.sources]
        if pid in result.explained_by:
            note = t("caused", n=number[result.explained_by[pid]])
        elif own:
            note = "、".join(t("problem", n=number[p.key]) for p in own)
        elif res.status == Status.SKIP:
            note = skip_reason(pid, res, result.probes, result.results).get(lang)
        else:
            note = ""
        style = STATUS_STYLE[res.status]
        table.add_row(
            f"[{style}]{STATUS_LABEL[res.status].get(lang)}[/]",
            escape(result.title(pid, lang)),
            escape(note),
        )
    console.print(table)
    answers = _answers(result, lang)
    if answers:
        console.print(f"\n[bold]{t('answers')}[/]")
        for line in answers:
            console.print(f"• {escape(line)}")
    console.print(f"\n[bold]{t('details')}[/]")
    for pid, res in result.results.items():
        codes = ", ".join(f.code for f in res.findings)
        console.print(f"[dim]{pid}: {res.status.value}{' ' + codes if codes else ''}[/]")
    return 0


def _answers(result: RunOutcome, lang: str) -> list[str]:
    from diagwizard.kb.questions import questions

    out = []
    for qid, oid in result.answers.items():
        q = questions().get(qid)
        opt = q.option(oid) if q else None
        if q and opt:
            out.append(f"{q.text.get(lang)} → {opt.label.get(lang)}")
    return out
