"""The verdict: the count first, then each problem, headed by what was found, with its fix
for this system; 「幫我修好」 and "check again" for the problem in view.

The problem in view is marked (▶): ``n``/``p`` move to the next or previous one, and
scrolling moves it to the problem at the top. ``f`` asks the app to fix it (the fix
dialog, consent as everywhere), ``r`` to check its whole chain again. Whatever the app
checks again, here or on another screen, comes back through :meth:`results_changed`: the
banner, the count and the problems are never those of an older run. After a fix, the
next problem with a fix is in view; once none is left, the screen says what to do next
and that the case code can be read to the helpdesk.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from diagwizard.core.errors import UserError
from diagwizard.core.model import Result, Severity
from diagwizard.core.sanitize import clean
from diagwizard.core.words import common, keylabels
from diagwizard.core.words import fixes as fix_words
from diagwizard.core.words import wizard as words
from diagwizard.diagnosis.outcome import Problem, RunOutcome
from diagwizard.diagnosis.repair import next_steps
from diagwizard.engine.registry import fixable_codes
from diagwizard.ui.tui import export
from diagwizard.ui.tui.detail import fix_first_markdown, has_other_systems, seen_codes
from diagwizard.ui.tui.keys import key
from diagwizard.ui.tui.messages import FixProblem, RecheckProblem
from diagwizard.ui.tui.screens.base import WizardScreen
from diagwizard.ui.tui.view import View
from diagwizard.ui.tui.widgets import Prose


def _demote(markdown: str) -> str:
    """A KB entry's headings one level down: under the problem's own heading."""
    return "\n".join("#" + line if line.startswith("#") else line for line in markdown.split("\n"))


class SummaryScreen(WizardScreen):
    # Its footer has up to eight keys: one space between a key's label and the next key
    # (instead of two) keeps them in 80 columns in both languages.
    DEFAULT_CSS = """
    SummaryScreen .problem { margin-bottom: 1; }
    SummaryScreen FooterKey .footer-key--description { padding: 0; }
    """
    BINDINGS = [
        key("escape", "back", keylabels.BACK),
        key("f", "fix_it", keylabels.FIX_IT),
        key("r", "recheck", keylabels.RECHECK),
        key("n", "next_problem", keylabels.NEXT_PROBLEM),
        key("p", "previous_problem", keylabels.PREVIOUS_PROBLEM, show=False),
        # o and d are in the footer only where they do something, as n is (see
        # check_action): other systems' steps to show, a report folder to open.
        key("o", "other_systems", keylabels.OTHER_SYSTEMS),
        key("e", "export", keylabels.EXPORT),
        key("d", "open_folder", keylabels.OPEN_FOLDER),
        # Once exported, d takes e's place in the footer (80 columns); e exports again.
        key("e", "export_again", show=False),
    ]

    def __init__(self, lang: str, view: View) -> None:
        super().__init__(lang)
        self.view = view
        self.exported: list[Path] = []
        self.all_systems = False
        self.current = 0  # the problem in view
        self.rebuilt = False  # sections built anew, not yet scrolled to the one in view
        self.holding = False  # sections change height: scrolling does not move the mark
        self.outcome = self._outcome()

    def _outcome(self) -> RunOutcome:
        """The run's one outcome (root causes, most urgent first): the same count and
        order the CLI, reports and case codes give."""
        return self.view.diagnosis.outcome(self.view.platform)

    @property
    def problems(self) -> list[Problem]:
        return self.outcome.problems

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self._banner(), classes="title", id="verdict")
        with VerticalScroll(id="summary-body"):
            for i, problem in enumerate(self.problems):
                yield Prose(self._section(i, problem), id=f"problem-{i}", classes="problem")
            yield Prose(self._next_words(), id="closing")
            yield Static(self._export_note(), classes="hint", id="export-note")
        yield Footer()

    # -- what it shows ------------------------------------------------------------------------
    def _banner(self) -> str:
        outcome, fixed = self.outcome, self.view.diagnosis.fixed
        if fixed:
            said = fix_words.PROGRESS if outcome.count else fix_words.PROGRESS_DONE
            mark = "✘ " if outcome.count else "✔ "
            verdict = mark + self.t(said, fixed=fixed, left=outcome.count)
        elif outcome.verdict == "problems":
            verdict = self.t(words.VERDICT_PROBLEMS, n=outcome.count)
        elif outcome.verdict == "incomplete":
            verdict = self.t(words.VERDICT_INCOMPLETE)
        else:
            verdict = self.t(words.VERDICT_OK)
        return f"{verdict}　{self.t(common.CASE_CODE)} {export.case_code(self.view)}"

    def _fixable(self, problem: Problem) -> bool:
        """Whether some fix addresses it (cheap: no planning; the dialog plans)."""
        codes = fixable_codes(self.view.platform)
        return any(f.code in codes for f in problem.findings if f.severity != Severity.INFO)

    def _section(self, i: int, problem: Problem) -> str:
        """The problem's headline (what was found), how it is fixed, then its KB entry
        headed by the entry's title, with the fix for this system first."""
        mark = self.t(words.PROBLEM_MARK) if i == self.current else ""
        headline = clean(problem.headline.get(self.lang))
        total = len(self.problems)
        parts = [f"## {mark}{self.t(words.PROBLEM_OF, n=i + 1, total=total, headline=headline)}"]
        if problem.conflict:
            parts.append(f"> {problem.conflict.get(self.lang)}")
        if self.view.own:  # a caller's case code: their fixes are not run from here
            last = i == total - 1  # n does nothing there: named in no text
            manual = words.PROBLEM_MANUAL_LAST if last else words.PROBLEM_MANUAL
            hint = words.PROBLEM_AUTO if self._fixable(problem) else manual
            parts.append(self.t(hint))
        if problem.kb:
            codes = seen_codes(self.view.diagnosis)
            platform = self.view.platform
            entry = fix_first_markdown(problem.kb, self.lang, platform, self.all_systems, "", codes)
            if problem.message is None:  # the headline is the entry's title already
                entry = entry.split("\n", 1)[1]
            parts.append(_demote(entry))
        return "\n\n".join(parts)

    def _next_words(self) -> str:
        """What to do next once no fix is left to offer (none left, or only manual
        ones), with the case code; then the helpline."""
        parts = []
        if self.view.own and not any(self._fixable(p) for p in self.problems):
            code = export.case_code(self.view)
            if self.outcome.verdict != "incomplete":
                parts.append(f"**{next_steps(self.outcome, self.lang, code)}**")
        parts.append(self.t(common.HELPLINE))
        return "\n\n".join(parts)

    def _export_note(self) -> str:
        if not self.exported:
            return ""
        files = "\n".join(f"  {p.name}" for p in self.exported)
        return self.t(words.EXPORTED, folder=str(self.exported[0].parent), files=files)

    # -- the problem in view ------------------------------------------------------------------
    def on_mount(self) -> None:
        self._follow_body()

    def _follow_body(self) -> VerticalScroll:
        """Focus the text that scrolls, and follow its scrolling (again after each
        recompose, which builds it anew)."""
        body = self.query_one("#summary-body", VerticalScroll)
        body.focus()
        self.watch(body, "scroll_y", self._scrolled, init=False)
        return body

    def _scrolled(self, scroll_y: float) -> None:
        """Scrolling moves the mark to the problem at the top, unless the marked one's
        heading is still on screen (``n`` at the end of a short last problem)."""
        sections = list(self.query(".problem"))
        if not sections or self.holding:
            return
        body = self.query_one("#summary-body", VerticalScroll)
        top, height = int(scroll_y), body.scrollable_content_region.height
        marked = sections[self.current].virtual_region.y if self.current < len(sections) else -1
        if top <= marked < top + height:
            return
        at_top = [i for i, s in enumerate(sections) if s.virtual_region.y <= top]
        self._move(at_top[-1] if at_top else 0, scroll=False)

    def _move(self, index: int, scroll: bool = True) -> None:
        if not self.problems:
            return
        index = max(0, min(index, len(self.problems) - 1))
        old, self.current = self.current, index
        for i in {old, index}:
            found = self.query(f"#problem-{i}")
            if found:
                found.first(Prose).update_source(self._section(i, self.problems[i]))
        self.refresh_bindings()  # n: none after the last one
        if scroll:
            target = self.query_one(f"#problem-{index}", Prose)
            self.query_one("#summary-body", VerticalScroll).scroll_to_widget(
                target, animate=False, top=True
            )

    def action_next_problem(self) -> None:
        self._move(self.current + 1)

    def action_previous_problem(self) -> None:
        self._move(self.current - 1)

    # -- the person's keys --------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that would do nothing are left out of the footer and do nothing: a
        caller's case code (helpdesk mode) is not fixed or checked from here; there is
        no problem after the last one, no other systems' steps in some runs, and no
        folder to open before an export."""
        if action in ("fix_it", "recheck"):
            return self.view.own
        if action == "next_problem":
            return self.current < len(self.problems) - 1
        if action == "previous_problem":
            return self.current > 0
        if action == "other_systems":
            platform = self.view.platform
            return any(p.kb and has_other_systems(p.kb, platform) for p in self.problems)
        if action in ("open_folder", "export_again"):
            return bool(self.exported)
        if action == "export":
            return not self.exported
        return True

    def action_fix_it(self) -> None:
        """「幫我修好」 for the problem in view (the app plans and opens the dialog)."""
        if self.problems:
            self.post_message(FixProblem(self.problems[self.current].key))

    def action_recheck(self) -> None:
        """Check the problem in view again, with its whole chain."""
        if self.problems:
            self.post_message(RecheckProblem(self.problems[self.current].key))

    def results_changed(self, fresh: Mapping[str, Result]) -> None:
        """Results checked again: a new verdict and count at once. The next problem with a
        fix comes into view (else the first one left)."""
        before = self.problems[self.current].key if self.problems else None
        self.outcome = self._outcome()
        keys = [p.key for p in self.problems]
        if before in keys:  # still there (a re-check that changed nothing about it)
            self.current = keys.index(before)
        else:
            fixable = [i for i, p in enumerate(self.problems) if self._fixable(p)]
            self.current = fixable[0] if fixable else 0
        self.call_later(self._rebuild)

    async def _rebuild(self) -> None:
        await self.recompose()
        self.refresh_bindings()  # fewer problems: n, o may do nothing now
        self.rebuilt = True
        if self.is_active:  # else (under the fix dialog) once it is on top again
            self.call_after_refresh(self._after_recompose)  # once laid out

    def on_screen_resume(self) -> None:
        if self.rebuilt:
            self.call_after_refresh(self._after_recompose)

    def _after_recompose(self) -> None:
        """Bring the problem in view to the top of the new sections."""
        self.rebuilt = False
        body = self._follow_body()
        if self.problems and self.current:
            body.scroll_to_widget(
                self.query_one(f"#problem-{self.current}"), animate=False, top=True
            )
        else:
            body.scroll_home(animate=False)

    def action_other_systems(self) -> None:
        """Show (or hide) the other systems' steps; the problem in view stays in view,
        though the sections above it grow or shrink."""
        self.all_systems = not self.all_systems
        self.holding = True
        for i, problem in enumerate(self.problems):
            self.query_one(f"#problem-{i}", Prose).update_source(self._section(i, problem))
        self.call_after_refresh(self._keep_in_view)  # once laid out

    def _keep_in_view(self) -> None:
        self.holding = False
        self._move(self.current)

    def action_export(self) -> None:
        try:
            self.exported = export.export_reports(self.view, self.lang)
        except (OSError, UserError) as exc:  # a folder it cannot make, a file it cannot write
            err = exc.render(self.lang) if isinstance(exc, UserError) else str(exc)
            self.notify(self.t(words.EXPORT_FAILED, err=err), severity="error")
            return
        note = self.query_one("#export-note", Static)
        note.update(self._export_note())
        self.refresh_bindings()  # d: the folder can be opened now
        self.query_one("#summary-body", VerticalScroll).scroll_end(animate=False)

    def action_export_again(self) -> None:
        self.action_export()

    def action_open_folder(self) -> None:
        if not export.open_folder(self.exported[0].parent):
            self.notify(self.t(words.OPEN_FAILED, folder=str(self.exported[0].parent)))

    async def relabel(self, lang: str) -> None:
        await super().relabel(lang)
        self.call_after_refresh(self._after_recompose)  # the problem in view stays in view
