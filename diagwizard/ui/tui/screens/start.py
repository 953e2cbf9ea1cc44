"""The first screens: what does the person want to do, and what does the helpdesk?

Only this module's screens are built before the first paint; keep its imports to the menu.
"""

from __future__ import annotations

from diagwizard.ui.tui.screens.menu import MenuScreen, number_keys

CHOICES = ("symptom", "register", "login", "full")
HELPDESK_CHOICES = ("code", "kb", "script")


class StartScreen(MenuScreen):
    CHOICES = CHOICES
    LABEL_PREFIX = "choice_"
    HINTS = ("choice_help", "helpline")
    BINDINGS = number_keys(CHOICES)

    def heading(self) -> str:
        return self.t("start_prompt")


class HelpdeskStartScreen(MenuScreen):
    """The helpdesk's menu; its choices are screens registered by ``HelpdeskApp``."""

    CHOICES = HELPDESK_CHOICES
    LABEL_PREFIX = "hd_"
    BINDINGS = number_keys(HELPDESK_CHOICES)

    def heading(self) -> str:
        return self.t("hd_title") + " — " + self.t("hd_prompt")
