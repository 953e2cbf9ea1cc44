"""Shared screen behaviour: typed access to the app, and relabelling on a language switch."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import Screen

from diagwizard.ui.tui.keys import localize

if TYPE_CHECKING:
    from diagwizard.ui.tui.app import WizardApp


class WizardScreen(Screen[None]):
    @property
    def wizard(self) -> WizardApp:
        """The app with its engine and diagnosis: a cast for the type checker only, so
        screens do not import the app module (which imports the screens)."""
        return cast("WizardApp", self.app)

    def t(self, key: str, **params: object) -> str:
        return self.wizard.t(key, **params)

    @property
    def lang(self) -> str:
        return self.wizard.lang

    def on_screen_resume(self) -> None:
        localize(self, self.lang)

    async def relabel(self) -> None:
        """Re-render in the new language; screens keep their state in attributes."""
        localize(self, self.lang)
        await self.recompose()
