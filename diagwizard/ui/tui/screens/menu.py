"""A numbered menu whose choices are names of the app's routes (start and helpdesk)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from diagwizard.core.text import Text
from diagwizard.core.words import wizard as words
from diagwizard.ui.tui.keys import key
from diagwizard.ui.tui.messages import Open
from diagwizard.ui.tui.screens.base import WizardScreen


def number_keys(choices: tuple[tuple[str, Text], ...]) -> list[BindingType]:
    """1, 2, 3… choose the menu's entries (hidden: the menu shows the numbers)."""
    return [key(str(i), f"choose_number({i})") for i in range(1, len(choices) + 1)]


class MenuScreen(WizardScreen):
    """Subclasses name their ``CHOICES`` (route and label), the hint lines under the
    list, and the title.

    A number key highlights its choice and opens it. A terminal hands over 「4⏎」 typed
    quickly in one read, so the Enter reaches this list before the chosen screen is up:
    until this screen is shown again, a choice made is final and the list's Enter is
    ignored (else it would open the highlighted choice on top of the one chosen).
    """

    CHOICES: ClassVar[tuple[tuple[str, Text], ...]] = ()
    HINTS: ClassVar[tuple[Text, ...]] = (words.START_HINT,)

    def heading(self) -> str:
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.heading(), classes="title")
        yield OptionList(
            *(
                Option(f"{i}. {self.t(label)}", id=route)
                for i, (route, label) in enumerate(self.CHOICES, 1)
            ),
            id="start-choices",
        )
        for hint in self.HINTS:
            yield Static(self.t(hint), classes="hint")
        yield Footer()

    chosen = False  # a choice is on its way (see the class's docstring)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_screen_resume(self) -> None:
        self.chosen = False

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.action_choose(event.option.id)

    def action_choose_number(self, number: int) -> None:
        """1, 2, 3…: the choice shown with that number."""
        if 1 <= number <= len(self.CHOICES):
            self.query_one(OptionList).highlighted = number - 1
            self.action_choose(self.CHOICES[number - 1][0])

    def action_choose(self, route: str) -> None:
        if self.chosen:
            return
        self.chosen = True
        self.post_message(Open(route))
