"""The fix model: a safe, consented change the tool can make for a finding.

A probe says what it found; a fix (living beside its probe, in ``checks/*_fixes.py``)
says what it would change about it. Every fix first *plans*: the plan lists exactly what
will change, in both languages, and is shown in full before anyone is asked. Nothing is
applied without consent, nothing touches the PIN or the card's contents, and all OS
access goes through the fix adapter (``diagwizard.system.adapters.fixops``).

Built-in fixes are listed in ``BUILTIN``; plugins register theirs through the entry-point
group ``diagwizard.api.fix``.
"""

from __future__ import annotations

import functools
import re
import shlex
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from diagwizard.core.errors import UserError
from diagwizard.core.model import ALL_PLATFORMS, Result, Text
from diagwizard.engine.plugins import entry_points, resolve

if TYPE_CHECKING:
    from diagwizard.core.config import Config
    from diagwizard.system.adapters.base import OsAdapter
    from diagwizard.system.adapters.fixops import FixOps

GROUP = "diagwizard.api.fix"
# The built-in fix modules (name -> "module:attr"); plugins use the entry-point group.
BUILTIN: dict[str, str] = {
    "clock": "checks.clock_fixes:FIXES",
    "middleware": "checks.middleware_fixes:FIXES",
    "pcsc": "checks.pcsc_fixes:FIXES",
    "store": "checks.store_fixes:FIXES",
}
_FIX_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


class FixFailed(UserError):
    """A fix could not be applied (a command failed, a file was locked...)."""


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


@dataclass
class FixContext:
    config: Config
    os: OsAdapter
    ops: FixOps
    results: Mapping[str, Result]
    lang: str = "zh-TW"


def shown(command: Sequence[str]) -> str:
    """A command as a person would type it (quoted where needed)."""
    return " ".join(shlex.quote(part) for part in command)


def found(ctx: FixContext, probe_id: str, code: str) -> bool:
    """Whether the probe's last result carries this finding."""
    res = ctx.results.get(probe_id)
    return res is not None and code in {f.code for f in res.findings}


def command_plan(what: Text, commands: Sequence[Sequence[str]], **data: Any) -> Plan | None:
    """A plan that runs OS commands: what it does, then each exact command."""
    if not commands:
        return None
    changes = [Change(what)]
    changes += [Change(Text(f"執行：{shown(c)}", f"Run: {shown(c)}"), tuple(c)) for c in commands]
    return Plan(tuple(changes), {"commands": [list(c) for c in commands], **data})


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


def load(platform: str | None = None) -> dict[str, Fix]:
    """All registered fixes (for ``platform`` if given), by id, in registration order:
    the built-in ones (a static list, so the frozen program has them), then plugins'."""
    out: dict[str, Fix] = {}
    loaders: list[Callable[[], object]] = [partial(resolve, t) for t in BUILTIN.values()]
    loaders += [ep.load for ep in entry_points(group=GROUP)]
    for load_value in loaders:
        try:
            value = load_value()
        except Exception:  # a broken plugin must not take the fix list down
            continue
        for fix in _as_fixes(value):
            if fix.id not in out and (platform is None or platform in fix.platforms):
                out[fix.id] = fix
    return out


@functools.cache
def fixable_codes(platform: str | None = None) -> frozenset[str]:
    """Finding codes some fix addresses (cheap hints: no planning, nothing run)."""
    return frozenset(code for fix in load(platform).values() for code in fix.codes)


def _as_fixes(value: object) -> Iterator[Fix]:
    items = value if isinstance(value, list | tuple) else [value]
    for item in items:
        if isinstance(item, Fix):
            yield item
