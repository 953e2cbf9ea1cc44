"""Probe and fix registry: the built-in ones from the generated index of ``checks/``,
plugins' from entry points.

Built-in probes and fixes are the declarations in the ``checks`` package's modules (see
``diagwizard.api``); ``builtin_index`` (generated from them) says which module declares
which probe, so a run with ``--only`` imports just the modules it needs, and a frozen
program needs no package metadata. Third-party plugins register in the entry-point groups
``diagwizard.checks`` and ``diagwizard.fixes`` (a ``Probe`` or ``Fix``, a list of them, or
a module that declares them), which ``--no-plugins`` turns off. A plugin that fails to
load or a duplicate probe id becomes a :class:`LoadProblem`, reported like a failed probe.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from types import ModuleType
from typing import TYPE_CHECKING

import msgspec

from diagwizard.api.probe import Probe, probes_in
from diagwizard.core.model import FindingDef
from diagwizard.core.text import Text
from diagwizard.engine import builtin_index
from diagwizard.engine.plugins import entry_points, resolve
from diagwizard.engine.selection import builtin_selection, matches, modules_for, normalise

if TYPE_CHECKING:
    from diagwizard.api.fix import Fix

GROUP = "diagwizard.checks"
FIX_GROUP = "diagwizard.fixes"

PLUGIN_LOAD_FAILED = FindingDef(
    "registry.E001",
    Text("外掛 {name} 無法載入：{error}", "Plugin {name} could not be loaded: {error}"),
)
DUPLICATE_ID = FindingDef(
    "registry.E002",
    Text(
        "檢查項目 {id} 重複：{name} 提供的版本已略過",
        "Duplicate probe id {id}: the one from {name} was ignored",
    ),
)
BAD_PLUGIN_VALUE = FindingDef(
    "registry.E003",
    Text(
        "外掛 {name} 提供的不是檢查項目（{got}）",
        "Plugin {name} did not provide probes (got {got})",
    ),
)


class LoadProblem(msgspec.Struct, frozen=True):
    source: str  # entry point name
    finding: FindingDef
    params: dict[str, str]


class Origin(msgspec.Struct, frozen=True):
    entry_point: str  # the entry point's name, or the built-in module's
    builtin: bool
    target: str = ""  # "module" or "module:attr", enough for a child process to reload it


class Registry(msgspec.Struct):
    probes: dict[str, Probe] = msgspec.field(default_factory=dict)
    origins: dict[str, Origin] = msgspec.field(default_factory=dict)
    problems: list[LoadProblem] = msgspec.field(default_factory=list)

    def __iter__(self) -> Iterator[Probe]:
        return iter(self.probes.values())

    def add(self, probe: Probe, origin: Origin, source: str) -> None:
        if probe.id in self.probes:
            self.problems.append(
                LoadProblem(source, DUPLICATE_ID, {"id": probe.id, "name": source})
            )
            return
        self.probes[probe.id] = probe
        self.origins[probe.id] = origin

    def select(self, only: Iterable[str] = ()) -> list[Probe]:
        """Probes matching any id or dotted prefix in ``only`` (all if empty), plus what they
        need or read."""
        wanted = normalise(only)
        if not wanted:
            return self._ordered(self.probes)
        chosen: set[str] = set()

        def take(pid: str) -> None:
            if pid in chosen or pid not in self.probes:
                return
            chosen.add(pid)
            for dep in (*self.probes[pid].needs, *self.probes[pid].wants):
                take(dep)

        for pid in self.probes:
            if matches(pid, wanted):
                take(pid)
        return self._ordered({pid: p for pid, p in self.probes.items() if pid in chosen})

    @staticmethod
    def _ordered(probes: dict[str, Probe]) -> list[Probe]:
        """Registration order (the guide's, for built-ins), except that a probe comes after
        what it needs or reads."""
        placed: dict[str, Probe] = {}

        def place(pid: str, trail: tuple[str, ...] = ()) -> None:
            if pid in placed or pid not in probes or pid in trail:
                return
            for dep in (*probes[pid].needs, *probes[pid].wants):
                place(dep, (*trail, pid))
            placed[pid] = probes[pid]

        for pid in probes:
            place(pid)
        return list(placed.values())


def _as_probes(value: object) -> list[Probe] | None:
    if isinstance(value, ModuleType):
        return probes_in(value)
    if isinstance(value, Probe):
        return [value]
    if isinstance(value, (list, tuple)) and all(isinstance(v, Probe) for v in value):
        return list(value)
    return None


def _add_source(
    reg: Registry, name: str, target: str, loader: Callable[[], object], builtin: bool
) -> None:
    try:
        value = loader()
    except BaseException as exc:  # a plugin must never bring the tool down
        if isinstance(exc, KeyboardInterrupt):
            raise
        reg.problems.append(
            LoadProblem(
                name, PLUGIN_LOAD_FAILED, {"name": name, "error": f"{type(exc).__name__}: {exc}"}
            )
        )
        return
    probes = _as_probes(value)
    if probes is None:
        reg.problems.append(
            LoadProblem(name, BAD_PLUGIN_VALUE, {"name": name, "got": type(value).__name__})
        )
        return
    origin = Origin(name, builtin, target)
    for p in probes:
        reg.add(p, origin, name)


def load(
    *, plugins: bool = True, only_entry_point: str | None = None, only: Iterable[str] = ()
) -> Registry:
    """Load the registered probes; never raises for a bad plugin.

    ``only_entry_point`` limits loading to the built-in module or plugin of that name.
    ``only`` (``--only`` values) limits the built-in modules to those declaring a matching
    probe or one that such a probe (or a plugin's) needs or reads; probe order stays that
    of a full load: built-ins in the index's (the guide's) order, plugins after them.
    """
    reg = Registry()
    wanted = normalise(only)
    for module in modules_for(builtin_selection(wanted)):
        if only_entry_point is None or module == only_entry_point:
            _add_builtin(reg, module)
    if plugins:
        for ep in entry_points(group=GROUP):
            if only_entry_point is None or ep.name == only_entry_point:
                _add_source(reg, ep.name, ep.value, ep.load, builtin=False)
    if wanted and only_entry_point is None:
        _add_dependencies(reg)
    rank = {pid: i for i, pid in enumerate(builtin_index.PROBES)}
    order = sorted(reg.probes, key=lambda pid: rank.get(pid, len(rank)))  # stable: plugins last
    reg.probes = {pid: reg.probes[pid] for pid in order}
    return reg


def _add_builtin(reg: Registry, module: str) -> None:
    _add_source(reg, module, module, partial(resolve, module), builtin=True)


def _add_dependencies(reg: Registry) -> None:
    """Load the built-in modules declaring what loaded probes need or read (a plugin's
    needs included)."""
    loaded = {o.entry_point for o in reg.origins.values() if o.builtin}
    while True:
        deps = {d for p in reg.probes.values() for d in (*p.needs, *p.wants)}
        missing = [m for m in modules_for(deps - set(reg.probes)) if m not in loaded]
        if not missing:
            return
        for module in missing:
            loaded.add(module)
            _add_builtin(reg, module)


def load_target(target: str) -> Registry:
    """The probes of one ``module`` or ``module:attr`` (a child process reloading an
    isolated probe)."""
    reg = Registry()
    _add_source(reg, target, target, partial(resolve, target), builtin=False)
    return reg


# -- fixes -------------------------------------------------------------------------------


def fixes_in(module: ModuleType) -> list[Fix]:
    """The fixes a module declares at its top level, in definition order."""
    from diagwizard.api.fix import Fix  # lazy: start-up time (the wizard's first screen)

    return [
        v
        for v in vars(module).values()
        if isinstance(v, Fix) and getattr(v.plan, "__module__", None) == module.__name__
    ]


def load_fixes(platform: str | None = None) -> dict[str, Fix]:
    """All registered fixes (for ``platform`` if given), by id, in registration order:
    the built-in ones, then plugins'."""
    out: dict[str, Fix] = {}
    loaders: list[Callable[[], object]] = [partial(resolve, m) for m in builtin_index.FIXES]
    loaders += [ep.load for ep in entry_points(group=FIX_GROUP)]
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
    return frozenset(code for fix in load_fixes(platform).values() for code in fix.codes)


def _as_fixes(value: object) -> Iterator[Fix]:
    from diagwizard.api.fix import Fix  # lazy: start-up time (the wizard's first screen)

    if isinstance(value, ModuleType):
        yield from fixes_in(value)
        return
    items = value if isinstance(value, list | tuple) else [value]
    for item in items:
        if isinstance(item, Fix):
            yield item
