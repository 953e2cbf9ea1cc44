"""Probes with live status, grouped by area, and a detail pane with the KB fix."""

from __future__ import annotations

import time
from typing import TypedDict, Unpack

from rich.text import Text as RichText
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from diagwizard.api.probe import Probe
from diagwizard.core.model import Area, Result, Status
from diagwizard.core.strings import PENDING_MARK, RUNNING_MARK, STATUS_STYLE
from diagwizard.diagnosis.outcome import Recheck, compare, skip_reason
from diagwizard.engine.runner import Callbacks
from diagwizard.ui.textwrap_cjk import cell_width, wrap
from diagwizard.ui.tui.detail import entry_text, fix_first_markdown, probe_markdown, seen_codes
from diagwizard.ui.tui.screens.base import WizardScreen
from diagwizard.ui.tui.screens.fix import fix_hint, offer_fix
from diagwizard.ui.tui.screens.question import ask_all
from diagwizard.ui.tui.widgets import Prose

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
ROW_WIDTH = 31  # the tree is 38 cells wide: border, padding and scrollbar take the rest


class CheckOptions(TypedDict, total=False):
    """What a check list shows (every key optional).

    ``only``: those probes and their needs (None, the default: every probe).
    ``entries``: KB entries from the symptom path, shown first.
    ``static``: results already in the diagnosis (a decoded case code), nothing runs.
    ``heading``: a decoded code's case code, platform and problem count.
    ``then_summary``: open the verdict when the run ends (the answer comes first).
    """

    only: list[str] | None
    entries: list[str] | None
    static: bool
    heading: str
    then_summary: bool


class CheckScreen(WizardScreen):
    BINDINGS = [
        Binding("escape", "back", "返回|Back"),
        Binding("r", "recheck", "再檢查|Re-check"),
        Binding("a", "questions", "問題|Questions"),
        Binding("s", "summary", "總結|Summary"),
        Binding("f", "fix_it", "幫我修好|Fix it"),
    ]

    def __init__(self, **options: Unpack[CheckOptions]) -> None:
        super().__init__()
        self.then_summary = options.get("then_summary", False)
        self.only = options.get("only")
        self.static = options.get("static", False)
        self.heading = options.get("heading", "")
        self.entries = list(options.get("entries") or [])
        self.probe_list: list[Probe] | None = None  # resolved in compose, once attached
        self.started: dict[str, float] = {}
        self.finished: set[str] = set()
        self.selected: str | None = None
        self.frame = 0
        self.launched = False
        self.rechecks: dict[str, Recheck] = {}  # probe id -> fixed / still failing

    # -- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        if self.probe_list is None:
            self.probe_list = (
                [] if self.only == [] else self.wizard.engine.applicable(self.only or ())
            )
        yield Header()
        yield Static(self.heading or self._title(), classes="title", id="check-title")
        with Horizontal(id="check-body"):
            yield OptionList(*self._options(), id="probe-list")
            with VerticalScroll(id="detail"):
                yield Prose(self._detail_markdown(), id="detail-md")
        with Horizontal(classes="buttons"):
            if not self.static:
                yield Button(self.t("recheck"), id="recheck", variant="primary")
                yield Button(self.t("questions"), id="questions")
            yield Button(self.t("summary"), id="summary")
            yield Button(self.t("back"), id="back")
        yield Footer()

    def _title(self) -> str:
        title = self.t("check_title" if self.only is None else "check_title_symptom")
        if not self.done or not self.probe_list:
            return title
        n = len(self.wizard.diagnosis.outcome().problems)
        verdict = self.t("verdict_problems", n=n) if n else self.t("verdict_ok")
        sep = ": " if self.lang == "en" else "："
        return f"{title}{sep}{verdict}　{self.t('see_summary')}"

    def _options(self) -> list[Option]:
        options: list[Option] = []
        if self.entries:
            options.append(Option(RichText(self._entry_header(), style="bold"), disabled=True))
            options += [
                Option(f"  📖 {entry_text(e, self.lang)}", id=f"kb:{e}") for e in self.entries
            ]
        for area in Area:
            probes = [p for p in self.probe_list or [] if p.area == area]
            if not probes:
                continue
            options.append(
                Option(RichText(area.heading.get(self.lang), style="bold underline"), disabled=True)
            )
            options += [Option(self._row(p), id=p.id) for p in probes]
        return options

    def _entry_header(self) -> str:
        return self.t("likely_causes")

    def _row(self, probe: Probe) -> RichText:
        """Symbol and short word, then the title wrapped under itself (hanging indent)."""
        res = self.wizard.diagnosis.results.get(probe.id) if probe.id in self.finished else None
        title = probe.title.get(self.lang)
        extra = ""
        if probe.id in self.started and probe.id not in self.finished:
            symbol, word = SPINNER[self.frame % len(SPINNER)], RUNNING_MARK[1]
            style = "cyan"
            extra = f" {time.monotonic() - self.started[probe.id]:.1f}s"
        elif res is None:
            (symbol, word), style = PENDING_MARK, "dim"
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
        platform, codes = self.wizard.engine.platform, seen_codes(self.wizard.diagnosis)
        return fix_first_markdown(entry_id, self.lang, platform, codes=codes)

    def _detail_markdown(self) -> str:
        if self.selected is None:
            if self.entries:
                return self._entry_markdown(self.entries[0])
            return self.t("select_probe")
        if self.selected.startswith("kb:"):
            return self._entry_markdown(self.selected[3:])
        probe = self.wizard.engine.probes.get(self.selected)
        res = self.wizard.diagnosis.results.get(self.selected)
        if probe is None:
            return self.t("select_probe")
        if res is None or self.selected not in self.finished:
            return f"## {probe.title.get(self.lang)}\n\n{self.t('running') if self.selected in self.started else self.t('waiting')}"
        status = res.status.label.get(self.lang)
        return (
            self._verdict_lines(res)
            + probe_markdown(probe, res, self.lang, status, self.wizard.engine.platform)
            + fix_hint(res, self.lang)
        )

    def _verdict_lines(self, res: Result) -> str:
        """The re-check verdict and a skip's reason, above the probe's details."""
        lines = []
        if self.selected in self.rechecks:
            lines.append(f"**{self.rechecks[self.selected].render(self.lang)}**")
        if res.status == Status.SKIP and self.selected is not None:
            diagnosis = self.wizard.diagnosis
            why = skip_reason(self.selected, res, diagnosis.probes, diagnosis.results)
            lines.append(why.get(self.lang))
        return "".join(line + "\n\n" for line in lines)

    # -- running --------------------------------------------------------------------------
    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.set_interval(0.1, self._tick)
        if self.static:
            self.finished = {
                p.id for p in self.probe_list or [] if p.id in self.wizard.diagnosis.results
            }
            for pid in self.finished:
                self._refresh_row(pid)
            self._show_first_problem()
        elif not self.launched and self.probe_list:
            self.launched = True
            self.run_checks()

    def _show_first_problem(self) -> None:
        """A decoded code opens on the first problem, not the first OK row."""
        problems = self.wizard.diagnosis.outcome().problems
        first = next((src for p in problems for src in p.sources if src in self.finished), None)
        option_list = self.query_one(OptionList)
        index = option_list.get_option_index(first) if first else None
        if index is not None:
            option_list.highlighted = index

    @work(thread=True, exclusive=True, group="checks")
    def run_checks(self) -> None:
        callbacks = Callbacks(
            on_start=lambda p: self.app.call_from_thread(self._started, p.id),
            on_finish=lambda p, r: self.app.call_from_thread(self._finished, p.id, r),
        )
        prior = dict(self.wizard.diagnosis.results)
        mine = {p.id for p in self.probe_list or []}
        self.wizard.engine.run(
            self.only or (), callbacks, prior={k: v for k, v in prior.items() if k not in mine}
        )
        self.app.call_from_thread(self._run_done)

    def _run_done(self) -> None:
        """The verdict on the title line; the summary with the first fix opens by itself."""
        self.query_one("#check-title", Static).update(self._title())
        problems = self.wizard.diagnosis.outcome().problems
        first = next((src for p in problems for src in p.sources if src in self.finished), None)
        options = self.query_one(OptionList)
        if first and not self.entries and options.get_option_index(first) is not None:
            options.highlighted = options.get_option_index(first)  # the first problem
        if self.then_summary and self.app.screen is self:
            self.action_summary()

    def _started(self, pid: str) -> None:
        self.started[pid] = time.monotonic()
        self.finished.discard(pid)
        self._refresh_row(pid)

    def _finished(self, pid: str, res: Result) -> None:
        self.wizard.diagnosis.results[pid] = res
        self.finished.add(pid)
        self._refresh_row(pid)
        if pid == self.selected:
            self._update_detail()

    def _refresh_row(self, pid: str) -> None:
        probe = self.wizard.engine.probes.get(pid)
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
        return all(p.id in self.finished for p in self.probe_list or [])

    # -- interaction ----------------------------------------------------------------------
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
        self._started(pid)
        self.recheck(pid)

    @work(thread=True, group="recheck")
    def recheck(self, pid: str) -> None:
        """Re-run the probe and what it depends on, then say fixed / still failing."""
        engine = self.wizard.engine
        prior = dict(self.wizard.diagnosis.results)
        before = prior.get(pid)
        again = getattr(engine, "recheck", None)
        fresh = again(pid, prior) if again is not None else {pid: engine.rerun(pid, prior)}
        self.app.call_from_thread(self._rechecked, pid, before, fresh)

    # -- re-check verdict (data for the wizard-UX layout) -----------------------------------
    def _rechecked(self, pid: str, before: Result | None, fresh: dict[str, Result]) -> None:
        for other, res in fresh.items():
            if other != pid:
                self._finished(other, res)
        self.rechecks[pid] = compare(pid, before, fresh[pid])
        self._finished(pid, fresh[pid])
        verdict = self.rechecks[pid]
        self.app.notify(
            verdict.render(self.lang),
            severity="information" if verdict.verdict != "failing" else "warning",
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A decoded case code cannot be re-checked, asked about or fixed from here."""
        if self.static and action in ("recheck", "questions", "fix_it"):
            return False
        return True

    def action_fix_it(self) -> None:
        """「幫我修好」 for the highlighted probe (diagwizard/tui/screens/fix.py)."""
        if not self.static and self.selected in self.finished:
            offer_fix(self.wizard, self.selected, self._fixed)

    def _fixed(self, changed: dict[str, Result]) -> None:
        for pid, res in changed.items():
            self._finished(pid, res)

    @on(Button.Pressed, "#questions")
    def action_questions(self) -> None:
        ask_all(self.wizard)

    @on(Button.Pressed, "#summary")
    def action_summary(self) -> None:
        self.wizard.open("summary")

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.app.pop_screen()

    async def relabel(self) -> None:
        await self.recompose()
        self.query_one(OptionList).focus()
