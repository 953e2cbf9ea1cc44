"""Helpdesk screens: read a caller's case code, browse the KB, follow the phone script.

Its menu is in :mod:`diagwizard.ui.tui.screens.start`, so it shows before these load.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, Input, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from diagwizard.core.errors import UserError
from diagwizard.core.model import Status
from diagwizard.core.words import keylabels
from diagwizard.core.words import wizard as words
from diagwizard.core.words.common import (
    CASE_HEADING,
    COMPLETE_CHECK,
    PARTIAL_CHECK,
    PROBLEM_COUNT,
)
from diagwizard.diagnosis import casecode
from diagwizard.diagnosis.casecode import CaseState, Codebook
from diagwizard.diagnosis.codebook import live_probes
from diagwizard.diagnosis.session import Diagnosis
from diagwizard.engine import knowledge
from diagwizard.ui.tui.detail import entry_text
from diagwizard.ui.tui.keys import key
from diagwizard.ui.tui.messages import CaseOpened
from diagwizard.ui.tui.screens.base import WizardScreen
from kb.questions import questions

BACK: list[BindingType] = [key("escape", "back", keylabels.BACK)]


class CaseCodeScreen(WizardScreen):
    BINDINGS = BACK

    def __init__(self, lang: str) -> None:
        super().__init__(lang)
        self.error = ""
        self.code = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.t(words.HD_CODE), classes="title")
        yield Input(
            value=self.code,
            placeholder=self.t(words.HD_CODE_INPUT, prefix=casecode.PREFIX),
            id="code-input",
        )
        if self.error:
            yield Static(f"{Status.FAIL.glyph} {self.error}", classes="title", id="code-error")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        self.code = event.value
        try:
            book = casecode.current_codebook()
            state = casecode.decode(event.value, book)
        except UserError as exc:
            self.error = exc.render(self.lang)
            await self.recompose()
            self.query_one(Input).focus()
            return
        self.error = ""
        results = casecode.to_results(state, book)
        diagnosis = Diagnosis(live_probes(book), results, dict(state.answers))
        heading = self._heading(state, book, diagnosis)
        self.post_message(CaseOpened(state.platform, diagnosis, heading))

    def _heading(self, state: CaseState, book: Codebook, diagnosis: Diagnosis) -> str:
        """Case code, platform and problem count first (the same count as ``decode``)."""
        code = casecode.encode(state, book)
        count = diagnosis.outcome(state.platform, code).count
        scope = (COMPLETE_CHECK if state.ran is None else PARTIAL_CHECK).get(self.lang)
        head = CASE_HEADING.get(self.lang, code=code, p=state.platform, scope=scope)
        return f"{head}　{PROBLEM_COUNT.get(self.lang, n=count)}"


class KbBrowserScreen(WizardScreen):
    BINDINGS = BACK

    def __init__(self, lang: str) -> None:
        super().__init__(lang)
        self.query_text = ""
        self.selected = ""

    def _entries(self) -> list[str]:
        kb = knowledge.load()
        if not self.query_text.strip():
            return [e.id for e in kb.ordered()]
        return [h.entry.id for h in knowledge.search(self.query_text, limit=10)]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(value=self.query_text, placeholder=self.t(words.HD_KB_INPUT), id="kb-input")
        with Horizontal(id="check-body"):
            yield OptionList(
                *(Option(entry_text(e, self.lang), id=e) for e in self._entries()), id="probe-list"
            )
            with VerticalScroll(id="detail"):
                yield Markdown(
                    entry_text(self.selected, self.lang, full=True) if self.selected else "",
                    id="detail-md",
                )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_text = event.value
        await self.recompose()
        self.query_one(OptionList).focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.selected = event.option.id or ""
        self.query_one("#detail-md", Markdown).update(
            entry_text(self.selected, self.lang, full=True)
        )


def script_markdown(lang: str) -> str:
    kb = knowledge.load()
    index = kb.code_index()
    parts = []
    for n, q in enumerate(questions().values(), 1):
        lines = [f"### {n}. {q.text.get(lang)}"]
        for o in q.options:
            target = index.get(o.code, [])
            fix = f" → {kb.entries[target[0]].title.get(lang)}" if target else ""
            lines.append(f"- {o.label.get(lang)}{fix}")
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


class ScriptScreen(WizardScreen):
    BINDINGS = BACK

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.t(words.HD_SCRIPT_INTRO), classes="hint")
        with VerticalScroll(id="summary-body"):
            yield Markdown(script_markdown(self.lang), id="script-md")
        yield Footer()
