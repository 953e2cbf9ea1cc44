"""「幫我修好」 (Fix it for me): the exact change in full, consent, then what came of it.

Opened by the app (``f`` on a problem of the verdict, or on a result in the check list)
with the fixes that apply. Nothing is applied until the person presses the button; then
the dialog asks the app to apply them (:class:`~diagwizard.ui.tui.messages.ApplyFixes`),
which checks the chain again and records it, and shows here each fix's verdict, what was
checked again and the new count (「已修好 1 個，還有 2 個問題」).
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from diagwizard.core.model import Result
from diagwizard.core.words import fixes, keylabels
from diagwizard.diagnosis.repair import Round
from diagwizard.engine.fixer import Offer
from diagwizard.engine.registry import fixable_codes
from diagwizard.ui.fixwords import describe, verdict_lines
from diagwizard.ui.textwrap_cjk import wrap
from diagwizard.ui.tui.keys import InLanguage, key
from diagwizard.ui.tui.messages import ApplyFixes
from diagwizard.ui.tui.view import View


class FixScreen(ModalScreen[None], InLanguage[None]):
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

    def __init__(self, lang: str, view: View, offers: list[Offer]) -> None:
        super().__init__()
        self.lang = lang
        self.view = view
        self.offers = offers
        self.round: Round | None = None
        self.progress = ""
        self.busy = False

    def compose(self) -> ComposeResult:
        lang = self.lang
        plan = "\n\n".join("\n".join(_wrapped(describe(o, lang))) for o in self.offers)
        with Vertical(id="fix-box"):
            yield Static(self.t(fixes.FIX_IT), classes="title")
            with VerticalScroll(id="fix-plan"):
                yield Static(plan, markup=False, id="fix-plan-text")
            yield Static(self._status(), markup=False, id="fix-status")
            with Horizontal(id="fix-buttons", classes="buttons"):
                if self.round is None:
                    apply = Button(self.t(fixes.FIX_IT), id="fix-apply", variant="primary")
                    apply.disabled = self.busy
                    yield apply
                close = fixes.CLOSE if self.round is not None else keylabels.CANCEL
                yield Button(self.t(close), id="fix-close")

    def _status(self) -> str:
        if self.busy:
            return self.t(fixes.RUNNING)
        if self.round is None:
            return ""
        lang = self.lang
        titles = {pid: p.title.get(lang) for pid, p in self.view.probes.items()}
        lines = [line for o in self.round.outcomes for line in verdict_lines(o, titles, lang)]
        if self.progress:
            lines.append(self.progress)
        return "\n".join(lines)

    def on_mount(self) -> None:
        self.query_one("#fix-apply" if self.round is None else "#fix-close", Button).focus()

    @on(Button.Pressed, "#fix-apply")
    def start_fix(self, event: Button.Pressed) -> None:
        if not self.busy and self.round is None:
            self.busy = True
            event.button.disabled = True
            self.query_one("#fix-status", Static).update(self._status())
            self.post_message(ApplyFixes(self, self.offers))

    def fixes_applied(self, round_: Round, progress: str) -> None:
        """What the app made of the fixes: the verdicts, the re-checks, the new count."""
        self.busy = False
        self.round, self.progress = round_, progress
        self.refresh(recompose=True)
        self.call_after_refresh(lambda: self.query_one("#fix-close", Button).focus())

    @on(Button.Pressed, "#fix-close")
    def action_close(self) -> None:
        if not self.busy:
            self.dismiss(None)


PLAN_WIDTH = 72  # the dialog's 78 cells less its border, padding and scroll bar


def _wrapped(lines: list[str]) -> list[str]:
    """The plan's lines wrapped with the Chinese rules, each under its own indent (a list
    item's text under its text, not under the dash)."""
    out: list[str] = []
    for line in lines:
        body = line.lstrip(" ")
        lead = line[: len(line) - len(body)]
        hang = lead + ("  " if body.startswith(("- ", "$ ")) else "")
        out += wrap(body, PLAN_WIDTH, lead, hang) if body else [""]
    return out


def fix_hint(res: Result, lang: str) -> str:
    """A line under a result whose findings a fix addresses: press f (cheap: no planning)."""
    if not any(f.code in fixable_codes() for f in res.findings):
        return ""
    return "\n> " + fixes.PRESS_F.get(lang) + "\n"
