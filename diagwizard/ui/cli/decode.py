"""``diagwizard decode CODE``: the caller's problems and their fixes, from a case code.

Renders the same outcome object as ``check``: the case code, platform and problem count
first, then the problems in the order to fix them, then every check in plain words; the
finding codes appear only under the details heading.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markdown import Markdown
from rich.markup import escape
from rich.table import Table

from diagwizard.core import config
from diagwizard.core.i18n import resolve_lang
from diagwizard.core.model import Status
from diagwizard.core.words.common import (
    CASE_HEADING,
    CAUSED_BY_N,
    COLUMN_CHECK,
    COLUMN_STATUS,
    COMPLETE_CHECK,
    NOTHING_TO_FIX,
    PARTIAL_CHECK,
    PROBLEM_COUNT,
    PROBLEM_N,
)
from diagwizard.core.words.terminal import (
    CALLER_ANSWERS,
    COLUMN_NOTE,
    DETAILS_TECHNICAL,
    THE_CHECKS,
)
from diagwizard.diagnosis import casecode, outcome
from diagwizard.diagnosis.codebook import live_probes
from diagwizard.diagnosis.outcome import RunOutcome, skip_reason
from diagwizard.engine import knowledge
from diagwizard.ui.styles import STATUS_STYLE
from kb.markdown import fix_markdown

if TYPE_CHECKING:
    from diagwizard.ui.cli.cases import PendingLog


def decoded_outcome(code: str) -> tuple[RunOutcome, bool]:
    """The outcome a case code stands for, and whether the check was complete."""
    book = casecode.current_codebook()
    state = casecode.decode(code, book)
    results = casecode.to_results(state, book)
    shown = casecode.encode(state, book)
    probes = live_probes(book)
    out = outcome.build(
        probes, results, platform=state.platform, answers=dict(state.answers), case_code=shown
    )
    return out, state.ran is None


def cmd_decode(args: argparse.Namespace) -> int:
    cfg = config.load(args.config)
    lang = resolve_lang(args.lang, cfg.lang)
    result, complete = decoded_outcome(" ".join(args.code))
    pending = _case_to_log(args, cfg, result)  # checked first: a bad --fix prints nothing
    console = Console(highlight=False)
    scope = (COMPLETE_CHECK if complete else PARTIAL_CHECK).get(lang)
    head = CASE_HEADING.get(lang, code=result.case_code, p=result.platform, scope=scope)
    console.print(f"[bold]{escape(head)}[/]")
    verdict = PROBLEM_COUNT.get(lang, n=result.count) if result.count else None
    console.print(verdict or NOTHING_TO_FIX.get(lang))
    kb = knowledge.load()
    seen = {f.code for r in result.results.values() for f in r.findings}
    seen |= {a.finding.code for a in knowledge.answer_findings(result.answers)}
    for n, problem in enumerate(result.problems, 1):
        entry = kb.entries.get(problem.kb or "")
        # What was found heads the problem; the KB entry's title heads its fix, with the
        # steps for the caller's system (from the case code), numbered for it.
        body = f"### {entry.title.get(lang)}\n\n" if entry else ""
        body += fix_markdown(entry, lang, seen, result.platform) if entry else ""
        console.print(Markdown(f"## {n}. {problem.headline.get(lang)}\n\n{body}"))
    number = {p.key: n for n, p in enumerate(result.problems, 1)}
    table = Table(box=None, pad_edge=False, title=THE_CHECKS.get(lang), title_justify="left")
    table.add_column(COLUMN_STATUS.get(lang), no_wrap=True)
    table.add_column(COLUMN_CHECK.get(lang))
    table.add_column(COLUMN_NOTE.get(lang), overflow="fold")
    for pid, res in result.results.items():
        own = [p for p in result.problems if pid in p.sources]
        cause = result.cause(pid)
        why = skip_reason(pid, res, result.probes, result.results).get(lang)
        if cause is not None and res.status == Status.SKIP:
            note = f"{CAUSED_BY_N.get(lang, n=number[cause])}{'：' if lang != 'en' else ': '}{why}"
        elif cause is not None:
            note = CAUSED_BY_N.get(lang, n=number[cause])
        elif own:
            note = "、".join(PROBLEM_N.get(lang, n=number[p.key]) for p in own)
        elif res.status == Status.SKIP:
            note = why
        else:
            note = ""
        style = STATUS_STYLE[res.status]
        table.add_row(
            f"[{style}]{res.status.label.get(lang)}[/]",
            escape(result.title(pid, lang)),
            escape(note),
        )
    console.print(table)
    answers = _answers(result, lang)
    if answers:
        console.print(f"\n[bold]{CALLER_ANSWERS.get(lang)}[/]")
        for line in answers:
            console.print(f"• {escape(line)}")
    console.print(f"\n[bold]{DETAILS_TECHNICAL.get(lang)}[/]")
    for pid, res in result.results.items():
        codes = ", ".join(f.code for f in res.findings)
        console.print(f"[dim]{pid}: {res.status.value}{' ' + codes if codes else ''}[/]")
    return pending.finish(lang) if pending is not None else 0


def _case_to_log(
    args: argparse.Namespace, cfg: config.Config, result: RunOutcome
) -> PendingLog | None:
    """With ``--log``, the case to log (``--outcome``, ``--note``… need ``--log``)."""
    details = ("outcome", "note", "agent", "fix")
    if not getattr(args, "log", False) and all(getattr(args, k, None) is None for k in details):
        return None
    from diagwizard.ui.cli.cases import prepare_log  # lazy: SQLAlchemy, only to log a case

    return prepare_log(args, cfg, result)


def _answers(result: RunOutcome, lang: str) -> list[str]:
    return [
        f"{q.text.get(lang)} → {o.label.get(lang)}" for q, o in knowledge.answered(result.answers)
    ]
