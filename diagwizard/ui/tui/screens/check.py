"""Probes with live status, grouped by area, and a detail pane with the KB fix."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Unpack

import msgspec
from rich.text import Text as RichText
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from diagwizard.api.probe import Probe
from diagwizard.core.model import Area, Result, Status
from diagwizard.core.words import common, keylabels
from diagwizard.core.words import wizard as words
from diagwizard.diagnosis.outcome import Recheck, compare, skip_reason
from diagwizard.ui.styles import STATUS_STYLE
from diagwizard.ui.textwrap_cjk import cell_width, wrap
from diagwizard.ui.tui.detail import entry_text, fix_first_markdown, probe_markdown, seen_codes
from diagwizard.ui.tui.keys import key
from diagwizard.ui.tui.messages import AskQuestions, CheckOptions, OfferFix, Open, RunChecks
from diagwizard.ui.tui.messages import Recheck as RecheckProbe
from diagwizard.ui.tui.screens.base import WizardScreen
from diagwizard.ui.tui.screens.fix import fix_hint
from diagwizard.ui.tui.view import View
from diagwizard.ui.tui.widgets import Prose
from kb.questions import questions

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
ROW_WIDTH = 31  # the tree is 38 cells wide: border, padding and scrollbar take the rest


class CheckScreen(WizardScreen):
    BINDINGS = [
        key("escape", "back", keylabels.BACK),
        key("r", "recheck", keylabels.RECHECK),
        key("a", "questions", keylabels.QUESTIONS),
        key("s", "summary", keylabels.SUMMARY),
        key("f", "fix_it", keylabels.FIX_IT),
    ]

    def __init__(self, lang: str, view: View, **options: Unpack[CheckOptions]) -> None:
        super().__init__(lang)
        self.view = view
        self.then_summary = options.get("then_summary", False)
        self.only = options.get("only")
        self.static = options.get("static", False)
        self.heading = options.get("heading", "")
        self.entries = list(options.get("entries") or [])
        self.probe_list = [] if self.only == [] else view.applicable(self.only or [])
        self.started: dict[str, float] = {}
        self.finished: set[str] = set()
        self.selected: str | None = None
        self.frame = 0
        self.launched = False
        self.rechecks: dict[str, Recheck] = {}  # probe id -> fixed / still failing

    # -- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.heading or self._title(), classes="title", id="check-title")
        with Horizontal(id="check-body"):
            yield OptionList(*self._options(), id="probe-list")
            with VerticalScroll(id="detail"):
                yield Prose(self._detail_markdown(), id="detail-md")
        with Horizontal(classes="buttons"):
            if not self.static:
                yield Button(self.t(words.RECHECK), id="recheck", variant="primary")
                yield Button(self.t(words.ANSWER_QUESTIONS), id="questions")
            yield Button(self.t(keylabels.SUMMARY), id="summary")
            yield Button(self.t(keylabels.BACK), id="back")
        yield Footer()

    def _title(self) -> str:
        title = self.t(words.CHECK_TITLE if self.only is None else words.CHECK_TITLE_SYMPTOM)
        if not self.done or not self.probe_list:
            return title
        n = len(self.view.diagnosis.outcome().problems)
        verdict = self.t(words.VERDICT_PROBLEMS, n=n) if n else self.t(words.VERDICT_OK)
        sep = ": " if self.lang == "en" else "："
        return f"{title}{sep}{verdict}　{self.t(words.SEE_SUMMARY)}"

    def _options(self) -> list[Option]:
        options: list[Option] = []
        if self.entries:
            options.append(Option(RichText(self._entry_header(), style="bold"), disabled=True))
            options += [
                Option(f"  📖 {entry_text(e, self.lang)}", id=f"kb:{e}") for e in self.entries
            ]
        for area in Area:
            probes = [p for p in self.probe_list if p.area == area]
            if not probes:
                continue
            options.append(
                Option(RichText(area.heading.get(self.lang), style="bold underline"), disabled=True)
            )
            options += [Option(self._row(p), id=p.id) for p in probes]
        return options

    def _entry_header(self) -> str:
        return self.t(words.LIKELY_CAUSES)

    def _row(self, probe: Probe) -> RichText:
        """Symbol and short word, then the title wrapped under itself (hanging indent)."""
        res = self.view.diagnosis.results.get(probe.id) if probe.id in self.finished else None
        title = probe.title.get(self.lang)
        extra = ""
        if probe.id in self.started and probe.id not in self.finished:
            symbol, word = SPINNER[self.frame % len(SPINNER)], words.ROW_RUNNING
            style = "cyan"
            extra = f" {time.monotonic() - self.started[probe.id]:.1f}s"
        elif res is None:
            symbol, word, style = "○", words.ROW_PENDING, "dim"
        else:
            symbol, word, style = res.status.glyph, res.status.word, STATUS_STYLE[res.status]
        mark = f"  {symbol} {word.get(self.lang)} "
        hang = " " * cell_width(mark)
        lines = wrap(title + extra, ROW_WIDTH, mark, hang)
        row = RichText.assemble((mark, style), lines[0][len(mark) :])
        for line in lines[1:]:
            row.append("\n" + line)
        if res is None:
            row.stylize("dim", len(mark))
        return row

    def _entry_markdown(self, entry_id: str) -> str:
        platform, codes = self.view.platform, seen_codes(self.view.diagnosis)
        return fix_first_markdown(entry_id, self.lang, platform, None, codes=codes)  # no o key

    def _detail_markdown(self) -> str:
        if self.selected is None:
            if self.entries:
                return self._entry_markdown(self.entries[0])
            return self.t(words.SELECT_PROBE)
        if self.selected.startswith("kb:"):
            return self._entry_markdown(self.selected[3:])
        probe = self.view.probes.get(self.selected)
        res = self.view.diagnosis.results.get(self.selected)
        if probe is None:
            return self.t(words.SELECT_PROBE)
        if res is None or self.selected not in self.finished:
            state = common.CHECKING_NOW if self.selected in self.started else words.WAITING
            return f"## {probe.title.get(self.lang)}\n\n{self.t(state)}"
        status = res.status.label.get(self.lang)
        return (
            self._verdict_lines(res)
            + probe_markdown(probe, self._with_reason(res), self.lang, status, self.view.platform)
            + fix_hint(res, self.lang)
        )

    def _verdict_lines(self, res: Result) -> str:
        """The re-check verdict, above the probe's details."""
        lines = []
        if self.selected in self.rechecks:
            lines.append(f"**{self.rechecks[self.selected].render(self.lang)}**")
        return "".join(line + "\n\n" for line in lines)

    def _with_reason(self, res: Result) -> Result:
        """A skip's one line under its heading is its reason ("Not checked, because …")."""
        if res.status != Status.SKIP or self.selected is None:
            return res
        diagnosis = self.view.diagnosis
        why = skip_reason(self.selected, res, diagnosis.probes, diagnosis.results)
        return msgspec.structs.replace(res, summary=why)

    # -- running --------------------------------------------------------------------------
    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.set_interval(0.1, self._tick)
        if self.static:
            results = self.view.diagnosis.results
            self.finished = {p.id for p in self.probe_list if p.id in results}
            for pid in self.finished:
                self._refresh_row(pid)
            self._show_first_problem()
        elif not self.launched and self.probe_list:
            self.launched = True
            mine = [p.id for p in self.probe_list]
            self.post_message(RunChecks(self, self.only or [], rerun=mine))

    def _show_first_problem(self) -> None:
        """A decoded code opens on the first problem, not the first OK row."""
        problems = self.view.diagnosis.outcome().problems
        first = next((src for p in problems for src in p.sources if src in self.finished), None)
        option_list = self.query_one(OptionList)
        index = option_list.get_option_index(first) if first else None
        if index is not None:
            option_list.highlighted = index

    # -- what the app tells this screen about the runs it asked for ------------------------
    def probe_started(self, probe_id: str) -> None:
        self.started[probe_id] = time.monotonic()
        self.finished.discard(probe_id)
        self._refresh_row(probe_id)

    def probe_finished(self, probe_id: str, result: Result) -> None:
        """``result`` is in the diagnosis already; show it."""
        self.finished.add(probe_id)
        self._refresh_row(probe_id)
        if probe_id == self.selected:
            self._update_detail()

    def run_finished(self, results: dict[str, Result]) -> None:
        """The verdict on the title line; the summary with the first fix opens by itself."""
        self.query_one("#check-title", Static).update(self._title())
        problems = self.view.diagnosis.outcome().problems
        first = next((src for p in problems for src in p.sources if src in self.finished), None)
        options = self.query_one(OptionList)
        if first and not self.entries and options.get_option_index(first) is not None:
            options.highlighted = options.get_option_index(first)  # the first problem
        if self.then_summary and self.is_active:
            self.action_summary()

    def rechecked(self, probe_id: str, before: Result | None, fresh: dict[str, Result]) -> None:
        """Fixed / still failing, on the row's detail and in a notification (the rows of
        the whole chain are already fresh: :meth:`results_changed`)."""
        if probe_id not in fresh:
            return
        verdict = self.rechecks[probe_id] = compare(probe_id, before, fresh[probe_id])
        self.probe_finished(probe_id, fresh[probe_id])
        self.notify(
            verdict.render(self.lang),
            severity="information" if verdict.verdict != "failing" else "warning",
        )

    def results_changed(self, fresh: Mapping[str, Result]) -> None:
        """Results checked again elsewhere (a fix, a re-check): every row of this list
        that was checked shows its new result, and the title its new count."""
        if self.static:
            return
        mine = {p.id for p in self.probe_list}
        for probe_id, result in fresh.items():
            if probe_id in mine:
                self.probe_finished(probe_id, result)
        if self.done:
            self.query_one("#check-title", Static).update(self._title())

    def _refresh_row(self, pid: str) -> None:
        probe = self.view.probes.get(pid)
        option_list = self.query_one(OptionList)
        if probe is not None and option_list.get_option_index(pid) is not None:
            option_list.replace_option_prompt(pid, self._row(probe))

    def _tick(self) -> None:
        self.frame += 1
        for pid in self.started:
            if pid not in self.finished:
                self._refresh_row(pid)

    def _update_detail(self) -> None:
        self.query_one("#detail-md", Prose).update_source(self._detail_markdown())

    @property
    def done(self) -> bool:
        return all(p.id in self.finished for p in self.probe_list)

    # -- the person's keys and buttons -----------------------------------------------------
    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.selected = event.option.id
        self._update_detail()

    @on(Button.Pressed, "#recheck")
    def action_recheck(self) -> None:
        if self.static:
            return
        pid = self.selected
        if pid is None or pid.startswith("kb:") or pid not in self.finished:
            return
        self.probe_started(pid)
        self.post_message(RecheckProbe(self, pid))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A decoded case code cannot be re-checked, asked about or fixed from here."""
        if self.static and action in ("recheck", "questions", "fix_it"):
            return False
        return True

    def action_fix_it(self) -> None:
        """「幫我修好」 for the highlighted probe (the app opens screens/fix.py)."""
        if not self.static and self.selected is not None and self.selected in self.finished:
            self.post_message(OfferFix(self, self.selected))

    @on(Button.Pressed, "#questions")
    def action_questions(self) -> None:
        self.post_message(AskQuestions(list(questions())))

    @on(Button.Pressed, "#summary")
    def action_summary(self) -> None:
        self.post_message(Open("summary"))

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.dismiss()

    async def relabel(self, lang: str) -> None:
        await super().relabel(lang)
        self.query_one(OptionList).focus()
