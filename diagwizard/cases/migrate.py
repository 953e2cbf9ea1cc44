"""The schema: brought to the newest revision on first use, under a lock, by Alembic.

Two agents starting at once do not both migrate: PostgreSQL takes a transaction-level
advisory lock, SQLite's ``BEGIN IMMEDIATE`` holds the write lock; the version is read
inside it. A database at a revision this program does not know (a newer diagwizard's),
or holding tables diagwizard did not make, is refused with one line.

Alembic (and the template engine it brings) is imported only when the schema is not at
:data:`HEAD`: a database already up to date is recognised with one query, which keeps
every ``cases`` command about 0.15 s quicker to start.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from diagwizard.cases.errors import SchemaError, Where, explain
from diagwizard.core.words import cases as words

if TYPE_CHECKING:
    from alembic.script import ScriptDirectory

HEAD = "0002"  # the newest revision in migrations/versions (a test keeps the two in step)
VERSION_TABLE = "alembic_version"
SCRIPTS = Path(__file__).resolve().parent / "migrations"
LOCK_KEY = 0x4457_4341  # "DWCA": the advisory lock of a migration in PostgreSQL


def scripts() -> ScriptDirectory:
    from alembic.script import ScriptDirectory  # lazy: Alembic only to change the schema

    return ScriptDirectory(str(SCRIPTS))


def head() -> str:
    """The newest revision this program knows."""
    return HEAD


def current(conn: Connection) -> str | None:
    """The database's revision (None: no schema yet)."""
    if not inspect(conn).has_table(VERSION_TABLE):
        return None
    found = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    return found[0] if len(found) == 1 else None


def ensure(conn: Connection, where: Where, target: str = "head") -> str:
    """Migrate ``conn``'s database to ``target`` inside its transaction; the revision it
    ended at. ``target`` other than head is for the tests of the upgrade path."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
    found = current(conn)
    wanted = HEAD if target == "head" else target
    if found == wanted:
        return found
    from alembic import command  # lazy: Alembic only to change the schema
    from alembic.config import Config as AlembicConfig  # lazy: as above

    script = scripts()
    newest = script.get_current_head() or ""
    if found is not None and found not in {s.revision for s in script.walk_revisions()}:
        raise SchemaError(words.SCHEMA_NEWER, setting=where.setting, url=where.shown,
                          theirs=found, ours=newest)
    if found is None and inspect(conn).has_table("cases"):
        raise SchemaError(words.SCHEMA_FOREIGN, setting=where.setting, url=where.shown)
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(SCRIPTS))
    cfg.attributes["connection"] = conn
    try:
        command.upgrade(cfg, target)
    except Exception as exc:  # a refused ALTER, a lock held too long: say which version
        cause = explain(exc, where)
        raise SchemaError(words.SCHEMA_UPGRADE_FAILED, setting=where.setting, url=where.shown,
                          theirs=found or "-", ours=wanted, err=cause.params.get("err", "")) from None
    return wanted
