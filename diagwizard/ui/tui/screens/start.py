"""The first screens: what does the person want to do, and what does the helpdesk?

Only this module's screens are built before the first paint; keep its imports to the menu.
"""

from __future__ import annotations

from diagwizard.core.words import cases, common
from diagwizard.core.words import wizard as words
from diagwizard.ui.tui.screens.menu import MenuScreen, number_keys

CHOICES = (
    ("symptom", words.CHOICE_SYMPTOM),
    ("register", words.CHOICE_REGISTER),
    ("login", words.CHOICE_LOGIN),
    ("full", words.CHOICE_FULL),
)
HELPDESK_CHOICES = (
    ("code", words.HD_CODE),
    ("kb", words.HD_KB),
    ("script", words.HD_SCRIPT),
    ("cases", cases.HD_CASES),
)


class StartScreen(MenuScreen):
    CHOICES = CHOICES
    HINTS = (words.START_HINT, common.HELPLINE)
    BINDINGS = number_keys(CHOICES)

    def heading(self) -> str:
        return self.t(words.START_PROMPT)


class HelpdeskStartScreen(MenuScreen):
    """The helpdesk's menu; its choices are routes of ``HelpdeskApp``."""

    CHOICES = HELPDESK_CHOICES
    BINDINGS = number_keys(HELPDESK_CHOICES)

    def heading(self) -> str:
        return self.t(words.HD_TITLE) + " — " + self.t(words.HD_PROMPT)
