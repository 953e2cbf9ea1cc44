"""Which built-in probes a run with ``--only`` takes, read from the generated index alone
(no probe module, no msgspec): the command line asks this before anything heavy loads, to
start the PKCS#11 scan's child early (see ``diagwizard.isolation.spare``)."""

from __future__ import annotations

from collections.abc import Iterable

from diagwizard.engine import builtin_index


def normalise(only: Iterable[str]) -> list[str]:
    """``--only`` values as matched: trimmed, lower case, empty ones dropped."""
    return [w.strip().lower() for w in only if w.strip()]


def matches(pid: str, wanted: Iterable[str]) -> bool:
    """Is ``pid`` named by one of ``wanted`` (normalised ids or dotted prefixes)?"""
    return any(pid == w or pid.startswith(w.rstrip(".") + ".") for w in wanted)


def builtin_selection(wanted: Iterable[str]) -> set[str]:
    """The built-in probe ids a run with ``--only wanted`` takes, with what they need or
    read (all when ``wanted`` is empty). Plugins may add more; the registry resolves those."""
    wanted = list(wanted)
    chosen: set[str] = set()
    todo = [pid for pid in builtin_index.PROBES if not wanted or matches(pid, wanted)]
    while todo:
        pid = todo.pop()
        if pid not in chosen and pid in builtin_index.PROBES:
            chosen.add(pid)
            todo.extend(builtin_index.PROBES[pid][1])
    return chosen


def modules_for(probe_ids: Iterable[str]) -> list[str]:
    """The built-in modules declaring ``probe_ids``, in the index's order."""
    wanted = set(probe_ids)
    out: list[str] = []
    for pid, (module, _, _) in builtin_index.PROBES.items():
        if pid in wanted and module not in out:
            out.append(module)
    return out


def may_isolate(only: Iterable[str]) -> bool:
    """Will a check with ``--only`` run a built-in probe that hands native code to a child
    process (so a spare child is worth starting early)?"""
    return any(builtin_index.PROBES[p][2] for p in builtin_selection(normalise(only)))
