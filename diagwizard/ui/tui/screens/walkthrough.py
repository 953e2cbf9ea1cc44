"""The guide's registration and login procedures, one step at a time, each checked by
whatever probes can check it, and by a guided question where software cannot see."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Header, Static

from diagwizard.core.model import Result, Status
from diagwizard.core.redact import Redactor
from diagwizard.core.sanitize import markdown_inline as md
from diagwizard.core.words import common, keylabels
from diagwizard.core.words import wizard as words
from diagwizard.engine import knowledge
from diagwizard.ui.tui.detail import fix_first_markdown
from diagwizard.ui.tui.keys import key
from diagwizard.ui.tui.messages import AskQuestions, Open, RunChecks
from diagwizard.ui.tui.screens.base import WizardScreen
from diagwizard.ui.tui.view import View
from diagwizard.ui.tui.widgets import Prose
from kb.loader import Entry


class WalkthroughScreen(WizardScreen):
    BINDINGS = [
        key("escape", "back", keylabels.BACK),
        key("right,n", "next", keylabels.NEXT),
        key("left,p", "prev", keylabels.PREVIOUS),
        key("c", "check_step", keylabels.CHECK),
    ]

    def __init__(self, lang: str, view: View, entry_id: str) -> None:
        super().__init__(lang)
        self.view = view
        self.entry_id = entry_id
        self.index = 0
        self.checked: dict[int, dict[str, Result]] = {}
        self.checking: int | None = None  # the step whose checks are running

    @property
    def entry(self) -> Entry:
        return knowledge.load().entries[self.entry_id]

    def compose(self) -> ComposeResult:
        entry = self.entry
        step = entry.steps[self.index]
        yield Header()
        yield Static(entry.title.get(self.lang), classes="title")
        yield Static(
            self.t(words.WALK_STEP, n=self.index + 1, total=len(entry.steps))
            + "  "
            + step.title.get(self.lang),
            classes="title",
            id="step-title",
        )
        with VerticalScroll(id="walk-body"):
            yield Prose(self._step_markdown(), id="step-md")
        with Horizontal(classes="buttons"):
            if step.probes:
                yield Button(self.t(words.WALK_CHECK), id="check", variant="primary")
            if step.question:
                yield Button(self.t(words.ANSWER_QUESTIONS), id="ask")
            yield Button(self.t(keylabels.PREVIOUS), id="prev", disabled=self.index == 0)
            last = self.index == len(entry.steps) - 1
            yield Button(self.t(words.WALK_DONE if last else keylabels.NEXT), id="next")
        yield Footer()

    def _step_markdown(self) -> str:
        step = self.entry.steps[self.index]
        parts = [step.body.get(self.lang)]
        results = self.checked.get(self.index)
        if self.checking is not None:
            parts.append(f"*{self.t(common.CHECKING_NOW)}*")
        elif results is not None:
            bad = [(pid, r) for pid, r in results.items() if r.status.is_problem]
            lines = []
            red = Redactor(enabled=False)  # the person's own screen: their own data shows
            for pid, res in results.items():
                probe = self.view.probes.get(pid)
                title = probe.title.get(self.lang) if probe else pid
                lines.append(
                    f"- {res.status.glyph} {res.status.word.get(self.lang)} {title}: "
                    f"{md(red.text(res.summary.get(self.lang)))}"
                )
            parts.append("\n".join(lines))
            if bad:
                parts.append(self.t(words.WALK_CHECKED_BAD))
                fixes = knowledge.fix_entries(f for _, res in bad for f in res.findings)
                platform = self.view.platform
                parts += [fix_first_markdown(e, self.lang, platform, None) for e in fixes[:2]]
            else:
                parts.append(self.t(words.WALK_CHECKED_OK))
        elif not step.probes:
            parts.append(f"*{self.t(words.WALK_NO_PROBE)}*")
        return "\n\n".join(parts)

    def on_mount(self) -> None:
        """Focus on the text that scrolls; the buttons have keys (see the footer)."""
        self.query_one("#walk-body").focus()

    @on(Button.Pressed, "#check")
    async def action_check_step(self) -> None:
        step = self.entry.steps[self.index]
        if not step.probes or self.checking is not None:
            return
        self.checking = self.index
        self.query_one("#step-md", Prose).update_source(self._step_markdown())
        self.post_message(RunChecks(self, step.probes))

    # -- what the app tells this screen about the run it asked for ---------------------------
    def probe_started(self, probe_id: str) -> None:
        pass

    def probe_finished(self, probe_id: str, result: Result) -> None:
        pass

    def run_finished(self, results: dict[str, Result]) -> None:
        index, self.checking = self.checking, None
        if index is None:
            return
        wanted = set(self.entry.steps[index].probes)
        self.checked[index] = {
            k: v
            for k, v in results.items()
            if k in wanted or v.status not in (Status.OK, Status.SKIP)
        }
        self.query_one("#step-md", Prose).update_source(self._step_markdown())

    # -- the person's keys and buttons --------------------------------------------------------
    @on(Button.Pressed, "#ask")
    async def action_ask(self) -> None:
        step = self.entry.steps[self.index]
        if step.question:
            self.post_message(AskQuestions([step.question]))

    @on(Button.Pressed, "#next")
    async def action_next(self) -> None:
        if self.index < len(self.entry.steps) - 1:
            self.index += 1
            await self.recompose()
            self.on_mount()
        else:
            self.post_message(Open("summary"))

    @on(Button.Pressed, "#prev")
    async def action_prev(self) -> None:
        if self.index > 0:
            self.index -= 1
            await self.recompose()
            self.on_mount()
