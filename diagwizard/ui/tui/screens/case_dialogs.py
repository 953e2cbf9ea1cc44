"""Two small dialogs of helpdesk mode's case log: log the decoded case, and change a logged
case's outcome and note. Each is dismissed with what the agent filled in (None: Esc or
Cancel); the app stores it."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, RadioButton, RadioSet, Select, Static

from diagwizard.cases.note import MAX_NOTE
from diagwizard.cases.record import AGENT_LEN, Case, Outcome
from diagwizard.core.text import Text
from diagwizard.core.words import cases as words
from diagwizard.core.words import keylabels
from diagwizard.ui.tui.casework import LogDetails, LogForm
from diagwizard.ui.tui.keys import InLanguage, key

DIALOG_CSS = """
CaseEditScreen, LogCaseScreen { align: center middle; }
.case-box {
    width: 76; max-width: 100%; height: auto; max-height: 22;
    border: round $primary; background: $panel; padding: 0 1;
}
.case-box RadioSet { layout: horizontal; width: 1fr; height: auto; }
.case-box Input, .case-box Select { margin: 0; }
.case-box Input { border-title-color: $text; border-title-style: bold; }
.case-box .buttons .hint { width: 1fr; height: 3; content-align: left middle; }
"""
NO_FIX = "__none__"


class _CaseDialog(ModalScreen[Any], InLanguage[Any]):
    """Outcome as radio buttons, then text fields, then Save / Cancel."""

    DEFAULT_CSS = DIALOG_CSS
    TYPING = True  # letters are text here; F2 switches the language
    BINDINGS = [
        key("escape", "cancel", keylabels.CANCEL),
        # Enter saves from any field (the outcome choice too), except on a button (it
        # presses it) and in the fix list (it opens the list there; the hint says so).
        key("enter", "save", show=False, priority=True),
        key("f2", "app.switch_lang", keylabels.LANGUAGE),
        *(key(str(n), f"pick({n})") for n in range(1, len(Outcome) + 1)),
    ]

    NOT_SAVED: Text = words.NOT_LOGGED  # said on Esc once something was filled in

    def __init__(self, lang: str, outcome: Outcome) -> None:
        super().__init__()
        self.lang = lang
        self.outcome = outcome
        self.initial: Any = None  # what the dialog opened with, to tell a change on Esc

    def _outcomes(self) -> RadioSet:
        return RadioSet(
            *(
                RadioButton(
                    f"{n}. {self.t(o.label)}", value=o == self.outcome, id=f"outcome-{o.value}"
                )
                for n, o in enumerate(Outcome, 1)
            ),
            id="case-outcome",
        )

    def _buttons(self) -> Horizontal:
        return Horizontal(
            Button(self.t(words.SAVE), id="case-save", variant="primary"),
            Button(self.t(keylabels.CANCEL), id="case-cancel"),
            Static(self.t(words.DIALOG_KEYS), classes="hint"),
            classes="buttons",
        )

    def _field(self, field: Input, label: Text) -> Input:
        """A text field named on its border (its placeholder goes once it has text)."""
        field.border_title = self.t(label)
        return field

    def action_pick(self, n: int) -> None:
        """1, 2, 3 choose the outcome (where no text field has the keyboard)."""
        self.query_one(f"#outcome-{list(Outcome)[n - 1].value}", RadioButton).value = True

    @on(RadioSet.Changed)
    def _chosen(self, event: RadioSet.Changed) -> None:
        self.outcome = Outcome((event.pressed.id or "").removeprefix("outcome-"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save" and self.focused is not None:
            if any(isinstance(w, Button | Select) for w in self.focused.ancestors_with_self):
                return False  # the key goes on to the button or the list
        return super().check_action(action, parameters)

    @on(Button.Pressed, "#case-cancel")
    def action_cancel(self) -> None:
        if self.initial is not None and self.result() != self.initial:
            self.app.notify(self.t(self.NOT_SAVED), severity="warning")
        self.dismiss(None)

    @on(Button.Pressed, "#case-save")
    @on(Input.Submitted)
    def action_save(self) -> None:
        self.dismiss(self.result())

    def result(self) -> Any:
        raise NotImplementedError

    def on_mount(self) -> None:
        self.initial = self.result()
        self.query_one(RadioSet).focus()


class CaseEditScreen(_CaseDialog):
    """Change a logged case: dismissed with ``(outcome, note)``."""

    NOT_SAVED = words.NOT_SAVED

    def __init__(self, lang: str, case: Case) -> None:
        super().__init__(lang, case.outcome)
        self.case = case

    def compose(self) -> ComposeResult:
        with Vertical(classes="case-box"):
            yield Static(self.t(words.EDIT_TITLE, n=self.case.number), classes="title")
            yield self._outcomes()
            note = Input(
                value=self.case.note,
                placeholder=self.t(words.NOTE_PLACEHOLDER),
                max_length=MAX_NOTE,
                id="case-note",
            )
            yield self._field(note, words.FIELD_NOTE)
            yield self._buttons()

    def result(self) -> tuple[str, str]:
        return self.outcome.value, self.query_one("#case-note", Input).value


class LogCaseScreen(_CaseDialog):
    """Log the decoded case: dismissed with :class:`LogDetails`."""

    def __init__(self, lang: str, form: LogForm) -> None:
        super().__init__(lang, Outcome.OPEN)
        self.form = form

    def compose(self) -> ComposeResult:
        choices = [(self.t(words.NO_FIX_CHOSEN), NO_FIX)]
        choices += [(f"{self.t(c.title)} ({c.id})", c.id) for c in self.form.choices]
        with Vertical(classes="case-box"):
            yield Static(self.t(words.LOG_TITLE, code=self.form.run.case_code), classes="title")
            yield self._outcomes()
            yield Static(self.t(words.FIELD_FIX_CHOICE), classes="hint")
            yield Select(choices, value=NO_FIX, allow_blank=False, id="case-fix")
            note = Input(
                placeholder=self.t(words.NOTE_PLACEHOLDER), max_length=MAX_NOTE, id="case-note"
            )
            yield self._field(note, words.FIELD_NOTE)
            agent = Input(
                value=self.form.agent,
                placeholder=self.t(words.AGENT_PLACEHOLDER),
                max_length=AGENT_LEN,
                id="case-agent",
            )
            yield self._field(agent, words.FIELD_AGENT)
            yield self._buttons()

    def result(self) -> LogDetails:
        fix = self.query_one("#case-fix", Select).value
        return LogDetails(
            outcome=self.outcome.value,
            fix="" if fix in (NO_FIX, Select.BLANK) else str(fix),
            note=self.query_one("#case-note", Input).value,
            agent=self.query_one("#case-agent", Input).value,
        )
