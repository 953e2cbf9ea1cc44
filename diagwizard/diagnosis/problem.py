"""What counts as a problem, and how problems are ordered and chained: the guide's order,
and which probe's failure explains which (no DNS → no reach → no TLS → no login page; no
service → no reader → no card → no token). Shared by the run's outcome and the person's
evidence."""

from __future__ import annotations

import msgspec

from diagwizard.core.model import Area, Finding, Result, Severity
from diagwizard.core.text import Text

# The guide's order: reader, card, middleware, PIN, certificate, browser store, network,
# clock; then the rest of the system. The first matching prefix wins.
GUIDE_ORDER: tuple[tuple[str, ...], ...] = (
    ("pcsc.service", "pcsc.readers"),
    ("pcsc.card", "pcsc.card_type"),
    ("middleware.", "pkcs11.token"),
    ("pkcs11.pin",),
    ("pkcs11.certs",),
    ("store.",),
    ("net.",),
    ("sys.clock",),
    ("sys.",),
)
# A probe outside GUIDE_ORDER ranks with its area's group there (an index into it).
AREA_RANK: dict[str, int] = {
    Area.CARD: 1,
    Area.COMPONENT: 2,
    Area.CERT: 4,
    Area.NETWORK: 6,
    Area.SYSTEM: 8,
}

# probe -> (the probe whose failure explains it, the codes it explains; None = all).
CAUSES: dict[str, tuple[str, frozenset[str] | None]] = {
    "pcsc.readers": ("pcsc.service", None),
    "pcsc.card": ("pcsc.readers", None),
    "pcsc.card_type": ("pcsc.card", None),
    "pkcs11.token": ("pcsc.card", frozenset({"pkcs11.E046"})),  # no card → no token
    "pkcs11.pin": ("pkcs11.token", None),
    "pkcs11.certs": ("pkcs11.token", None),
    "net.reach": ("net.dns", frozenset({"net.E020", "net.E021", "net.E022"})),
    "net.tls": ("net.reach", None),
    "net.http": ("net.tls", None),
    "sys.clock": ("net.http", None),
}


def guide_rank(source: str, area: str = "system") -> int:
    for rank, prefixes in enumerate(GUIDE_ORDER):
        if any(source == p or (p.endswith(".") and source.startswith(p)) for p in prefixes):
            return rank
    return AREA_RANK.get(area, len(GUIDE_ORDER))


def upstream(pid: str) -> list[str]:
    """The chain of probes ``pid`` depends on, nearest first."""
    chain: list[str] = []
    while pid in CAUSES and CAUSES[pid][0] not in chain:
        pid = CAUSES[pid][0]
        chain.append(pid)
    return chain


def is_problem(res: Result) -> bool:
    """The one rule: a result is a problem if it failed or reports a warning or error."""
    return res.status.is_problem or any(f.severity != Severity.INFO for f in res.findings)


class Problem(msgspec.Struct):
    """One root cause to fix, with what it explains and the evidence for it."""

    key: str  # KB entry id, or the finding code when no entry maps it
    code: str
    kb: str | None
    title: Text
    rank: int
    severity: Severity
    sources: list[str] = msgspec.field(default_factory=list)  # probes, "ask:<q>", "symptom"
    explains: list[str] = msgspec.field(default_factory=list)  # probes that fail because of it
    findings: list[Finding] = msgspec.field(default_factory=list)
    facts: dict[str, list[str]] = msgspec.field(default_factory=dict)
    conflict: Text | None = None
