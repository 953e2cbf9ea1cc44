"""Guided questions as a small dialog; the app records the answer in the diagnosis, where
it counts like a finding does."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from diagwizard.core.words import keylabels
from diagwizard.core.words import wizard as words
from diagwizard.ui.tui.keys import InLanguage, key
from kb.questions import questions

SKIP = ""  # the answer "skip": no answer, an earlier one is cleared
SKIP_OPTION = "__skip__"


class QuestionScreen(ModalScreen[str | None], InLanguage[str | None]):
    """Dismissed with the chosen option's id, :data:`SKIP`, or None: Esc, back without
    answering (and without the questions after this one)."""

    BINDINGS = [
        key("escape", "back", keylabels.BACK),
        *(key(str(n), f"pick({n})") for n in range(10)),
    ]

    def __init__(self, lang: str, question_id: str) -> None:
        super().__init__()
        self.lang = lang
        self.question_id = question_id

    def compose(self) -> ComposeResult:
        q = questions()[self.question_id]
        with Vertical(id="question-box"):
            yield Static(self.t(words.QUESTION_TITLE), classes="hint")
            yield Static(q.text.get(self.lang), classes="title")
            yield OptionList(
                *(
                    Option(f"{i}. {o.label.get(self.lang)}", id=o.id)
                    for i, o in enumerate(q.options, 1)
                ),
                Option(f"0. {self.t(words.QUESTION_SKIP)}", id=SKIP_OPTION),
                id="question-options",
            )
            yield Static(self.t(words.QUESTION_KEYS), classes="hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        choice = event.option.id
        self.dismiss(SKIP if choice in (SKIP_OPTION, None) else choice)

    def action_pick(self, n: int) -> None:
        """Number keys answer: 1… the options, 0 skips."""
        options = self.query_one(OptionList)
        index = options.option_count - 1 if n == 0 else n - 1
        if 0 <= index < options.option_count:
            options.highlighted = index
            options.action_select()

    def action_back(self) -> None:
        self.dismiss(None)
