"""「幫我修好」 (Fix it for me): the exact change in full, consent, run, check again.

Opened from the check screen's detail view with ``f``. Nothing is applied until the
person presses the button; the re-checked results go back into the diagnosis.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from diagwizard.core.model import Result
from diagwizard.engine.fixer import Fixer, FixOutcome, Offer, Verdict
from diagwizard.engine.registry import fixable_codes
from diagwizard.ui.fixwords import FIX_WORDS, describe

if TYPE_CHECKING:
    from diagwizard.ui.tui.app import WizardApp


class FixScreen(ModalScreen[dict[str, Result] | None]):
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
        Binding("escape", "close", "取消|Cancel"),
        Binding("l", "app.toggle_lang", "English|中文"),
        Binding("f2", "app.switch_lang", "English|中文", show=False),
    ]

    def __init__(self, fixer: Fixer, offers: list[Offer]) -> None:
        super().__init__()
        self.fixer = fixer
        self.offers = offers
        self.outcomes: list[FixOutcome] = []
        self.busy = False

    @property
    def wizard(self) -> WizardApp:
        return cast("WizardApp", self.app)

    def _l(self, key: str, **params: Any) -> str:
        return FIX_WORDS[key].get(self.wizard.lang, **params)

    def compose(self) -> ComposeResult:
        lang = self.wizard.lang
        plan = "\n\n".join("\n".join(describe(o, lang)) for o in self.offers)
        with Vertical(id="fix-box"):
            yield Static(self._l("fix_it"), classes="title")
            with VerticalScroll(id="fix-plan"):
                yield Static(plan, markup=False, id="fix-plan-text")
            yield Static(self._status(), markup=False, id="fix-status")
            with Horizontal(id="fix-buttons", classes="buttons"):
                if not self.outcomes:
                    yield Button(self._l("fix_it"), id="fix-apply", variant="primary")
                yield Button(self._l("close" if self.outcomes else "cancel"), id="fix-close")

    def _status(self) -> str:
        lang = self.wizard.lang
        if self.busy:
            return self._l("running")
        lines = []
        for o in self.outcomes:
            lines.append(
                FIX_WORDS["result"].get(lang, title=o.fix.title.get(lang), verdict=o.render(lang))
            )
            for pid, res in o.results.items():
                probe = self.fixer.engine.probes.get(pid)
                name = probe.title.get(lang) if probe else pid
                lines.append(
                    "  "
                    + FIX_WORDS["rechecked"].get(lang, probe=name, summary=res.summary.get(lang))
                )
        return "\n".join(lines)

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

    async def relabel(self) -> None:
        await self.recompose()


def fix_hint(res: Result, lang: str) -> str:
    """A line under a result whose findings a fix addresses: press f (cheap: no planning)."""
    if not any(f.code in fixable_codes() for f in res.findings):
        return ""
    return "\n> " + FIX_WORDS["press_f"].get(lang) + "\n"


def offer_fix(
    app: WizardApp, probe_id: str | None, then: Callable[[dict[str, Result]], None]
) -> None:
    """Open 「幫我修好」 for a probe's result, or say there is no automatic fix."""
    engine: Any = app.engine
    if probe_id is None or not hasattr(engine, "config") or not hasattr(engine, "os"):
        app.notify(FIX_WORDS["no_fix_here"].get(app.lang))
        return
    fixer = Fixer(engine, app.lang, results=dict(app.diagnosis.results))

    def back(changed: dict[str, Result] | None) -> None:
        if changed:
            then(changed)

    def show(offers: list[Offer]) -> None:
        if offers:
            app.push_screen(FixScreen(fixer, offers), back)
        else:
            app.notify(FIX_WORDS["no_fix_here"].get(app.lang))

    def plan() -> None:  # planning may ask the OS (sc qc, timedatectl): off the UI thread
        offers = fixer.for_probe(probe_id)
        app.call_from_thread(show, offers)

    app.run_worker(plan, thread=True, group="fix-plan")
