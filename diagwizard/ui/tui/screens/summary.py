"""The verdict first, then the first problem's fix for this system, then the rest."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from diagwizard.core.errors import UserError
from diagwizard.core.words import common, keylabels
from diagwizard.core.words import wizard as words
from diagwizard.ui.tui import export
from diagwizard.ui.tui.detail import fix_first_markdown, seen_codes
from diagwizard.ui.tui.keys import key
from diagwizard.ui.tui.screens.base import WizardScreen
from diagwizard.ui.tui.view import View
from diagwizard.ui.tui.widgets import Prose


class SummaryScreen(WizardScreen):
    BINDINGS = [
        key("escape", "back", keylabels.BACK),
        key("o", "other_systems", keylabels.OTHER_SYSTEMS),
        key("e", "export", keylabels.EXPORT),
        key("d", "open_folder", keylabels.OPEN_FOLDER),
    ]

    def __init__(self, lang: str, view: View) -> None:
        super().__init__(lang)
        self.view = view
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
        outcome = self.view.diagnosis.outcome(self.view.platform)
        if outcome.verdict == "problems":
            verdict = self.t(words.VERDICT_PROBLEMS, n=outcome.count)
        elif outcome.verdict == "incomplete":
            verdict = self.t(words.VERDICT_INCOMPLETE)
        else:
            verdict = self.t(words.VERDICT_OK)
        return f"{verdict}　{self.t(common.CASE_CODE)} {export.case_code(self.view)}"

    def _body(self) -> str:
        """The problems in the run's one outcome (root causes, most urgent first): the
        same count and order the CLI, reports and case codes give."""
        problems = self.view.diagnosis.outcome().problems
        codes = seen_codes(self.view.diagnosis)
        parts = []
        for i, problem in enumerate(problems, 1):
            heading = f"{i}/{len(problems)} "
            if problem.conflict:
                parts.append(f"> {problem.conflict.get(self.lang)}")
            if problem.kb:
                parts.append(
                    fix_first_markdown(
                        problem.kb, self.lang, self.view.platform, self.all_systems, heading, codes
                    )
                )
            else:
                parts.append(f"## {heading}{problem.title.get(self.lang)}")
        parts.append(self.t(common.HELPLINE))
        return "\n\n".join(parts)

    def _export_note(self) -> str:
        if not self.exported:
            return ""
        files = "\n".join(f"  {p.name}" for p in self.exported)
        return self.t(words.EXPORTED, folder=str(self.exported[0].parent), files=files)

    def on_mount(self) -> None:
        self.query_one("#summary-body").focus()

    def action_other_systems(self) -> None:
        self.all_systems = not self.all_systems
        self.query_one("#fixes", Prose).update_source(self._body())

    def action_export(self) -> None:
        try:
            self.exported = export.export_reports(self.view, self.lang)
        except (OSError, UserError) as exc:  # a folder it cannot make, a file it cannot write
            err = exc.render(self.lang) if isinstance(exc, UserError) else str(exc)
            self.notify(self.t(words.EXPORT_FAILED, err=err), severity="error")
            return
        note = self.query_one("#export-note", Static)
        note.update(self._export_note())
        self.query_one("#summary-body", VerticalScroll).scroll_end(animate=False)

    def action_open_folder(self) -> None:
        if not self.exported:
            self.notify(self.t(words.EXPORT_FIRST))
            return
        if not export.open_folder(self.exported[0].parent):
            self.notify(self.t(words.OPEN_FAILED, folder=str(self.exported[0].parent)))

    async def relabel(self, lang: str) -> None:
        await super().relabel(lang)
        self.query_one("#summary-body").focus()
