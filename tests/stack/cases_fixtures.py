"""Fixtures for the case log: one PostgreSQL server per test session, a fresh database per
test, and a private user data folder (the local SQLite file and the queue) per test."""

from __future__ import annotations

import itertools
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from stack.postgres import PostgresServer

_names = itertools.count(1)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    # Not under pytest's tmp folder: that is private to this user (0700), and the server
    # runs as the postgres user.
    folder = Path(tempfile.mkdtemp(prefix="dw-postgres-"))
    server = PostgresServer(folder)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def pg_url(postgres: PostgresServer) -> str:
    """A new, empty database on the session's server: its URL (password included)."""
    return postgres.create_database(f"cases_{next(_names)}")


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This test's user data folder: the local case file and queue live in
    ``<it>/diagwizard`` (platformdirs reads XDG_DATA_HOME on Linux); no team database."""
    home = tmp_path / "data-home"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    monkeypatch.delenv("DIAGWIZARD_CASES_URL", raising=False)
    return home / "diagwizard"
