"""Symptom path: pick or paste the message, see the likely causes, check just those."""

from __future__ import annotations

import contextlib

from textual import events
from textual.app import ComposeResult
from textual.widgets import Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from diagwizard.core.errors import UserError
from diagwizard.core.words import keylabels
from diagwizard.core.words import wizard as words
from diagwizard.engine import knowledge
from diagwizard.ui.textwrap_cjk import fill
from diagwizard.ui.tui.detail import entry_text
from diagwizard.ui.tui.keys import key
from diagwizard.ui.tui.messages import SymptomChosen
from diagwizard.ui.tui.screens.base import WizardScreen
from kb.loader import Entry

MESSAGE_KINDS = ("faq", "modern")


def warm_up() -> None:
    """Load the KB and the search's word tables before the person comes here (from the
    wizard's warm-up thread); a KB that does not load fails when this screen opens."""
    with contextlib.suppress(UserError):
        knowledge.symptom_index()


def _message_in(entry: Entry, lang: str) -> str:
    """The message a person saw for this entry, as its screen shows it: in zh-TW the first
    message (the guide's dialogs are English, so a FAQ's may be), else the first Chinese
    one; in English the first English sentence. "" when the entry quotes none."""
    if lang != "en":
        first = entry.messages[:1]
        if first and (entry.kind == "faq" or not first[0].isascii()):
            return first[0]
        return next((m for m in entry.messages if not m.isascii()), "")
    return next((m for m in entry.messages if m.isascii() and " " in m), "")


def _quote(message: str, lang: str) -> str:
    return f"“{message}”" if lang == "en" else f"「{message}」"


def _number(i: int) -> str:
    return f"{i + 1}. " if i < 9 else "   "


LIST_WIDTH = 72  # 80 columns less margins, border, padding and scrollbar


def _item(i: int, text: str) -> str:
    """A numbered list row, wrapped the Chinese way with the text hanging under itself."""
    return fill(text, LIST_WIDTH, _number(i), "   ")


class SymptomScreen(WizardScreen):
    BINDINGS = [
        key("escape", "back", keylabels.BACK),
        key("f2", "app.switch_lang", keylabels.LANGUAGE),
        *(key(str(n), f"pick({n})") for n in range(1, 10)),
    ]
    TYPING = True  # letters typed anywhere here go into the message box

    def __init__(self, lang: str) -> None:
        super().__init__(lang)
        self.query_text = ""
        self.matches: list[str] = []
        self.weak = False  # the matches only share the kind of error, or a faint word

    def _messages(self) -> list[tuple[str, str]]:
        """One row per entry, as the person saw it: the message its screen shows, quoted
        (Chinese in zh-TW where there is one), else the entry's title as it is. Each row is
        (what the list shows, what picking it searches for)."""
        kb = knowledge.load()
        rows: list[tuple[str, str]] = []
        for entry in kb.ordered():
            if entry.kind in MESSAGE_KINDS:
                message = _message_in(entry, self.lang)
                text = message or entry.title.get(self.lang)
                shown = _quote(message, self.lang) if message else text
                if text not in [t for _s, t in rows]:
                    rows.append((shown, text))
        return rows

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.t(words.SYMPTOM_PROMPT), classes="title")
        yield OptionList(
            *(
                Option(_item(i, shown), id=f"msg:{i}")
                for i, (shown, _text) in enumerate(self._messages())
            ),
            id="symptom-list",
        )
        yield Input(
            value=self.query_text,
            placeholder=self.t(words.SYMPTOM_INPUT),
            id="symptom-input",
            select_on_focus=False,
        )
        if self.query_text:
            if self.matches:
                hint = words.SYMPTOM_WEAK if self.weak else words.SYMPTOM_MATCHES
                yield Static(self.t(hint), classes="hint", id="matches-hint")
                yield OptionList(
                    *(
                        Option(_item(i, entry_text(e, self.lang)), id=e)
                        for i, e in enumerate(self.matches)
                    ),
                    id="matches",
                )
            else:
                yield Static(self.t(words.SYMPTOM_NONE), classes="hint", id="no-match")
        yield Footer()

    def on_key(self, event: events.Key) -> None:
        """Typing while the list is focused goes into the message box."""
        box = self.query_one(Input)
        if (
            self.focused is box
            or not event.character
            or not event.is_printable
            or event.character.isdigit()
        ):
            return
        box.focus()
        box.insert_text_at_cursor(event.character)
        event.stop()
        event.prevent_default()

    def on_mount(self) -> None:
        target = "#matches" if self.matches else "#symptom-list"
        self.query_one(target).focus()

    async def search(self, text: str) -> None:
        self.query_text = text
        hits = knowledge.search(text, limit=4)
        self.matches = [h.entry.id for h in hits]
        self.weak = bool(hits) and hits[0].weak
        await self.recompose()
        self.query_one("#matches" if self.matches else "#symptom-input").focus()

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or ""
        if option_id.startswith("msg:"):
            message = self._messages()[int(option_id[4:])][1]
            await self.search(message)
            return
        self.open_entry(option_id)

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            await self.search(event.value)

    def open_entry(self, entry_id: str) -> None:
        """Check what the chosen entry (and the other matches) can confirm, and show the fix."""
        kb = knowledge.load()
        ordered = [entry_id] + [e for e in self.matches if e != entry_id]
        probes = []
        for e in ordered[:2]:
            probes += [p for p in kb.entries[e].confirm_probes if p not in probes]
            probes += [p for s in kb.entries[e].steps for p in s.probes if p not in probes]
        self.post_message(SymptomChosen(self.query_text, entry_id, probes, ordered[:3]))

    def action_pick(self, n: int) -> None:
        """Number keys choose in the focused list (the message box keeps its digits)."""
        options = self.focused
        if isinstance(options, OptionList) and n <= options.option_count:
            options.highlighted = n - 1
            options.action_select()
