"""Readable terminal output for ``check``: a progress line while probes run, then the
results grouped by area in a fixed order (the same areas as the wizard), each with its
findings and where to read the fix."""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from types import TracebackType

from rich.console import Console
from rich.markup import escape
from rich.status import Status as Spinner
from rich.text import Text as RichText

from diagwizard.api.probe import Probe
from diagwizard.core.errors import UserError
from diagwizard.core.model import Area, Result, Status
from diagwizard.core.redact import Redactor
from diagwizard.core.sanitize import clean
from diagwizard.core.words import terminal
from diagwizard.core.words.common import CHECKING
from diagwizard.core.words.facts import DETAILS
from diagwizard.diagnosis.outcome import RunOutcome, skip_reason
from diagwizard.engine.runner import Callbacks
from diagwizard.ui.fact_words import fact_lines
from diagwizard.ui.styles import STATUS_STYLE
from diagwizard.ui.textwrap_cjk import cell_width, wrap_rich

LABEL_WIDTH = 9


class LiveLines:
    def __init__(
        self, probes: Mapping[str, Probe], lang: str, redactor: Redactor, verbose: bool = False
    ) -> None:
        """``redactor`` is disabled on the person's own terminal and enabled by
        ``check --redact``; ``verbose`` adds each probe's facts in words and its raw values."""
        self.probes = probes
        self.lang = lang
        self.redactor = redactor
        self.verbose = verbose
        self.console = Console(highlight=False)
        self._lock = threading.Lock()
        self._done = 0
        self._spinner: Spinner | None = None

    def __enter__(self) -> LiveLines:
        if self.console.is_terminal:
            self._spinner = self.console.status(CHECKING.get(self.lang))
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
            self._spinner.update(f"{CHECKING.get(self.lang)} ({self._done}) {escape(title)}")

    def _print(self, pid: str, title: str, res: Result, outcome: RunOutcome) -> None:
        """One probe: the status word in its own column, everything else wrapped beside it.
        Repeated findings are shown once with a count; the fix is named once, below."""
        lang, red = self.lang, self.redactor
        style = STATUS_STYLE[res.status]
        summary = res.summary
        if res.status == Status.SKIP:
            summary = skip_reason(pid, res, self.probes, outcome.results)
        lines = [
            f"[bold]{escape(title)}[/] [dim]({pid})[/] — {escape(clean(red.text(summary.get(lang))))}"
        ]
        if res.status != Status.SKIP:
            seen: dict[str, int] = {}
            for f in res.findings:
                seen[f.code] = seen.get(f.code, 0) + 1
                if seen[f.code] > 1:
                    continue
                lines.append(f"[{style}]{f.code}[/] {escape(clean(red.text(f.render(lang))))}")
            for code, n in seen.items():
                if n > 1:
                    lines.append(f"[dim]{terminal.MORE_LIKE_THIS.get(lang, code=code, n=n - 1)}[/]")
        if self.verbose:
            lines += self._facts(res)
        cause = outcome.explained_by.get(pid)
        if cause is not None:
            problem = next(p for p in outcome.problems if p.key == cause)
            lines.append(
                f"[dim]{terminal.EXPLAINED.get(lang, title=escape(clean(self.redactor.text(problem.headline.get(lang)))))}[/]"
            )
        # Chinese-aware line breaks (textwrap_cjk); continuation lines hang under the text.
        # Built line by line, not as a table: a table pads every line to the console's
        # width, which piped output (a file, a ticket) keeps as trailing spaces.
        width = max(self.console.width - LABEL_WIDTH - 1, 20)
        body = RichText("\n").join(
            wrap_rich(RichText.from_markup(line), width, "", "  ") for line in lines
        )
        label = res.status.label.get(lang)
        out = RichText(end="")
        for n, row in enumerate(body.split("\n")):
            if n:
                out.append("\n" + " " * (LABEL_WIDTH + 1))
            else:
                out.append(label, style=style)
                out.append(" " * (max(LABEL_WIDTH - cell_width(label), 0) + 1))
            out.append_text(row)
        self.console.print(out, soft_wrap=True)

    def _facts(self, res: Result) -> list[str]:
        """Facts in words, then the raw values under the Details heading (``--verbose``)."""
        words, raw = fact_lines(res, self.lang, self.redactor)
        lines = [escape(clean(line)) for line in words]
        if raw:
            lines.append(f"[dim]{escape(DETAILS.get(self.lang))}[/]")
            lines += [f"[dim]  {escape(clean(line))}[/]" for line in raw]
        return lines

    def summary(self, outcome: RunOutcome) -> None:
        """All results, grouped by area in a fixed order; plugin load problems last; then
        the root-cause problems in the order to fix them, and the one count."""
        self.__exit__()
        results = outcome.results
        self.redactor.learn(results.values())
        groups: dict[str, list[str]] = {area: [] for area in Area}
        others: list[str] = []
        for pid in results:
            probe = self.probes.get(pid)
            (groups[probe.area] if probe else others).append(pid)
        for area in Area:
            self._group(area.heading.get(self.lang), groups[area], outcome)
        self._group(terminal.OTHER_AREA.get(self.lang), others, outcome)
        self.problems(outcome)
        self.console.print()
        if outcome.count:
            self.console.print(terminal.VERDICT_PROBLEMS.get(self.lang, n=outcome.count))
        elif outcome.verdict == "incomplete":
            self.console.print(terminal.NOTHING_CHECKED.get(self.lang))
        else:
            self.console.print(terminal.VERDICT_OK.get(self.lang))

    def problems(self, outcome: RunOutcome) -> None:
        """Each problem headed by what was found; under it, why it is first (the
        person's message), what it explains, and the KB entry's title with its fix."""
        if not outcome.problems:
            return
        lang = self.lang
        self.console.print(f"\n[bold underline]{escape(terminal.PROBLEMS_IN_ORDER.get(lang, n=outcome.count))}[/]")
        for n, p in enumerate(outcome.problems, 1):
            headline = self.redactor.text(p.headline.get(lang))  # what was found
            self._hanging(f"[bold]{n}. {escape(clean(headline))}[/]")
            if p.conflict is not None:
                self._hanging(escape(self.redactor.text(p.conflict.get(lang))), "   ")
            elif "symptom" in p.sources:
                said = self.redactor.text(outcome.symptom)
                self._hanging(escape(clean(terminal.BASED_ON.get(lang, message=said))), "   ")
            if p.explains:
                titles = "、" if lang != "en" else ", "
                names = titles.join(outcome.title(x, lang) for x in p.explains)
                self._hanging(f"[dim]{escape(terminal.ALSO_EXPLAINS.get(lang, names=names))}[/]", "   ")
            if p.kb:  # the entry's title heads the fix, its steps for this system follow
                heading = terminal.FIX_TITLED.get(lang, title=p.title.get(lang))
                self._hanging(f"[dim]{escape(heading)}[/]", "   ")
                self._steps(p.kb, outcome)
                self._hanging(f"[dim]{escape(terminal.SEE_KB.get(lang, id=p.kb))}[/]", "   ")

    def _hanging(self, markup: str, indent: str = "") -> None:
        """One line of the problem list, wrapped with the Chinese rules under its text."""
        width = max(self.console.width, 40)
        self.console.print(wrap_rich(RichText.from_markup(markup), width, indent, "   "))

    def _steps(self, entry_id: str, outcome: RunOutcome) -> None:
        """The fix's steps for this computer's system, numbered for it."""
        from diagwizard.engine import knowledge  # lazy: loaded beside the probes (check.py)
        from kb.markdown import step_lists, step_text  # lazy: start-up time

        try:
            entry = knowledge.load().entries.get(entry_id)
        except UserError:  # said once already, when the check started
            return
        if entry is None:
            return
        codes = {f.code for r in outcome.results.values() for f in r.findings}
        width = max(self.console.width, 40)
        lines = []
        if entry.fix.intro is not None:
            lines.append(wrap_rich(_inline(entry.fix.intro.get(self.lang)), width, "   "))
        for label, steps in step_lists(entry, self.lang, outcome.platform, codes):
            if label:
                lines.append(RichText(f"   {label}", style="bold", end=""))
            for n, step in enumerate(steps, 1):
                text = _inline(step_text(step, self.lang))
                lines.append(wrap_rich(text, width, f"   {n}. ", " " * (len(str(n)) + 5)))
        self.console.print(RichText("\n").join(lines))

    def _group(self, title: str, ids: list[str], outcome: RunOutcome) -> None:
        if not ids:
            return
        self.console.print(f"\n[bold underline]{escape(title)}[/]")
        for pid in ids:
            probe = self.probes.get(pid)
            self._print(
                pid, probe.title.get(self.lang) if probe else pid, outcome.results[pid], outcome
            )


_BOLD = re.compile(r"\*\*(.+?)\*\*")
_CODE = re.compile(r"`([^`]+)`")


def _inline(markdown: str) -> RichText:
    """A KB step's inline Markdown (bold, code: all a step uses) as terminal text."""
    marked = _CODE.sub(r"[bold]\1[/bold]", _BOLD.sub(r"[bold]\1[/bold]", escape(markdown)))
    return RichText.from_markup(marked, end="")
