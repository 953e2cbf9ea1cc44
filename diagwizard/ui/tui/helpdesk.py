"""``diagwizard helpdesk``: the wizard for the person at the other end of the phone.

Besides the caller's case code, the KB and the phone script, it keeps the helpdesk's case
log: ``g`` logs the decoded case (offered as soon as a code is decoded), and the cases
screen lists, filters, charts and edits logged cases. The database work runs here, in
thread workers (:mod:`.casework`); the screens only show and ask.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work

from diagwizard.api.probe import Probe
from diagwizard.core import config
from diagwizard.core.config import Config
from diagwizard.core.errors import UserError
from diagwizard.core.i18n import resolve_lang
from diagwizard.core.model import Result
from diagwizard.core.text import Text
from diagwizard.core.words import cases as case_words
from diagwizard.core.words import keylabels
from diagwizard.core.words import terminal as terminal_words
from diagwizard.core.words import wizard as words
from diagwizard.engine import registry
from diagwizard.engine.runner import Callbacks, RunResults
from diagwizard.ui.tui import casework, messages
from diagwizard.ui.tui.app import WizardApp
from diagwizard.ui.tui.keys import key
from diagwizard.ui.tui.lazy import LazyScreen
from diagwizard.ui.tui.screens.menu import MenuScreen
from diagwizard.ui.tui.screens.start import HelpdeskStartScreen

if TYPE_CHECKING:
    from diagwizard.cases.caselog import Logged, Notice
    from diagwizard.cases.note import Note
    from diagwizard.cases.record import Case


class ReadOnlyEngine:
    """The helpdesk never runs probes on its own machine: it shows the caller's results.

    Built after the first screen is up (loading the probe list takes a moment)."""

    platform = "linux"

    def __init__(self) -> None:
        self._registry = registry.load(plugins=False)

    @property
    def probes(self) -> dict[str, Probe]:
        return self._registry.probes

    def applicable(self, only: list[str] | tuple[str, ...] = ()) -> list[Probe]:
        return [p for p in self._registry.select(only) if not only or p.id in only]

    def run(
        self,
        only: list[str] | tuple[str, ...] = (),
        callbacks: Callbacks | None = None,
        prior: dict[str, Result] | None = None,
    ) -> RunResults:
        return RunResults(0.0, 0, {})

    def rerun(self, probe_id: str, prior: dict[str, Result]) -> Result:
        return prior[probe_id]


class HelpdeskApp(WizardApp):
    """The wizard's screens, with the helpdesk menu as the start and its four choices."""

    START: ClassVar[type[MenuScreen]] = HelpdeskStartScreen
    ROUTES: ClassVar[dict[str, LazyScreen]] = {
        **WizardApp.ROUTES,
        "code": LazyScreen("helpdesk:CaseCodeScreen"),
        "kb": LazyScreen("helpdesk:KbBrowserScreen"),
        "script": LazyScreen("helpdesk:ScriptScreen"),
        "cases": LazyScreen("cases:CasesScreen"),
    }
    TITLE_WORDS: ClassVar[Text] = words.HD_TITLE
    BINDINGS = [
        *WizardApp.BINDINGS,
        key("g", "log_case", keylabels.LOG_CASE),
    ]

    def __init__(self, *args: Any, cfg: Config | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cfg = cfg or Config()
        self.decoded = False  # a caller's code is on screen: it can be logged

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``g`` (log the case) shows only once a code is decoded."""
        if action == "log_case" and not self.decoded:
            return False
        return super().check_action(action, parameters)

    # -- logging the decoded case -------------------------------------------------------------
    @on(messages.CaseOpened)
    def _offer_log(self, message: messages.CaseOpened) -> None:
        self.decoded = True
        self.refresh_bindings()
        self.notify(case_words.LOG_OFFER.get(self.lang), timeout=8)

    def action_log_case(self) -> None:
        if not self.decoded:
            self.notify(case_words.NO_CASE_TO_LOG.get(self.lang))
            return
        self._prepare_log(self.diagnosis, self.platform)

    @work(thread=True, group="cases")
    def _prepare_log(self, diagnosis: Any, platform: str) -> None:
        try:
            form = casework.prepare(self.cfg, diagnosis, platform)
        except Exception as exc:  # nothing brings the helpdesk down: say it, carry on
            self.call_from_thread(self._case_trouble, exc)
            return
        self.call_from_thread(self._ask_log, form)

    def _ask_log(self, form: casework.LogForm) -> None:
        def chosen(details: casework.LogDetails | None) -> None:
            if details is not None:
                self._store_case(form, details)

        dialog = LazyScreen("case_dialogs:LogCaseScreen", form)
        self.push_screen(dialog.build(self.lang, self.session.view), chosen)

    @work(thread=True, group="cases")
    def _store_case(self, form: casework.LogForm, details: casework.LogDetails) -> None:
        try:
            logged, note, notices = casework.log(self.cfg, form, details)
        except Exception as exc:
            self.call_from_thread(self._case_trouble, exc)
            return
        self.call_from_thread(self._case_logged, logged, note, notices)

    def _case_logged(self, logged: Logged, note: Note, notices: list[Notice]) -> None:
        self._say_case_note(note)
        if logged.number is not None:
            where = logged_where(self.cfg)
            self.notify(case_words.LOGGED.get(self.lang, n=logged.number, url=where))
        else:
            reason = logged.reason.render(self.lang) if logged.reason else ""
            queued = case_words.QUEUED.get(self.lang, n=logged.waiting)
            if logged.unreachable:
                self.notify(f"{reason}\n{queued}", severity="warning", timeout=15)
            else:
                self.notify(f"{reason}\n{queued}", severity="error", timeout=15)
        self._say_notices(notices)
        self._refresh_cases()

    def _refresh_cases(self) -> None:
        """A case log on screen (under the dialog) shows the new case at once."""
        for screen in self.screen_stack:
            if isinstance(screen, casework.ShowsCases):
                self._read_cases(screen, screen.problem)

    # -- the cases screen --------------------------------------------------------------------------
    @on(messages.LoadCases)
    def _load_cases(self, message: messages.LoadCases) -> None:
        self._read_cases(message.screen, message.problem)

    @work(thread=True, group="cases-read", exclusive=True)
    def _read_cases(self, screen: casework.ShowsCases, problem: str) -> None:
        try:
            view = casework.read(self.cfg, problem)
        except Exception as exc:
            self.call_from_thread(self._cases_failed, screen, exc)
            return
        self.call_from_thread(self._cases_read, screen, view)

    def _cases_read(self, screen: casework.ShowsCases, view: casework.CasesView) -> None:
        self._say_notices(view.notices)
        if screen.is_attached:
            screen.show_cases(view)

    def _cases_failed(self, screen: casework.ShowsCases, exc: Exception) -> None:
        if screen.is_attached:
            screen.show_error(self._case_line(exc))

    @on(messages.EditCase)
    def _edit_case(self, message: messages.EditCase) -> None:
        screen, case = message.screen, message.case

        def edited(change: tuple[str, str] | None) -> None:
            if change is not None:
                self._save_case(screen, case, *change)

        dialog = LazyScreen("case_dialogs:CaseEditScreen", case)
        self.push_screen(dialog.build(self.lang, self.session.view), edited)

    @work(thread=True, group="cases")
    def _save_case(self, screen: casework.ShowsCases, case: Case, outcome: str, note: str) -> None:
        try:
            saved, checked = casework.save(self.cfg, case.number or 0, outcome, note)
        except Exception as exc:
            self.call_from_thread(self._case_trouble, exc)
            return
        self.call_from_thread(self._case_saved, screen, saved, checked)

    def _case_saved(self, screen: casework.ShowsCases, case: Case, note: Note) -> None:
        self._say_case_note(note)
        self.notify(case_words.SAVED.get(self.lang, n=case.number))
        self._read_cases(screen, screen.problem)

    # -- saying what happened ----------------------------------------------------------------------
    def _say_case_note(self, note: Note) -> None:
        if note.redacted:
            kinds = note.kinds_text().get(self.lang)
            shown = case_words.NOTE_PERSONAL.get(self.lang, kinds=kinds, shown=note.text)
            self.notify(shown, severity="warning", timeout=12)

    def _say_notices(self, notices: list[Notice]) -> None:
        for notice in notices:
            self.notify(notice.render(self.lang), severity="warning", timeout=12)

    def _case_line(self, exc: Exception) -> str:
        if isinstance(exc, UserError):
            return exc.render(self.lang)
        return terminal_words.BUG.get(self.lang, err=f"{type(exc).__name__}: {exc}")

    def _case_trouble(self, exc: Exception) -> None:
        self.notify(self._case_line(exc), severity="error", timeout=15)


def logged_where(cfg: Config) -> str:
    from diagwizard.cases import location  # lazy: SQLAlchemy (already loaded by the log)

    return location.configured(cfg).shown


def make_helpdesk(lang: str | None = None, config_path: str | None = None) -> HelpdeskApp:
    cfg = config.load(config_path)
    return HelpdeskApp(lang=resolve_lang(lang, cfg.lang), engine_factory=ReadOnlyEngine, cfg=cfg)


def run_helpdesk(args: argparse.Namespace) -> int:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        print(words.HD_NEEDS_TERMINAL.get(resolve_lang(args.lang)), file=sys.stderr)
        return 2
    make_helpdesk(args.lang, args.config).run()
    return 0
