"""「幫我修好」 in the wizard, driven with the keyboard against the real engine: the HiPKI
component reports an untrusted site; the fix shows the exact change, waits for consent,
runs, checks again and says it is fixed — in both languages."""

from __future__ import annotations

from pathlib import Path

from fake_engine import FakeEngine
from stack.hipki_trust import HipkiTrustDouble
from test_tui import SIZE, screen_text, wait_checks
from textual.widgets import OptionList, Static

from diagwizard.core import config
from diagwizard.engine.engine import Engine
from diagwizard.ui.tui.app import WizardApp
from diagwizard.ui.tui.screens.check import CheckScreen
from diagwizard.ui.tui.screens.fix import FixScreen


def fix_text(app: WizardApp) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query(Static))


async def highlight(pilot, app: WizardApp, probe_id: str) -> None:
    probe_list = app.screen.query_one("#probe-list", OptionList)
    target = probe_list.get_option_index(probe_id)
    while probe_list.highlighted != target:
        await pilot.press("down")
    await pilot.pause()


async def test_fix_it_for_me_in_the_wizard(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    with HipkiTrustDouble(needs="cert.gcis.nat.gov.tw") as double:
        cfg = tmp_path / "c.toml"
        cfg.write_text(
            '[targets]\nlogin_url = "https://cert.gcis.nat.gov.tw/"\nhosts = []\n'
            f'[dns]\nsystem_resolver = false\n[hipki]\nbase_url = "{double.url}"\n'
        )
        engine = Engine.create(config.load(str(cfg)), plugins=False)
        app = WizardApp(engine, "zh-TW")
        async with app.run_test(size=SIZE) as pilot:
            app.open_check(only=["middleware.hipki"])
            await pilot.pause()
            await wait_checks(pilot, app)
            await highlight(pilot, app, "middleware.hipki")
            assert app.diagnosis.results["middleware.hipki"].status == "fail"
            assert "按 f「幫我修好」" in screen_text(app)
            await pilot.press("f")
            await wait_checks(pilot, app)
            assert isinstance(app.screen, FixScreen)
            text = fix_text(app)
            assert "幫我修好" in text and "將登入網站 cert.gcis.nat.gov.tw 加入" in text
            assert "addDomain?domain=cert.gcis.nat.gov.tw" in text
            await pilot.press("l")  # the same dialog in English
            await pilot.pause()
            assert "Fix it for me" in fix_text(app) and "Add the login site" in fix_text(app)
            assert double.domains == []  # shown, not yet done
            await pilot.press("l")
            await pilot.pause()
            app.screen.query_one("#fix-apply").focus()
            await pilot.press("enter")
            await wait_checks(pilot, app)
            await pilot.pause()
            assert double.domains == ["cert.gcis.nat.gov.tw"]
            assert "已修好" in fix_text(app)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, CheckScreen)
            assert app.diagnosis.results["middleware.hipki"].status == "ok"
            row = str(
                app.screen.query_one("#probe-list", OptionList)
                .get_option("middleware.hipki")
                .prompt
            )
            assert row.startswith("  ✔ ")


async def test_no_automatic_fix_says_so() -> None:
    app = WizardApp(FakeEngine(), "en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await wait_checks(pilot, app)
        await pilot.press("escape")  # from the verdict back to the list of checks
        await highlight(pilot, app, "pcsc.card")
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, CheckScreen)
        assert "no automatic fix" in " ".join(str(n.message) for n in app._notifications)
        assert "Card in the reader" in screen_text(app)
