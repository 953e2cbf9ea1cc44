"""A numbered menu whose choices are names of registered screens (start and helpdesk)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from diagwizard.ui.tui.screens.base import WizardScreen


def number_keys(choices: tuple[str, ...]) -> list[BindingType]:
    """1, 2, 3… choose the menu's entries (hidden: the menu shows the numbers)."""
    return [Binding(str(i), f"choose('{c}')", show=False) for i, c in enumerate(choices, 1)]


class MenuScreen(WizardScreen):
    """Subclasses name their ``CHOICES`` (screen names), the catalogue prefix of the
    choice labels, the hint lines under the list, and the title."""

    CHOICES: ClassVar[tuple[str, ...]] = ()
    LABEL_PREFIX: ClassVar[str] = ""
    HINTS: ClassVar[tuple[str, ...]] = ("choice_help",)

    def heading(self) -> str:
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.heading(), classes="title")
        yield OptionList(
            *(
                Option(f"{i}. {self.t(self.LABEL_PREFIX + c)}", id=c)
                for i, c in enumerate(self.CHOICES, 1)
            ),
            id="start-choices",
        )
        for hint in self.HINTS:
            yield Static(self.t(hint), classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.action_choose(event.option.id)

    def action_choose(self, choice: str) -> None:
        self.wizard.open(choice)
