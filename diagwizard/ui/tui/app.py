"""The wizard App: it holds the run (:mod:`.session`), opens the screens, and does what
they ask for (:mod:`.messages`); the screens (:mod:`.screens`) show what they are given."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, ClassVar, Unpack

from textual import on, work
from textual.app import App

from diagwizard.core import config
from diagwizard.core.i18n import resolve_lang
from diagwizard.core.text import Text
from diagwizard.core.words import fixes, keylabels, records, terminal
from diagwizard.core.words import wizard as words
from diagwizard.ui.tui import messages
from diagwizard.ui.tui.ascii import AsciiCells
from diagwizard.ui.tui.keys import InLanguage, key
from diagwizard.ui.tui.lazy import LazyScreen, preload
from diagwizard.ui.tui.screens.menu import MenuScreen
from diagwizard.ui.tui.screens.start import StartScreen
from diagwizard.ui.tui.session import EngineLike, Session
from diagwizard.ui.tui.view import ShowsChanges

if TYPE_CHECKING:
    from textual.filter import LineFilter

    from diagwizard.core.model import Result
    from diagwizard.diagnosis.outcome import Problem
    from diagwizard.diagnosis.repair import Round
    from diagwizard.diagnosis.session import Diagnosis
    from diagwizard.engine.fixer import Offer
    from diagwizard.ui.tui.view import ShowsFixes, ShowsRechecks, ShowsRun


class WizardApp(App[None]):
    """The first screen is :attr:`START`; the others are opened by name (``ROUTES``: the
    start menu's choices are names) or by message, each visit as a fresh screen (Textual
    keeps an installed screen with the state of its last visit; here the last search or a
    summary of older results should not come back). Only the first screen's module is
    imported with the app: the others (with the engine, KB and fixes they use) load in
    the background once it is up (:mod:`diagwizard.ui.tui.lazy`).
    """

    START: ClassVar[type[MenuScreen]] = StartScreen
    ROUTES: ClassVar[dict[str, LazyScreen]] = {
        "symptom": LazyScreen("symptom:SymptomScreen"),
        "register": LazyScreen(
            "walkthrough:WalkthroughScreen", "procedure-registration", shows_results=True
        ),
        "login": LazyScreen("walkthrough:WalkthroughScreen", "procedure-login", shows_results=True),
        "full": LazyScreen("check:CheckScreen", shows_results=True, then_summary=True),
        "summary": LazyScreen("summary:SummaryScreen", shows_results=True),
    }
    TITLE_WORDS: ClassVar[Text] = words.APP_TITLE
    CSS_PATH = "app.tcss"
    TITLE = "diagwizard"
    # No command palette: its prompts and commands exist only in English.
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        key("l", "toggle_lang", keylabels.LANGUAGE),
        key("f2", "switch_lang", keylabels.LANGUAGE, show=False),
        key("q", "quit", keylabels.QUIT),
    ]

    def __init__(
        self,
        engine: EngineLike | None = None,
        lang: str = "zh-TW",
        engine_factory: Callable[[], EngineLike] | None = None,
        ascii_cells: bool = False,
    ) -> None:
        """Give an engine, or a factory: loading every probe takes a moment, and the
        first screen should not wait for it. ``ascii_cells``: the classic Windows
        console window, where frames are drawn in ASCII (:mod:`.ascii`)."""
        super().__init__()
        self.session = Session(engine, engine_factory)
        self.lang = lang
        self.ascii_cells = AsciiCells() if ascii_cells else None

    def get_line_filters(self) -> Sequence[LineFilter]:
        filters = super().get_line_filters()
        return [*filters, self.ascii_cells] if self.ascii_cells is not None else filters

    @property
    def diagnosis(self) -> Diagnosis:
        return self.session.diagnosis

    @property
    def platform(self) -> str:
        return self.session.engine.platform

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """On screens where people type (a pasted message), letters are text, not
        commands: F2 still switches the language there."""
        if action in ("toggle_lang", "quit") and getattr(self.screen, "TYPING", False):
            return False
        return True

    def on_mount(self) -> None:
        self.title = self.TITLE_WORDS.get(self.lang)
        self.push_screen(self.START(self.lang))
        if self.ascii_cells is not None:
            self.notify(terminal.CONSOLE_ASCII.get(self.lang), timeout=12)
        # After the first paint, so loading the probes does not delay it.
        self.call_after_refresh(self._warm_up)

    @work(thread=True, group="warm-up")
    def _warm_up(self) -> None:
        """Load the engine and the other screens while the person reads the first one."""
        _ = self.session.engine
        preload(self.ROUTES.values())

    # -- screens --------------------------------------------------------------------------
    def open(self, route: str) -> None:
        """Push a new instance of the screen registered as ``route``."""
        self.push_screen(self.ROUTES[route].build(self.lang, self.session.view))

    def open_check(self, **options: Unpack[messages.CheckOptions]) -> None:
        """The check list (the options are described on :class:`messages.CheckOptions`)."""
        screen = LazyScreen("check:CheckScreen", shows_results=True, **options)
        self.push_screen(screen.build(self.lang, self.session.view))

    @on(messages.Open)
    def _open(self, message: messages.Open) -> None:
        self.open(message.route)

    @on(messages.OpenChecks)
    def _open_checks(self, message: messages.OpenChecks) -> None:
        self.open_check(**message.options)

    @on(messages.SymptomChosen)
    def _symptom_chosen(self, message: messages.SymptomChosen) -> None:
        # The person's message is evidence: its fix comes first in the summary.
        self.diagnosis.note_symptom(message.text, message.entry_id)
        self.open_check(only=message.only, entries=message.entries, then_summary=True)

    @on(messages.CaseOpened)
    def _case_opened(self, message: messages.CaseOpened) -> None:
        # The caller's platform, so the summary's code and export describe their machine.
        self.session.adopt(message.platform, message.diagnosis)
        only = list(message.diagnosis.results)
        self.open_check(only=only, static=True, heading=message.heading)

    @on(messages.AskQuestions)
    def _ask_questions(self, message: messages.AskQuestions) -> None:
        self._ask(list(message.ids))

    def _ask(self, queue: list[str]) -> None:
        """One question after another; Esc leaves them without answering the current one."""
        if not queue:
            return
        question_id = queue.pop(0)

        def record(choice: str | None) -> None:
            if choice is not None:  # "": skipped, which clears an earlier answer
                self.diagnosis.answer(question_id, choice or None)
                self._ask(queue)

        dialog = LazyScreen("question:QuestionScreen", question_id)
        self.push_screen(dialog.build(self.lang, self.session.view), record)

    # -- running probes (blocking: in thread workers) ----------------------------------------
    @on(messages.RunChecks)
    def _run_checks(self, message: messages.RunChecks) -> None:
        self._run(message.screen, message.only, self.session.prior(message.rerun))

    @work(thread=True, group="checks")
    def _run(self, screen: ShowsRun, only: list[str], prior: dict[str, Result] | None) -> None:
        from diagwizard.engine.runner import Callbacks  # lazy: start-up time (the runner)

        callbacks = Callbacks(
            on_start=lambda p: self.call_from_thread(self._started, screen, p.id),
            on_finish=lambda p, r: self.call_from_thread(self._finished, screen, {p.id: r}),
        )
        results = self.session.run(only, callbacks, prior)
        self.call_from_thread(self._run_done, screen, results)

    def _started(self, screen: ShowsRun, probe_id: str) -> None:
        if screen.is_attached:
            screen.probe_started(probe_id)

    def _finished(self, screen: ShowsRun, results: dict[str, Result]) -> None:
        self.session.record(results)
        if screen.is_attached:
            for probe_id, result in results.items():
                screen.probe_finished(probe_id, result)

    def _run_done(self, screen: ShowsRun, results: dict[str, Result]) -> None:
        if screen.is_attached:
            screen.run_finished(results)

    @on(messages.Recheck)
    def _recheck(self, message: messages.Recheck) -> None:
        snapshot = self.diagnosis.with_results({})
        self._recheck_probe(message.screen, message.probe_id, snapshot)

    @work(thread=True, group="recheck")
    def _recheck_probe(self, screen: ShowsRechecks, probe_id: str, snapshot: Diagnosis) -> None:
        """The probe again, with what it depends on and what depends on it; the screen
        says fixed / still failing."""
        round_ = self.session.recheck([probe_id], snapshot)
        before = snapshot.results.get(probe_id)
        self.call_from_thread(self._rechecked, screen, probe_id, before, round_)

    def _rechecked(
        self, screen: ShowsRechecks, probe_id: str, before: Result | None, round_: Round
    ) -> None:
        self._changed(round_)
        if screen.is_attached:
            screen.rechecked(probe_id, before, round_.results)

    @on(messages.RecheckProblem)
    def _recheck_problem(self, message: messages.RecheckProblem) -> None:
        """「再檢查」 on the verdict: the problem's whole chain."""
        problem = self._problem(message.problem_key)
        if problem is not None:
            from diagwizard.diagnosis.repair import chain_of  # lazy: start-up time

            ids = chain_of(problem, self.diagnosis.probes)
            self._recheck_chain(ids, self.diagnosis.with_results({}))

    @work(thread=True, group="recheck")
    def _recheck_chain(self, ids: list[str], snapshot: Diagnosis) -> None:
        round_ = self.session.recheck(ids, snapshot)
        self.call_from_thread(self._chain_rechecked, round_)

    def _chain_rechecked(self, round_: Round) -> None:
        self._changed(round_)
        if round_.fixed:
            self.notify(self._progress(round_))
        else:
            self.notify(records.RECHECK_FAILING.get(self.lang), severity="warning")

    def _changed(self, round_: Round) -> None:
        """Record a round and show it on every screen that shows results: no row, banner
        or count is left as it was before."""
        self.session.record_round(round_)
        for screen in self.screen_stack:
            if isinstance(screen, ShowsChanges) and round_.results:
                screen.results_changed(round_.results)

    def _progress(self, round_: Round) -> str:
        from diagwizard.diagnosis.repair import progress  # lazy: start-up time

        return progress(round_, self.diagnosis.fixed, self.lang)

    def _problem(self, key: str) -> Problem | None:
        outcome = self.diagnosis.outcome(self.platform)
        return next((p for p in outcome.problems if p.key == key), None)

    # -- 「幫我修好」 -----------------------------------------------------------------------------
    @on(messages.OfferFix)
    def _offer_fix(self, message: messages.OfferFix) -> None:
        """Open 「幫我修好」 for a probe's result, or say there is no automatic fix."""
        self._plan(self.diagnosis.with_results({}), probe_id=message.probe_id)

    @on(messages.FixProblem)
    def _fix_problem(self, message: messages.FixProblem) -> None:
        """Open 「幫我修好」 for a problem of the verdict, or say it needs the person."""
        problem = self._problem(message.problem_key)
        if problem is not None:
            self._plan(self.diagnosis.with_results({}), problem=problem)

    @work(thread=True, group="fix-plan")
    def _plan(
        self, snapshot: Diagnosis, probe_id: str | None = None, problem: Problem | None = None
    ) -> None:
        """Planning may ask the OS (sc qc, timedatectl): off the UI thread."""
        offers: list[Offer] = []
        with self.session.busy:
            repair = self.session.repair(self.lang)
            if repair is not None and problem is not None:
                offers = repair.offers(problem, snapshot.results)
            elif repair is not None and probe_id is not None:
                repair.fixer.results = dict(snapshot.results)
                offers = repair.fixer.for_probe(probe_id)
        self.call_from_thread(self._show_fix, offers, problem is not None)

    def _show_fix(self, offers: list[Offer], for_problem: bool) -> None:
        if not offers:
            hint = words.MANUAL_PROBLEM if for_problem else fixes.NO_FIX_HERE
            self.notify(hint.get(self.lang))
            return
        dialog = LazyScreen("fix:FixScreen", offers, shows_results=True)
        self.push_screen(dialog.build(self.lang, self.session.view))

    @on(messages.ApplyFixes)
    def _apply_fixes(self, message: messages.ApplyFixes) -> None:
        self._apply(message.dialog, message.offers, self.diagnosis.with_results({}))

    @work(thread=True, group="fix")
    def _apply(self, dialog: ShowsFixes, offers: list[Offer], snapshot: Diagnosis) -> None:
        """Apply, check the chain again, work out the problems: the repair loop's step."""
        with self.session.busy:
            repair = self.session.repair(self.lang)
            assert repair is not None, "a fix was offered, so there is a fixer"
            round_ = repair.apply(offers, snapshot)
        self.call_from_thread(self._applied, dialog, round_)

    def _applied(self, dialog: ShowsFixes, round_: Round) -> None:
        self._changed(round_)
        line = self._progress(round_) if round_.changed else ""
        if dialog.is_attached:
            dialog.fixes_applied(round_, line)

    # -- language -------------------------------------------------------------------------
    async def action_switch_lang(self) -> None:
        """F2: the same switch, also on screens where letters are typed."""
        await self.action_toggle_lang()

    async def action_toggle_lang(self) -> None:
        self.lang = "en" if self.lang == "zh-TW" else "zh-TW"
        self.title = self.TITLE_WORDS.get(self.lang)
        for screen in self.screen_stack:
            if isinstance(screen, InLanguage):
                await screen.relabel(self.lang)
        self.notify(words.LANGUAGE_SWITCHED.get(self.lang), timeout=2)

    def action_help_quit(self) -> None:
        """Ctrl+C: Textual's own hint is English-only; say it in the person's language."""
        self.notify(words.QUIT_HINT.get(self.lang), title=words.QUIT_TITLE.get(self.lang), timeout=4)


def make_app(
    engine: EngineLike | None = None,
    lang: str | None = None,
    config_path: str | None = None,
    ascii_cells: bool = False,
) -> WizardApp:
    """The one app factory, used by the CLI and the tests."""
    cfg = config.load(config_path)
    if engine is None:

        def create() -> EngineLike:
            from diagwizard.engine.engine import Engine  # lazy: start-up time (adapters, registry)

            return Engine.create(cfg)

        return WizardApp(
            lang=resolve_lang(lang, cfg.lang), engine_factory=create, ascii_cells=ascii_cells
        )
    return WizardApp(engine, resolve_lang(lang, cfg.lang), ascii_cells=ascii_cells)
