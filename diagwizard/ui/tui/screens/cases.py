"""Helpdesk mode's case log: the week's cases, a filter by problem, the hour-by-hour trend
with waves marked in words (▲波峰 / ▲WAVE), and editing a case's outcome and note.

The screen shows what the app reads for it (:class:`~diagwizard.ui.tui.casework.CasesView`)
and asks with messages: :class:`LoadCases` when it opens or the filter changes,
:class:`EditCase` for the highlighted case. Fits 80×24.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text as RichText
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, Select, Sparkline, Static

from diagwizard.cases.record import Case, local_text
from diagwizard.cases.stats import Trend
from diagwizard.core.model import Status
from diagwizard.core.words import cases as words
from diagwizard.core.words import keylabels
from diagwizard.ui.tui.casework import CasesView
from diagwizard.ui.tui.keys import key
from diagwizard.ui.tui.messages import EditCase, LoadCases
from diagwizard.ui.tui.screens.base import WizardScreen
from diagwizard.ui.tui.widgets import Prose

ALL = "__all__"  # the filter's "all problems" (no finding code looks like it)
HOURS_SHOWN = 24  # the trend: the last 24 hours, one bar each
AGENT_SHOWN = 10  # characters of the agent's name in the list (``cases show`` has it all)
COLUMNS = (
    words.COL_NUMBER,
    words.COL_TIME,
    words.COL_PLATFORM,
    words.COL_OUTCOME,
    words.COL_AGENT,
    words.COL_PROBLEMS,
)


TABLE_CHROME = 4  # the table's side margins and its vertical scroll bar


def cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` cells, ending in "…" when cut."""
    shown = RichText(text)
    shown.truncate(width, overflow="ellipsis")
    return shown.plain


class CasesScreen(WizardScreen):
    DEFAULT_CSS = """
    #cases-filter { margin: 0 1; width: 1fr; }
    #cases-table { height: 1fr; margin: 0 1; overflow-x: hidden; }
    #trend-row { height: 3; }
    #cases-trend { height: 3; width: 24; margin: 0 1; }
    #trend-line { height: 3; width: 1fr; padding: 0 1 0 0; overflow: hidden; }
    """
    BINDINGS = [
        key("escape", "back", keylabels.BACK),
        key("e", "edit", keylabels.EDIT),
        key("p", "filter", keylabels.FILTER),
        key("r", "refresh", keylabels.REFRESH),
    ]

    def __init__(self, lang: str) -> None:
        super().__init__(lang)
        self.view: CasesView | None = None
        self.problem = ""  # the finding code shown; "" for all
        self.error = ""

    # -- what the app calls ------------------------------------------------------------------
    def show_cases(self, view: CasesView) -> None:
        self.view, self.error = view, ""
        self._fill()

    def show_error(self, line: str) -> None:
        self.error = line
        self._fill()

    # -- layout ---------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self._title(), classes="title", id="cases-title")
        yield Select(
            self._options(), value=self.problem or ALL, allow_blank=False, id="cases-filter"
        )
        yield DataTable(id="cases-table", cursor_type="row")
        yield Static(self._trend_heading(), classes="hint", id="trend-heading")
        with Horizontal(id="trend-row"):
            yield Sparkline(self._trend().buckets[-HOURS_SHOWN:], id="cases-trend")
            yield Prose(self._trend_text(), id="trend-line")
        yield Footer()

    def on_mount(self) -> None:
        self._fill()
        self.query_one(DataTable).focus()
        if self.view is None:
            self.post_message(LoadCases(self, self.problem))

    async def relabel(self, lang: str) -> None:
        await super().relabel(lang)
        self._fill()

    def _fill(self) -> None:
        """Show ``self.view`` (or the error) in the widgets already there."""
        if not self.is_mounted:
            return
        self.query_one("#cases-title", Static).update(self._title())
        select: Select[str] = self.query_one("#cases-filter", Select)
        with select.prevent(Select.Changed):
            select.set_options(self._options())
            select.value = self.problem or ALL
        table: DataTable[str] = self.query_one("#cases-table", DataTable)
        table.clear(columns=True)
        cases = self.view.cases if self.view else []
        rows = [self._row(case) for case in cases]
        labels = [self.t(label) for label in COLUMNS]
        # Widths measured here, not left to the table: it would size its columns only when
        # idle, and a frame drawn before that shows every column cut to its heading.
        widths = [
            max(cell_len(text) for text in [label, *(r[n] for r in rows)])
            for n, label in enumerate(labels)
        ]
        # The problems (last) get what is left of the line; a longer title ends in "…".
        room = self.app.size.width - TABLE_CHROME - (2 * table.cell_padding) * len(widths)
        widths[-1] = max(cell_len(labels[-1]), min(widths[-1], room - sum(widths[:-1])))
        rows = [(*r[:-1], cut(r[-1], widths[-1])) for r in rows]
        for label, width in zip(labels, widths, strict=True):
            table.add_column(label, width=width)
        for case, row in zip(cases, rows, strict=True):
            table.add_row(*row, key=str(case.number))
        self.query_one("#trend-heading", Static).update(self._trend_heading())
        self.query_one("#cases-trend", Sparkline).data = self._trend().buckets[-HOURS_SHOWN:]
        self.query_one("#trend-line", Prose).update_source(self._trend_text())

    def _title(self) -> str:
        if self.error:
            return f"{Status.FAIL.glyph} {self.t(words.CASES_FAILED, err=self.error)}"
        if self.view is None:
            return self.t(words.CASES_LOADING)
        when = self.t(words.LAST_SPAN, span=self.t(words.SPANS["d"], n=7))
        title = self.t(words.CASES_TITLE, when=when, n=len(self.view.cases))
        if not self.view.cases:
            title += "　" + self.t(words.CASES_EMPTY)
        return title

    def _options(self) -> list[tuple[str, str]]:
        options = [(self.t(words.FILTER_ALL), ALL)]
        stats = self.view.stats if self.view else None
        for trend in stats.problems if stats else []:
            form = words.FILTER_WAVE if trend.wave else words.FILTER_OPTION
            options.append((self.t(form, title=self.t(trend.title), n=trend.count), trend.code))
        if self.problem and self.problem not in [value for _, value in options]:
            options.append((self._title_of(self.problem), self.problem))
        return options

    def _row(self, case: Case) -> tuple[str, ...]:
        first = case.problems[0].code if case.problems else ""
        more = len(case.problems) - 1
        problems = self._title_of(first) if first else self.t(words.NO_PROBLEM)
        if more > 0:
            problems += self.t(words.MORE_PROBLEMS, n=more)
        if set(case.codes) & self._wave_codes():
            problems = f"{self.t(words.WAVE_MARK)} {problems}"
        return (
            str(case.number),
            local_text(case.logged_at)[5:],
            case.platform,
            self.t(case.outcome.label),
            case.agent[:AGENT_SHOWN],
            problems,
        )

    def _wave_codes(self) -> set[str]:
        stats = self.view.stats if self.view else None
        return {t.code for t in stats.problems if t.wave} if stats else set()

    def _title_of(self, code: str) -> str:
        title = self.view.titles.get(code) if self.view else None
        return self.t(title) if title else code

    # -- the trend ------------------------------------------------------------------------------
    def _trend(self) -> Trend:
        """The chosen problem's trend, or every problem's added up."""
        stats = self.view.stats if self.view else None
        if stats is None:
            return Trend("", words.TREND_ALL, None)
        for trend in stats.problems:
            if trend.code == self.problem:
                return trend
        total = Trend("", words.TREND_ALL, None, buckets=[0] * len(stats.starts))
        for trend in stats.problems:
            total.count += trend.count
            total.last_hour += trend.last_hour
            total.hourly_average += trend.hourly_average
            total.buckets = [a + b for a, b in zip(total.buckets, trend.buckets, strict=True)]
        return total

    def _trend_heading(self) -> str:
        return self.t(words.TREND_HEADING, hours=HOURS_SHOWN)

    def _trend_text(self) -> str:
        if self.view is None or self.view.stats is None:
            return ""
        trend = self._trend()
        line = self.t(
            words.TREND_LINE,
            title=self.t(trend.title),
            count=trend.count,
            last=trend.last_hour,
            avg=f"{trend.hourly_average:.1f}",
        )
        waves = [t for t in self.view.stats.problems if t.wave]
        if trend.wave:
            return f"- {self.t(words.TREND_WAVE)}\n- {line}"
        if waves and not self.problem:
            titles = "、".join(self.t(t.title) for t in waves)
            return f"- {self.t(words.TREND_WAVES, titles=titles)}\n- {line}"
        return f"- {line}"

    # -- what the person does -------------------------------------------------------------------
    def on_select_changed(self, event: Select.Changed) -> None:
        value = "" if event.value in (ALL, Select.BLANK) else str(event.value)
        if value != self.problem:
            self.problem = value
            self.post_message(LoadCases(self, self.problem))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self._edit(event.row_key.value)

    def action_edit(self) -> None:
        table: DataTable[str] = self.query_one("#cases-table", DataTable)
        if table.row_count:
            row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
            self._edit(row_key.value)

    def _edit(self, number: str | None) -> None:
        found = [c for c in (self.view.cases if self.view else []) if str(c.number) == number]
        if found:
            self.post_message(EditCase(self, found[0]))

    def action_filter(self) -> None:
        select = self.query_one("#cases-filter", Select)
        select.focus()
        select.expanded = True

    def action_refresh(self) -> None:
        self.post_message(LoadCases(self, self.problem))
