"""One outcome per run: the results, the root-cause problems, the person's evidence, the
case code, timing and platform. Every view (terminal, ``--json``, reports, the wizard's
summary, ``decode``, helpdesk) renders this object, so the count a person sees and the
exit code are the same everywhere, and the "is this a problem" rule lives here only.

Problems are root causes: findings that point at the same KB entry are one problem, and a
failure that follows from another (no DNS → no reach → no TLS → no login page; no service
→ no reader → no card → no token) is listed as explained by its cause.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import msgspec

from diagwizard.api.probe import Probe
from diagwizard.core.model import Finding, Result, Severity, Status
from diagwizard.core.redact import Redactor
from diagwizard.core.text import Text
from diagwizard.core.words import records
from diagwizard.diagnosis.evidence import add_evidence
from diagwizard.diagnosis.problem import Problem, is_problem, step_of, upstream
from diagwizard.diagnosis.report_json import build_document
from diagwizard.diagnosis.skips import FAILED, skip_blocker, skip_reason
from diagwizard.engine import knowledge

__all__ = ["Problem", "RunOutcome", "build", "is_problem", "skip_reason"]

VERDICT = {
    "fixed": records.RECHECK_FIXED,
    "failing": records.RECHECK_FAILING,
    "unchanged": records.RECHECK_UNCHANGED,
}


class RunOutcome(msgspec.Struct):
    probes: Mapping[str, Probe]
    results: dict[str, Result]
    platform: str = ""
    answers: dict[str, str] = msgspec.field(default_factory=dict)
    symptom: str = ""
    symptom_entry: str | None = None
    case_code: str = ""
    started_at: float = 0.0
    duration_ms: int = 0
    problems: list[Problem] = msgspec.field(default_factory=list)
    explained_by: dict[str, str] = msgspec.field(default_factory=dict)  # probe id -> problem key

    @property
    def count(self) -> int:
        return len(self.problems)

    @property
    def exit_code(self) -> int:
        return 1 if self.problems else 0

    @property
    def verdict(self) -> str:
        """ok | problems | incomplete (nothing ran and nothing was said)."""
        if self.problems:
            return "problems"
        checked = any(r.status != Status.SKIP for r in self.results.values())
        if not checked and not self.answers and not self.symptom:
            return "incomplete"  # nothing was checked: never "no problem found"
        return "ok"

    def fixes(self) -> list[str]:
        """KB entries to work through, in order, without repeats."""
        out: list[str] = []
        for p in self.problems:
            if p.kb and p.kb not in out:
                out.append(p.kb)
        return out

    def skipped(self) -> dict[str, Text]:
        """Probes not checked, with the reason in words."""
        out = {}
        for pid, res in self.results.items():
            if res.status == Status.SKIP:
                out[pid] = skip_reason(pid, res, self.probes, self.results)
        return out

    def cause(self, pid: str) -> str | None:
        """The key of the problem a check's result follows from: one it explains, or (a
        check not run) the problem the check that kept it from running rests on."""
        if pid in self.explained_by:
            return self.explained_by[pid]
        res = self.results.get(pid)
        if res is None:
            return None
        # Not skipped, skipped for a reason of its own, or (a case code) for no certain one.
        found = skip_blocker(pid, res, self.probes, self.results)
        if found is None or found[1] != FAILED:
            return None
        return next((p.key for p in self.problems if found[0] in (*p.sources, *p.explains)), None)

    def title(self, pid: str, lang: str) -> str:
        probe = self.probes.get(pid)
        return probe.title.get(lang) if probe else pid

    def for_export(self, lang: str, *, redact: bool = True) -> dict[str, Any]:
        """The ``--json`` document; the one place redaction is applied to what leaves."""

        redactor = Redactor(enabled=redact)
        doc = build_document(
            self.probes,
            self.results,
            lang=lang,
            platform=self.platform,
            started_at=self.started_at,
            duration_ms=self.duration_ms,
            kb_for=knowledge.entries_for_code,
            redactor=redactor,
        )
        doc["problems"] = [
            {
                "code": p.code,
                "kb": p.kb,
                "title": p.title.get(lang),
                "message": redactor.text(p.headline.get(lang)),
                "severity": p.severity.value,
                "sources": p.sources,
                "explains": p.explains,
                "facts": redactor.deep(p.facts),
                **({"conflict": redactor.text(p.conflict.get(lang))} if p.conflict else {}),
            }
            for p in self.problems
        ]
        doc["count"] = self.count
        if self.symptom:
            doc["symptom"] = redactor.text(self.symptom)
        if self.case_code:
            doc["case_code"] = self.case_code
        return doc


def _kb_title(entry_id: str | None, fallback: Text) -> Text:
    if not entry_id:
        return fallback
    try:
        entry = knowledge.load().entries.get(entry_id)
    except Exception:  # a broken KB file: the finding's own words still work
        entry = None
    return Text(entry.title.zh, entry.title.en) if entry else fallback


_FACT_KEYS = ("host", "resolver", "target", "proxy", "need")


def _add(found: dict[str, Problem], source: str, step: int, f: Finding) -> Problem:
    entries = knowledge.entries_for_code(f.code)
    kb = entries[0] if entries else None
    key = kb or f.code
    p = found.get(key)
    words = Text(f.render("zh-TW"), f.render("en"))  # placeholders filled
    # A check's finding is the headline; a guided answer is the person's own words,
    # which the entry's title (what they mean) heads better.
    said = None if source.startswith("ask:") else words
    if p is None:
        p = Problem(key, f.code, kb, _kb_title(kb, words), step, f.severity, said)
        found[key] = p
    if source not in p.sources:
        p.sources.append(source)
    if f.severity == Severity.ERROR and p.severity != Severity.ERROR:
        p.severity, p.code = Severity.ERROR, f.code  # the main finding
        p.message = said or p.message
    elif p.message is None:
        p.message = said
    p.rank = min(p.rank, step)
    p.findings.append(f)
    for k in _FACT_KEYS:
        v = f.params.get(k)
        if v not in (None, "") and str(v) not in p.facts.setdefault(k + "s", []):
            p.facts[k + "s"].append(str(v))
    return p


def correlate(
    probes: Mapping[str, Probe],
    results: Mapping[str, Result],
    answer_findings: Sequence[tuple[str, str, Finding]] = (),
) -> tuple[list[Problem], dict[str, str]]:
    """Root-cause problems in the guide's order, and which probe each one explains."""
    found: dict[str, Problem] = {}
    own: dict[str, list[str]] = {}  # probe -> keys of its own problems
    explained_by: dict[str, str] = {}
    ordered = sorted(results, key=lambda pid: len(upstream(pid, probes)))
    for pid in ordered:
        res = results[pid]
        if not is_problem(res):
            continue
        step = step_of(pid, probes)
        cause = _cause_of(pid, probes, results, own)
        probe = probes.get(pid)
        keys: list[str] = []
        for f in res.findings:
            if f.severity == Severity.INFO:
                continue
            if cause is not None and (probe is None or probe.explains(f.code)):
                continue
            keys.append(_add(found, pid, step, f).key)
        if cause is not None and not keys:
            explained_by[pid] = cause
            found[cause].explains.append(pid)
        elif not keys:  # failed without saying why (shouldn't happen): still a problem
            generic = Finding("runner.E002", Severity.ERROR, res.summary)
            keys.append(_add(found, pid, step, generic).key)
        own[pid] = keys
    for source, area, f in answer_findings:
        if f.severity != Severity.INFO:
            _add(found, source, step_of(source, probes, area), f)
    problems = sorted(found.values(), key=lambda p: (p.rank, p.severity != Severity.ERROR))
    return problems, explained_by


def _cause_of(
    pid: str,
    probes: Mapping[str, Probe],
    results: Mapping[str, Result],
    own: dict[str, list[str]],
) -> str | None:
    """The problem key of the nearest failed probe upstream, if any."""
    for up in upstream(pid, probes):
        res = results.get(up)
        if res is None:
            continue
        if res.status.is_problem and own.get(up):
            return own[up][0]
        if res.status == Status.SKIP or (res.status.is_problem and up in own):
            continue  # not checked, or explained itself: follow the chain further up
        return None  # it worked: what fails below it has a cause of its own
    return None


def build(
    probes: Mapping[str, Probe],
    results: Mapping[str, Result],
    *,
    platform: str = "",
    answers: Mapping[str, str] | None = None,
    symptom: str = "",
    symptom_entry: str | None = None,
    started_at: float = 0.0,
    duration_ms: int = 0,
    case_code: str = "",
) -> RunOutcome:
    asked = [(a.source, a.area, a.finding) for a in knowledge.answer_findings(answers or {})]
    problems, explained = correlate(probes, results, asked)
    out = RunOutcome(
        probes,
        dict(results),
        platform,
        dict(answers or {}),
        case_code=case_code,
        started_at=started_at,
        duration_ms=duration_ms,
        problems=problems,
        explained_by=explained,
    )
    if symptom or symptom_entry:
        out.symptom = symptom
        out.symptom_entry = add_evidence(problems, probes, results, symptom, symptom_entry)
    return out


class Recheck(msgspec.Struct, frozen=True):
    """What a re-check found: fixed or still failing, and what changed (in words)."""

    probe: str
    verdict: str  # fixed | failing | unchanged
    gone: tuple[Finding, ...]
    new: tuple[Finding, ...]

    def render(self, lang: str) -> str:
        head = VERDICT[self.verdict].get(lang)
        sep = "；" if lang != "en" else "; "
        parts = []
        if self.gone:
            gone = sep.join(f.render(lang) for f in self.gone)
            parts.append(records.NO_LONGER_SEEN.get(lang) + gone)
        if self.new:
            parts.append(
                records.NEWLY_SEEN.get(lang) + sep.join(f.render(lang) for f in self.new)
            )
        return head + (("：" if lang != "en" else ": ") + sep.join(parts) if parts else "")


def compare(pid: str, before: Result | None, after: Result) -> Recheck:
    def problems(res: Result | None) -> dict[str, Finding]:
        return {f.code: f for f in (res.findings if res else []) if f.severity != Severity.INFO}

    old, now = problems(before), problems(after)
    if is_problem(after):
        verdict = "failing"
    elif before is not None and is_problem(before):
        verdict = "fixed"
    else:
        verdict = "unchanged"
    gone = tuple(f for c, f in old.items() if c not in now)
    return Recheck(pid, verdict, gone, tuple(f for c, f in now.items() if c not in old))
