"""Helpdesk mode's case-log work: blocking database calls the app runs in thread workers,
and what they hand to the cases screen.

Every function here returns what happened (or raises a :class:`UserError` whose line the
screen shows); none of them touches a widget. The case log (and SQLAlchemy) loads the
first time one of them runs, never before the helpdesk's first screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from diagwizard.core.config import Config
from diagwizard.core.text import Text

if TYPE_CHECKING:
    from diagwizard.cases.caselog import Logged, Notice
    from diagwizard.cases.intake import FixChoice
    from diagwizard.cases.note import Note
    from diagwizard.cases.record import Case
    from diagwizard.cases.stats import Stats
    from diagwizard.diagnosis.outcome import RunOutcome
    from diagwizard.diagnosis.session import Diagnosis

LIST_WINDOW = "7d"  # the cases screen: the last week's cases, counted per hour
LIST_LIMIT = 200


@dataclass
class CasesView:
    """What the cases screen shows: the cases (newest first), each problem's title, the
    week's counts per problem and hour with its waves, and where the log lives."""

    cases: list[Case] = field(default_factory=list)
    titles: dict[str, Text] = field(default_factory=dict)  # finding code -> title
    stats: Stats | None = None
    where: str = ""
    problem: str = ""  # the filter the cases were read with
    notices: list[Notice] = field(default_factory=list)


@runtime_checkable
class ShowsCases(Protocol):
    """A screen that shows the case log (the app calls it back on its own thread)."""

    problem: str  # the problem it is filtered by; "" for all

    @property
    def is_attached(self) -> bool: ...

    def show_cases(self, view: CasesView) -> None: ...

    def show_error(self, line: str) -> None: ...


@dataclass(frozen=True)
class LogForm:
    """What the log dialog offers for the case on screen."""

    run: RunOutcome
    choices: list[FixChoice]
    agent: str


@dataclass(frozen=True)
class LogDetails:
    """What the agent filled in."""

    outcome: str
    fix: str
    note: str
    agent: str


def read(cfg: Config, problem: str) -> CasesView:
    from diagwizard.cases import caselog, record, stats, store, titles, window  # lazy: SQLAlchemy

    log = caselog.CaseLog(cfg)
    span = window.parse(LIST_WINDOW)
    names = titles.Titles()
    with log.open() as opened:
        since = record.utc_now() - span.span
        which = store.Filter(since=since, problem=problem, limit=LIST_LIMIT)
        cases = opened.recent(which)
        counted = stats.compute(
            opened, span, stats.WaveRule.of(cfg.cases), unit=stats.HOUR, titles=names
        )
    shown = {p.code: names.of(p.code, p.entry) for c in cases for p in c.problems}
    shown |= {t.code: t.title for t in counted.problems}
    return CasesView(cases, shown, counted, log.where.shown, problem, log.notices)


def save(cfg: Config, number: int, outcome: str, text: str) -> tuple[Case, Note]:
    """Change a case's outcome and note; the case as stored and the note as redacted."""
    from diagwizard.cases import caselog, note, record  # lazy: SQLAlchemy, only helpdesk work

    checked = note.check(text)
    with caselog.CaseLog(cfg).open() as store:
        case = store.update(number, outcome=record.Outcome(outcome), note=checked.text)
    return case, checked


def prepare(cfg: Config, diagnosis: Diagnosis, platform: str) -> LogForm:
    """The case on screen, as its code stands now (with the answers given since it was
    decoded), and the fixes the agent can say worked."""
    from diagwizard.cases import intake  # lazy: SQLAlchemy, only in helpdesk work
    from diagwizard.diagnosis import casecode  # lazy: the helpdesk's first screen needs none

    code = casecode.code_for(diagnosis.results, diagnosis.answers, platform)
    run = diagnosis.outcome(platform, code)
    return LogForm(run, intake.fix_choices(run), cfg.cases.agent)


def log(cfg: Config, form: LogForm, details: LogDetails) -> tuple[Logged, Note, list[Notice]]:
    """Log the case: stored, or kept in the local queue (see :class:`Logged`)."""
    from diagwizard.cases import caselog, intake, record  # lazy: SQLAlchemy, only helpdesk work

    case, note = intake.new_case(
        form.run,
        outcome=record.Outcome(details.outcome),
        note=details.note,
        agent=intake.agent_name(details.agent, cfg.cases.agent),
        fix=details.fix,
    )
    log = caselog.CaseLog(cfg)
    return log.log(case), note, log.notices
