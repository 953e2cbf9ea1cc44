"""The guide's registration and login procedures, one step at a time, each checked by
whatever probes can check it, and by a guided question where software cannot see."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Header, Static

from diagwizard.core.model import Result, Status
from diagwizard.core.redact import Redactor
from diagwizard.core.sanitize import markdown_inline as md
from diagwizard.engine import knowledge
from diagwizard.ui.tui.detail import fix_first_markdown
from diagwizard.ui.tui.screens.base import WizardScreen
from diagwizard.ui.tui.screens.question import ask
from diagwizard.ui.tui.widgets import Prose
from kb.loader import Entry


class WalkthroughScreen(WizardScreen):
    BINDINGS = [
        Binding("escape", "back", "返回|Back"),
        Binding("right,n", "next", "下一步|Next"),
        Binding("left,p", "prev", "上一步|Previous"),
        Binding("c", "check_step", "檢查|Check"),
    ]

    def __init__(self, entry_id: str) -> None:
        super().__init__()
        self.entry_id = entry_id
        self.index = 0
        self.checked: dict[int, dict[str, Result]] = {}
        self.checking = False

    @property
    def entry(self) -> Entry:
        return knowledge.load().entries[self.entry_id]

    def compose(self) -> ComposeResult:
        entry = self.entry
        step = entry.steps[self.index]
        yield Header()
        yield Static(entry.title.get(self.lang), classes="title")
        yield Static(
            self.t("walk_step", n=self.index + 1, total=len(entry.steps))
            + "  "
            + step.title.get(self.lang),
            classes="title",
            id="step-title",
        )
        with VerticalScroll(id="walk-body"):
            yield Prose(self._step_markdown(), id="step-md")
        with Horizontal(classes="buttons"):
            if step.probes:
                yield Button(self.t("walk_check"), id="check", variant="primary")
            if step.question:
                yield Button(self.t("questions"), id="ask")
            yield Button(self.t("walk_prev"), id="prev", disabled=self.index == 0)
            last = self.index == len(entry.steps) - 1
            yield Button(self.t("walk_done" if last else "walk_next"), id="next")
        yield Footer()

    def _step_markdown(self) -> str:
        step = self.entry.steps[self.index]
        parts = [step.body.get(self.lang)]
        results = self.checked.get(self.index)
        if self.checking:
            parts.append(f"*{self.t('running')}*")
        elif results is not None:
            bad = [(pid, r) for pid, r in results.items() if r.status.is_problem]
            lines = []
            red = Redactor(enabled=False)  # the person's own screen: their own data shows
            for pid, res in results.items():
                probe = self.wizard.engine.probes.get(pid)
                title = probe.title.get(self.lang) if probe else pid
                lines.append(
                    f"- {res.status.glyph} {res.status.word.get(self.lang)} {title}: "
                    f"{md(red.text(res.summary.get(self.lang)))}"
                )
            parts.append("\n".join(lines))
            if bad:
                parts.append(self.t("walk_checked_bad"))
                fixes = knowledge.fix_entries(f for _, res in bad for f in res.findings)
                platform = self.wizard.engine.platform
                parts += [fix_first_markdown(e, self.lang, platform) for e in fixes[:2]]
            else:
                parts.append(self.t("walk_checked_ok"))
        elif not step.probes:
            parts.append(f"*{self.t('walk_no_probe')}*")
        return "\n\n".join(parts)

    def on_mount(self) -> None:
        """Focus on the text that scrolls; the buttons have keys (see the footer)."""
        self.query_one("#walk-body").focus()

    @on(Button.Pressed, "#check")
    async def action_check_step(self) -> None:
        step = self.entry.steps[self.index]
        if not step.probes or self.checking:
            return
        self.checking = True
        self.query_one("#step-md", Prose).update_source(self._step_markdown())
        self.run_step(self.index, list(step.probes))

    @work(thread=True, exclusive=True, group="step")
    def run_step(self, index: int, probes: list[str]) -> None:
        report = self.wizard.engine.run(probes)
        self.app.call_from_thread(self._step_done, index, report.results)

    def _step_done(self, index: int, results: dict[str, Result]) -> None:
        self.wizard.diagnosis.results.update(results)
        wanted = set(self.entry.steps[index].probes)
        self.checked[index] = {
            k: v
            for k, v in results.items()
            if k in wanted or v.status not in (Status.OK, Status.SKIP)
        }
        self.checking = False
        self.query_one("#step-md", Prose).update_source(self._step_markdown())

    @on(Button.Pressed, "#ask")
    async def action_ask(self) -> None:
        step = self.entry.steps[self.index]
        if step.question:
            ask(self.wizard, step.question)

    @on(Button.Pressed, "#next")
    async def action_next(self) -> None:
        if self.index < len(self.entry.steps) - 1:
            self.index += 1
            await self.recompose()
            self.on_mount()
        else:
            self.wizard.open("summary")

    @on(Button.Pressed, "#prev")
    async def action_prev(self) -> None:
        if self.index > 0:
            self.index -= 1
            await self.recompose()
            self.on_mount()

    def action_back(self) -> None:
        self.app.pop_screen()
