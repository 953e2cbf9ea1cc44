"""A case store: one SQLite file or one PostgreSQL database, through SQLAlchemy Core.

Every method runs in a transaction of its own and turns a driver's exception into a
:class:`~diagwizard.cases.errors.StoreError` that names the setting. Adding a case is
idempotent on its ``uid``: the same case sent twice (a retry, the queue after a crash)
is stored once, and two agents adding at the same moment both get their own number.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine, Row
from sqlalchemy.exc import SQLAlchemyError

from diagwizard.cases import migrate
from diagwizard.cases.connect import make_engine
from diagwizard.cases.errors import NoSuchCase, explain
from diagwizard.cases.location import Location
from diagwizard.cases.record import Case, CaseProblem, Outcome, as_utc, utc_now
from diagwizard.cases.schema import case_problems, cases, outcome_hours, problem_hours
from diagwizard.core.words import cases as words

PAGE = 1000  # cases read at a time when exporting or sending the queue
HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class Filter:
    """Which cases a list or an export shows."""

    since: datetime | None = None
    problem: str = ""  # a finding code
    outcome: Outcome | None = None
    limit: int | None = None


@dataclass(frozen=True)
class Counts:
    """What ``cases stats`` shows, counted in the database."""

    hours: list[tuple[str, datetime, int]]  # (code, UTC hour, cases with it that hour)
    recent: dict[str, int]  # code -> cases with it since the "recent" time
    outcomes: dict[str, int]  # outcome -> cases


def hour_of(at: datetime) -> datetime:
    """The UTC hour ``at`` falls in (the key of the hourly counts)."""
    return as_utc(at).replace(minute=0, second=0, microsecond=0)


class CaseStore:
    def __init__(self, where: Location, timeout: float = 5.0) -> None:
        self.where = where
        self._engine: Engine = make_engine(where, timeout)
        self.schema = ""

    @classmethod
    def open(cls, where: Location, timeout: float = 5.0) -> CaseStore:
        """Connect and bring the schema up to date (the first use makes it)."""
        store = cls(where, timeout)
        try:
            store.migrate()
        except BaseException:
            store.close()
            raise
        return store

    def migrate(self, target: str = "head") -> str:
        with self._transaction() as conn:
            self.schema = migrate.ensure(conn, self.where, target)
        return self.schema

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> CaseStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        try:
            with self._engine.begin() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise explain(exc, self.where) from None

    # -- writing ------------------------------------------------------------------------
    def add(self, item: Case) -> int:
        """Store ``item`` unless a case with its uid is stored; its number either way."""
        stamp = as_utc(item.logged_at)
        row = {
            "uid": item.uid,
            "case_code": item.case_code,
            "created_at": stamp,
            "updated_at": as_utc(item.updated_at or stamp),
            "platform": item.platform,
            "outcome": item.outcome.value,
            "fix": item.fix,
            "note": item.note,
            "agent": item.agent,
        }
        with self._transaction() as conn:
            dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
            insert_new = (
                dialect.insert(cases)
                .values(row)
                .on_conflict_do_nothing(index_elements=["uid"])
                .returning(cases.c.id)
            )
            added = conn.execute(insert_new).scalar_one_or_none()
            if added is None:  # stored before, under this key: its number, nothing more
                number: int = conn.execute(
                    select(cases.c.id).where(cases.c.uid == item.uid)
                ).scalar_one()
                return number
            if item.problems:
                conn.execute(
                    insert(case_problems),
                    [
                        {"case_id": added, "position": n, "code": p.code,
                         "entry": p.entry, "created_at": stamp}
                        for n, p in enumerate(item.problems)
                    ],
                )
            # In one order everywhere (codes sorted, then the outcome): two agents adding
            # at once wait for each other's count rows, never deadlock.
            for code in sorted(set(item.codes)):
                _count(conn, problem_hours, {"hour": hour_of(stamp), "code": code}, 1)
            _count(conn, outcome_hours, {"hour": hour_of(stamp), "outcome": item.outcome.value}, 1)
        return int(added)

    def update(
        self, number: int, *, outcome: Outcome | None = None, note: str | None = None,
        fix: str | None = None,
    ) -> Case:
        """Change a case's outcome, note or fix; the case as it is now."""
        values: dict[str, Any] = {"updated_at": utc_now()}
        if outcome is not None:
            values["outcome"] = outcome.value
        if note is not None:
            values["note"] = note
        if fix is not None:
            values["fix"] = fix
        with self._transaction() as conn:
            before = conn.execute(
                select(cases.c.outcome, cases.c.created_at)
                .where(cases.c.id == number)
                .with_for_update()
            ).first()
            if before is None:
                raise NoSuchCase(words.NO_SUCH_CASE, n=number, url=self.where.shown)
            conn.execute(update(cases).where(cases.c.id == number).values(values))
            if outcome is not None and outcome.value != before.outcome:
                hour = hour_of(before.created_at)
                _count(conn, outcome_hours, {"hour": hour, "outcome": before.outcome}, -1)
                _count(conn, outcome_hours, {"hour": hour, "outcome": outcome.value}, 1)
            return self._read(conn, [number])[0]

    def remove(self, uids: Sequence[str]) -> None:
        """Forget these cases (the queue, once the team's database has them; the queue's
        hourly counts are never shown, so they are left as they are)."""
        with self._transaction() as conn:
            conn.execute(cases.delete().where(cases.c.uid.in_(list(uids))))

    # -- reading ------------------------------------------------------------------------
    def get(self, number: int) -> Case:
        with self._transaction() as conn:
            found = self._read(conn, [number])
        if not found:
            raise NoSuchCase(words.NO_SUCH_CASE, n=number, url=self.where.shown)
        return found[0]

    def recent(self, which: Filter) -> list[Case]:
        """Cases matching ``which``, the newest first."""
        query = select(cases.c.id).order_by(cases.c.created_at.desc(), cases.c.id.desc())
        query = self._filtered(query, which)
        if which.limit is not None:
            query = query.limit(which.limit)
        with self._transaction() as conn:
            numbers = list(conn.execute(query).scalars())
            return self._read(conn, numbers)

    def each(self, which: Filter = Filter()) -> Iterator[Case]:
        """Every case matching ``which``, the oldest first, a page at a time."""
        last = 0
        while True:
            query = self._filtered(select(cases.c.id).where(cases.c.id > last), which)
            query = query.order_by(cases.c.id).limit(PAGE)
            with self._transaction() as conn:
                page = self._read(conn, list(conn.execute(query).scalars()))
            yield from page
            if len(page) < PAGE:
                return
            last = page[-1].number or last

    def count(self) -> int:
        with self._transaction() as conn:
            return int(conn.execute(select(func.count()).select_from(cases)).scalar_one())

    def counts(self, since: datetime, recent: datetime) -> Counts:
        """Cases per problem and hour since ``since``, per problem since ``recent``, and per
        outcome: whole hours from the hourly counts, the part-hour at the start from the
        cases' own indexes."""
        edge = hour_of(since) if hour_of(since) == as_utc(since) else hour_of(since) + HOUR
        with self._transaction() as conn:
            hours = [
                (code, as_utc(hour), int(n))
                for code, hour, n in conn.execute(
                    select(problem_hours.c.code, problem_hours.c.hour, problem_hours.c.cases)
                    .where(problem_hours.c.hour >= edge, problem_hours.c.cases > 0)
                )
            ]
            early = case_problems.c.created_at
            hours += [
                (code, hour_of(since), int(n))
                for code, n in conn.execute(
                    select(case_problems.c.code, func.count())
                    .where(early >= since, early < edge)
                    .group_by(case_problems.c.code)
                )
            ]
            latest = {
                code: int(n)
                for code, n in conn.execute(
                    select(case_problems.c.code, func.count())
                    .where(case_problems.c.created_at >= recent)
                    .group_by(case_problems.c.code)
                )
            }
            outcomes: dict[str, int] = {}
            whole = (
                select(outcome_hours.c.outcome, func.sum(outcome_hours.c.cases))
                .where(outcome_hours.c.hour >= edge)
                .group_by(outcome_hours.c.outcome)
            )
            part = (
                select(cases.c.outcome, func.count())
                .where(cases.c.created_at >= since, cases.c.created_at < edge)
                .group_by(cases.c.outcome)
            )
            for query in (whole, part):
                for outcome, n in conn.execute(query):
                    outcomes[outcome] = outcomes.get(outcome, 0) + int(n or 0)
        return Counts(hours, latest, outcomes)

    def _filtered(self, query: Any, which: Filter) -> Any:
        if which.since is not None:
            query = query.where(cases.c.created_at >= which.since)
        if which.outcome is not None:
            query = query.where(cases.c.outcome == which.outcome.value)
        if which.problem:
            having = select(case_problems.c.case_id).where(case_problems.c.code == which.problem)
            if which.since is not None:
                having = having.where(case_problems.c.created_at >= which.since)
            query = query.where(cases.c.id.in_(having))
        return query

    @staticmethod
    def _read(conn: Connection, numbers: list[int]) -> list[Case]:
        """These cases with their problems, in the order of ``numbers``."""
        out: list[Case] = []
        for start in range(0, len(numbers), PAGE):
            out += CaseStore._read_page(conn, numbers[start : start + PAGE])
        return out

    @staticmethod
    def _read_page(conn: Connection, numbers: list[int]) -> list[Case]:
        rows = {r.id: r for r in conn.execute(select(cases).where(cases.c.id.in_(numbers)))}
        problems: dict[int, list[CaseProblem]] = {}
        query = (
            select(case_problems.c.case_id, case_problems.c.code, case_problems.c.entry)
            .where(case_problems.c.case_id.in_(numbers))
            .order_by(case_problems.c.case_id, case_problems.c.position)
        )
        for case_id, code, entry in conn.execute(query):
            problems.setdefault(case_id, []).append(CaseProblem(code, entry))
        return [_case(rows[n], problems.get(n, [])) for n in numbers if n in rows]


def _case(row: Row[Any], problems: list[CaseProblem]) -> Case:
    try:
        outcome = Outcome(row.outcome)
    except ValueError:  # the check constraint keeps others out; be lenient when reading
        outcome = Outcome.OPEN
    return Case(
        uid=row.uid,
        case_code=row.case_code,
        logged_at=as_utc(row.created_at),
        platform=row.platform,
        problems=problems,
        outcome=outcome,
        fix=row.fix,
        note=row.note,
        agent=row.agent,
        number=row.id,
        updated_at=as_utc(row.updated_at),
    )


def _count(conn: Connection, table: Table, key: dict[str, Any], delta: int) -> None:
    """Add ``delta`` to the hourly count at ``key`` (made at zero if it is not there)."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table).values(**key, cases=delta)
    statement = statement.on_conflict_do_update(
        index_elements=list(key), set_={"cases": table.c.cases + statement.excluded.cases}
    )
    conn.execute(statement)
