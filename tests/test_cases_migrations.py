"""The case log's schema history (Alembic): made on first use, upgraded from the previous
schema with the cases kept, and a schema this program cannot use refused in one line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from cases_helpers import LOCKED, SERVICE, service_code
from helpers import fresh_python, run_cli
from stack.postgres import PostgresServer

from diagwizard.cases import location, migrate
from diagwizard.cases.schema import metadata
from diagwizard.cases.store import CaseStore
from diagwizard.core.config import Config


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, data_home: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The SQLAlchemy URL of an empty case log (the local file, or a new PostgreSQL database)."""
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_url")
        monkeypatch.setenv("DIAGWIZARD_CASES_URL", url)
        return url.replace("postgresql://", "postgresql+psycopg://")
    return str(location.local().url)


def _engine(url: str) -> sa.Engine:
    if url.startswith("sqlite"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    return sa.create_engine(url, poolclass=sa.pool.NullPool)


def test_the_first_use_makes_the_newest_schema(database: str) -> None:
    res = run_cli("cases", "info", "--json")
    assert res.code == 0, res.err
    assert res.json()["schema"] == migrate.head() == "0002"
    engine = _engine(database)
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    assert differences == []  # diagwizard/cases/schema.py describes what the migrations made


def test_the_previous_schema_is_upgraded_with_its_cases_kept(database: str) -> None:
    where = location.configured(Config())
    with CaseStore(where) as store:
        assert store.migrate("0001") == "0001"
    logged = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=20)
    engine = _engine(database)
    with engine.begin() as conn:  # rows as diagwizard before 0002 wrote them
        conn.execute(
            sa.text(
                "INSERT INTO cases (uid, case_code, created_at, updated_at, platform, outcome,"
                " fix, note, agent) VALUES ('u-1', 'DW1-OLD', :t, :t, 'windows', 'fixed',"
                " 'pcsc.start_service', 'old note', 'Amy')"
            ),
            {"t": logged if database.startswith("postgresql") else logged.strftime("%Y-%m-%d %H:%M:%S.000000")},
        )
        conn.execute(
            sa.text(
                "INSERT INTO case_problems (case_id, position, code, entry) VALUES"
                " (1, 0, :a, 'pcsc-service-stopped'), (1, 1, :b, NULL)"
            ),
            {"a": SERVICE, "b": LOCKED},
        )
    stats = run_cli("cases", "stats", "--since", "1h", "--json")
    assert stats.code == 0, stats.err
    counted = {p["code"]: (p["count"], p["last_hour"]) for p in stats.json()["problems"]}
    assert counted == {SERVICE: (1, 1), LOCKED: (1, 1)}  # the problems took their case's time
    shown = run_cli("cases", "show", "1", "--json").json()
    assert (shown["case_code"], shown["note"], shown["agent"]) == ("DW1-OLD", "old note", "Amy")
    assert [p["code"] for p in shown["problems"]] == [SERVICE, LOCKED]
    assert run_cli("cases", "info", "--json").json()["schema"] == "0002"
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []


def test_a_newer_schema_is_refused_and_nothing_is_changed(database: str) -> None:
    assert run_cli("cases", "info").code == 0
    engine = _engine(database)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0099'"))
    res = run_cli("cases", "list", "--lang", "en")
    assert res.code == 2 and len(res.err.strip().splitlines()) == 1
    assert "has schema version 0099, newer than this diagwizard knows (0002): update diagwizard" in res.err
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == "0099"


def test_tables_diagwizard_did_not_make_are_left_alone(database: str) -> None:
    engine = _engine(database)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE cases (id INTEGER PRIMARY KEY, title TEXT)"))
    res = run_cli("cases", "list", "--lang", "en")
    assert res.code == 2 and "holds a cases table diagwizard did not make" in res.err
    with engine.connect() as conn:
        assert sa.inspect(conn).get_table_names() == ["cases"]


def test_an_older_schema_the_agent_may_not_upgrade_is_one_clear_line(
    postgres: PostgresServer, pg_url: str, data_home: Path
) -> None:
    # The lead made the log at the previous schema; agents may read and write, not alter.
    with CaseStore(location.parse(pg_url, location.local().setting)) as store:
        store.migrate("0001")
    database = pg_url.rsplit("/", 1)[1]
    postgres.admin("CREATE ROLE agent LOGIN PASSWORD 'agent-pw'")
    for grant in (
        f"GRANT CONNECT ON DATABASE {database} TO agent",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO agent",
        "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO agent",
    ):
        postgres.admin(grant, database)
    try:
        env = {"DIAGWIZARD_CASES_URL": postgres.url(database, "agent", "agent-pw")}
        res = run_cli("cases", "list", "--lang", "en", env=env)
        assert res.code == 2 and len(res.err.strip().splitlines()) == 1, res.err
        assert "has the older schema version 0001; upgrading it to 0002 failed" in res.err
        assert "must be owner of table" in res.err and "DIAGWIZARD_CASES_URL" in res.err
        logged = run_cli("decode", service_code(), "--log", "--lang", "en", env=env)
        assert logged.code == 2 and "kept in the local queue (1 waiting)" in logged.out
        owner = {"DIAGWIZARD_CASES_URL": pg_url}  # the owner runs any cases command once
        synced = run_cli("cases", "info", "--json", env=owner).json()
        assert (synced["schema"], synced["cases"]) == ("0002", 1)
    finally:
        postgres.admin("DROP OWNED BY agent CASCADE", database)
        postgres.admin("DROP ROLE agent")


def test_the_newest_revision_is_the_one_the_program_expects() -> None:
    # migrate.HEAD lets an up-to-date database skip Alembic; a new migration must move it.
    assert migrate.scripts().get_current_head() == migrate.HEAD


def test_alembic_is_loaded_only_to_change_the_schema(data_home: Path) -> None:
    first = """
import sys
from diagwizard.ui.cli import main
main(["cases", "info", "--json"])  # the first use makes the schema: Alembic runs
assert "alembic" in sys.modules
"""
    fresh_python(first)
    later = """
import sys
from diagwizard.ui.cli import main
main(["cases", "list", "--json"])  # the schema is current: one query, no Alembic
loaded = [m for m in sys.modules if m == "alembic" or m.startswith("alembic.")]
assert not loaded, loaded
"""
    fresh_python(later)
