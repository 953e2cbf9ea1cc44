"""The case log as a helpdesk agent and lead use it from the command line, the same on the
local SQLite file and on a team's PostgreSQL: log, list, show, update, stats with waves,
CSV export, and every bad input as one line with exit code 2."""

from __future__ import annotations

import csv
import os
import stat
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cases_helpers import LOCKED, SERVICE, add_cases, locked_code, service_code
from helpers import LOOPBACK_CONFIG, fresh_python, run_cli

from diagwizard.cases import stats, window
from diagwizard.cases.caselog import CaseLog
from diagwizard.core.config import Config

H = timedelta(hours=1)
M = timedelta(minutes=1)


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, data_home: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The case log on this user's SQLite file, or on a fresh PostgreSQL database."""
    if request.param == "postgresql":
        monkeypatch.setenv("DIAGWIZARD_CASES_URL", request.getfixturevalue("pg_url"))
    return str(request.param)


def _one_line_error(res_err: str) -> str:
    lines = [line for line in res_err.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in res_err, res_err
    return lines[0]


def test_a_decoded_case_is_logged_with_its_problems_in_order(backend: str) -> None:
    res = run_cli(
        "decode", locked_code(), "--log", "--outcome", "fixed", "--fix", "pcsc.start_service",
        "--agent", "Amy", "--note", "restarted the service", "--lang", "en",
    )
    assert res.code == 0, res.err
    assert "Problems to fix: 2" in res.out  # the usual decode output first
    assert res.out.rstrip().splitlines()[-1].startswith("Logged as case #1 (")
    shown = run_cli("cases", "show", "1", "--json").json()
    assert [p["code"] for p in shown["problems"]] == [SERVICE, LOCKED]
    assert shown["problems"][1]["entry"] == "faq06-token-locked"
    assert shown["platform"] == "macos" and shown["case_code"] == locked_code()
    assert (shown["outcome"], shown["fix"], shown["agent"]) == ("fixed", "pcsc.start_service", "Amy")
    assert shown["logged_at"].endswith("+00:00")  # stored in UTC
    text = run_cli("cases", "show", "1", "--lang", "en")
    assert "The smart-card service is not running · pcsc.E002" in text.out
    assert "(local time)" in text.out and "restarted the service" in text.out


def test_a_note_that_looks_personal_is_stored_redacted_with_a_warning(
    backend: str, tmp_path: Path
) -> None:
    note = "ID A123456789, card AB12345678901234, mail amy@example.com, tel 0912-345-678, helpline 0800-080-117"
    res = run_cli("decode", service_code(), "--log", "--note", note, "--lang", "en")
    assert res.code == 0, res.err
    assert "The note looked personal (a national ID number, a card number, an e-mail address, a phone number)" in res.err
    stored = run_cli("cases", "show", "1", "--json").json()["note"]
    assert stored == (
        "ID [personal-1], card [personal-2], mail [personal-3], tel [personal-4], "
        "helpline 0800-080-117"
    )
    exported = tmp_path / "cases.csv"
    assert run_cli("cases", "export", "--csv", str(exported)).code == 0
    for value in ("A123456789", "AB12345678901234", "amy@example.com", "0912-345-678"):
        assert value not in exported.read_text(encoding="utf-8-sig")


def test_the_same_case_sent_twice_is_stored_once(backend: str) -> None:
    from diagwizard.cases.intake import new_case
    from diagwizard.ui.cli.decode import decoded_outcome

    case, _ = new_case(decoded_outcome(service_code())[0])
    log = CaseLog(Config())
    first, again = log.log(case), log.log(case)  # a retry, or the queue after a crash
    assert first.number == again.number == 1
    assert len(run_cli("cases", "list", "--json").json()["cases"]) == 1


def test_list_filters_by_time_problem_and_outcome(backend: str) -> None:
    add_cases([SERVICE], [10 * M, 2 * H])
    add_cases([LOCKED, SERVICE], [30 * M])
    add_cases([LOCKED], [3 * 24 * H])
    every = run_cli("cases", "list", "--json").json()["cases"]
    assert [c["number"] for c in every] == [1, 3, 2, 4]  # newest first
    recent = run_cli("cases", "list", "--since", "1h", "--json").json()["cases"]
    assert [c["number"] for c in recent] == [1, 3]
    locked = run_cli("cases", "list", "--problem", LOCKED, "--json").json()["cases"]
    assert [c["number"] for c in locked] == [3, 4]
    run_cli("cases", "update", "4", "--outcome", "escalated")
    escalated = run_cli("cases", "list", "--outcome", "escalated", "--json").json()["cases"]
    assert [c["number"] for c in escalated] == [4]
    table = run_cli("cases", "list", "--lang", "en", "--limit", "2")
    assert "Only the newest 2 are shown" in table.out
    assert "The smart-card service is not running" in table.out


def test_update_changes_outcome_and_note_and_says_what_it_is_now(backend: str) -> None:
    add_cases([SERVICE], [5 * M])
    res = run_cli("cases", "update", "1", "--outcome", "fixed", "--note", "call me on 02-2345-6789", "--lang", "en")
    assert res.code == 0, res.err
    assert "Case #1 updated" in res.out and "fixed" in res.out
    assert "a phone number" in res.err
    shown = run_cli("cases", "show", "1", "--json").json()
    assert shown["outcome"] == "fixed" and shown["note"] == "call me on [personal-1]"
    assert shown["updated_at"] >= shown["logged_at"]
    outcomes = run_cli("cases", "stats", "--json").json()["outcomes"]
    assert outcomes == {"open": 0, "fixed": 1, "escalated": 0}  # the count moved with it
    missing = run_cli("cases", "update", "9", "--outcome", "fixed", "--lang", "en")
    assert missing.code == 2 and "There is no case #9" in _one_line_error(missing.err)
    nothing = run_cli("cases", "update", "1", "--lang", "en")
    assert nothing.code == 2 and "needs at least one of --outcome" in nothing.err


def test_stats_count_each_problem_per_hour_and_flag_waves(backend: str, tmp_path: Path) -> None:
    # The lock problem: 12 in the last hour, nothing before: a wave (no history is zero).
    add_cases([LOCKED], [n * 4 * M for n in range(12)])
    # The service problem: 12 in the last hour too, but usually 5 an hour: no wave
    # (12 is less than three times 5).
    add_cases([SERVICE], [n * 4 * M for n in range(12)])
    add_cases([SERVICE], [h * H + n * 10 * M + 5 * M for h in range(1, 24) for n in range(5)])
    res = run_cli("cases", "stats", "--since", "24h", "--json")
    assert res.code == 0, res.err
    doc = res.json()
    assert doc["unit"] == "hour" and doc["cases"] == 12 + 12 + 23 * 5
    problems = {p["code"]: p for p in doc["problems"]}
    assert doc["problems"][0]["code"] == LOCKED  # waves first
    assert (problems[LOCKED]["count"], problems[LOCKED]["last_hour"], problems[LOCKED]["wave"]) == (12, 12, True)
    assert (problems[SERVICE]["count"], problems[SERVICE]["wave"]) == (12 + 115, False)
    assert problems[SERVICE]["hourly_average"] == 5.0
    assert sum(b["count"] for b in problems[SERVICE]["buckets"]) == 127
    assert problems[LOCKED]["title"] == "卡片已鎖住（Token Locked）"
    # The thresholds come from the config: 13 in the last hour needed, so no wave now.
    config = tmp_path / "config.toml"
    config.write_text(LOOPBACK_CONFIG.read_text() + "\n[cases]\nwave_min_count = 13\n")
    stricter = run_cli("cases", "stats", "--since", "24h", "--json", "--config", str(config))
    assert not any(p["wave"] for p in stricter.json()["problems"])
    text = run_cli("cases", "stats", "--since", "24h", "--lang", "en")
    assert "▲WAVE Attention: 1 problem(s) coming in a wave: The card is locked" in text.out
    wave_row = next(line for line in text.out.splitlines() if "▲WAVE The card is locked" in line)
    assert "█" in wave_row and "·" in wave_row  # the chart reads without colour


def test_stats_of_a_week_are_per_day(backend: str) -> None:
    add_cases([SERVICE], [5 * M, 2 * 24 * H, 2 * 24 * H + H, 10 * 24 * H])
    doc = run_cli("cases", "stats", "--json").json()
    assert doc["unit"] == "day" and len(doc["problems"][0]["buckets"]) in (7, 8)
    (service,) = doc["problems"]
    assert service["count"] == 3 and sum(b["count"] for b in service["buckets"]) == 3
    empty = run_cli("cases", "stats", "--since", "1h", "--lang", "en")
    assert empty.code == 0 and "1 case(s)" in empty.out


@pytest.fixture
def taipei_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This process's local time is UTC+8 (a POSIX TZ string: no time-zone data needed)."""
    monkeypatch.setenv("TZ", "CST-8")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_days_and_hours_start_on_the_local_clock(backend: str, taipei_clock: None) -> None:
    # A fixed "now" (yesterday, 12:00 local time), so that no bucket edge depends on when
    # the test runs.
    noon = datetime.now().astimezone().replace(hour=12, minute=0, second=0, microsecond=0)
    now = (noon - 24 * H).astimezone(UTC)
    add_cases([SERVICE], [5 * M, 11 * H + 59 * M, 12 * H + M, 2 * 24 * H], now=now)
    with CaseLog(Config()).open() as store:
        daily = stats.compute(store, window.parse("7d"), stats.WaveRule(), now=now)
        hourly = stats.compute(store, window.parse("24h"), stats.WaveRule(), now=now)
    (service,) = daily.problems
    assert [s.astimezone().hour for s in daily.starts] == [0] * len(daily.starts)
    assert daily.starts[-1].hour == 16  # local midnight is 16:00 UTC the day before
    assert service.buckets[-1] == 2  # 11:55 and 00:01 of that day
    assert service.buckets[-2] == 1 and service.buckets[-3] == 1  # 23:59 the day before
    (service,) = hourly.problems
    assert hourly.starts[-1].astimezone().hour == 12 and service.buckets[-1] == 0
    assert service.buckets[-2] == 1  # 11:55
    assert service.last_hour == 1 and service.count == 3


def test_export_writes_csv_that_a_spreadsheet_cannot_run(backend: str, tmp_path: Path) -> None:
    first = run_cli("decode", service_code(), "--log", "--note", '=HYPERLINK("http://x")', "--agent", "@bob")
    second = run_cli("decode", locked_code(), "--log", "--note=-2+3", "--agent", "+Amy")
    assert first.code == second.code == 0, first.err + second.err
    target = tmp_path / "cases.csv"
    res = run_cli("cases", "export", "--csv", str(target), "--lang", "en")
    assert res.code == 0 and "Exported 2 case(s)" in res.out
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel on zh-TW Windows reads it
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][0] == "number" and len(rows) == 3
    cells = [cell for row in rows[1:] for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert "'=HYPERLINK(\"http://x\")" in cells and "'@bob" in cells and "'-2+3" in cells
    assert "pcsc.E002; ask.E007" in cells


def test_export_replaces_a_link_instead_of_writing_through_it(backend: str, tmp_path: Path) -> None:
    add_cases([SERVICE], [M])
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    link = tmp_path / "out.csv"
    link.symlink_to(victim)
    assert run_cli("cases", "export", "--csv", str(link)).code == 0
    assert victim.read_text() == "keep me"
    assert not link.is_symlink() and link.read_text(encoding="utf-8-sig").count("\n") == 2
    folder = run_cli("cases", "export", "--csv", str(tmp_path), "--lang", "en")
    assert folder.code == 2 and "is a folder" in _one_line_error(folder.err)
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    device = run_cli("cases", "export", "--csv", str(pipe), "--lang", "en")
    assert device.code == 2 and "is not a file" in _one_line_error(device.err)
    assert stat.S_ISFIFO(pipe.lstat().st_mode)  # refused, never replaced
    assert not list(tmp_path.glob(".out.csv.*.tmp"))  # no temporary file left behind


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["cases", "list", "--since", "5x"], "--since 5x cannot be read"),
        (["cases", "stats", "--since", "0h"], "--since 0h cannot be read"),
        (["decode", "CODE", "--note", "x"], "--note goes with --log"),
        (["decode", "CODE", "--log", "--fix", "no.such_fix"], "--fix no.such_fix is not a known fix"),
        (["decode", "CODE", "--log", "--note", "x" * 501], "--note is too long (501 characters)"),
        (["cases", "show", "0"], "expected a case number"),
    ],
)
def test_bad_input_is_one_line_and_stores_nothing(data_home: Path, args: list[str], expected: str) -> None:
    args = [service_code() if a == "CODE" else a for a in args]
    res = run_cli(*args, "--lang", "en")
    assert res.code == 2 and expected in _one_line_error(res.err)
    assert res.out == ""  # checked before anything is printed
    assert not (data_home / "cases.sqlite3").exists()


def test_a_bad_database_setting_names_the_setting(data_home: Path, tmp_path: Path) -> None:
    env = {"DIAGWIZARD_CASES_URL": "mysql://amy:secret@db/cases"}
    res = run_cli("cases", "list", "--lang", "en", env=env)
    assert res.code == 2
    line = _one_line_error(res.err)
    assert "environment variable DIAGWIZARD_CASES_URL is not a database URL" in line
    assert "secret" not in line
    config = tmp_path / "bad.toml"
    config.write_text('[cases]\nurl = "ftp://amy:secret@host/x"\n')
    res = run_cli("cases", "list", "--config", str(config), "--lang", "en")
    assert res.code == 2
    line = _one_line_error(res.err)
    assert str(config) in line and "cases.url" in line and "secret" not in line


def test_a_refused_login_or_missing_database_says_which_and_keeps_the_case(
    data_home: Path, postgres: object, pg_url: str
) -> None:
    wrong_password = pg_url.replace("dw-test-secret", "not-the-password")
    missing = pg_url.rsplit("/", 1)[0] + "/no_such_db"
    for url, words in ((wrong_password, "password authentication failed"),
                       (missing, 'database "no_such_db" does not exist')):
        env = {"DIAGWIZARD_CASES_URL": url}
        res = run_cli("decode", service_code(), "--log", "--lang", "en", env=env)
        assert res.code == 2
        assert "refused the connection (environment variable DIAGWIZARD_CASES_URL)" in res.err
        assert words in res.err and "not-the-password" not in res.err + res.out
        assert "kept in the local queue" in res.out
        listing = run_cli("cases", "list", "--lang", "en", env=env)
        assert listing.code == 2 and words in _one_line_error(listing.err)
    synced = run_cli("cases", "sync", "--lang", "en", env={"DIAGWIZARD_CASES_URL": pg_url})
    assert "Sent 2 queued case(s): #1, #2" in synced.err  # fixed setting: nothing was lost


def test_a_damaged_local_file_is_set_aside_not_overwritten(data_home: Path) -> None:
    data_home.mkdir(parents=True)
    damaged = data_home / "cases.sqlite3"
    garbage = b"this was never a database " * 200
    damaged.write_bytes(garbage)
    res = run_cli("decode", service_code(), "--log", "--lang", "en")
    assert res.code == 0, res.err
    (aside,) = data_home.glob("cases.sqlite3.damaged-*")
    assert aside.read_bytes() == garbage
    assert f"it is kept as {aside}" in res.err and "Logged as case #1" in res.out
    assert run_cli("cases", "list", "--json").json()["count"] == 1


def test_info_shows_where_the_log_is_and_its_schema_version(backend: str) -> None:
    info = run_cli("cases", "info", "--json").json()
    assert info["schema"] == info["schema_newest"] == "0002"
    assert info["cases"] == 0 and info["queued"] == 0
    assert "dw-test-secret" not in info["store"]
    text = run_cli("cases", "info", "--lang", "en")
    assert "0002 (current)" in text.out and "▲WAVE = at least 10" in text.out


def test_sync_without_a_team_database_says_where_cases_stay(data_home: Path) -> None:
    res = run_cli("cases", "sync", "--lang", "en")
    assert res.code == 0
    assert "No team database is set" in res.out and "The local queue is empty" in res.out


def test_a_check_and_a_plain_decode_load_no_database_library() -> None:
    code = f"""
import sys
from diagwizard.ui.cli import main
main(["check", "--only", "sys.os", "--json"])
main(["decode", "{service_code()}"])
loaded = [m for m in ("sqlalchemy", "alembic", "psycopg", "diagwizard.cases") if m in sys.modules]
print("LOADED", loaded, file=sys.stderr)
assert not loaded, loaded
"""
    fresh_python(code, env={"DIAGWIZARD_CONFIG": str(LOOPBACK_CONFIG)})


def test_a_data_folder_that_cannot_be_made_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the user data folder should be")
    res = run_cli("decode", service_code(), "--log", "--lang", "en",
                  env={"XDG_DATA_HOME": str(blocker), "DIAGWIZARD_CASES_URL": ""})
    assert res.code == 2
    assert "Cannot use the case file" in _one_line_error(res.err) and "Not a directory" in res.err
