"""Readable terminal output for ``check``: one line per probe as it finishes."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from types import TracebackType

from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape

from diagwizard import knowledge
from diagwizard.i18n import STATUS_LABEL, STATUS_STYLE, T
from diagwizard.model import Probe, Result, Severity
from diagwizard.redact import Redactor
from diagwizard.runner import Callbacks


class LiveLines:
    def __init__(self, probes: Mapping[str, Probe], lang: str, redactor: Redactor) -> None:
        self.probes = probes
        self.lang = lang
        self.redactor = redactor
        self.console = Console(highlight=False)
        self._lock = threading.Lock()

    def __enter__(self) -> LiveLines:
        return self

    def __exit__(self, *exc: object | TracebackType) -> None:
        return None

    def callbacks(self) -> Callbacks:
        return Callbacks(on_finish=self.line)

    def line(self, probe: Probe, res: Result) -> None:
        with self._lock:
            self.redactor.learn([res])
            self._print(probe.id, probe.title.get(self.lang), res)

    def _print(self, pid: str, title: str, res: Result) -> None:
        lang, red = self.lang, self.redactor
        label = STATUS_LABEL[res.status].get(lang)
        style = STATUS_STYLE[res.status]
        summary = escape(red.text(res.summary.get(lang)))
        label += " " * max(0, 10 - cell_len(label))
        self.console.print(
            f"[{style}]{label}[/] [bold]{escape(title)}[/] [dim]({pid})[/] — {summary}"
        )
        for f in res.findings:
            msg = escape(red.text(f.render(lang)))
            self.console.print(f"           [{style}]{f.code}[/] {msg}")
            if f.severity == Severity.INFO:
                continue
            for entry in knowledge.entries_for_code(f.code)[:1]:
                self.console.print(f"           [dim]{T['see_kb'].get(lang, id=entry)}[/]")

    def summary(self, results: Mapping[str, Result]) -> None:
        # Results from outside the runner (plugin load problems) were not printed live.
        for pid, res in results.items():
            if pid not in self.probes:
                self._print(pid, pid, res)
        problems = sum(1 for r in results.values() if r.status.is_problem)
        self.console.print()
        if problems:
            self.console.print(T["verdict_problems"].get(self.lang, n=problems))
        else:
            self.console.print(T["verdict_ok"].get(self.lang))
