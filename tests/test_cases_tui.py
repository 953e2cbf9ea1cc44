"""Helpdesk mode's case log at 80×24, in both languages: decoding a code offers to log it,
the cases screen lists, filters and charts cases with waves marked in words, and edits a
case's outcome and note; a database that cannot be reached is a line on the screen."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cases_helpers import LOCKED, SERVICE, add_cases, service_code
from helpers import run_cli
from textual.pilot import Pilot
from textual.widgets import DataTable, Select, Sparkline, Static

from diagwizard.cases import record, stats
from diagwizard.ui.tui.helpdesk import make_helpdesk
from diagwizard.ui.tui.screens.case_dialogs import CaseEditScreen, LogCaseScreen
from diagwizard.ui.tui.screens.cases import CasesScreen
from diagwizard.ui.tui.widgets import Prose

SIZE = (80, 24)
M = timedelta(minutes=1)
H = timedelta(hours=1)


async def _settle(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _rows(screen: CasesScreen) -> list[list[str]]:
    table: DataTable[str] = screen.query_one("#cases-table", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def _text(screen: CasesScreen) -> str:
    title = str(screen.query_one("#cases-title", Static).render())
    return title + "\n" + screen.query_one("#trend-line", Prose).source


def _a_wave_and_a_steady_problem() -> None:
    add_cases([LOCKED], [n * 4 * M for n in range(12)])  # 12 in the last hour: a wave
    add_cases([SERVICE], [(h + 2) * H for h in range(1, 6)])  # one an hour, 3 to 7 hours ago


async def _open_cases(pilot: Pilot[None]) -> CasesScreen:
    await pilot.press("4")
    await _settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CasesScreen)
    return screen


@pytest.mark.parametrize(
    ("lang", "wave", "title", "outcome"),
    [("zh-TW", "▲波峰", "卡片已鎖住（Token Locked）", "處理中"),
     ("en", "▲WAVE", "The card is locked (Token Locked)", "open")],
)
async def test_the_cases_screen_lists_cases_and_marks_waves_in_words(
    data_home: Path, lang: str, wave: str, title: str, outcome: str
) -> None:
    _a_wave_and_a_steady_problem()
    app = make_helpdesk(lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_cases(pilot)
        rows = _rows(screen)
        assert len(rows) == 17
        assert rows[0][0] == "1" and rows[-1][0] == "17" and rows[0][3] == outcome  # newest first
        # A wave's cases say so, not by colour; a title too long for 80 columns ends in "…".
        assert rows[0][5].startswith(f"{wave} ") and rows[0][5].endswith("…")
        assert f"{wave} {title}".startswith(rows[0][5][:-1])
        assert not rows[-1][5].startswith(wave)
        assert f"{wave}" in _text(screen) and title in _text(screen)
        trend = screen.query_one("#cases-trend", Sparkline).data
        assert trend is not None and len(trend) == 24 and sum(trend) == 17
        assert sum(trend[-2:]) == 12  # the last hour spans at most this hour and the one before
        options = screen.query_one("#cases-filter", Select)
        assert options.value == "__all__"
        assert screen.query_one("#cases-table").region.bottom <= SIZE[1]


async def test_filtering_by_problem_shows_its_cases_and_its_trend(data_home: Path) -> None:
    _a_wave_and_a_steady_problem()
    app = make_helpdesk(lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_cases(pilot)
        await pilot.press("p")  # the filter opens: all problems, then the wave first
        await pilot.pause()
        await pilot.press("down", "down", "enter")
        await _settle(pilot)
        assert screen.problem == SERVICE
        assert [row[0] for row in _rows(screen)] == ["13", "14", "15", "16", "17"]
        assert "The smart-card service is not running: 5" in _text(screen)
        assert "▲WAVE" not in _text(screen)
        trend = screen.query_one("#cases-trend", Sparkline).data
        assert trend is not None and sum(trend) == 5 and trend[-1] == 0


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
async def test_a_case_outcome_and_note_are_edited_from_the_screen(data_home: Path, lang: str) -> None:
    add_cases([SERVICE], [5 * M])
    app = make_helpdesk(lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_cases(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, CaseEditScreen)
        await pilot.press("3", "tab", *"call back A123456789", "enter")
        await _settle(pilot)
        assert app.screen is screen
        assert _rows(screen)[0][3] == ("已轉介" if lang == "zh-TW" else "escalated")
        notes = [n.message for n in app._notifications]
        assert any("[personal-1]" in n for n in notes)  # the note was redacted, and said so
    shown = run_cli("cases", "show", "1", "--json").json()
    assert (shown["outcome"], shown["note"]) == ("escalated", "call back [personal-1]")


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
async def test_decoding_a_code_offers_to_log_it(data_home: Path, lang: str) -> None:
    app = make_helpdesk(lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g")  # nothing decoded yet: nothing to log
        await pilot.pause()
        assert not isinstance(app.screen, LogCaseScreen)
        await pilot.press("1", *service_code(), "enter")
        await pilot.pause()
        offer = "按 g 記錄" if lang == "zh-TW" else "Press g"
        assert any(offer in n.message for n in app._notifications)
        await pilot.press("g")
        await _settle(pilot)
        assert isinstance(app.screen, LogCaseScreen)
        assert service_code() in str(app.screen.query_one(".title", Static).render())
        fix = app.screen.query_one("#case-fix", Select)
        await pilot.press("2", "tab")  # fixed; then the fix that worked
        await pilot.press("enter", "down", "enter")
        await pilot.pause()
        assert fix.value == "pcsc-service-stopped"
        await pilot.press("tab", *"restarted it", "tab", *"Amy", "enter")
        await _settle(pilot)
        logged = "已記錄為案件 #1" if lang == "zh-TW" else "Logged as case #1"
        assert any(logged in n.message for n in app._notifications)
    shown = run_cli("cases", "show", "1", "--json").json()
    assert [p["code"] for p in shown["problems"]] == [SERVICE]
    assert (shown["outcome"], shown["fix"], shown["note"], shown["agent"]) == (
        "fixed", "pcsc-service-stopped", "restarted it", "Amy",
    )


async def test_the_language_switches_on_the_cases_screen(data_home: Path) -> None:
    _a_wave_and_a_steady_problem()
    app = make_helpdesk(lang="zh-TW")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_cases(pilot)
        assert "案件紀錄" in _text(screen)
        await pilot.press("l")
        await pilot.pause()
        assert "Case log (the last 7 days): 17 case(s)" in _text(screen)
        assert _rows(screen)[0][5].startswith("▲WAVE")
        assert len(_rows(screen)) == 17  # the cases stay; nothing is read again to relabel


async def test_a_database_out_of_reach_is_a_line_on_the_screen(
    data_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DIAGWIZARD_CASES_URL", "postgresql://agent:pw@127.0.0.1:9/cases")
    app = make_helpdesk(lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_cases(pilot)
        title = str(screen.query_one("#cases-title", Static).render())
        assert title.startswith("✘ Cannot read the case log: Cannot reach the case database")
        assert "pw@" not in title and app.is_running
        await pilot.press("e", "r")  # nothing to edit; read again: still a line, no crash
        await _settle(pilot)
        assert app.screen is screen


@pytest.fixture
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[datetime]:
    """Now is 2026-03-02 09:30 in Taipei (UTC+8, a POSIX TZ string), for snapshots."""
    now = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
    for module in (record, stats):
        monkeypatch.setattr(module, "utc_now", lambda: now)
    monkeypatch.setenv("TZ", "CST-8")
    time.tzset()
    yield now
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_cases_screen_snapshot(snap_compare, data_home: Path, fixed_clock: datetime, lang: str) -> None:
    add_cases([LOCKED], [n * 4 * M for n in range(12)], now=fixed_clock)
    add_cases([SERVICE], [(h + 2) * H for h in range(1, 6)], now=fixed_clock)

    async def run_before(pilot: Pilot[None]) -> None:
        await _open_cases(pilot)

    assert snap_compare(make_helpdesk(lang=lang), terminal_size=SIZE, run_before=run_before)


async def _open_log_dialog(pilot: Pilot[None]) -> LogCaseScreen:
    await pilot.press("1", *service_code(), "enter")
    await pilot.pause()
    await pilot.press("g")
    await _settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, LogCaseScreen)
    return screen


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
async def test_enter_saves_the_log_dialog_from_the_outcome_choice(data_home: Path, lang: str) -> None:
    app = make_helpdesk(lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await _open_log_dialog(pilot)
        await pilot.press("2", "enter")  # the hint says "Enter save": it saves from here too
        await _settle(pilot)
        assert not isinstance(app.screen, LogCaseScreen)
        logged = "已記錄為案件 #1" if lang == "zh-TW" else "Logged as case #1"
        assert any(logged in n.message for n in app._notifications)
    assert run_cli("cases", "show", "1", "--json").json()["outcome"] == "fixed"


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
async def test_escape_after_choosing_says_the_case_was_not_logged(data_home: Path, lang: str) -> None:
    app = make_helpdesk(lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await _open_log_dialog(pilot)
        await pilot.press("2", "escape")
        await _settle(pilot)
        assert not isinstance(app.screen, LogCaseScreen)
        said = "未記錄" if lang == "zh-TW" else "Not logged"
        assert any(said in n.message for n in app._notifications)


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
async def test_logging_a_case_refreshes_the_open_case_log(data_home: Path, lang: str) -> None:
    app = make_helpdesk(lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", *service_code(), "enter")
        await pilot.pause()
        await pilot.press("escape", "escape")  # back from the decoded case to the menu
        await _settle(pilot)
        screen = await _open_cases(pilot)
        assert _rows(screen) == []
        await pilot.press("g")
        await _settle(pilot)
        assert isinstance(app.screen, LogCaseScreen)
        await pilot.press("2", "tab", "tab", "enter")  # saved from the note field
        await _settle(pilot)
        assert app.screen is screen
        assert [row[0] for row in _rows(screen)] == ["1"]
        count = "1 件" if lang == "zh-TW" else "1 case(s)"
        assert count in _text(screen)
        trend = screen.query_one("#cases-trend", Sparkline).data
        assert trend is not None and sum(trend) == 1


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
async def test_a_long_problem_title_is_cut_with_an_ellipsis_at_80_columns(
    data_home: Path, lang: str
) -> None:
    add_cases([SERVICE], [5 * M])
    app = make_helpdesk(lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_cases(pilot)
        table: DataTable[str] = screen.query_one("#cases-table", DataTable)
        widths = sum(c.get_render_width(table) for c in table.columns.values())
        assert widths <= table.scrollable_content_region.width  # nothing runs off the edge
        title = "智慧卡服務沒有執行" if lang == "zh-TW" else "The smart-card service is not running"
        cell = _rows(screen)[0][5]
        assert cell == title or (cell.endswith("…") and title.startswith(cell[:-1]))
