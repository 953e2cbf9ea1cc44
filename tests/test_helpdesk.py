"""Helpdesk mode: the caller's code, the KB, and the phone script."""

from __future__ import annotations

from test_decode_skips import NO_READER_NO_CARD
from textual.widgets import Input, Markdown, OptionList, Static

from diagwizard.core.model import Status
from diagwizard.diagnosis import casecode
from diagwizard.ui.tui.helpdesk import make_helpdesk
from diagwizard.ui.tui.screens.check import CheckScreen
from diagwizard.ui.tui.widgets import Prose

SIZE = (80, 24)


def _text(app) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query(Static))


async def test_enter_a_case_code_and_see_results_and_fixes() -> None:
    state = casecode.CaseState(
        "windows",
        {"pcsc.service": (Status.FAIL, "pcsc.E002")},
        {"pin_dialog_message": "token_locked"},
    )
    code = casecode.encode(state)
    app = make_helpdesk(lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        await pilot.press(*code, "enter")
        await pilot.pause()
        assert isinstance(app.screen, CheckScreen)
        rows = [str(o.prompt) for o in app.screen.query_one("#probe-list", OptionList).options]
        assert any("✘" in r and "Smart-card service" in r for r in rows)
        assert any("Card readers" in r and "– skipped" in r for r in rows), rows  # inferred skip
        readers = app.screen.query_one("#probe-list", OptionList)
        readers.highlighted = next(
            i for i, o in enumerate(readers.options) if o.id == "pcsc.readers"
        )
        await pilot.pause()
        detail = app.screen.query_one("#detail-md", Prose).source
        # the code carries only a status: the reason comes from the checks' declarations
        assert "Not checked, because “Smart-card service” did not pass" in detail, detail
        assert "because OK" not in detail
        fixes = app.diagnosis.fixes()
        assert fixes[0] == "pcsc-service-stopped" and "faq06-token-locked" in fixes
        await pilot.press("s")
        await pilot.pause()
        assert "Found 2 problem(s)" in _text(app)
        assert code in _text(app)  # the caller's own code (their platform), not this machine's


async def test_a_mistyped_code_shows_a_clear_error() -> None:
    app = make_helpdesk(lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        await pilot.press(*"DW2-ZZZZ-ZZZZ", "enter")
        await pilot.pause()
        error = str(app.screen.query_one("#code-error", Static).render())
        assert "mistyped" in error or "cannot be read" in error
        assert (
            app.screen.query_one(Input).value == "DW2-ZZZZ-ZZZZ"
        )  # nothing the user typed is lost


async def test_browse_and_search_the_kb() -> None:
    app = make_helpdesk(lang="zh-TW")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.press(*"unknow token", "enter")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        assert options.get_option_at_index(0).id == "faq07-unknow-token"
        await pilot.press("down", "up")  # keyboard only: back on the first match
        await pilot.pause()
        assert options.highlighted == 0
        assert "SafeSign" in app.screen.query_one("#detail-md", Markdown).source


async def test_phone_script_lists_every_question() -> None:
    app = make_helpdesk(lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await pilot.pause()
        script = app.screen.query_one("#script-md", Markdown).source
        assert "reader's light" in script and "certificate selection dialog" in script
        assert "Token Locked use Management Tools to Unlock Token → The card is locked" in script


async def test_a_decoded_skip_says_one_thing_and_never_an_uncertain_cause() -> None:
    """PKCS#11 only *wants* the reader chain: the code cannot say why it was not checked."""
    code = casecode.encode(casecode.CaseState("linux", NO_READER_NO_CARD, {}))
    for lang, unknown, service in (
        ("zh-TW", "未檢查，因為案件代碼沒有記錄原因", "智慧卡服務"),
        ("en", "Not checked, because the case code does not record why", "Smart-card service"),
    ):
        app = make_helpdesk(lang=lang)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("1", *code, "enter")
            await pilot.pause()
            assert isinstance(app.screen, CheckScreen)
            probes = app.screen.query_one("#probe-list", OptionList)
            probes.highlighted = next(
                i for i, o in enumerate(probes.options) if o.id == "pkcs11.token"
            )
            await pilot.pause()
            detail = app.screen.query_one("#detail-md", Prose).source
            assert unknown in detail, detail
            assert service not in detail  # no "because the service did not pass" above it
            assert "— –" not in detail  # the heading's separator is no second dash
            assert detail.count(unknown) == 1
