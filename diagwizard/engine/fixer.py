"""Plan, apply (after consent, decided by the caller), log, re-check and undo fixes.

The CLI and the wizard both go through :class:`Fixer`; neither applies anything itself.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from diagwizard.api.fix import Fix, FixContext, FixFailed, Plan
from diagwizard.core.model import Result
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
        return exc.render(lang)
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


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
        return (
            fix.needs_admin and self.engine.os.is_admin() is False and not self.ops.elevates
        )

    def for_probe(self, probe_id: str) -> list[Offer]:
        """The fixes the wizard offers on a probe's detail view."""
        res = self.results.get(probe_id)
        return self.offers(f for f in self.fixes.values() if f.addresses(probe_id, res))

    # -- applying -------------------------------------------------------------------------
    def apply(self, offer: Offer) -> FixOutcome:
        fix = offer.fix
        if self._lacks_rights(fix):
            return FixOutcome(fix, Verdict.NEEDS_ADMIN)
        try:
            undo_data = fix.apply(self.context(), offer.plan)
        except Exception as exc:  # whatever went wrong is a result, never a crashed wizard
            failed = FixOutcome(fix, Verdict.FAILED, _reason(exc, self.lang))
            self._log(offer, None, failed)
            return failed
        outcome = self.recheck(fix)
        self._log(offer, undo_data, outcome)
        return outcome

    def _log(self, offer: Offer, undo_data: Any, outcome: FixOutcome) -> None:
        """Log the attempt; a log that cannot be written is said, not a crash."""
        try:
            fixlog.append(self._entry(offer, undo_data, outcome))
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

    def _entry(self, offer: Offer, undo_data: Any, outcome: FixOutcome) -> dict[str, Any]:
        fix = offer.fix
        return {
            "fix": fix.id,
            "title": {"zh-TW": fix.title.zh, "en": fix.title.en},
            "applied_at": fixlog.now(),
            "changes": [
                {"zh-TW": c.text.zh, "en": c.text.en, "command": list(c.command)}
                for c in offer.plan.changes
            ],
            "undo": {"zh-TW": fix.undo_text.zh, "en": fix.undo_text.en},
            "undo_data": undo_data if fix.undo is not None else None,
            "outcome": outcome.verdict.value,
            "detail": outcome.detail,
            "undone_at": None,
        }

    # -- undo -----------------------------------------------------------------------------
    def last_undoable(self) -> tuple[dict[str, Any], Fix | None] | None:
        entry = fixlog.last_undoable()
        if entry is None:
            return None
        return entry, self.fixes.get(str(entry.get("fix")))

    def undo(self, entry: dict[str, Any], fix: Fix) -> FixOutcome:
        """Revert a logged fix; the outcome's results are its probes, checked again."""
        if fix.undo is None:
            return FixOutcome(fix, Verdict.FAILED, fix.undo_text.get(self.lang))
        if self._lacks_rights(fix):
            return FixOutcome(fix, Verdict.NEEDS_ADMIN)
        try:
            fix.undo(self.context(), dict(entry["undo_data"]))
        except Exception as exc:
            return FixOutcome(fix, Verdict.FAILED, _reason(exc, self.lang))
        fixlog.mark_undone(int(entry["seq"]))
        self.diagnose([fix])
        shown = {p: self.results[p] for p in fix.probes if p in self.results}
        return FixOutcome(fix, Verdict.UNDONE, results=shown)
