"""Which built-in module holds which probe, and what each probe reads, without importing
any probe module (issue 15: ``check --only pcsc`` should not pay for dnspython's,
cryptography's or the network transports' imports).

The index is data only, a leaf module that ``diagwizard.ui.cli`` can read before anything
else is imported. ``tests/test_registry_index.py`` compares it with the probes the
modules really declare, so it cannot drift.
"""

from __future__ import annotations

from collections.abc import Iterable

# Built-in module name (a key of ``registry.BUILTIN``) -> {probe id: needs + wants}.
BUILTIN_PROBES: dict[str, dict[str, tuple[str, ...]]] = {
    "card_type": {"pcsc.card_type": ("pcsc.card",)},
    "clock": {"sys.clock": ("net.http",)},
    "middleware": {
        "middleware.hicos": (),
        "middleware.safesign": ("pkcs11.token", "middleware.hipki"),
        "middleware.hipki": (),
    },
    "network": {
        "net.proxy": (),
        "net.dns": (),
        "net.reach": ("net.proxy",),
        "net.tls": ("net.proxy", "net.reach"),
        "net.http": ("net.proxy", "net.tls"),
    },
    "pcsc": {
        "pcsc.service": (),
        "pcsc.readers": ("pcsc.service",),
        "pcsc.card": ("pcsc.readers",),
    },
    "pkcs11": {
        "pkcs11.token": (),
        "pkcs11.pin": ("pkcs11.token", "middleware.hipki"),
        "pkcs11.certs": ("pkcs11.token", "middleware.hipki"),
    },
    "store": {
        "store.registered": ("pkcs11.token", "middleware.hipki"),
        "store.stale": ("pkcs11.token", "middleware.hipki"),
        "store.names": (),
    },
    "system": {"sys.os": (), "sys.runtime": ()},
}
# Built-in probes that run native code in isolated child processes (isolated or
# isolates_calls): a check that runs one starts a spare child early.
ISOLATED = frozenset({"pkcs11.token"})

MODULE_OF = {pid: name for name, probes in BUILTIN_PROBES.items() for pid in probes}
DEPENDS = {pid: deps for probes in BUILTIN_PROBES.values() for pid, deps in probes.items()}


def normalise(only: Iterable[str]) -> list[str]:
    """``--only`` values as matched: trimmed, lower case, empty ones dropped."""
    return [w.strip().lower() for w in only if w.strip()]


def matches(pid: str, wanted: Iterable[str]) -> bool:
    """Is ``pid`` named by one of ``wanted`` (normalised ids or dotted prefixes)?"""
    return any(pid == w or pid.startswith(w.rstrip(".") + ".") for w in wanted)


def builtin_selection(only: Iterable[str]) -> set[str]:
    """The built-in probe ids a run with ``--only`` would take (all when empty), with what
    they need or read. Plugins may add more; the registry resolves those."""
    wanted = normalise(only)
    chosen: set[str] = set()
    todo = [pid for pid in DEPENDS if not wanted or matches(pid, wanted)]
    while todo:
        pid = todo.pop()
        if pid not in chosen and pid in DEPENDS:
            chosen.add(pid)
            todo.extend(DEPENDS[pid])
    return chosen


def modules_for(probe_ids: Iterable[str]) -> list[str]:
    """The built-in modules holding ``probe_ids``, in ``BUILTIN_PROBES`` order."""
    names = {MODULE_OF[pid] for pid in probe_ids if pid in MODULE_OF}
    return [name for name in BUILTIN_PROBES if name in names]


def may_isolate(only: Iterable[str]) -> bool:
    """Will a check with ``--only`` run an isolated built-in probe (so a spare child is
    worth starting early)?"""
    return bool(builtin_selection(only) & ISOLATED)
