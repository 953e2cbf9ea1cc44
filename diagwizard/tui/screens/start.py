"""The first screen: what does the person want to do?"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from diagwizard.tui.screens.base import WizardScreen

CHOICES = ("symptom", "register", "login", "full")


class StartScreen(WizardScreen):
    BINDINGS = [Binding(str(i), f"choose('{c}')", show=False) for i, c in enumerate(CHOICES, 1)]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.t("start_prompt"), classes="title")
        yield OptionList(
            *(Option(f"{i}. {self.t('choice_' + c)}", id=c) for i, c in enumerate(CHOICES, 1)),
            id="start-choices",
        )
        yield Static(self.t("choice_help"), classes="hint")
        yield Static(self.t("helpline"), classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_choose(event.option.id or "full")

    def action_choose(self, choice: str) -> None:
        from diagwizard.tui.screens.check import CheckScreen
        from diagwizard.tui.screens.symptom import SymptomScreen
        from diagwizard.tui.screens.walkthrough import WalkthroughScreen

        if choice == "symptom":
            self.app.push_screen(SymptomScreen())
        elif choice == "register":
            self.app.push_screen(WalkthroughScreen("procedure-registration"))
        elif choice == "login":
            self.app.push_screen(WalkthroughScreen("procedure-login"))
        else:
            self.app.push_screen(CheckScreen(then_summary=True))
