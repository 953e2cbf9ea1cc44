"""The fix model: a safe, consented change the tool can make for a finding.

A probe says what it found; a fix (living beside its probe, in ``checks/*_fixes.py``)
says what it would change about it. Every fix first *plans*: the plan lists exactly what
will change, in both languages, and is shown in full before anyone is asked. Nothing is
applied without consent, nothing touches the PIN or the card's contents, and all OS
access goes through the fix adapter (``diagwizard.system.adapters.fixops``).

Built-in fixes are found like built-in probes (a module's ``FIXES``); plugins register
theirs through the entry-point group ``diagwizard.fixes`` (see ``engine.registry``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import msgspec

from diagwizard.core.errors import FixFailed
from diagwizard.core.model import ALL_PLATFORMS, Result
from diagwizard.core.text import Text
from diagwizard.core.words import fixes as words
from diagwizard.system.adapters.fixops import shown

if TYPE_CHECKING:
    from diagwizard.core.config import Config
    from diagwizard.system.adapters.base import OsAdapter
    from diagwizard.system.adapters.fixops import FixOps

_FIX_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


@dataclass(frozen=True)
class Change:
    """One concrete change, shown in full before asking."""

    text: Text
    command: tuple[str, ...] = ()  # the exact command that makes it, if one does

    def render(self, lang: str) -> str:
        return self.text.get(lang)


@dataclass(frozen=True)
class Plan:
    """What a fix would do right now: the changes, and the data ``apply`` needs."""

    changes: tuple[Change, ...]
    data: Mapping[str, Any] = field(default_factory=dict)
    note: Text | None = None  # what to do first (e.g. close the browser)
    left_alone: tuple[Text, ...] = ()  # what it will not touch, and why (an undo's checks)
    # How to undo it on this system, where the fix's undo_text speaks of several systems
    # (shown before asking, and kept in the fix log as the entry's undo text).
    undo_text: Text | None = None


@dataclass
class FixContext:
    config: Config
    os: OsAdapter
    ops: FixOps
    results: Mapping[str, Result]
    lang: str = "zh-TW"


def found(ctx: FixContext, probe_id: str, code: str) -> bool:
    """Whether the probe's last result carries this finding."""
    res = ctx.results.get(probe_id)
    return res is not None and code in {f.code for f in res.findings}


def command_plan(
    what: Text, commands: Sequence[Sequence[str]], undo_text: Text | None = None, **data: Any
) -> Plan | None:
    """A plan that runs OS commands: what it does, then each exact command."""
    if not commands:
        return None
    changes = [Change(what)]
    changes += [Change(words.RUN_COMMAND.fill(command=shown(c)), tuple(c)) for c in commands]
    return Plan(tuple(changes), {"commands": [list(c) for c in commands], **data}, undo_text=undo_text)


def run_commands(ctx: FixContext, plan: Plan) -> None:
    """Apply a :func:`command_plan` (planned just now, from the fix adapter)."""
    ctx.ops.run_all(plan.data["commands"])


class PartlyDone(FixFailed):
    """A change of several steps failed half-way. The steps done were rolled back;
    ``left`` holds those whose rollback failed too, and ``record`` (set by the fix) is
    the undo record of exactly those, which the fixer logs so that undo reverts them."""

    def __init__(self, cause: Exception, left: Sequence[Any]) -> None:
        text = words.PARTLY_DONE if left else words.ROLLED_BACK
        super().__init__(text, cause=_reason(cause), n=len(left))
        self.cause = cause
        self.left = list(left)
        self.record: msgspec.Struct | None = None

    def logging(self, record: msgspec.Struct | None) -> PartlyDone:
        self.record = record if self.left else None
        return self


def _reason(exc: Exception) -> Any:
    """A failure as a message parameter (a FixFailed keeps both languages)."""
    if isinstance(exc, FixFailed):
        return exc
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


T = TypeVar("T")


def each_or_none(items: Sequence[T], do: Callable[[T], object], undo: Callable[[T], object]) -> None:
    """``do`` every item, or none of them: after a failure, the items already done are
    undone, newest first; what cannot be undone is raised in :class:`PartlyDone`."""
    done: list[T] = []
    for item in items:
        try:
            do(item)
        except Exception as exc:
            left: list[T] = []
            for d in reversed(done):
                try:
                    undo(d)
                except Exception:
                    left.insert(0, d)
            raise PartlyDone(exc, left) from None
        done.append(item)


R = TypeVar("R", bound=msgspec.Struct)


@dataclass(frozen=True)
class Undo(Generic[R]):
    """How a fix is reverted, from the fix's own code.

    The log keeps only ``record``: what changed and the parameters undo needs, a
    ``msgspec.Struct`` whose fields are constrained (a start type from a fixed set, a
    thumbprint of 40 hex digits...), validated again when the log is read. ``plan``
    rebuilds the change from that record and the current check (an NSS database must be
    one this check found), through the fix adapter, so what is shown before asking is
    exactly what runs; ``None`` when nothing is left to revert. ``apply`` makes it.
    """

    record: type[R]
    plan: Callable[[FixContext, R], Plan | None]
    apply: Callable[[FixContext, Plan], None] = run_commands


PlanFunc = Callable[[FixContext], Plan | None]
ApplyFunc = Callable[[FixContext, Plan], msgspec.Struct | None]


@dataclass(frozen=True)
class Fix:
    """A consented fix. ``apply`` returns the undo record (an instance of
    ``undo.record``; None: nothing to undo), or raises :class:`PartlyDone` with the record
    of what it could not roll back."""

    id: str
    title: Text
    codes: tuple[str, ...]  # the findings it addresses
    probes: tuple[str, ...]  # the probes that show the problem and check it again
    undo_text: Text  # how to undo it, shown before asking
    plan: PlanFunc
    apply: ApplyFunc
    undo: Undo[Any] | None = None
    needs_admin: bool = False
    platforms: frozenset[str] = ALL_PLATFORMS

    def __post_init__(self) -> None:
        if not _FIX_ID.match(self.id):
            raise ValueError(f"fix id {self.id!r} must be dotted lowercase, like 'store.nss_add'")

    def addresses(self, probe_id: str, res: Result | None) -> bool:
        """Whether this fix belongs to a probe's result (for the wizard's detail view)."""
        if probe_id in self.probes:
            return True
        return res is not None and any(f.code in self.codes for f in res.findings)


__all__ = [
    "Change",
    "Fix",
    "FixContext",
    "FixFailed",
    "PartlyDone",
    "Plan",
    "Undo",
    "command_plan",
    "each_or_none",
    "found",
    "run_commands",
]
