"""A diagnosis in progress: probe results plus the person's answers to guided questions,
turned into a verdict and the fixes in the order they should be done.

Shared by the wizard, the summary, reports and the helpdesk view. Answers produce
findings (``ask.*`` codes) that the knowledge base maps exactly like probe findings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from diagwizard import knowledge
from diagwizard.model import AREAS, Finding, FindingDef, Probe, Result, Severity, Status, Text

# Fix order: the physical layer first, then software, the clock (validity and TLS depend
# on it), certificates and PIN, and the network last.
FIX_ORDER = ("card", "component", "system", "cert", "network")
assert set(FIX_ORDER) == set(AREAS)


@dataclass(frozen=True)
class Problem:
    source: str  # probe id, or "ask:<question id>"
    area: str
    finding: Finding


@dataclass
class Diagnosis:
    probes: dict[str, Probe]
    results: dict[str, Result] = field(default_factory=dict)
    answers: dict[str, str] = field(default_factory=dict)  # question id -> option id

    def answer(self, question_id: str, option_id: str | None) -> None:
        if option_id is None:
            self.answers.pop(question_id, None)
        else:
            self.answers[question_id] = option_id

    def answer_findings(self) -> list[Problem]:
        from diagwizard.kb.questions import questions

        out = []
        for qid, oid in self.answers.items():
            q = questions().get(qid)
            opt = q.option(oid) if q else None
            if q is None or opt is None or not opt.code:
                continue
            message = Text(f"{q.text.zh} → {opt.label.zh}", f"{q.text.en} → {opt.label.en}")
            out.append(Problem(f"ask:{qid}", q.area, FindingDef(opt.code, message)()))
        return out

    def problems(self) -> list[Problem]:
        """Errors and warnings from probes and answers, most urgent area first."""
        found: list[Problem] = []
        for pid, res in self.results.items():
            area = self.probes[pid].area if pid in self.probes else "system"
            for f in res.findings:
                if f.severity != Severity.INFO:
                    found.append(Problem(pid, area, f))
        found += [p for p in self.answer_findings() if p.finding.severity != Severity.INFO]
        rank = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
        return sorted(found, key=lambda p: (FIX_ORDER.index(p.area), rank[p.finding.severity]))

    def fixes(self) -> list[str]:
        """KB entry ids to work through, in order, without repeats."""
        return knowledge.fix_entries(p.finding for p in self.problems())

    def verdict(self) -> str:
        """ok | problems | incomplete (nothing ran and nothing was answered)."""
        if self.problems():
            return "problems"
        if not self.results and not self.answers:
            return "incomplete"
        if any(r.status.is_problem for r in self.results.values()):
            return "problems"
        return "ok"

    def counts(self) -> dict[Status, int]:
        out = {s: 0 for s in Status}
        for r in self.results.values():
            out[r.status] += 1
        return out
