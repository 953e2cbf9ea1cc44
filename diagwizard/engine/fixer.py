"""Plan, apply (after consent, decided by the caller), log, re-check and undo fixes.

The CLI and the wizard both go through :class:`Fixer`; neither applies anything itself.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import msgspec

from diagwizard.api.fix import Fix, FixContext, FixFailed, PartlyDone, Plan, Undo
from diagwizard.core.errors import UserError
from diagwizard.core.model import Result
from diagwizard.core.sanitize import clean
from diagwizard.core.text import Text
from diagwizard.core.words import fixes as words
from diagwizard.engine import fixlog
from diagwizard.engine.registry import load_fixes as load
from diagwizard.system.adapters import fixops

if TYPE_CHECKING:
    from diagwizard.engine.engine import Engine


class Verdict(enum.StrEnum):
    FIXED = "fixed"
    STILL_FAILING = "still_failing"
    FAILED = "failed"  # applying it went wrong
    NEEDS_ADMIN = "needs_admin"
    UNDONE = "undone"


VERDICT = {
    Verdict.FIXED: words.VERDICT_FIXED,
    Verdict.STILL_FAILING: words.VERDICT_STILL_FAILING,
    Verdict.UNDONE: words.VERDICT_UNDONE,
    Verdict.FAILED: words.VERDICT_FAILED,
    Verdict.NEEDS_ADMIN: words.VERDICT_NEEDS_ADMIN,
}


@dataclass(frozen=True)
class Offer:
    fix: Fix
    plan: Plan
    # Windows will ask the person (UAC) before each command of this fix that needs
    # administrator rights: the program itself is not elevated.
    prompts_for_rights: bool = False


@dataclass(frozen=True)
class UndoOffer:
    """The undo of one logged fix, planned again now from the fix's own code."""

    seq: int
    fix: Fix
    applied_at: str
    plan: Plan


@dataclass
class UndoSearch:
    """What ``fix --undo`` found: the last logged fix that has an undo (``entry``), its
    ``fix`` and the ``offer`` (None: nothing of it is left to revert); ``notes`` say which
    log entries were skipped and why (malformed, or of a fix this version lacks)."""

    entry: fixlog.Entry | None = None
    fix: Fix | None = None
    offer: UndoOffer | None = None
    left_alone: tuple[Text, ...] = ()
    notes: list[Text] = field(default_factory=list)


@dataclass
class FixOutcome:
    fix: Fix
    verdict: Verdict
    detail: str = ""
    results: dict[str, Result] = field(default_factory=dict)
    logged: bool = False

    def render(self, lang: str) -> str:
        text = VERDICT[self.verdict].get(lang, detail=self.detail)
        if self.detail and "{detail}" not in VERDICT[self.verdict].en:
            text += f"（{self.detail}）" if lang != "en" else f" ({self.detail})"
        return text


def _reason(exc: Exception, lang: str) -> str:
    if isinstance(exc, FixFailed):
        return clean(exc.render(lang))
    return clean(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)


class UnknownFix(Exception):
    def __init__(self, ids: list[str], known: list[str]) -> None:
        super().__init__(", ".join(ids))
        self.ids = ids
        self.known = known


class Fixer:
    def __init__(
        self,
        engine: Engine,
        lang: str = "zh-TW",
        ops: fixops.FixOps | None = None,
        fixes: dict[str, Fix] | None = None,
        results: dict[str, Result] | None = None,
    ) -> None:
        self.engine = engine
        self.lang = lang
        self.ops = ops or fixops.for_adapter(engine.os)
        self.fixes = load(engine.platform) if fixes is None else fixes
        self.results: dict[str, Result] = dict(results or {})

    def context(self) -> FixContext:
        return FixContext(self.engine.config, self.engine.os, self.ops, self.results, self.lang)

    def select(self, ids: Iterable[str] = ()) -> list[Fix]:
        ids = list(ids)
        unknown = [i for i in ids if i not in self.fixes]
        if unknown:
            raise UnknownFix(unknown, list(self.fixes))
        return [self.fixes[i] for i in ids] if ids else list(self.fixes.values())

    def diagnose(self, fixes: Iterable[Fix]) -> None:
        """Run the probes these fixes look at (and what those need)."""
        probes = sorted({p for f in fixes for p in f.probes if p in self.engine.probes})
        if probes:
            self.results.update(self.engine.run(probes).results)

    def plan(self, fix: Fix) -> Plan | None:
        try:
            plan = fix.plan(self.context())
        except Exception:  # a fix (maybe a plugin's) that cannot even plan is not offered
            return None
        return plan if plan is not None and plan.changes else None

    def offers(self, fixes: Iterable[Fix]) -> list[Offer]:
        out = []
        for fix in fixes:
            plan = self.plan(fix)
            if plan is not None:
                out.append(Offer(fix, plan, fix.needs_admin and self._elevates()))
        return out

    def _elevates(self) -> bool:
        """Not elevated, on a platform that asks for the rights command by command."""
        return self.ops.elevates and self.engine.os.is_admin() is False

    def _lacks_rights(self, fix: Fix) -> bool:
        """A fix needing administrator rights that cannot get them here (no sudo)."""
        return fix.needs_admin and self.engine.os.is_admin() is False and not self.ops.elevates

    def for_probe(self, probe_id: str) -> list[Offer]:
        """The fixes the wizard offers on a probe's detail view."""
        res = self.results.get(probe_id)
        return self.offers(f for f in self.fixes.values() if f.addresses(probe_id, res))

    def log_problem(self) -> str | None:
        """Why the fix log cannot record a fix now (said before asking: a fix applied
        anyway could not be undone automatically); None when it can."""
        try:
            fixlog.read()
        except UserError as exc:
            return clean(exc.render(self.lang))
        return None

    # -- applying -------------------------------------------------------------------------
    def apply(self, offer: Offer) -> FixOutcome:
        fix = offer.fix
        if self._lacks_rights(fix):
            return FixOutcome(fix, Verdict.NEEDS_ADMIN)
        try:
            record = fix.apply(self.context(), offer.plan)
        except Exception as exc:  # whatever went wrong is a result, never a crashed wizard
            failed = FixOutcome(fix, Verdict.FAILED, _reason(exc, self.lang))
            # Half done and not all rolled back: the log names what is left, for undo.
            left = exc.record if isinstance(exc, PartlyDone) else None
            self._log(offer, left, failed)
            return failed
        outcome = self.recheck(fix)
        self._log(offer, record, outcome)
        return outcome

    def _log(self, offer: Offer, record: Any, outcome: FixOutcome) -> None:
        """Log the attempt; a log that cannot be written is said, not a crash."""
        try:
            fixlog.append(self._entry(offer, record, outcome))
            outcome.logged = True
        except Exception as exc:
            note = words.LOG_FAILED.get(self.lang, err=_reason(exc, self.lang))
            outcome.detail = f"{outcome.detail}; {note}" if outcome.detail else note

    def recheck(self, fix: Fix) -> FixOutcome:
        self.diagnose([fix])
        remaining = [
            f.code
            for pid in fix.probes
            for f in (self.results[pid].findings if pid in self.results else [])
            if f.code in fix.codes
        ]
        fixed = not remaining and self.plan(fix) is None
        shown = {p: self.results[p] for p in fix.probes if p in self.results}
        return FixOutcome(fix, Verdict.FIXED if fixed else Verdict.STILL_FAILING, results=shown)

    def _entry(self, offer: Offer, record: Any, outcome: FixOutcome) -> dict[str, Any]:
        """What the log keeps: what changed, in words, and the fix's validated undo
        record; never a command (undo plans its commands again)."""
        fix = offer.fix
        undo = fix.undo if isinstance(fix.undo, Undo) else None
        kept = undo is not None and isinstance(record, undo.record)
        text = offer.plan.undo_text or fix.undo_text  # this system's words, as shown before asking
        return {
            "fix": fix.id,
            "title": {"zh-TW": fix.title.zh, "en": fix.title.en},
            "applied_at": fixlog.now(),
            "changes": [{"zh-TW": c.text.zh, "en": c.text.en} for c in offer.plan.changes],
            "undo_text": {"zh-TW": text.zh, "en": text.en},
            "undo": msgspec.to_builtins(record) if kept else None,
            "outcome": outcome.verdict.value,
            "detail": outcome.detail,
            "undone_at": None,
        }

    # -- undo -----------------------------------------------------------------------------
    def last_undoable(self) -> UndoSearch:
        """The last logged fix with an undo not done yet, planned again now.

        Only the fix's own code plans the undo, from its validated record and the current
        check (its probes run first); an entry whose record does not validate is skipped
        with a note, never run. A log that is not the user's own raises ``UserError``.
        """
        log = fixlog.read()
        search = UndoSearch(notes=list(log.notes))
        for entry in reversed(log.entries):
            if entry.undone_at or entry.undo is None:
                continue
            fix = self.fixes.get(entry.fix)
            undo = fix.undo if fix is not None and isinstance(fix.undo, Undo) else None
            if fix is None or undo is None:  # not a fix of this version (with an undo)
                search.notes.append(words.LOG_ENTRY_UNKNOWN.fill(n=entry.seq, fix=entry.fix))
                continue
            try:
                record = msgspec.convert(entry.undo, undo.record)
            except msgspec.ValidationError as exc:
                search.notes.append(
                    words.LOG_ENTRY_RECORD.fill(n=entry.seq, fix=entry.fix, why=clean(str(exc)))
                )
                continue
            search.entry, search.fix = entry, fix
            self.diagnose([fix])
            try:
                plan = undo.plan(self.context(), record)
            except Exception:  # a fix that cannot plan its undo now offers nothing
                plan = None
            if plan is not None:
                search.left_alone = plan.left_alone
                if plan.changes:
                    search.offer = UndoOffer(entry.seq, fix, entry.applied_at, plan)
            return search
        return search

    def undo(self, offer: UndoOffer) -> FixOutcome:
        """Make the planned undo; the outcome's results are its probes, checked again."""
        fix = offer.fix
        if not isinstance(fix.undo, Undo):
            return FixOutcome(fix, Verdict.FAILED, clean(fix.undo_text.get(self.lang)))
        if self._lacks_rights(fix):
            return FixOutcome(fix, Verdict.NEEDS_ADMIN)
        try:
            fix.undo.apply(self.context(), offer.plan)
        except Exception as exc:
            return FixOutcome(fix, Verdict.FAILED, _reason(exc, self.lang))
        outcome = FixOutcome(fix, Verdict.UNDONE)
        try:
            fixlog.mark_undone(offer.seq)
            outcome.logged = True
        except Exception as exc:
            outcome.detail = words.LOG_FAILED.get(self.lang, err=_reason(exc, self.lang))
        self.diagnose([fix])
        outcome.results = {p: self.results[p] for p in fix.probes if p in self.results}
        return outcome
