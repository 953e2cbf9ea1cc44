"""The wizard App: holds the engine, the diagnosis and the language; screens do the rest."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, Unpack

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from diagwizard.core import config
from diagwizard.core.i18n import resolve_lang
from diagwizard.ui.tui.keys import localize
from diagwizard.ui.tui.lazy import LazyScreen, preload
from diagwizard.ui.tui.screens.start import StartScreen
from diagwizard.ui.tui.strings import S

if TYPE_CHECKING:
    from diagwizard.api.probe import Probe
    from diagwizard.core.model import Result
    from diagwizard.diagnosis.session import Diagnosis
    from diagwizard.engine.runner import Callbacks, RunResults
    from diagwizard.ui.tui.screens.check import CheckOptions


class EngineLike(Protocol):
    """What the wizard needs from the engine (the real Engine, or a fixed fake in tests)."""

    platform: str

    @property
    def probes(self) -> dict[str, Probe]: ...

    def applicable(self, only: list[str] | tuple[str, ...] = ()) -> list[Probe]: ...

    def run(
        self,
        only: list[str] | tuple[str, ...] = (),
        callbacks: Callbacks | None = None,
        prior: dict[str, Result] | None = None,
    ) -> RunResults: ...

    def rerun(self, probe_id: str, prior: dict[str, Result]) -> Result: ...


class WizardApp(App[None]):
    """Screens are registered by name in ``SCREENS``; the start menu's choices are names.

    ``push_screen("start")`` installs the first screen the Textual way. Every other
    visit opens a fresh screen through :meth:`open` (see there why), and the one screen
    that needs arguments, the check list, through :meth:`open_check`. Only the first
    screen's module is imported with the app: the others (with the engine, KB and fixes
    they use) load in the background once it is up (:mod:`diagwizard.ui.tui.lazy`).
    """

    SCREENS: ClassVar[dict[str, Callable[[], Screen[Any]]]] = {
        "start": StartScreen,
        "symptom": LazyScreen("symptom:SymptomScreen"),
        "register": LazyScreen("walkthrough:WalkthroughScreen", "procedure-registration"),
        "login": LazyScreen("walkthrough:WalkthroughScreen", "procedure-login"),
        "full": LazyScreen("check:CheckScreen", then_summary=True),
        "summary": LazyScreen("summary:SummaryScreen"),
    }
    CSS_PATH = "app.tcss"
    TITLE = "diagwizard"
    # No command palette: its prompts and commands exist only in English.
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("l", "toggle_lang", "English|中文"),
        Binding("f2", "switch_lang", "English|中文", show=False),
        Binding("q", "quit", "離開|Quit"),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """On screens where people type (a pasted message), letters are text, not
        commands: F2 still switches the language there."""
        if action in ("toggle_lang", "quit") and getattr(self.screen, "TYPING", False):
            return False
        return True

    def __init__(
        self,
        engine: EngineLike | None = None,
        lang: str = "zh-TW",
        engine_factory: Callable[[], EngineLike] | None = None,
    ) -> None:
        """Give an engine, or a factory: loading every probe takes a moment, and the
        first screen should not wait for it."""
        super().__init__()
        self._engine = engine
        self._engine_factory = engine_factory
        self._engine_lock = threading.Lock()
        self._diagnosis: Diagnosis | None = None
        self.lang = lang

    @property
    def engine(self) -> EngineLike:
        with self._engine_lock:
            if self._engine is None:
                assert self._engine_factory is not None, "WizardApp needs an engine or a factory"
                self._engine = self._engine_factory()
            return self._engine

    @property
    def diagnosis(self) -> Diagnosis:
        if self._diagnosis is None:
            from diagwizard.diagnosis.session import Diagnosis  # lazy: start-up time (outcome, KB)

            self._diagnosis = Diagnosis(dict(self.engine.probes))
        return self._diagnosis

    @diagnosis.setter
    def diagnosis(self, value: Diagnosis) -> None:
        self._diagnosis = value

    def t(self, key: str, **params: object) -> str:
        return S[key].get(self.lang, **params)

    def on_mount(self) -> None:
        localize(self, self.lang)
        self.title = self.t(self.title_key)
        self.push_screen("start")
        # After the first paint, so loading the probes does not delay it.
        self.call_after_refresh(self._warm_up)

    @work(thread=True, group="warm-up")
    def _warm_up(self) -> None:
        """Load the engine and the other screens while the person reads the first one."""
        _ = self.engine
        preload(self.SCREENS.values())

    title_key = "app_title"

    def open(self, name: str) -> None:
        """Push a new instance of the screen registered as ``name``.

        Textual keeps an installed screen once built, with the state of its last visit
        (the last search, a summary of older results); each visit here starts afresh.
        """
        self.push_screen(self.SCREENS[name]())

    def open_check(self, **options: Unpack[CheckOptions]) -> None:
        """The check list, with arguments: a typed factory, so screens need not import
        each other to push one (the options are described on :class:`CheckOptions`)."""
        self.push_screen(LazyScreen("check:CheckScreen", **options)())

    async def action_switch_lang(self) -> None:
        """F2: the same switch, also on screens where letters are typed."""
        await self.action_toggle_lang()

    async def action_toggle_lang(self) -> None:
        self.lang = "en" if self.lang == "zh-TW" else "zh-TW"
        localize(self, self.lang)
        self.title = self.t(self.title_key)
        for screen in self.screen_stack:
            if hasattr(screen, "relabel"):
                await screen.relabel()
        self.notify(self.t("lang_switched"), timeout=2)

    def action_help_quit(self) -> None:
        """Ctrl+C: Textual's own hint is English-only; say it in the person's language."""
        self.notify(self.t("quit_hint"), title=self.t("quit_title"), timeout=4)


def make_app(
    engine: EngineLike | None = None, lang: str | None = None, config_path: str | None = None
) -> WizardApp:
    """The one app factory, used by the CLI and the tests."""
    cfg = config.load(config_path)
    if engine is None:

        def create() -> EngineLike:
            from diagwizard.engine.engine import Engine  # lazy: start-up time (adapters, registry)

            return Engine.create(cfg)

        return WizardApp(lang=resolve_lang(lang, cfg.lang), engine_factory=create)
    return WizardApp(engine, resolve_lang(lang, cfg.lang))
