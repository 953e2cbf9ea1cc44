"""The first screen: what does the person want to do?"""

from __future__ import annotations

from diagwizard.tui.screens.menu import MenuScreen, number_keys

CHOICES = ("symptom", "register", "login", "full")


class StartScreen(MenuScreen):
    CHOICES = CHOICES
    LABEL_PREFIX = "choice_"
    HINTS = ("choice_help", "helpline")
    BINDINGS = number_keys(CHOICES)

    def heading(self) -> str:
        return self.t("start_prompt")
