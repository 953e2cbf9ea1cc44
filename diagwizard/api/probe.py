"""What a probe is: one declaration, next to the function that does the looking.

``@probe`` states everything the rest of the program needs to know about a probe: its id
and titles, where it looks (``area``), what it reads (``needs``, ``wants``), the finding
codes it may report, its place in the guide's order (``step``) and which failure of
another probe explains its own (``explained_by``). The registry, the runner, the
diagnosis and the generated tables (``python scripts/dev/generate.py``) all read these
declarations; nothing repeats them by hand.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING

import msgspec

from diagwizard.core.model import ALL_PLATFORMS, AREAS, FindingDef, Result, Step, area_step
from diagwizard.core.text import Text

if TYPE_CHECKING:
    from diagwizard.api.context import Context

ProbeFunc = Callable[["Context"], Result]

_PROBE_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


class Probe(msgspec.Struct, frozen=True):
    """A small diagnostic unit. The runner owns timeouts, isolation and ordering."""

    id: str
    title: Text
    run: ProbeFunc
    area: str = "system"
    needs: tuple[str, ...] = ()
    platforms: frozenset[str] = ALL_PLATFORMS
    timeout: float = 5.0
    isolated: bool = False
    # The finding codes it may report; empty means "every FindingDef of its module".
    declared_codes: tuple[FindingDef, ...] = ()
    # Probes whose results are used if they ran, without being required.
    wants: tuple[str, ...] = ()
    # Probe-specific findings for a crash or hang (else the runner's generic ones).
    on_crash: FindingDef | None = None
    on_timeout: FindingDef | None = None
    # Runs its native calls in child processes itself, stopped at ``ctx.time_limit``:
    # the runner waits as long as for an isolated probe before cutting it off.
    isolates_calls: bool = False
    # Its place in the guide's order; None: its area's (``Area.step``).
    declared_step: Step | None = None
    # The probe whose failure explains this one's (no service → no reader), and which of
    # this probe's findings it explains (empty: all). Its problems are then listed under
    # that cause instead of counted again.
    explained_by: str | None = None
    explained_codes: tuple[FindingDef, ...] = ()

    def __post_init__(self) -> None:
        if not _PROBE_ID.match(self.id):
            raise ValueError(f"probe id {self.id!r} must be dotted lowercase, like 'pcsc.reader'")
        if self.area not in AREAS:
            raise ValueError(f"probe {self.id}: area must be one of {AREAS}")
        unknown = self.platforms - ALL_PLATFORMS
        if unknown:
            raise ValueError(f"probe {self.id}: unknown platforms {sorted(unknown)}")
        if self.explained_by is not None and not _PROBE_ID.match(self.explained_by):
            raise ValueError(f"probe {self.id}: explained_by must be a probe id")

    @property
    def codes(self) -> tuple[FindingDef, ...]:
        """The finding codes this probe may report (collected from its module if not given)."""
        return self.declared_codes or module_codes(getattr(self.run, "__module__", ""))

    @property
    def step(self) -> Step:
        return self.declared_step if self.declared_step is not None else area_step(self.area)

    def explains(self, code: str) -> bool:
        """Is a finding ``code`` of this probe explained when ``explained_by`` failed?"""
        return not self.explained_codes or code in {d.code for d in self.explained_codes}


def probe(
    id: str,
    zh: str,
    en: str,
    *,
    area: str = "system",
    step: Step | None = None,
    needs: tuple[str, ...] = (),
    wants: tuple[str, ...] = (),
    explained_by: str | None = None,
    explained_codes: tuple[FindingDef, ...] = (),
    platforms: frozenset[str] = ALL_PLATFORMS,
    timeout: float = 5.0,
    isolated: bool = False,
    isolates_calls: bool = False,
    codes: tuple[FindingDef, ...] = (),
    on_crash: FindingDef | None = None,
    on_timeout: FindingDef | None = None,
) -> Callable[[ProbeFunc], Probe]:
    """Declare a probe: the decorated function becomes a :class:`Probe` (no global
    registration; the registry finds module-level probes, see :func:`probes_in`)."""

    def wrap(func: ProbeFunc) -> Probe:
        return Probe(
            id,
            Text(zh, en),
            func,
            area=area,
            needs=needs,
            platforms=platforms,
            timeout=timeout,
            isolated=isolated,
            declared_codes=codes,
            wants=wants,
            on_crash=on_crash,
            on_timeout=on_timeout,
            isolates_calls=isolates_calls,
            declared_step=step,
            explained_by=explained_by,
            explained_codes=explained_codes,
        )

    return wrap


def module_codes(module: str) -> tuple[FindingDef, ...]:
    """Every FindingDef constant of a module, in definition order."""
    space = vars(sys.modules[module]) if module in sys.modules else {}
    return tuple(v for v in space.values() if isinstance(v, FindingDef))


def probes_in(module: ModuleType) -> list[Probe]:
    """The probes a module declares at its top level, in definition order (a probe
    imported from another module belongs to that one)."""
    return [
        v
        for v in vars(module).values()
        if isinstance(v, Probe) and getattr(v.run, "__module__", None) == module.__name__
    ]
