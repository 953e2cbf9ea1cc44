"""Guided questions as a small dialog; answers feed the diagnosis like findings do."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from diagwizard.ui.tui.keys import localize
from kb.questions import questions

if TYPE_CHECKING:
    from diagwizard.ui.tui.app import WizardApp

SKIP = "__skip__"
BACK = "__back__"  # Esc: leave the questions without answering this one


class QuestionScreen(ModalScreen[str | None]):
    BINDINGS = [
        Binding("escape", "back", "返回|Back"),
        *(Binding(str(n), f"pick({n})", show=False) for n in range(10)),
    ]

    def __init__(self, question_id: str) -> None:
        super().__init__()
        self.question_id = question_id

    @property
    def wizard(self) -> WizardApp:
        return cast("WizardApp", self.app)

    def compose(self) -> ComposeResult:
        q = questions()[self.question_id]
        lang = self.wizard.lang
        with Vertical(id="question-box"):
            yield Static(self.wizard.t("question_title"), classes="hint")
            yield Static(q.text.get(lang), classes="title")
            yield OptionList(
                *(Option(f"{i}. {o.label.get(lang)}", id=o.id) for i, o in enumerate(q.options, 1)),
                Option(f"0. {self.wizard.t('question_skip')}", id=SKIP),
                id="question-options",
            )
            yield Static(self.wizard.t("question_keys"), classes="hint")

    def on_mount(self) -> None:
        localize(self, self.wizard.lang)
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        choice = event.option.id
        self.dismiss(None if choice == SKIP else choice)

    def action_pick(self, n: int) -> None:
        """Number keys answer: 1… the options, 0 skips."""
        options = self.query_one(OptionList)
        index = options.option_count - 1 if n == 0 else n - 1
        if 0 <= index < options.option_count:
            options.highlighted = index
            options.action_select()

    def action_back(self) -> None:
        self.dismiss(BACK)

    async def relabel(self) -> None:
        localize(self, self.wizard.lang)
        await self.recompose()


def ask(app: WizardApp, question_id: str, then: Callable[[], None] | None = None) -> None:
    """Ask one question; record the answer (or clear it on skip), then continue."""

    def record(choice: str | None) -> None:
        if choice == BACK:
            return  # Esc goes back: no answer recorded, no further question
        app.diagnosis.answer(question_id, choice)
        if then is not None:
            then()

    app.push_screen(QuestionScreen(question_id), record)


def ask_all(
    app: WizardApp, ids: list[str] | None = None, then: Callable[[], None] | None = None
) -> None:
    """Ask the given questions (default: all) one after another."""
    queue = list(ids if ids is not None else questions())

    def next_question() -> None:
        if not queue:
            if then is not None:
                then()
            return
        ask(app, queue.pop(0), next_question)

    next_question()
