"""``diagwizard cases …`` and ``decode --log``: the helpdesk's case log on the command line.

Each command opens the configured store (which also sends the local queue), does one
thing and says what happened; notices (a queue sent, a damaged file set aside) go to
standard error after the output, so ``--json`` stays one document.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from diagwizard.cases import intake, location, stats, window
from diagwizard.cases.caselog import CaseLog, Logged
from diagwizard.cases.export import write_csv
from diagwizard.cases.note import Note
from diagwizard.cases.note import check as check_note
from diagwizard.cases.record import FIX_LEN, Case, Outcome, local_text, utc_now
from diagwizard.cases.store import Filter
from diagwizard.cases.titles import Titles
from diagwizard.core import config
from diagwizard.core.config import Config
from diagwizard.core.errors import UserError
from diagwizard.core.i18n import resolve_lang
from diagwizard.core.sanitize import clean, json_text
from diagwizard.core.words import cases as words
from diagwizard.core.words.terminal import ERROR_PREFIX
from diagwizard.diagnosis.outcome import RunOutcome
from diagwizard.ui.charts import sparkline

TREND_MARKS = 24  # the terminal shows at most the last 24 buckets; --json has them all
DETAILS = ("outcome", "note", "agent", "fix")


def _console() -> Console:
    return Console(highlight=False)


def _dump(doc: dict[str, Any]) -> None:
    print(json_text(json.dumps(doc, ensure_ascii=False, indent=2)))


def _notices(log: CaseLog, lang: str) -> None:
    for notice in log.notices:
        print(f"diagwizard: {notice.render(lang)}", file=sys.stderr)


def _since_words(which: window.Window | None, lang: str) -> str:
    if which is None:
        return words.ALL_TIME.get(lang)
    return words.LAST_SPAN.get(lang, span=which.words().get(lang))


# -- decode --log ------------------------------------------------------------------------------
@dataclass
class PendingLog:
    """A case made from a decoded code, checked before anything is printed."""

    cfg: Config
    case: Case
    note: Note

    def finish(self, lang: str) -> int:
        """Log the case; 0 when stored or queued for a server that is away, 2 when a
        setting needs fixing (the case waits in the queue then too)."""
        log = CaseLog(self.cfg)
        _warn_note(self.note, lang)
        logged = log.log(self.case)
        code = _say_logged(log, logged, lang)
        _notices(log, lang)
        return code


def prepare_log(args: argparse.Namespace, cfg: Config, run: RunOutcome) -> PendingLog:
    """The case ``decode --log`` logs; ``--outcome/--note/--agent/--fix`` need ``--log``."""
    if not args.log:
        given = next(name for name in DETAILS if getattr(args, name, None) is not None)
        raise UserError(words.NEEDS_LOG, option=f"--{given}")
    case, note = intake.new_case(
        run,
        outcome=Outcome(args.outcome or Outcome.OPEN.value),
        note=args.note or "",
        agent=intake.agent_name(args.agent, cfg.cases.agent),
        fix=args.fix or "",
    )
    return PendingLog(cfg, case, note)


def _warn_note(note: Note, lang: str) -> None:
    if note.redacted:
        shown = words.NOTE_PERSONAL.get(lang, kinds=note.kinds_text().get(lang), shown=note.text)
        print(f"diagwizard: {shown}", file=sys.stderr)


def _say_logged(log: CaseLog, logged: Logged, lang: str) -> int:
    if logged.number is not None:
        print(words.LOGGED.get(lang, n=logged.number, url=log.where.shown))
        return 0
    reason = logged.reason.render(lang) if logged.reason else ""
    if logged.unreachable:
        print(f"diagwizard: {reason}", file=sys.stderr)
        print(words.QUEUED.get(lang, n=logged.waiting))
        return 0
    print(f"diagwizard: {ERROR_PREFIX.get(lang)}: {reason}", file=sys.stderr)
    print(words.QUEUED.get(lang, n=logged.waiting))
    return 2


# -- cases … -----------------------------------------------------------------------------------
def cmd_cases(args: argparse.Namespace) -> int:
    cfg = config.load(args.config)
    lang = resolve_lang(args.lang, cfg.lang)
    log = CaseLog(cfg)
    try:
        return COMMANDS[args.cases_command](args, log, lang)
    finally:
        _notices(log, lang)


def _list(args: argparse.Namespace, log: CaseLog, lang: str) -> int:
    since = window.parse(args.since) if args.since else None
    which = _filter(args, since, limit=args.limit)
    titles = Titles()
    with log.open() as store:
        found = store.recent(which)
    if args.json:
        _dump({
            "store": log.where.shown,
            "since": which.since.isoformat() if which.since else None,
            "count": len(found),
            "cases": [case_json(c, titles, lang) for c in found],
        })
        return 0
    console = _console()
    when = _since_words(since, lang)
    head = words.LIST_HEADING.get(lang, when=when, n=len(found), url=log.where.shown)
    console.print(f"[bold]{escape(head)}[/]")
    if not found:
        console.print(words.NO_CASES.get(lang))
        return 0
    table = Table(box=None, pad_edge=False)
    table.add_column(words.COL_NUMBER.get(lang), justify="right", no_wrap=True)
    table.add_column(words.COL_TIME.get(lang), no_wrap=True)
    table.add_column(words.COL_PLATFORM.get(lang), no_wrap=True)
    table.add_column(words.COL_OUTCOME.get(lang), no_wrap=True)
    table.add_column(words.COL_AGENT.get(lang), no_wrap=True, max_width=12, overflow="ellipsis")
    table.add_column(words.COL_PROBLEMS.get(lang), overflow="fold")
    for c in found:
        table.add_row(
            str(c.number),
            local_text(c.logged_at)[5:],
            c.platform,
            c.outcome.label.get(lang),
            escape(clean(c.agent)),
            escape(problems_line(c, titles, lang)),
        )
    console.print(table)
    if len(found) == args.limit:
        console.print(f"[dim]{escape(words.LIST_LIMITED.get(lang, n=args.limit))}[/]")
    return 0


def _show(args: argparse.Namespace, log: CaseLog, lang: str) -> int:
    titles = Titles()
    with log.open() as store:
        case = store.get(args.number)
    if args.json:
        _dump(case_json(case, titles, lang))
        return 0
    show_case(case, titles, lang, _console())
    return 0


def _update(args: argparse.Namespace, log: CaseLog, lang: str) -> int:
    if args.outcome is None and args.note is None and args.fix is None:
        raise UserError(words.NOTHING_TO_UPDATE)
    note = check_note(args.note) if args.note is not None else None
    fix = args.fix.strip() if args.fix is not None else None
    if fix and not intake.known_fix(fix):
        raise UserError(words.BAD_FIX_ANY, value=clean(fix)[:FIX_LEN])
    if note is not None:
        _warn_note(note, lang)
    with log.open() as store:
        case = store.update(
            args.number,
            outcome=Outcome(args.outcome) if args.outcome else None,
            note=note.text if note is not None else None,
            fix=fix,
        )
    console = _console()
    console.print(words.UPDATED.get(lang, n=case.number))
    show_case(case, Titles(), lang, console)
    return 0


def _stats(args: argparse.Namespace, log: CaseLog, lang: str) -> int:
    span = window.parse(args.since)
    with log.open() as store:
        result = stats.compute(store, span, stats.WaveRule.of(log.cfg.cases))
    if args.json:
        _dump(stats_json(result, lang))
        return 0
    show_stats(result, span, log.where.shown, lang, _console())
    return 0


def _export(args: argparse.Namespace, log: CaseLog, lang: str) -> int:
    since = window.parse(args.since) if args.since else None
    titles = Titles()
    with log.open() as store:
        count, path = write_csv(args.csv, store.each(_filter(args, since)), titles, lang)
    print(words.EXPORTED.get(lang, n=count, path=clean(str(path))))
    return 0


def _sync(args: argparse.Namespace, log: CaseLog, lang: str) -> int:
    if not location.team_set(log.cfg):
        print(words.NO_TEAM.get(lang, path=log.where.shown))
    sent = log.sync()
    if not sent:
        print(words.QUEUE_EMPTY.get(lang))
    return 0


def _info(args: argparse.Namespace, log: CaseLog, lang: str) -> int:
    info = log.info()
    rule = log.cfg.cases
    if args.json:
        _dump({
            "store": info.where.shown,
            "setting": info.where.setting.get(lang),
            "schema": info.schema,
            "schema_newest": info.newest,
            "cases": info.cases,
            "queued": info.waiting,
            "wave_rule": {"min_count": rule.wave_min_count, "factor": rule.wave_factor},
        })
        return 0
    schema = (
        words.SCHEMA_CURRENT.get(lang, rev=info.schema)
        if info.schema == info.newest
        else words.SCHEMA_BEHIND.get(lang, rev=info.schema, head=info.newest)
    )
    rows = [
        (words.INFO_STORE, info.where.shown),
        (words.INFO_SETTING, info.where.setting.get(lang)),
        (words.INFO_SCHEMA, schema),
        (words.INFO_CASES, words.COUNT_CASES.get(lang, n=info.cases)),
        (words.INFO_QUEUE, words.COUNT_CASES.get(lang, n=info.waiting)),
        (words.INFO_WAVE, words.WAVE_RULE.get(lang, min=rule.wave_min_count,
                                              factor=f"{rule.wave_factor:g}")),
    ]
    _fields(rows, lang, _console())
    return 0


COMMANDS = {
    "list": _list,
    "show": _show,
    "update": _update,
    "stats": _stats,
    "export": _export,
    "sync": _sync,
    "info": _info,
}


def _filter(args: argparse.Namespace, since: window.Window | None,
            limit: int | None = None) -> Filter:
    return Filter(
        since=utc_now() - since.span if since else None,
        problem=args.problem.strip(),
        outcome=Outcome(args.outcome) if args.outcome else None,
        limit=limit,
    )


# -- rendering ---------------------------------------------------------------------------------
def problems_line(case: Case, titles: Titles, lang: str) -> str:
    if not case.problems:
        return words.NO_PROBLEM.get(lang)
    first = case.problems[0]
    more = len(case.problems) - 1
    extra = words.MORE_PROBLEMS.get(lang, n=more) if more else ""
    return titles.of(first.code, first.entry).get(lang) + extra


def case_json(case: Case, titles: Titles, lang: str) -> dict[str, Any]:
    return {
        "number": case.number,
        "uid": case.uid,
        "case_code": case.case_code,
        "logged_at": case.logged_at.isoformat(),
        "updated_at": case.updated_at.isoformat() if case.updated_at else None,
        "platform": case.platform,
        "problems": [
            {"code": p.code, "entry": p.entry, "title": titles.of(p.code, p.entry).get(lang)}
            for p in case.problems
        ],
        "outcome": case.outcome.value,
        "fix": case.fix,
        "note": case.note,
        "agent": case.agent,
    }


def _fields(rows: list[tuple[Any, str]], lang: str, console: Console) -> None:
    table = Table(box=None, pad_edge=False, show_header=False)
    table.add_column(no_wrap=True, style="bold")
    table.add_column(overflow="fold")
    for label, value in rows:
        table.add_row(label.get(lang), escape(value))
    console.print(table)


def show_case(case: Case, titles: Titles, lang: str, console: Console) -> None:
    console.print(f"[bold]{escape(words.SHOW_HEADING.get(lang, n=case.number))}[/]")
    none = words.NONE.get(lang)
    fix = case.fix
    if fix:
        title = titles.entry_title(fix)
        fix = f"{title.get(lang)} ({fix})" if title else fix
    rows: list[tuple[Any, str]] = [
        (words.FIELD_CODE, case.case_code),
        (words.FIELD_LOGGED, words.LOCAL_TIME.get(lang, time=local_text(case.logged_at, True))),
        (words.FIELD_PLATFORM, case.platform),
        (words.FIELD_OUTCOME, case.outcome.label.get(lang)),
        (words.FIELD_FIX, clean(fix) or none),
        (words.FIELD_AGENT, clean(case.agent) or none),
        (words.FIELD_NOTE, clean(case.note) or none),
    ]
    if case.updated_at and case.updated_at != case.logged_at:
        stamp = local_text(case.updated_at, True)
        rows.append((words.FIELD_UPDATED, words.LOCAL_TIME.get(lang, time=stamp)))
    _fields(rows, lang, console)
    console.print(f"[bold]{escape(words.FIELD_PROBLEMS.get(lang))}[/]")
    if not case.problems:
        console.print(f"  {escape(words.NO_PROBLEM.get(lang))}")
    for n, p in enumerate(case.problems, 1):
        console.print(f"  {n}. {escape(titles.of(p.code, p.entry).get(lang))} · {escape(p.code)}")


def stats_json(result: stats.Stats, lang: str) -> dict[str, Any]:
    return {
        "since": result.since.isoformat(),
        "until": result.until.isoformat(),
        "unit": "hour" if result.unit == stats.HOUR else "day",
        "cases": result.total,
        "outcomes": {o.value: result.outcomes.get(o.value, 0) for o in Outcome},
        "wave_rule": {"min_count": result.rule.min_count, "factor": result.rule.factor},
        "problems": [
            {
                "code": t.code,
                "entry": t.entry,
                "title": t.title.get(lang),
                "count": t.count,
                "last_hour": t.last_hour,
                "hourly_average": round(t.hourly_average, 3),
                "wave": t.wave,
                "buckets": [
                    {"start": start.isoformat(), "count": n}
                    for start, n in zip(result.starts, t.buckets, strict=True)
                ],
            }
            for t in result.problems
        ],
    }


def show_stats(result: stats.Stats, span: window.Window, url: str, lang: str,
               console: Console) -> None:
    when = _since_words(span, lang)
    console.print(f"[bold]{escape(words.STATS_HEADING.get(lang, when=when, n=result.total, url=url))}[/]")
    counts = {o.value: result.outcomes.get(o.value, 0) for o in Outcome}
    console.print(words.OUTCOME_LINE.get(lang, **counts))
    if result.waves:
        titles = "、".join(t.title.get(lang) for t in result.waves)
        alert = words.WAVE_ALERT.get(lang, n=len(result.waves), titles=titles)
        console.print(f"[bold reverse]{escape(alert)}[/]")
    if not result.problems:
        console.print(words.NO_PROBLEMS_LOGGED.get(lang))
        return
    table = Table(box=None, pad_edge=False)
    table.add_column(words.COL_COUNT.get(lang), justify="right", no_wrap=True)
    table.add_column(words.COL_LAST_HOUR.get(lang), justify="right", no_wrap=True)
    table.add_column(words.COL_TREND.get(lang), no_wrap=True)
    table.add_column(words.COL_PROBLEM.get(lang), overflow="fold")
    wave = words.WAVE_MARK.get(lang)
    for t in result.problems:
        title = f"{t.title.get(lang)} · {t.code}"
        table.add_row(
            str(t.count),
            str(t.last_hour),
            sparkline(t.buckets[-TREND_MARKS:]),
            f"[bold]{escape(wave)}[/] {escape(title)}" if t.wave else escape(title),
        )
    console.print(table)
    shown = result.starts[-TREND_MARKS:]
    hourly = result.unit == stats.HOUR
    form = "%m-%d %H:00" if hourly else "%m-%d"
    scale = words.TREND_SCALE.get(
        lang,
        start=shown[0].astimezone().strftime(form),
        end=shown[-1].astimezone().strftime(form),
        unit=(words.UNIT_HOUR if hourly else words.UNIT_DAY).get(lang),
    )
    console.print(f"[dim]{escape(scale)}[/]")
    rule = words.WAVE_RULE.get(lang, min=result.rule.min_count, factor=f"{result.rule.factor:g}")
    console.print(f"[dim]{escape(rule)}[/]")

