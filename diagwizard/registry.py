"""Probe registry: built-in and third-party probes load the same way, via entry points.

The group is ``diagwizard.checks``. Each entry point names a Probe or a sequence of
Probes. Entry points shipped by the ``diagwizard`` distribution itself are built-in;
all others are plugins, which ``--no-plugins`` turns off. A plugin that fails to load
or a duplicate probe id becomes a :class:`LoadProblem`, reported like a failed probe.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, entry_points

from diagwizard.model import FindingDef, Probe, Text

GROUP = "diagwizard.checks"
BUILTIN_DIST = "diagwizard"

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


@dataclass(frozen=True)
class LoadProblem:
    source: str  # entry point name
    finding: FindingDef
    params: dict[str, str]


@dataclass(frozen=True)
class Origin:
    entry_point: str  # "name = module:attr", enough for a child process to reload it
    builtin: bool


@dataclass
class Registry:
    probes: dict[str, Probe] = field(default_factory=dict)
    origins: dict[str, Origin] = field(default_factory=dict)
    problems: list[LoadProblem] = field(default_factory=list)

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
        """Probes matching any id or dotted prefix in ``only`` (all if empty), plus their needs."""
        wanted = list(only)
        if not wanted:
            return self._ordered(self.probes)
        chosen: set[str] = set()

        def take(pid: str) -> None:
            if pid in chosen or pid not in self.probes:
                return
            chosen.add(pid)
            for need in self.probes[pid].needs:
                take(need)
            for want in self.probes[pid].wants:  # what a probe reads, it should get
                take(want)

        for pid in self.probes:
            if any(pid == w or pid.startswith(w.rstrip(".") + ".") for w in wanted):
                take(pid)
        return self._ordered({pid: p for pid, p in self.probes.items() if pid in chosen})

    @staticmethod
    def _ordered(probes: dict[str, Probe]) -> list[Probe]:
        """Registration order, except that a probe comes after what it needs or wants."""
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
    if isinstance(value, Probe):
        return [value]
    if isinstance(value, (list, tuple)) and all(isinstance(v, Probe) for v in value):
        return list(value)
    return None


def _is_builtin(ep: EntryPoint) -> bool:
    dist = getattr(ep, "dist", None)
    return dist is not None and dist.metadata["Name"] == BUILTIN_DIST


def load(*, plugins: bool = True, only_entry_point: str | None = None) -> Registry:
    """Load every registered probe; never raises for a bad plugin."""
    reg = Registry()
    eps = sorted(entry_points(group=GROUP), key=lambda e: (not _is_builtin(e), e.name))
    for ep in eps:
        builtin = _is_builtin(ep)
        if not builtin and not plugins:
            continue
        if only_entry_point is not None and ep.name != only_entry_point:
            continue
        try:
            value = ep.load()
        except BaseException as exc:  # a plugin must never bring the tool down
            if isinstance(exc, KeyboardInterrupt):
                raise
            reg.problems.append(
                LoadProblem(
                    ep.name,
                    PLUGIN_LOAD_FAILED,
                    {"name": ep.name, "error": f"{type(exc).__name__}: {exc}"},
                )
            )
            continue
        probes = _as_probes(value)
        if probes is None:
            reg.problems.append(
                LoadProblem(
                    ep.name, BAD_PLUGIN_VALUE, {"name": ep.name, "got": type(value).__name__}
                )
            )
            continue
        origin = Origin(ep.name, builtin)
        for p in probes:
            reg.add(p, origin, ep.name)
    return reg
