"""``diagwizard helpdesk``: the wizard for the person at the other end of the phone."""

from __future__ import annotations

import argparse
import sys
from typing import ClassVar

from diagwizard.api.probe import Probe
from diagwizard.core import config
from diagwizard.core.i18n import resolve_lang
from diagwizard.core.model import Result
from diagwizard.core.text import Text
from diagwizard.core.words import wizard as words
from diagwizard.engine import registry
from diagwizard.engine.runner import Callbacks, RunResults
from diagwizard.ui.tui.app import WizardApp
from diagwizard.ui.tui.lazy import LazyScreen
from diagwizard.ui.tui.screens.menu import MenuScreen
from diagwizard.ui.tui.screens.start import HelpdeskStartScreen


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
    """The wizard's screens, with the helpdesk menu as the start and its three choices."""

    START: ClassVar[type[MenuScreen]] = HelpdeskStartScreen
    ROUTES: ClassVar[dict[str, LazyScreen]] = {
        **WizardApp.ROUTES,
        "code": LazyScreen("helpdesk:CaseCodeScreen"),
        "kb": LazyScreen("helpdesk:KbBrowserScreen"),
        "script": LazyScreen("helpdesk:ScriptScreen"),
    }
    TITLE_WORDS: ClassVar[Text] = words.HD_TITLE


def make_helpdesk(lang: str | None = None, config_path: str | None = None) -> HelpdeskApp:
    cfg = config.load(config_path)
    return HelpdeskApp(lang=resolve_lang(lang, cfg.lang), engine_factory=ReadOnlyEngine)


def run_helpdesk(args: argparse.Namespace) -> int:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        print(words.HD_NEEDS_TERMINAL.get(resolve_lang(args.lang)), file=sys.stderr)
        return 2
    make_helpdesk(args.lang, args.config).run()
    return 0
