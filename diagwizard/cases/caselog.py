"""The case log as the commands and the helpdesk screen use it: the configured store,
the local queue in front of a team's database, and what happened on the way.

Nothing is lost: a case that cannot reach the team's database waits in the local queue
(a SQLite file of the same schema) and is sent by ``cases sync`` or with the next case
that gets through; each case keeps the key it was made with, so it is stored once
however often it is sent. A damaged local file is renamed with a timestamp and a new one
started; the old one is never overwritten.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from diagwizard.cases import location, migrate
from diagwizard.cases.errors import Damaged, StoreError, Unreachable
from diagwizard.cases.location import Location
from diagwizard.cases.record import Case, utc_now
from diagwizard.cases.store import CaseStore
from diagwizard.core.config import Config
from diagwizard.core.sanitize import clean
from diagwizard.core.text import Text
from diagwizard.core.words import cases as words


@dataclass(frozen=True)
class Notice:
    """Something the person should know, said once the command's output is done."""

    text: Text
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, lang: str) -> str:
        params = {k: v.get(lang) if isinstance(v, Text) else v for k, v in self.params.items()}
        return self.text.get(lang, **params)


@dataclass(frozen=True)
class Logged:
    """Where a case went: a number in the store, or the queue (and why)."""

    case: Case
    number: int | None
    waiting: int = 0  # cases in the queue, this one included, when it was queued
    reason: StoreError | None = None

    @property
    def queued(self) -> bool:
        return self.number is None

    @property
    def unreachable(self) -> bool:
        """Queued because no server answered: a passing outage, not a setting to fix."""
        return isinstance(self.reason, Unreachable)


@dataclass(frozen=True)
class Info:
    where: Location
    schema: str
    newest: str
    cases: int
    waiting: int


def set_aside(path: Path) -> Path:
    """Rename a damaged SQLite file (and its WAL files) with a timestamp; never replace
    an existing file."""
    stamp = utc_now().strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    os.rename(path, target)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            os.rename(side, target.with_name(target.name + suffix))
    return target


class CaseLog:
    def __init__(self, cfg: Config) -> None:
        self.cfg = cfg
        self.notices: list[Notice] = []
        self.sent: list[int] = []  # numbers the queued cases got when they were sent

    @cached_property
    def where(self) -> Location:
        """The configured store (a bad setting raises :class:`BadUrl` when first used)."""
        return location.configured(self.cfg)

    @property
    def timeout(self) -> float:
        return self.cfg.cases.timeout

    # -- opening --------------------------------------------------------------------------
    def open(self) -> CaseStore:
        """The configured store, migrated, with the local queue sent into it."""
        store = self._open(self.where)
        try:
            self._send_queue(store)
        except BaseException:
            store.close()
            raise
        return store

    def _open(self, where: Location) -> CaseStore:
        try:
            return CaseStore.open(where, self.timeout)
        except Damaged:
            if where.file is None or where.team:
                raise  # not a file of ours to set aside
            aside = set_aside(where.file)
            self.notices.append(
                Notice(words.SET_ASIDE, {"path": where.shown, "aside": clean(str(aside))})
            )
            return CaseStore.open(where, self.timeout)

    # -- the queue ------------------------------------------------------------------------
    def waiting(self) -> int:
        """Cases in the local queue (0 without opening it when it does not exist)."""
        queue = location.queue()
        if queue.file is None or not queue.file.exists():
            return 0
        with self._open(queue) as store:
            return store.count()

    def _send_queue(self, target: CaseStore) -> list[int]:
        queue = location.queue()
        if queue.file is None or not queue.file.exists() or queue.file == self.where.file:
            return []
        sent: list[int] = []
        with self._open(queue) as store:
            for case in list(store.each()):
                sent.append(target.add(case))
                store.remove([case.uid])  # after the target committed: at worst sent twice,
                # and a second send of the same uid stores nothing
        self.sent += sent
        if sent:
            numbers = ", ".join(f"#{n}" for n in sent)
            self.notices.append(Notice(words.SENT, {"n": len(sent), "numbers": numbers}))
        return sent

    # -- what the commands do -----------------------------------------------------------
    def log(self, case: Case) -> Logged:
        """Store ``case``; a team's case that cannot be stored now waits in the queue."""
        try:
            with self.open() as store:
                return Logged(case, store.add(case))
        except StoreError as exc:
            if not location.team_set(self.cfg):
                raise
            with self._open(location.queue()) as queue:
                queue.add(case)
                waiting = queue.count()
            return Logged(case, None, waiting, exc)

    def sync(self) -> list[int]:
        """Send the local queue; the numbers the cases got."""
        with self.open():
            return self.sent

    def info(self) -> Info:
        with self.open() as store:
            return Info(self.where, store.schema, migrate.head(), store.count(), self.waiting())
