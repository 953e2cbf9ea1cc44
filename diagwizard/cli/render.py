"""Readable terminal output for ``check``: a progress line while probes run, then the
results grouped by area in a fixed order (the same areas as the wizard), each with its
findings and where to read the fix."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from types import TracebackType

from rich.console import Console
from rich.markup import escape
from rich.status import Status as Spinner
from rich.text import Text as RichText

from diagwizard import knowledge
from diagwizard.i18n import AREA_TITLES, STATUS_LABEL, STATUS_STYLE, T
from diagwizard.model import AREAS, Probe, Result, Severity, Text
from diagwizard.redact import Redactor
from diagwizard.runner import Callbacks
from diagwizard.textwrap_cjk import wrap_rich

OTHER = Text("其他", "Other")
LABEL_WIDTH = 9


class LiveLines:
    def __init__(self, probes: Mapping[str, Probe], lang: str, redactor: Redactor) -> None:
        self.probes = probes
        self.lang = lang
        self.redactor = redactor
        self.console = Console(highlight=False)
        self._lock = threading.Lock()
        self._done = 0
        self._spinner: Spinner | None = None

    def __enter__(self) -> LiveLines:
        if self.console.is_terminal:
            self._spinner = self.console.status(T["checking"].get(self.lang))
            self._spinner.start()
        return self

    def __exit__(self, *exc: object | TracebackType) -> None:
        if self._spinner is not None:
            self._spinner.stop()
            self._spinner = None

    def callbacks(self) -> Callbacks:
        return Callbacks(on_start=self._started, on_finish=self._finished)

    def _started(self, probe: Probe) -> None:
        self._progress(probe.title.get(self.lang))

    def _finished(self, probe: Probe, res: Result) -> None:
        with self._lock:
            self._done += 1
        self._progress(probe.title.get(self.lang))

    def _progress(self, title: str) -> None:
        if self._spinner is not None:
            self._spinner.update(f"{T['checking'].get(self.lang)} ({self._done}) {escape(title)}")

    def _print(self, pid: str, title: str, res: Result) -> None:
        """One probe: the status word in its own column, everything else wrapped beside it."""
        from rich.table import Table

        lang, red = self.lang, self.redactor
        style = STATUS_STYLE[res.status]
        lines = [
            f"[bold]{escape(title)}[/] [dim]({pid})[/] — {escape(red.text(res.summary.get(lang)))}"
        ]
        for f in res.findings:
            lines.append(f"[{style}]{f.code}[/] {escape(red.text(f.render(lang)))}")
            if f.severity == Severity.INFO:
                continue
            for entry in knowledge.entries_for_code(f.code)[:1]:
                lines.append(f"[dim]{T['see_kb'].get(lang, id=entry)}[/]")
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=LABEL_WIDTH, no_wrap=True)
        grid.add_column(no_wrap=True)
        # Chinese-aware line breaks (textwrap_cjk); continuation lines hang under the text.
        width = max(self.console.width - LABEL_WIDTH - 1, 20)
        body = RichText("\n").join(
            wrap_rich(RichText.from_markup(line), width, "", "  ") for line in lines
        )
        grid.add_row(f"[{style}]{STATUS_LABEL[res.status].get(lang)}[/]", body)
        self.console.print(grid)

    def summary(self, results: Mapping[str, Result]) -> None:
        """All results, grouped by area in a fixed order; plugin load problems last."""
        self.__exit__()
        self.redactor.learn(results.values())
        groups: dict[str, list[str]] = {area: [] for area in AREAS}
        others: list[str] = []
        for pid in results:
            probe = self.probes.get(pid)
            (groups[probe.area] if probe else others).append(pid)
        order = ("card", "component", "cert", "network", "system")
        for area in order:
            self._group(AREA_TITLES[area].get(self.lang), groups[area], results)
        self._group(OTHER.get(self.lang), others, results)
        problems = sum(1 for r in results.values() if r.status.is_problem)
        self.console.print()
        if problems:
            self.console.print(T["verdict_problems"].get(self.lang, n=problems))
        else:
            self.console.print(T["verdict_ok"].get(self.lang))

    def _group(self, title: str, ids: list[str], results: Mapping[str, Result]) -> None:
        if not ids:
            return
        self.console.print(f"\n[bold underline]{escape(title)}[/]")
        for pid in ids:
            probe = self.probes.get(pid)
            self._print(pid, probe.title.get(self.lang) if probe else pid, results[pid])
