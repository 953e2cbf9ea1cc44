"""The wizard driven the way a person drives it (Textual Pilot), with a fixed fake engine,
plus one run against the real engine on the loopback test stack."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fake_engine import FakeEngine
from helpers import LOOPBACK_CONFIG
from textual.widgets import Footer, Input, Markdown, OptionList, Static

from diagwizard.ui.tui.app import WizardApp, make_app
from diagwizard.ui.tui.screens.check import CheckScreen
from diagwizard.ui.tui.screens.question import QuestionScreen
from diagwizard.ui.tui.screens.summary import SummaryScreen
from diagwizard.ui.tui.screens.symptom import SymptomScreen
from diagwizard.ui.tui.screens.walkthrough import WalkthroughScreen
from diagwizard.ui.tui.widgets import Prose

SIZE = (80, 24)


def screen_text(app: WizardApp) -> str:
    """Everything visible on the current screen, as plain text."""
    parts = []
    for widget in app.screen.query("*"):
        if isinstance(widget, Prose):
            parts.append(widget.source)
        elif isinstance(widget, Static):
            parts.append(str(widget.render()))
        elif isinstance(widget, OptionList):
            parts += [str(o.prompt) for o in widget.options]
        elif isinstance(widget, Markdown):
            parts.append(widget.source)
    return "\n".join(parts)


async def wait_checks(pilot, app: WizardApp) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_start_screen_and_language_switch() -> None:
    app = WizardApp(FakeEngine(), "zh-TW")
    async with app.run_test(size=SIZE) as pilot:
        text = screen_text(app)
        for choice in ("登入時出現錯誤訊息", "第一次註冊憑證", "憑證登入", "全面檢查"):
            assert choice in text
        await pilot.press("l")
        assert app.lang == "en"
        assert "Check everything" in screen_text(app)
        await pilot.press("l")
        assert "全面檢查" in screen_text(app)


async def test_full_check_detail_and_recheck() -> None:
    engine = FakeEngine()
    app = WizardApp(engine, "en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await wait_checks(pilot, app)
        assert isinstance(app.screen, SummaryScreen)  # the verdict opens by itself
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CheckScreen)
        assert "Full check: ✘ Found 3 problem(s)" in screen_text(app)
        probe_list = app.screen.query_one("#probe-list", OptionList)
        rows = [str(o.prompt) for o in probe_list.options]
        assert "Reader and card" in rows and "Network" in rows
        assert any(r.startswith("  ✘ problem ") and "Card in the reader" in r for r in rows)
        assert any(r.startswith("  – skipped ") and "Card type" in r for r in rows)
        # keyboard only: move to the failing card row
        target = probe_list.get_option_index("pcsc.card")
        while probe_list.highlighted != target:
            await pilot.press("down")
        await pilot.pause()
        detail = app.screen.query_one("#detail-md", Prose).source
        assert "pcsc.E020" in detail and "There is no card in the reader" in detail
        assert "How to fix" in detail
        await pilot.press("r")
        await wait_checks(pilot, app)
        assert engine.reruns == ["pcsc.card"]
        row = str(probe_list.get_option("pcsc.card").prompt)
        assert row.startswith("  ✔ OK ")
        assert app.diagnosis.results["pcsc.card"].status == "ok"


async def test_symptom_path_runs_only_related_probes() -> None:
    engine = FakeEngine()
    app = WizardApp(engine, "zh-TW")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        assert isinstance(app.screen, SymptomScreen)
        app.screen.query_one(Input).focus()
        await pilot.press(*"Token Locked")
        await pilot.press("enter")
        await pilot.pause()
        matches = app.screen.query_one("#matches", OptionList)
        assert matches.get_option_at_index(0).id == "faq06-token-locked"
        await pilot.press("enter")
        await wait_checks(pilot, app)
        assert isinstance(app.screen, SummaryScreen)
        assert "找到" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CheckScreen)
        assert engine.runs and "pkcs11.pin" in engine.runs[-1]
        assert "net.http" not in {p.id for p in app.screen.probe_list or []}
        assert "卡片已鎖住" in app.screen.query_one("#detail-md", Prose).source


@pytest.mark.parametrize(
    ("lang", "said"),
    [("zh-TW", "沒有與這段文字明確相符的說明"), ("en", "Nothing matches this text closely")],
)
async def test_a_pasted_code_no_entry_names_gets_the_broad_entry_said_to_be_weak(
    lang: str, said: str
) -> None:
    app = WizardApp(FakeEngine(), lang)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        app.screen.query_one(Input).focus()
        await pilot.press(*"ERR_NETWORK_CHANGED", "enter")
        await pilot.pause()
        matches = app.screen.query_one("#matches", OptionList)
        assert matches.get_option_at_index(0).id == "faq01-network"
        assert said in screen_text(app)
        app.screen.query_one(Input).focus()
        await pilot.press(*" Token Locked", "enter")  # a named message: no longer weak
        await pilot.pause()
        assert said not in screen_text(app)


async def test_typing_on_the_symptom_screen_is_text_not_commands() -> None:
    app = WizardApp(FakeEngine(), "zh-TW")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        await pilot.press(*"failures lock q")  # the list has focus; letters still go to the box
        await pilot.pause()
        assert isinstance(app.screen, SymptomScreen) and app.lang == "zh-TW"
        assert app.screen.query_one(Input).value == "failures lock q"
        await pilot.press("f2")
        assert app.lang == "en"


async def test_a_second_visit_starts_afresh() -> None:
    """Back on the start menu and into the same path again: the last search is gone."""
    app = WizardApp(FakeEngine(), "zh-TW")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", *"lock", "enter")
        await pilot.pause()
        assert app.screen.query_one(Input).value == "lock"
        await pilot.press("escape", "1")
        await pilot.pause()
        assert isinstance(app.screen, SymptomScreen)
        assert app.screen.query_one(Input).value == ""
        assert not app.screen.query("#matches")


async def test_pick_a_listed_message() -> None:
    app = WizardApp(FakeEngine(), "zh-TW")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        await pilot.press("enter")  # the first listed message: 「無法顯示網頁」
        await pilot.pause()
        matches = app.screen.query_one("#matches", OptionList)
        assert {matches.get_option_at_index(i).id for i in range(2)} == {
            "faq01-card-reader",
            "faq01-network",
        }


async def test_login_walkthrough_with_checks_and_a_question() -> None:
    engine = FakeEngine()
    app = WizardApp(engine, "en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        assert isinstance(app.screen, WalkthroughScreen)
        assert "Step 1 of 5" in screen_text(app)
        await pilot.press("c")
        await wait_checks(pilot, app)
        step = app.screen.query_one("#step-md", Prose).source
        assert "Card in the reader" in step and "problem" in step
        await pilot.press("n")
        await pilot.press("n")
        assert "Step 3 of 5" in screen_text(app)
        app.screen.query_one("#ask").press()
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        await pilot.press("down", "enter")  # "No, my name is missing"
        await pilot.pause()
        assert app.diagnosis.answers == {"name_in_dialog": "no"}
        for _ in range(3):
            await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        fixes = app.diagnosis.fixes()
        assert "faq04-name-missing" in fixes
        assert fixes[0] == "faq01-card-reader"  # the card comes before everything else


async def test_the_buttons_do_what_their_keys_do() -> None:
    app = WizardApp(FakeEngine(), "en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        app.screen.query_one("#next").press()
        await pilot.pause()
        assert "Step 2 of 5" in screen_text(app)
        app.screen.query_one("#prev").press()
        await pilot.pause()
        assert "Step 1 of 5" in screen_text(app)
        await pilot.press("escape", "4")
        await wait_checks(pilot, app)
        await pilot.press("escape")
        await pilot.pause()
        app.screen.query_one("#summary").press()
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("escape")
        await pilot.pause()
        app.screen.query_one("#back").press()
        await pilot.pause()
        assert "Check everything" in screen_text(app)  # the start menu again


async def test_registration_walkthrough_has_four_steps() -> None:
    app = WizardApp(FakeEngine(), "zh-TW")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        assert "步驟 1／4" in screen_text(app)


async def test_summary_orders_fixes_and_exports(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(tmp_path / "Documents"))
    opened: list[Path] = []
    monkeypatch.setattr("diagwizard.ui.tui.export.launch", opened.append)
    app = WizardApp(FakeEngine(), "en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await wait_checks(pilot, app)
        assert isinstance(app.screen, SummaryScreen)
        text = screen_text(app)
        assert "Found 3 problem(s)" in text
        fixes = app.diagnosis.fixes()
        assert (
            fixes.index("faq01-card-reader")
            < fixes.index("hipki-not-running")
            < fixes.index("faq05-wrong-pin")
        )
        await pilot.press("e")
        await pilot.pause()
        folder = tmp_path / "Documents" / "diagwizard"
        written = sorted(folder.glob("diagwizard-report-*"))
        assert sorted(p.suffix for p in written) == [".html", ".json", ".md"]
        text = screen_text(app)
        assert "DW2-" in text
        assert f"Report saved in the folder {folder}" in text
        assert all(p.name in text for p in written)  # every file written is named
        await pilot.press("d")
        assert opened == [folder]
        assert app.screen.query_one(Footer).display  # the footer stays after export


async def test_language_switch_keeps_results() -> None:
    app = WizardApp(FakeEngine(), "zh-TW")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await wait_checks(pilot, app)
        await pilot.press("escape")
        await pilot.press("l")
        await pilot.pause()
        rows = [str(o.prompt) for o in app.screen.query_one("#probe-list", OptionList).options]
        assert any("✘" in r and "Card in the reader" in r for r in rows)
        assert "Full check" in screen_text(app)


async def test_real_engine_on_the_loopback_stack(monkeypatch) -> None:
    monkeypatch.setenv("DIAGWIZARD_CONFIG", str(LOOPBACK_CONFIG))
    app = make_app(lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await wait_checks(pilot, app)
        await pilot.press("escape")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CheckScreen) and screen.done
        assert app.diagnosis.results["sys.os"].status == "ok"
        assert app.diagnosis.results["middleware.hipki"].status == "fail"  # nothing at 127.0.0.1:9


os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
