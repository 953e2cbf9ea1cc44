"""The verdict first, then the first problem's fix for this system, then the rest."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from diagwizard.diagnosis.outcome import Problem
from diagwizard.diagnosis.session import Diagnosis
from diagwizard.ui.tui import export
from diagwizard.ui.tui.detail import fix_first_markdown, seen_codes
from diagwizard.ui.tui.screens.base import WizardScreen
from diagwizard.ui.tui.widgets import Prose


def _problems(diagnosis: Diagnosis) -> list[Problem]:
    """The banner's N and the problem order: the run's one outcome (root causes, most
    urgent first), the same count the CLI, reports and case codes give."""
    return diagnosis.outcome().problems


class SummaryScreen(WizardScreen):
    BINDINGS = [
        Binding("escape", "back", "返回|Back"),
        Binding("o", "other_systems", "其他系統|Other OS"),
        Binding("e", "export", "匯出|Export"),
        Binding("d", "open_folder", "開資料夾|Open folder"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.exported: list[Path] = []
        self.all_systems = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self._banner(), classes="title", id="verdict")
        with VerticalScroll(id="summary-body"):
            yield Prose(self._body(), id="fixes")
            yield Static(self._export_note(), classes="hint", id="export-note")
        yield Footer()

    def _banner(self) -> str:
        outcome = self.wizard.diagnosis.outcome(self.wizard.engine.platform)
        if outcome.verdict == "problems":
            verdict = self.t("verdict_problems", n=outcome.count)
        elif outcome.verdict == "incomplete":
            verdict = self.t("verdict_incomplete")
        else:
            verdict = self.t("verdict_ok")
        return f"{verdict}　{self.t('case_code')} {export.case_code(self.wizard)}"

    def _body(self) -> str:
        problems = _problems(self.wizard.diagnosis)
        platform = self.wizard.engine.platform
        codes = seen_codes(self.wizard.diagnosis)
        parts = []
        for i, problem in enumerate(problems, 1):
            heading = f"{i}/{len(problems)} "
            if problem.conflict:
                parts.append(f"> {problem.conflict.get(self.lang)}")
            if problem.kb:
                parts.append(
                    fix_first_markdown(
                        problem.kb, self.lang, platform, self.all_systems, heading, codes
                    )
                )
            else:
                parts.append(f"## {heading}{problem.title.get(self.lang)}")
        parts.append(self.t("helpline"))
        return "\n\n".join(parts)

    def _export_note(self) -> str:
        if not self.exported:
            return ""
        files = "\n".join(f"  {p.name}" for p in self.exported)
        return self.t("exported", folder=str(self.exported[0].parent), files=files)

    def on_mount(self) -> None:
        self.query_one("#summary-body").focus()

    def action_other_systems(self) -> None:
        self.all_systems = not self.all_systems
        self.query_one("#fixes", Prose).update_source(self._body())

    def action_export(self) -> None:
        try:
            self.exported = export.export_reports(self.wizard)
        except OSError as exc:
            self.notify(self.t("export_failed", err=str(exc)), severity="error")
            return
        note = self.query_one("#export-note", Static)
        note.update(self._export_note())
        self.query_one("#summary-body", VerticalScroll).scroll_end(animate=False)

    def action_open_folder(self) -> None:
        if not self.exported:
            self.notify(self.t("export_first"))
            return
        if not export.open_folder(self.exported[0].parent):
            self.notify(self.t("open_failed", folder=str(self.exported[0].parent)))

    def action_back(self) -> None:
        self.app.pop_screen()

    async def relabel(self) -> None:
        await super().relabel()
        self.query_one("#summary-body").focus()
