"""A SQLAlchemy engine for a case store, set up the same way every time.

SQLite: WAL mode (readers never wait for a writer), a generous busy timeout, foreign
keys on, and every transaction begun with ``BEGIN IMMEDIATE``, so two processes that log
at the same moment queue behind each other instead of failing, and a migration sees the
schema version inside the lock it migrates under (the SQLAlchemy SQLite dialect's
documented recipe for real transactions). PostgreSQL: psycopg 3 with a connect timeout.
No pool: a command opens a connection, does its work and closes it.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import NullPool

from diagwizard.cases.errors import FileProblem
from diagwizard.cases.location import Location
from diagwizard.core.words import cases as words

BUSY_SECONDS = 30.0  # how long a SQLite writer waits for another one


def make_engine(where: Location, timeout: float) -> Engine:
    path = where.file
    if path is None:
        args = {"connect_timeout": max(2, round(timeout)), "application_name": "diagwizard"}
        return create_engine(where.url, poolclass=NullPool, connect_args=args)
    if not where.team:  # our own file: its folder is ours to make
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise FileProblem(words.FILE_PROBLEM, path=where.shown, err=exc.strerror or str(exc)) from None
    engine = create_engine(where.url, poolclass=NullPool, connect_args={"timeout": BUSY_SECONDS})
    event.listen(engine, "connect", _sqlite_connected)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connected(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN (below), not sqlite3
    dbapi_connection.execute("PRAGMA journal_mode=WAL")
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")  # WAL: durable at each checkpoint
    dbapi_connection.execute("PRAGMA foreign_keys=ON")


def _sqlite_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")
