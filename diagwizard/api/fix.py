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
from typing import TYPE_CHECKING, Any

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
    undo: Text | None = None  # how to undo it on this system, when the fix's text is general


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
    what: Text, commands: Sequence[Sequence[str]], undo: Text | None = None, **data: Any
) -> Plan | None:
    """A plan that runs OS commands: what it does, then each exact command."""
    if not commands:
        return None
    changes = [Change(what)]
    changes += [Change(words.RUN_COMMAND.fill(command=shown(c)), tuple(c)) for c in commands]
    return Plan(tuple(changes), {"commands": [list(c) for c in commands], **data}, undo=undo)


def undo_commands(ctx: FixContext, data: dict[str, Any]) -> None:
    """The undo of a command plan whose apply logged the commands that revert it."""
    ctx.ops.run_all(data["commands"])


PlanFunc = Callable[[FixContext], Plan | None]
ApplyFunc = Callable[[FixContext, Plan], dict[str, Any] | None]
UndoFunc = Callable[[FixContext, dict[str, Any]], None]


@dataclass(frozen=True)
class Fix:
    """A consented fix. ``apply`` returns the data its ``undo`` needs (None: no undo)."""

    id: str
    title: Text
    codes: tuple[str, ...]  # the findings it addresses
    probes: tuple[str, ...]  # the probes that show the problem and check it again
    undo_text: Text  # how to undo it, shown before asking
    plan: PlanFunc
    apply: ApplyFunc
    undo: UndoFunc | None = None
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


__all__ = ["Change", "Fix", "FixContext", "FixFailed", "Plan", "command_plan", "found", "undo_commands"]
