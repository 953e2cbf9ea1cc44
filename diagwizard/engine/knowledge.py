"""The engine's single door to the knowledge base.

KB data directories: the built-in one (found without package metadata, so a frozen
program has it too), then any plugin's from the ``diagwizard.kb`` entry-point group.
Loading is lazy and cached; ``check`` works without a KB.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from diagwizard.core.errors import UserError
from diagwizard.core.model import Finding, FindingDef, Severity
from diagwizard.core.text import Text
from diagwizard.core.words import records
from diagwizard.engine.plugins import entry_points
from kb import DATA_DIR
from kb.loader import KnowledgeBase, load_dirs
from kb.questions import Option, Question, questions

if TYPE_CHECKING:
    from kb.search import Hit, SymptomIndex

GROUP = "diagwizard.kb"


def data_dirs() -> list[Path]:
    dirs = [DATA_DIR]
    for ep in entry_points(group=GROUP):
        try:
            dirs.append(Path(str(ep.load())))
        except Exception:  # a broken plugin KB must not hide the built-in one
            continue
    return dirs


@cache
def load() -> KnowledgeBase:
    """The merged knowledge base; raises KBError (a UserError) for a malformed file."""
    return load_dirs(data_dirs())


@cache
def _index() -> dict[str, list[str]]:
    return load().code_index()


@cache
def symptom_index() -> SymptomIndex:
    """The symptom search over the merged KB, built once a run (folding the KB's text
    takes about 0.2 s; a search then takes milliseconds)."""
    from kb.search import SymptomIndex  # lazy: OpenCC and rapidfuzz, only for a message

    return SymptomIndex(load())


def search(text: str, limit: int = 5) -> list[Hit]:
    """KB entries for a message a person saw, best first (see kb.search)."""
    return symptom_index().search(text, limit=limit)


def entries_for_code(code: str) -> list[str]:
    """KB entry ids for a finding code; empty if the KB cannot be loaded."""
    try:
        return list(_index().get(code, []))
    except UserError:
        return []


def fix_entries(findings: Iterable[Finding]) -> list[str]:
    """The KB entry to follow for each warning or error, in order, without repeats."""
    ordered: list[str] = []
    for f in findings:
        if f.severity == Severity.INFO:
            continue
        for entry in entries_for_code(f.code)[:1]:
            if entry not in ordered:
                ordered.append(entry)
    return ordered


def answered(answers: Mapping[str, str]) -> list[tuple[Question, Option]]:
    """Each answered guided question with the option chosen. Ids this version does not
    know (a case code from another version) are left out."""
    out = []
    for qid, oid in answers.items():
        q = questions().get(qid)
        opt = q.option(oid) if q else None
        if q is not None and opt is not None:
            out.append((q, opt))
    return out


class AnsweredFinding(msgspec.Struct, frozen=True):
    """A guided answer that counts like a probe finding (an ``ask.*`` code)."""

    source: str  # "ask:<question id>"
    area: str
    finding: Finding


def answer_findings(answers: Mapping[str, str]) -> list[AnsweredFinding]:
    """The findings the person's answers carry; answers without a code add none."""
    out = []
    for q, opt in answered(answers):
        if opt.code:
            message = Text(
                records.ANSWERED.zh.format(question=q.text.zh, answer=opt.label.zh),
                records.ANSWERED.en.format(question=q.text.en, answer=opt.label.en),
            )
            out.append(AnsweredFinding(f"ask:{q.id}", q.area, FindingDef(opt.code, message)()))
    return out
