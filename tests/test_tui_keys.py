"""What an anxious person at an 80×24 terminal notices: the verdict and the first fix
without scrolling, keys that work the same everywhere, footers that fit, prompts in
their language."""

from __future__ import annotations

import pytest
from fake_engine import FakeEngine
from test_tui import SIZE, screen_text, wait_checks
from textual import events
from textual.containers import VerticalScroll
from textual.widgets import Footer, OptionList

from checks import clock
from diagwizard.core.model import Status, result
from diagwizard.core.text import Text
from diagwizard.ui.textwrap_cjk import CLOSING
from diagwizard.ui.tui.app import WizardApp
from diagwizard.ui.tui.screens.check import CheckScreen
from diagwizard.ui.tui.screens.question import QuestionScreen
from diagwizard.ui.tui.screens.summary import SummaryScreen
from diagwizard.ui.tui.screens.symptom import SymptomScreen
from diagwizard.ui.tui.widgets import Prose, render_prose

LANGS = ["zh-TW", "en"]
FIX_HEADING = {"zh-TW": "處理方式（Linux）", "en": "How to fix (Linux)"}
OTHER_OS = {"zh-TW": "其他作業系統的步驟", "en": "Steps for other systems"}


def visible_lines(app: WizardApp) -> list[str]:
    """The summary lines a person sees without scrolling."""
    body = app.screen.query_one("#summary-body", VerticalScroll)
    lines: list[str] = []
    for prose in body.query(Prose):
        lines += render_prose(prose.source, prose.content_size.width).plain.splitlines()
    return lines[: body.content_size.height]


@pytest.mark.parametrize("lang", LANGS)
async def test_verdict_first_then_the_first_fix_for_this_system(lang: str) -> None:
    app = WizardApp(FakeEngine(), lang)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await wait_checks(pilot, app)
        assert isinstance(app.screen, SummaryScreen)
        banner = str(app.screen.query_one("#verdict").render())
        assert banner.startswith("✘ 找到 3 個問題" if lang == "zh-TW" else "✘ Found 3 problem(s)")
        seen = visible_lines(app)
        heading = seen.index(FIX_HEADING[lang])
        steps = [line for line in seen[heading:] if line[:2] in ("1.", "2.", "3.")]
        assert len(steps) >= 3, seen  # every step of the first fix, unscrolled
        for line in seen:
            assert not line.strip() or line.strip()[0] not in CLOSING, line


@pytest.mark.parametrize("lang", LANGS)
async def test_other_systems_steps_are_behind_a_toggle(lang: str) -> None:
    app = WizardApp(FakeEngine(), lang)
    async with app.run_test(size=SIZE) as pilot:
        app.diagnosis.results["sys.clock"] = result(
            Status.FAIL,
            Text("時間錯誤", "Clock wrong"),
            clock.SKEWED(direction="快", minutes=15, direction_en="ahead of"),
        )
        app.open("summary")
        await pilot.pause()
        text = screen_text(app)
        assert "timedatectl" in text and "Windows" not in text.split(OTHER_OS[lang])[0]
        assert "o" in text  # the hint says which key shows them
        await pilot.press("o")
        await pilot.pause()
        text = screen_text(app)
        assert OTHER_OS[lang] in text and "Windows" in text.split(OTHER_OS[lang])[1]


async def test_focus_is_on_the_text_that_scrolls() -> None:
    app = WizardApp(FakeEngine(), "zh-TW")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await wait_checks(pilot, app)
        body = app.screen.query_one("#summary-body", VerticalScroll)
        assert app.focused is body
        await pilot.press("pagedown")
        await pilot.pause()
        assert body.scroll_y > 0


@pytest.mark.parametrize("lang", LANGS)
async def test_number_keys_answer_and_esc_goes_back_without_answering(lang: str) -> None:
    app = WizardApp(FakeEngine(), lang)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await wait_checks(pilot, app)
        await pilot.press("escape", "a")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        first = app.screen.question_id
        await pilot.press("2")  # the second answer of the first question
        await pilot.pause()
        assert first in app.diagnosis.answers
        assert isinstance(app.screen, QuestionScreen) and app.screen.question_id != first
        answered = dict(app.diagnosis.answers)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CheckScreen)  # back where the person was
        assert app.diagnosis.answers == answered  # Esc answered nothing


async def test_number_keys_pick_a_message_on_the_symptom_screen() -> None:
    app = WizardApp(FakeEngine(), "en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        assert isinstance(app.screen, SymptomScreen)
        messages = [
            str(o.prompt) for o in app.screen.query_one("#symptom-list", OptionList).options
        ]
        assert messages[1].startswith("2. ")
        await pilot.press("2")
        await pilot.pause()
        assert app.screen.query_one("#matches", OptionList).option_count
        value = app.screen.query_one("Input").value
        assert value and value in messages[1]  # the second message, not the digit "2"


async def test_symptom_list_is_english_in_english_mode() -> None:
    app = WizardApp(FakeEngine(), "en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        options = app.screen.query_one("#symptom-list", OptionList).options
        for option in options:
            assert str(option.prompt).isascii() or "“" in str(option.prompt), option.prompt
        assert not any("\u4e00" <= ch <= "\u9fff" for o in options for ch in str(o.prompt))


@pytest.mark.parametrize("lang", LANGS)
async def test_ctrl_c_says_how_to_quit_in_the_current_language(lang: str) -> None:
    app = WizardApp(FakeEngine(), lang)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+c")
        await pilot.pause()
        shown = " ".join(f"{n.title} {n.message}" for n in app._notifications)
        assert ("要離開嗎" in shown) == (lang == "zh-TW")
        assert "Do you want to quit" not in shown or lang == "en"
        assert "ctrl+q to quit the app" not in shown.lower()
        await pilot.press("ctrl+p")  # no English-only command palette
        await pilot.pause()
        assert not app.screen.id or "palette" not in app.screen.id


async def _each_screen(pilot, app: WizardApp):
    """Walk every wizard screen; yield at each one."""
    yield "start"
    await pilot.press("1")
    yield "symptom"
    await pilot.press("escape", "2")
    yield "walkthrough"
    await pilot.press("escape", "4")
    await wait_checks(pilot, app)
    yield "summary"
    await pilot.press("escape")
    yield "check"
    await pilot.press("a")
    yield "question"


@pytest.mark.parametrize("lang", LANGS)
async def test_footers_fit_80_columns_with_language_and_quit(lang: str) -> None:
    app = WizardApp(FakeEngine(), lang)
    async with app.run_test(size=SIZE) as pilot:
        async for name in _each_screen(pilot, app):
            await pilot.pause()
            if name == "question":
                continue  # a dialog over the check screen; its footer is the check's
            footer = app.screen.query_one(Footer)
            keys = list(footer.query("FooterKey"))
            assert keys, name
            assert all(k.region.right <= SIZE[0] and k.region.width for k in keys), name
            labels = " ".join(str(k.description) for k in keys)
            language = "English" if lang == "zh-TW" else "中文"
            assert language in labels, (name, labels)
            if name != "symptom":  # letters are text there: F2 switches, Esc goes back
                assert ("離開" if lang == "zh-TW" else "Quit") in labels, (name, labels)
            assert ("返回" if lang == "zh-TW" else "Back") in labels or name == "start"


@pytest.mark.parametrize("lang", LANGS)
async def test_a_number_then_enter_opens_only_that_choice(lang: str) -> None:
    """A terminal delivers 「4⏎」 typed quickly in one read: both keys are queued before
    either is handled. The Enter must not choose the start list's first entry as well."""
    app = WizardApp(FakeEngine(), lang)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.post_message(events.Key("4", "4"))
        app.post_message(events.Key("enter", "\r"))
        await wait_checks(pilot, app)
        await pilot.pause()
        stack = [type(s).__name__ for s in app.screen_stack]
        assert "SymptomScreen" not in stack, stack
        assert stack[-2:] == ["CheckScreen", "SummaryScreen"], stack
        await pilot.press("escape", "escape")  # back on the start list: 4 is highlighted
        await pilot.pause()
        choices = app.screen.query_one("#start-choices", OptionList)
        assert choices.highlighted == 3
        await pilot.press("enter")  # Enter on the start list still chooses what it shows
        await wait_checks(pilot, app)
        assert isinstance(app.screen, SummaryScreen)
        assert "SymptomScreen" not in [type(s).__name__ for s in app.screen_stack]


@pytest.mark.parametrize("lang", LANGS)
async def test_a_number_moves_the_highlight_to_its_choice(lang: str) -> None:
    app = WizardApp(FakeEngine(), lang)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one("#start-choices", OptionList).highlighted == 1


@pytest.mark.parametrize("lang", LANGS)
async def test_the_check_screen_names_no_o_key_it_does_not_have(lang: str) -> None:
    """Other systems' steps are shown with o on the verdict only: the check list's fix
    pane does not tell the person to press a key that does nothing there."""
    app = WizardApp(FakeEngine(), lang)
    async with app.run_test(size=SIZE) as pilot:
        app.open_check(only=[], entries=["clock-wrong"])
        await pilot.pause()
        assert isinstance(app.screen, CheckScreen)
        detail = app.screen.query_one("#detail-md", Prose).source
        assert FIX_HEADING[lang] in detail
        assert "按 o" not in detail and "press o" not in detail, detail
        keys = {k.key for k in app.screen.query_one(Footer).query("FooterKey")}  # type: ignore[attr-defined]
        assert "o" not in keys
