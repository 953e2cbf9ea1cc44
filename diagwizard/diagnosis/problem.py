"""What counts as a problem, and how problems are ordered and chained: the guide's order,
and which probe's failure explains which (no DNS → no reach → no TLS → no login page; no
service → no reader → no card → no token), both as the probes declare them (``step``,
``explained_by``). Shared by the run's outcome and the person's evidence."""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from diagwizard.api.probe import Probe
from diagwizard.core.model import Finding, Result, Severity, area_step
from diagwizard.core.text import Text


def step_of(source: str, probes: Mapping[str, Probe], area: str = "system") -> int:
    """Where a problem found by ``source`` (a probe id, or a guided question's
    ``ask:<id>`` with its area) comes in the guide's order."""
    probe = probes.get(source)
    return int(probe.step if probe is not None else area_step(area))


def upstream(pid: str, probes: Mapping[str, Probe]) -> list[str]:
    """The chain of probes whose failure would explain ``pid``'s, nearest first (each
    probe declares its ``explained_by``)."""
    chain: list[str] = []
    probe = probes.get(pid)
    while probe is not None and probe.explained_by and probe.explained_by not in chain:
        chain.append(probe.explained_by)
        probe = probes.get(probe.explained_by)
    return chain


def is_problem(res: Result) -> bool:
    """The one rule: a result is a problem if it failed or reports a warning or error."""
    return res.status.is_problem or any(f.severity != Severity.INFO for f in res.findings)


class Problem(msgspec.Struct):
    """One root cause to fix, with what it explains and the evidence for it.

    Its headline is :attr:`message`, what was found (the main finding's message, in the
    person's words); :attr:`title`, the KB entry's title, heads its fix."""

    key: str  # KB entry id, or the finding code when no entry maps it
    code: str
    kb: str | None
    title: Text
    rank: int
    severity: Severity
    message: Text | None = None  # None: no finding says it (a message the person saw)
    sources: list[str] = msgspec.field(default_factory=list)  # probes, "ask:<q>", "symptom"
    explains: list[str] = msgspec.field(default_factory=list)  # probes that fail because of it
    findings: list[Finding] = msgspec.field(default_factory=list)
    facts: dict[str, list[str]] = msgspec.field(default_factory=dict)
    conflict: Text | None = None

    @property
    def headline(self) -> Text:
        """What was found, in a line: the main finding's message (else the KB title)."""
        return self.message or self.title
