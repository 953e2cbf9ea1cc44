"""The wizard's screens: built with their language (and, for one that shows results, the
run's :class:`~diagwizard.ui.tui.view.View`); they tell the app what the person wants with
messages (:mod:`diagwizard.ui.tui.messages`) and never see the app itself."""

from __future__ import annotations

from diagwizard.ui.tui.keys import InLanguage


class WizardScreen(InLanguage[None]):
    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def action_back(self) -> None:
        """Esc: back to where the person came from."""
        self.dismiss()
