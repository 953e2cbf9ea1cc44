"""The wizard is the person's own screen: the detail pane shows the name on their card and
the card number; the export that leaves the machine (and the case code) never does.
Driven through Pilot on the real engine with a SoftHSM2 token, in both languages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from stack.certs import der, make_card_cert
from stack.pkcs11_fixtures import SOFTHSM_MODULE
from stack.softhsm import make_token
from textual.widgets import OptionList

from diagwizard.ui.tui.app import make_app
from diagwizard.ui.tui.export import case_code
from diagwizard.ui.tui.screens.check import CheckScreen
from diagwizard.ui.tui.widgets import Prose

SIZE = (80, 24)
NAME = "林安"
WORDS = {
    "zh-TW": ("卡號：", "PIN 剩餘次數：", "詳細資料"),
    "en": ("Card number: ", "PIN tries left: ", "Details"),
}


async def _detail(pilot, probe_id: str) -> str:
    screen = pilot.app.screen
    rows = screen.query_one("#probe-list", OptionList)
    target = rows.get_option_index(probe_id)
    while rows.highlighted != target:
        await pilot.press("down" if (rows.highlighted or 0) < target else "up")
    await pilot.pause()
    return str(screen.query_one("#detail-md", Prose).source)


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
async def test_detail_pane_shows_own_data_and_the_export_hides_it(
    tmp_path: Path, test_ca, write_config, monkeypatch, lang: str
) -> None:
    token = make_token(tmp_path / "hsm", NAME, [(der(make_card_cert(test_ca, name=NAME)), b"S")])
    monkeypatch.setenv("SOFTHSM2_CONF", str(token.conf))
    monkeypatch.setenv("DIAGWIZARD_CONFIG", str(write_config([SOFTHSM_MODULE])))
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(tmp_path / "Documents"))
    monkeypatch.setattr("diagwizard.ui.tui.export.launch", lambda folder: None)
    card_label, tries, details = WORDS[lang]
    app = make_app(lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("escape")  # from the verdict back to the checks
        await pilot.pause()
        assert isinstance(app.screen, CheckScreen)
        token_pane = await _detail(pilot, "pkcs11.token")
        assert NAME in token_pane and f"{card_label}{token.serial}" in token_pane
        assert "[personal-" not in token_pane
        # Raw values (module path, flags) only under the Details heading.
        head, _, raw = token_pane.partition(f"### {details}")
        assert SOFTHSM_MODULE in raw and SOFTHSM_MODULE not in head
        pin_pane = await _detail(pilot, "pkcs11.pin")
        head, _, raw = pin_pane.partition(f"### {details}")
        assert tries in head and "flags" in raw and "RNG" in raw and "RNG" not in head
        assert NAME in await _detail(pilot, "pkcs11.certs")

        await pilot.press("s")  # the summary, then export
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        written = sorted((tmp_path / "Documents" / "diagwizard").glob("diagwizard-report-*"))
        assert sorted(p.suffix for p in written) == [".html", ".json", ".md"]
        for where, text in [(p.name, p.read_text()) for p in written] + [
            ("case code", case_code(app))
        ]:
            assert NAME not in text, f"the name leaked into {where}"
            assert token.serial not in text, f"the card number leaked into {where}"
        assert "[personal-" in written[1].read_text()  # the JSON names a placeholder


os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
