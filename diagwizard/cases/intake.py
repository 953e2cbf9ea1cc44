"""A new case from a decoded case code: its problems come from the diagnosis, in the
order to fix them; the rest is what the agent says (outcome, fix, note, name)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from diagwizard.cases import note as notes
from diagwizard.cases.record import AGENT_LEN, FIX_LEN, Case, CaseProblem, Outcome, utc_now
from diagwizard.core.errors import UserError
from diagwizard.core.sanitize import clean
from diagwizard.core.text import Text
from diagwizard.core.words import cases as words
from diagwizard.diagnosis.outcome import RunOutcome
from diagwizard.engine import knowledge, registry


@dataclass(frozen=True)
class FixChoice:
    """A fix an agent can say worked: an automatic fix or a KB entry's steps."""

    id: str
    title: Text


def fix_choices(run: RunOutcome) -> list[FixChoice]:
    """The fixes of this case first (its KB entries in order, then the automatic fixes
    for its findings), for the log dialog and for the error on an unknown ``--fix``."""
    kb = knowledge.load()
    codes = {f.code for p in run.problems for f in p.findings} | {p.code for p in run.problems}
    out = [FixChoice(e, kb.entries[e].title) for e in run.fixes() if e in kb.entries]
    out += [
        FixChoice(f.id, f.title)
        for f in registry.load_fixes(run.platform or None).values()
        if codes & set(f.codes)
    ]
    return out


def known_fix(fix_id: str) -> bool:
    """Any automatic fix (on any platform) or any KB entry."""
    return fix_id in registry.load_fixes() or fix_id in knowledge.load().entries


def agent_name(given: str | None, configured: str) -> str:
    name = " ".join(clean(given if given is not None else configured).split())
    if len(name) > AGENT_LEN:
        raise UserError(words.TOO_LONG, field="--agent", n=len(name), max=AGENT_LEN)
    return name


def new_case(
    run: RunOutcome,
    *,
    outcome: Outcome = Outcome.OPEN,
    note: str = "",
    agent: str = "",
    fix: str = "",
) -> tuple[Case, notes.Note]:
    """The case for ``run`` (a decoded code) and its note as stored. Raises a one-line
    error for an unknown fix or a note that is too long; nothing is stored then."""
    fix = fix.strip()
    if fix and (len(fix) > FIX_LEN or not known_fix(fix)):
        ids = ", ".join(c.id for c in fix_choices(run)) or "-"
        raise UserError(words.BAD_FIX, value=clean(fix)[:FIX_LEN], ids=ids)
    checked = notes.check(note)
    case = Case(
        uid=str(uuid.uuid4()),
        case_code=run.case_code,
        logged_at=utc_now().replace(microsecond=0),  # whole seconds: exact hour buckets
        platform=run.platform,
        problems=[CaseProblem(p.code, p.kb) for p in run.problems],
        outcome=outcome,
        fix=fix,
        note=checked.text,
        agent=agent,
    )
    return case, checked
