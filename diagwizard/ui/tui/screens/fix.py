"""「幫我修好」 (Fix it for me): the exact change in full, consent, run, check again.

Opened by the app (the check screen asks with ``f``) with the fixer and what it offers.
Nothing is applied until the person presses the button; the dialog is dismissed with the
re-checked results, which the app puts into the diagnosis.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from diagwizard.core.model import Result
from diagwizard.core.words import fixes, keylabels
from diagwizard.engine.fixer import Fixer, FixOutcome, Offer, Verdict
from diagwizard.engine.registry import fixable_codes
from diagwizard.ui.fixwords import describe, verdict_lines
from diagwizard.ui.tui.keys import InLanguage, key


class FixScreen(ModalScreen[dict[str, Result] | None], InLanguage[dict[str, Result] | None]):
    DEFAULT_CSS = """
    FixScreen { align: center middle; }
    #fix-box {
        width: 78; max-width: 100%; height: auto; max-height: 22;
        border: round $primary; background: $panel; padding: 0 1;
    }
    #fix-plan { height: auto; max-height: 13; }
    #fix-buttons { height: auto; }
    """
    # A modal screen cuts off the app's bindings: the language switch is repeated here.
    BINDINGS = [
        key("escape", "close", keylabels.CANCEL),
        key("l", "app.toggle_lang", keylabels.LANGUAGE),
        key("f2", "app.switch_lang", keylabels.LANGUAGE, show=False),
    ]

    def __init__(self, lang: str, fixer: Fixer, offers: list[Offer]) -> None:
        super().__init__()
        self.lang = lang
        self.fixer = fixer
        self.offers = offers
        self.outcomes: list[FixOutcome] = []
        self.busy = False

    def compose(self) -> ComposeResult:
        lang = self.lang
        plan = "\n\n".join("\n".join(describe(o, lang)) for o in self.offers)
        with Vertical(id="fix-box"):
            yield Static(self.t(fixes.FIX_IT), classes="title")
            with VerticalScroll(id="fix-plan"):
                yield Static(plan, markup=False, id="fix-plan-text")
            yield Static(self._status(), markup=False, id="fix-status")
            with Horizontal(id="fix-buttons", classes="buttons"):
                if not self.outcomes:
                    yield Button(self.t(fixes.FIX_IT), id="fix-apply", variant="primary")
                close = fixes.CLOSE if self.outcomes else keylabels.CANCEL
                yield Button(self.t(close), id="fix-close")

    def _status(self) -> str:
        lang = self.lang
        if self.busy:
            return self.t(fixes.RUNNING)
        titles = {pid: p.title.get(lang) for pid, p in self.fixer.engine.probes.items()}
        return "\n".join(line for o in self.outcomes for line in verdict_lines(o, titles, lang))

    def on_mount(self) -> None:
        self.query_one("#fix-apply" if not self.outcomes else "#fix-close", Button).focus()

    @on(Button.Pressed, "#fix-apply")
    def start_fix(self, event: Button.Pressed) -> None:
        if not self.busy:
            self.busy = True
            event.button.disabled = True
            self.query_one("#fix-status", Static).update(self._status())
            self.apply()

    @work(thread=True, group="fix")
    def apply(self) -> None:
        outcomes = []
        for offer in self.offers:
            try:
                outcomes.append(self.fixer.apply(offer))
            except Exception as exc:  # never a crashed wizard
                outcomes.append(FixOutcome(offer.fix, Verdict.FAILED, str(exc)))
        self.app.call_from_thread(self._done, outcomes)

    def _done(self, outcomes: list[FixOutcome]) -> None:
        self.busy = False
        self.outcomes = outcomes
        self.refresh(recompose=True)
        self.call_after_refresh(lambda: self.query_one("#fix-close", Button).focus())

    @on(Button.Pressed, "#fix-close")
    def action_close(self) -> None:
        if self.busy:
            return
        changed: dict[str, Result] = {}
        for o in self.outcomes:
            changed.update(o.results)
        self.dismiss(changed or None)


def fix_hint(res: Result, lang: str) -> str:
    """A line under a result whose findings a fix addresses: press f (cheap: no planning)."""
    if not any(f.code in fixable_codes() for f in res.findings):
        return ""
    return "\n> " + fixes.PRESS_F.get(lang) + "\n"
