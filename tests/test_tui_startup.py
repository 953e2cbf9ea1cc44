"""The wizard's first screen does not wait for what it does not show (issue 15).

The start menu needs Textual and a few words; the engine, its probes, the KB, the symptom
search and the fixes load once the screen is up (in the background) or when the person
goes to a screen that needs them. Timing belongs in benchmarks/first_screen.py; this
guards the cause: a top-level import that drags them in before the first screen.
"""

from __future__ import annotations

import json

import pytest
from fake_engine import FakeEngine
from helpers import fresh_python
from test_tui import SIZE, screen_text

from diagwizard.ui.tui.app import WizardApp
from diagwizard.ui.tui.screens.start import StartScreen

# Loaded only after the first screen: what the other screens and the checks need.
NOT_BEFORE_THE_FIRST_SCREEN = (
    "diagwizard.engine.engine",
    "diagwizard.diagnosis.session",
    "diagwizard.diagnosis.outcome",
    "diagwizard.engine.knowledge",
    "kb.loader",
    "kb.search",
    "diagwizard.api.fix",
    "diagwizard.diagnosis.casecode",
    "diagwizard.ui.reports",
    "checks",
    "diagwizard.ui.tui.screens.check",
    "diagwizard.ui.tui.screens.symptom",
    "diagwizard.ui.tui.screens.walkthrough",
    "diagwizard.ui.tui.screens.summary",
    "diagwizard.ui.tui.screens.helpdesk",
    "rapidfuzz",
    "cryptography",
)


@pytest.mark.parametrize(
    "app", ["diagwizard.ui.tui.app:make_app", "diagwizard.ui.tui.helpdesk:make_helpdesk"]
)
def test_showing_the_start_menu_loads_no_engine_kb_or_other_screen(app: str) -> None:
    module, factory = app.split(":")
    code = (
        "import json, sys\n"
        f"from {module} import {factory}\n"
        f"{factory}(lang='zh-TW')\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    loaded = set(json.loads(fresh_python(code)))
    early = [m for m in NOT_BEFORE_THE_FIRST_SCREEN if m in loaded]
    assert not early, f"imported before the first screen is shown: {early}"
    assert "diagwizard.ui.tui.screens.start" in loaded


async def test_every_start_choice_opens_its_screen_after_the_warm_up() -> None:
    """The screens load on the first visit; the warm-up has loaded them meanwhile."""
    app = WizardApp(FakeEngine(), "en")
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        expected = {
            "1": "Pick the message you saw",
            "2": "registering your citizen certificate",
            "3": "Logging in with the certificate",
            "4": "Found 3 problem(s)",  # the full check ends on its verdict
        }
        for key, shown in expected.items():
            await pilot.press(key)
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert shown in screen_text(app), (key, screen_text(app))
            for _ in range(3):  # Esc back to the start menu (the full check: two screens)
                if isinstance(app.screen, StartScreen):
                    break
                await pilot.press("escape")
                await pilot.pause()
            assert "Check everything" in screen_text(app)
