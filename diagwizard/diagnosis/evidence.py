"""The person's evidence: a pasted or picked message counts like a finding. When it maps
to a KB entry (Token Locked → FAQ 6), that fix comes first even if the checks look clear,
and a disagreement is said plainly. Uses the KB's own symptom search (kb/search.py)."""

from __future__ import annotations

from collections.abc import Mapping

from diagwizard.api.probe import Probe
from diagwizard.core.model import Result, Severity
from diagwizard.core.text import Text
from diagwizard.core.words import records
from diagwizard.diagnosis.problem import Problem
from diagwizard.engine import knowledge
from kb.questions import questions

CONFLICT = records.CONFLICT


def add_evidence(
    problems: list[Problem],
    probes: Mapping[str, Probe],
    results: Mapping[str, Result],
    symptom: str,
    entry_id: str | None = None,
) -> str | None:
    """The person's message counts: its KB entry's problem goes first in ``problems`` (a
    conflict with the checks said plainly). Returns that entry's id, if the message has one."""
    if entry_id is None and symptom.strip():
        entry_id = match_symptom(symptom)
    if not entry_id:
        return entry_id
    try:
        entry = knowledge.load().entries.get(entry_id)
    except Exception:
        entry = None
    if entry is None:
        return entry_id
    existing = next((p for p in problems if p.kb == entry_id), None)
    if existing is None:
        code = entry.codes[0] if entry.codes else "symptom"
        existing = Problem(entry_id, code, entry_id, entry.title, -1, Severity.ERROR)
    else:
        problems.remove(existing)
    confirmed = any(src in entry.confirm_probes for src in existing.sources)
    clear = [pid for pid in entry.confirm_probes if pid in results and results[pid].status.passed]
    if clear and not confirmed:

        def title(pid: str) -> Text:
            return probes[pid].title if pid in probes else Text(pid, pid)

        zh = "、".join(f"{title(p).zh}：{results[p].summary.zh}" for p in clear)
        en = "; ".join(f"{title(p).en}: {results[p].summary.en}" for p in clear)
        existing.conflict = Text(
            CONFLICT.zh.format(message=symptom, checks=zh),
            CONFLICT.en.format(message=symptom, checks=en),
        )
    existing.rank = -1
    existing.sources.insert(0, "symptom")
    if symptom:
        existing.facts.setdefault("messages", []).append(symptom)
    problems.insert(0, existing)
    return entry_id


def symptom_answer(entry_id: str | None) -> tuple[str, str] | None:
    """The guided question and option that say the same as a message (Token Locked →
    "the PIN dialog said: locked"), so a case code carries the person's evidence too."""
    if not entry_id:
        return None
    try:
        for q in questions().values():
            for opt in q.options:
                if opt.code and knowledge.entries_for_code(opt.code)[:1] == [entry_id]:
                    return q.id, opt.id
    except Exception:  # a broken questions file: the message still counts on screen
        return None
    return None


def match_symptom(text: str) -> str | None:
    """The KB entry the message points at (the KB search's best hit), if any."""
    try:
        hits = knowledge.search(text, limit=1)
    except Exception:  # a broken KB file must not stop the check
        return None
    return hits[0].entry.id if hits else None
