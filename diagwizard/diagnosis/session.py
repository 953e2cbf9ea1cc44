"""A diagnosis in progress: probe results plus the person's answers to guided questions,
turned into a verdict and the fixes in the order they should be done.

Shared by the wizard, the summary, reports and the helpdesk view. Answers produce
findings (``ask.*`` codes) that the knowledge base maps exactly like probe findings.
"""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from diagwizard.api.probe import Probe
from diagwizard.core.model import Result
from diagwizard.diagnosis.evidence import match_symptom, symptom_answer
from diagwizard.diagnosis.outcome import RunOutcome, build
from diagwizard.engine.knowledge import AnsweredFinding, answer_findings


class Diagnosis(msgspec.Struct):
    probes: dict[str, Probe]
    results: dict[str, Result] = msgspec.field(default_factory=dict)
    answers: dict[str, str] = msgspec.field(default_factory=dict)  # question id -> option id
    symptom: str = ""  # the message the person pasted or picked (evidence)
    symptom_entry: str | None = None  # the KB entry they chose for it, if any
    fixed: int = 0  # problems gone since the person started fixing (the repair loop's tally)

    def answer(self, question_id: str, option_id: str | None) -> None:
        if option_id is None:
            self.answers.pop(question_id, None)
        else:
            self.answers[question_id] = option_id

    def note_symptom(self, text: str, entry_id: str | None = None) -> None:
        """The person's message is evidence: kept as text, and as the matching answer to a
        guided question when there is one (so the case code carries it)."""
        self.symptom = text
        self.symptom_entry = entry_id or (match_symptom(text) if text.strip() else None)
        pair = symptom_answer(self.symptom_entry)
        if pair is not None and pair[0] not in self.answers:
            self.answers[pair[0]] = pair[1]

    def with_results(self, fresh: Mapping[str, Result]) -> Diagnosis:
        """A copy with ``fresh`` results over these (for a worker thread, or to see what
        a change would make of the problems); this diagnosis stays as it is."""
        return msgspec.structs.replace(
            self, results={**self.results, **fresh}, answers=dict(self.answers)
        )

    def answer_findings(self) -> list[AnsweredFinding]:
        return answer_findings(self.answers)

    def outcome(
        self,
        platform: str = "",
        case_code: str = "",
        started_at: float = 0.0,
        duration_ms: int = 0,
    ) -> RunOutcome:
        """The root-cause view every screen and report renders."""
        return build(
            self.probes,
            self.results,
            platform=platform,
            answers=self.answers,
            symptom=self.symptom,
            symptom_entry=self.symptom_entry,
            started_at=started_at,
            duration_ms=duration_ms,
            case_code=case_code,
        )

    def fixes(self) -> list[str]:
        """KB entry ids to work through, in order, without repeats."""
        return self.outcome().fixes()
