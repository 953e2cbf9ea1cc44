"""SVG snapshots of the main screens at 80x24, in both languages (fixed fake engine).

Update after an intended change with: scripts/test tests/test_tui_snapshots.py --snapshot-update
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fake_engine import FakeEngine
from textual.widgets import Input

from diagwizard.ui.tui.app import WizardApp

SIZE = (80, 24)
LANGS = ["zh-TW", "en"]


async def _settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("lang", LANGS)
def test_start_screen(snap_compare, lang: str) -> None:
    assert snap_compare(WizardApp(FakeEngine(), lang), terminal_size=SIZE)


@pytest.mark.parametrize("lang", LANGS)
def test_full_check_screen(snap_compare, lang: str) -> None:
    async def run_before(pilot) -> None:
        await pilot.press("4")
        await _settle(pilot)
        await pilot.press("escape")  # from the verdict back to the checks
        await pilot.pause()

    assert snap_compare(WizardApp(FakeEngine(), lang), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("lang", LANGS)
def test_symptom_list(snap_compare, lang: str) -> None:
    async def run_before(pilot) -> None:
        await pilot.press("1")
        await pilot.pause()

    assert snap_compare(WizardApp(FakeEngine(), lang), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("lang", LANGS)
def test_symptom_screen(snap_compare, lang: str) -> None:
    async def run_before(pilot) -> None:
        await pilot.press("1")
        pilot.app.screen.query_one(Input).focus()
        await pilot.press(*"unknow token", "enter")
        await pilot.pause()

    assert snap_compare(WizardApp(FakeEngine(), lang), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("lang", LANGS)
def test_walkthrough_screen(snap_compare, lang: str) -> None:
    async def run_before(pilot) -> None:
        await pilot.press("3")
        await pilot.press("c")
        await _settle(pilot)

    assert snap_compare(WizardApp(FakeEngine(), lang), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("lang", LANGS)
def test_summary_screen(snap_compare, lang: str) -> None:
    """The verdict, then the first fix for this system, unscrolled."""

    async def run_before(pilot) -> None:
        await pilot.press("4")
        await _settle(pilot)

    assert snap_compare(WizardApp(FakeEngine(), lang), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("lang", LANGS)
def test_symptom_verdict(snap_compare, lang: str) -> None:
    async def run_before(pilot) -> None:
        await pilot.press("1")
        pilot.app.screen.query_one(Input).focus()
        await pilot.press(*"Token Locked", "enter", "enter")
        await _settle(pilot)

    assert snap_compare(WizardApp(FakeEngine(), lang), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("lang", LANGS)
def test_summary_after_export(snap_compare, lang: str, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", "/home/officer/Documents")
    monkeypatch.setattr(
        "diagwizard.ui.tui.export.export_reports",
        lambda view, lang: [
            Path(f"/home/officer/Documents/diagwizard/r.{x}") for x in ("html", "md", "json")
        ],
    )

    async def run_before(pilot) -> None:
        await pilot.press("4")
        await _settle(pilot)
        await pilot.press("e")
        await pilot.pause()

    assert snap_compare(WizardApp(FakeEngine(), lang), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("lang", LANGS)
def test_question_dialog(snap_compare, lang: str) -> None:
    async def run_before(pilot) -> None:
        await pilot.press("4")
        await _settle(pilot)
        await pilot.press("escape", "a")
        await pilot.pause()

    assert snap_compare(WizardApp(FakeEngine(), lang), terminal_size=SIZE, run_before=run_before)
