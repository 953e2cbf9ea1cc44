"""What can go wrong with a case store, each as one line that names the setting.

:func:`explain` turns a database driver's exception into one of these. Only
:class:`Unreachable` lets a logged case wait in the local queue with exit code 0; the
others are things a person has to fix (exit 2), and a case being logged still waits in
the queue meanwhile.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any, Protocol

from diagwizard.core.errors import UserError
from diagwizard.core.sanitize import clean
from diagwizard.core.text import Text
from diagwizard.core.words import cases as words


class Where(Protocol):
    """What a message says about the store (:class:`~diagwizard.cases.location.Location`)."""

    @property
    def setting(self) -> Text: ...

    @property
    def team(self) -> bool: ...

    @property
    def shown(self) -> str: ...


class StoreError(UserError):
    """A case store problem; Text-valued parameters are rendered in the reader's language."""

    def render(self, lang: str) -> str:
        params = {k: v.get(lang) if isinstance(v, Text) else v for k, v in self.params.items()}
        return self.text.get(lang, **params)


class BadUrl(StoreError):
    """The setting is not a database URL diagwizard can use."""


class Unreachable(StoreError):
    """No answer from the server (refused, timed out, unknown host, a missing share)."""


class Refused(StoreError):
    """The server answered and said no: login, missing database, no permission."""


class SchemaError(StoreError):
    """The database's schema is newer than this program, foreign, or cannot be upgraded."""


class FileProblem(StoreError):
    """The local SQLite file cannot be opened or written (permissions, a folder...)."""


class Damaged(StoreError):
    """The local SQLite file is not a database any more (it is set aside, not reused)."""


class Failed(StoreError):
    """Any other database error during a command."""


class NoSuchCase(StoreError):
    """``cases show N`` / ``update N`` for a number the log does not have."""


# libpq's own words when no server answered (the server's answers are in its language).
_NO_ANSWER = re.compile(
    r"Connection refused|timeout expired|timed out|could not translate host name"
    r"|failed to resolve host|Name or service not known|No route to host"
    r"|Network is unreachable|server closed the connection unexpectedly"
    r"|connection is (?:lost|closed)|consuming input failed|could not receive data"
    r"|could not send data|No such file or directory|Connection reset",
    re.I,
)
# SQLite's primary result codes (sqlite3.Error.sqlite_errorcode & 0xFF).
SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY = 3, 5, 6, 8
SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_CANTOPEN, SQLITE_NOTADB = 10, 11, 14, 26
# PostgreSQL SQLSTATE classes of a server going away in the middle (admin shutdown...).
_PG_GONE = ("57P01", "57P02", "57P03", "08000", "08003", "08006")


def one_line(err: object) -> str:
    """A driver's message as one clean line, without psycopg's "connection failed:"."""
    text = re.sub(r"\s+", " ", str(err)).strip()
    return clean(re.sub(r"^connection failed: ", "", text))[:300]


def explain(exc: BaseException, where: Where) -> StoreError:
    """``exc`` (from SQLAlchemy or a driver) as the store error a person can act on."""
    from sqlalchemy import exc as sa_exc  # lazy: the caller has loaded it already

    if isinstance(exc, StoreError):
        return exc
    orig: Any = getattr(exc, "orig", None) or exc
    params: dict[str, Any] = {"setting": where.setting, "url": where.shown, "err": one_line(orig)}
    if isinstance(exc, (sa_exc.ArgumentError, sa_exc.NoSuchModuleError)):
        return BadUrl(words.BAD_URL, setting=where.setting)
    if isinstance(orig, sqlite3.Error):
        return _sqlite(orig, where, params)
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate in _PG_GONE or (sqlstate is None and _NO_ANSWER.search(str(orig))):
        return Unreachable(words.UNREACHABLE, **params)
    if sqlstate is None and type(orig).__name__ == "OperationalError":
        return Refused(words.REFUSED, **params)  # the server's own answer, e.g. FATAL: ...
    if sqlstate and sqlstate.startswith(("28", "3D", "42501")):
        return Refused(words.REFUSED, **params)
    return Failed(words.FAILED, **params)


def _sqlite(orig: sqlite3.Error, where: Where, params: dict[str, Any]) -> StoreError:
    code = (getattr(orig, "sqlite_errorcode", 0) or 0) & 0xFF
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return Damaged(words.DAMAGED, path=where.shown, err=params["err"])
    if code == SQLITE_CANTOPEN and where.team:
        return Unreachable(words.UNREACHABLE, **params)  # e.g. a network share not mounted
    if code in (SQLITE_CANTOPEN, SQLITE_PERM, SQLITE_READONLY, SQLITE_IOERR):
        return FileProblem(words.FILE_PROBLEM, path=where.shown, err=params["err"])
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return Failed(words.BUSY, **params)
    return Failed(words.FAILED, **params)
