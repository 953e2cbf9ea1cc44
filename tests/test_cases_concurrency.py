"""Nothing lost: agents logging at the same moment from separate processes, on SQLite and
on PostgreSQL, and a team server that goes away in the middle (the queue, then sync)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cases_helpers import SERVICE, service_code
from helpers import run_cli
from stack.postgres import PostgresServer

WRITERS = 4
EACH = 15

# One agent: log EACH cases through the same code path as `decode --log`, all at once.
AGENT = """
import sys
from diagwizard.core.config import Config
from diagwizard.cases.caselog import CaseLog
from diagwizard.cases.intake import new_case
from diagwizard.ui.cli.decode import decoded_outcome

run, _ = decoded_outcome(sys.argv[1])
sys.stdin.readline()  # wait for the start signal, so that every agent writes at once
log = CaseLog(Config())
for n in range(int(sys.argv[2])):
    case, _ = new_case(run, agent=sys.argv[3], note=f"call {n}")
    logged = log.log(case)
    assert logged.number is not None, logged.reason
    print(case.uid, logged.number, flush=True)
"""


def _agents_at_once(env: dict[str, str]) -> list[tuple[str, int]]:
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", AGENT, service_code(), str(EACH), f"agent{i}"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, **env},
        )
        for i in range(WRITERS)
    ]
    for p in procs:  # every interpreter is up and has decoded the code: go
        assert p.stdin is not None
        p.stdin.write("go\n")
        p.stdin.flush()
    logged = []
    for p in procs:
        out, err = p.communicate(timeout=180)
        assert p.returncode == 0, err
        logged += [(uid, int(n)) for uid, n in (line.split() for line in out.splitlines())]
    return logged


def _listed(env: dict[str, str] | None = None) -> list[dict]:
    res = run_cli("cases", "list", "--limit", "1000", "--json", env=env)
    assert res.code == 0, res.err
    return res.json()["cases"]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_agents_logging_at_once_lose_and_duplicate_nothing(
    backend: str, data_home: Path, request: pytest.FixtureRequest
) -> None:
    env = {"DIAGWIZARD_CASES_URL": request.getfixturevalue("pg_url")} if backend == "postgresql" else {}
    logged = _agents_at_once(env)
    assert len(logged) == WRITERS * EACH
    numbers = [n for _, n in logged]
    assert len(set(numbers)) == len(numbers)  # every case its own number
    stored = _listed(env)
    assert sorted(c["number"] for c in stored) == sorted(numbers)
    assert {c["uid"] for c in stored} == {uid for uid, _ in logged}
    assert {c["agent"] for c in stored} == {f"agent{i}" for i in range(WRITERS)}
    counted = run_cli("cases", "stats", "--since", "1h", "--json", env=env).json()
    assert counted["cases"] == counted["outcomes"]["open"] == WRITERS * EACH
    assert [(p["code"], p["count"]) for p in counted["problems"]] == [(SERVICE, WRITERS * EACH)]


def test_a_server_that_goes_away_keeps_cases_in_the_queue_until_sync(
    postgres: PostgresServer, pg_url: str, data_home: Path
) -> None:
    env = {"DIAGWIZARD_CASES_URL": pg_url}
    first = run_cli("decode", service_code(), "--log", "--lang", "en", env=env)
    assert first.code == 0 and "Logged as case #1" in first.out
    postgres.stop()
    try:
        for n in (1, 2):
            res = run_cli("decode", service_code(), "--log", "--lang", "en", "--note", f"away {n}", env=env)
            assert res.code == 0, res.err  # an outage is not the agent's fault
            assert f"kept in the local queue ({n} waiting)" in res.out
            assert "Cannot reach the case database" in res.err and "Traceback" not in res.err
            assert "dw-test-secret" not in res.out + res.err  # the password is never shown
        listing = run_cli("cases", "list", "--lang", "en", env=env)
        assert listing.code == 2 and "Cannot reach the case database" in listing.err
    finally:
        postgres.start()
    synced = run_cli("cases", "sync", "--lang", "en", env=env)
    assert synced.code == 0, synced.err
    assert "Sent 2 queued case(s): #2, #3" in synced.err
    again = run_cli("cases", "sync", "--lang", "en", env=env)
    assert "The local queue is empty" in again.out  # sent once, never twice
    notes = sorted(c["note"] for c in _listed(env))
    assert notes == ["", "away 1", "away 2"]


def test_the_next_case_that_gets_through_takes_the_queue_along(
    postgres: PostgresServer, pg_url: str, data_home: Path
) -> None:
    env = {"DIAGWIZARD_CASES_URL": pg_url}
    postgres.stop()
    try:
        queued = run_cli("decode", service_code(), "--log", "--note", "first", env=env)
        assert queued.code == 0 and (data_home / "cases-queue.sqlite3").exists()
    finally:
        postgres.start()
    res = run_cli("decode", service_code(), "--log", "--note", "second", "--lang", "en", env=env)
    assert res.code == 0 and "Logged as case #2" in res.out
    assert "Sent 1 queued case(s): #1" in res.err
    assert [c["note"] for c in _listed(env)] == ["second", "first"]
    info = run_cli("cases", "info", "--json", env=env).json()
    assert info["queued"] == 0 and info["cases"] == 2
