"""The verdict, the fixes in the order they should be done, and report export."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Header, Markdown, Static

from diagwizard.tui.detail import entry_text
from diagwizard.tui.screens.base import WizardScreen


class SummaryScreen(WizardScreen):
    BINDINGS = [Binding("escape", "back", "返回 Back"), Binding("e", "export", "匯出 Export")]

    def __init__(self) -> None:
        super().__init__()
        self.exported = ""

    def compose(self) -> ComposeResult:
        outcome = self.wizard.diagnosis.outcome(self.wizard.engine.platform)
        verdict = outcome.verdict
        if verdict == "ok":
            heading = self.t("verdict_ok")
        elif verdict == "problems":
            heading = self.t("verdict_problems", n=outcome.count)
        else:
            heading = self.t("verdict_incomplete")
        from diagwizard.tui.export import case_code

        yield Header()
        yield Static(heading, classes="title", id="verdict")
        yield Static(
            f"{self.t('case_code')}: {case_code(self.wizard)}", classes="title", id="case-code"
        )
        with VerticalScroll(id="summary-body"):
            yield Markdown(self._fixes_markdown(), id="fixes")
        if self.exported:
            yield Static(self.t("exported", path=self.exported), classes="hint", id="export-note")
        with Horizontal(classes="buttons"):
            yield Button(self.t("export"), id="export", variant="primary")
            yield Button(self.t("back"), id="back")
        yield Footer()

    def _fixes_markdown(self) -> str:
        outcome = self.wizard.diagnosis.outcome(self.wizard.engine.platform)
        parts = []
        for n, problem in enumerate(outcome.problems, 1):
            conflict = f"> {problem.conflict.get(self.lang)}\n\n" if problem.conflict else ""
            fix = entry_text(problem.kb, self.lang, fix_only=True) if problem.kb else ""
            parts.append(f"## {n}. {problem.title.get(self.lang)}\n\n{conflict}{fix}")
        parts.append(self.t("helpline"))
        return "\n\n".join(parts)

    def on_mount(self) -> None:
        self.query_one("#export", Button).focus()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "export":
            await self.action_export()
        elif event.button.id == "back":
            self.action_back()

    async def action_export(self) -> None:
        from diagwizard.tui.export import export_reports

        self.exported = export_reports(self.wizard)
        await self.recompose()

    def action_back(self) -> None:
        self.app.pop_screen()
