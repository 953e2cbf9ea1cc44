"""What a probe reports: findings (codes defined once, Django-style), facts and a result
with a status; the areas and guide steps probes are grouped and ordered by.

Probes only say *what they found*. Meaning and fixes live in the knowledge base,
keyed by the finding code (``pcsc.E002``), just like Django's system checks. What a probe
*is* (its declaration) lives in :mod:`diagwizard.api.probe`.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from typing import Any

import msgspec

from diagwizard.core.text import Text
from diagwizard.core.words import records


class Platform(enum.StrEnum):
    """Operating systems a probe, fix or KB step can apply to."""

    LINUX = "linux"
    WINDOWS = "windows"
    MACOS = "macos"


class Area(enum.StrEnum):
    """Where a probe looks, declared in the guide's order (also the display order)."""

    CARD = "card"
    COMPONENT = "component"
    CERT = "cert"
    NETWORK = "network"
    SYSTEM = "system"

    @property
    def heading(self) -> Text:
        return _AREA_TITLES[self]

    @property
    def step(self) -> Step:
        """Where in the guide's order a probe of this area comes, unless it says."""
        return _AREA_STEP[self]


class Step(enum.IntEnum):
    """The guide's order: reader, card, middleware, PIN, certificate, browser store,
    network, clock, then the rest of the system. Problems are listed, and their fixes
    done, in this order; a probe declares its step (see ``diagwizard.api.probe``)."""

    READER = 0
    CARD = 1
    MIDDLEWARE = 2
    PIN = 3
    CERTIFICATE = 4
    STORE = 5
    NETWORK = 6
    CLOCK = 7
    SYSTEM = 8


_AREA_TITLES = {
    Area.CARD: records.AREA_CARD,
    Area.COMPONENT: records.AREA_COMPONENT,
    Area.CERT: records.AREA_CERT,
    Area.NETWORK: records.AREA_NETWORK,
    Area.SYSTEM: records.AREA_SYSTEM,
}

_AREA_STEP = {
    Area.CARD: Step.CARD,
    Area.COMPONENT: Step.MIDDLEWARE,
    Area.CERT: Step.CERTIFICATE,
    Area.NETWORK: Step.NETWORK,
    Area.SYSTEM: Step.SYSTEM,
}


def area_step(area: str) -> Step:
    """The guide step of an area given as text (a question's or plugin's), SYSTEM if unknown."""
    return _AREA_STEP.get(Area(area), Step.SYSTEM) if area in AREAS else Step.SYSTEM


ALL_PLATFORMS = frozenset(p.value for p in Platform)
AREAS = tuple(a.value for a in Area)

_CODE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*\.[EWI]\d{3}$")


class Status(enum.StrEnum):
    OK = "ok"
    WARN = "warn"
    FAIL = "fail"
    SKIP = "skip"
    ERROR = "error"
    TIMEOUT = "timeout"

    @property
    def is_problem(self) -> bool:
        """Statuses that make `check` exit 1."""
        return self in (Status.FAIL, Status.ERROR, Status.TIMEOUT)

    @property
    def passed(self) -> bool:
        """Statuses a dependent probe may build on (a warning still lets it run)."""
        return self in (Status.OK, Status.WARN)

    @property
    def glyph(self) -> str:
        """The symbol shown with the word, so state never depends on colour alone."""
        return _STATUS_MARK[self][0]

    @property
    def word(self) -> Text:
        return _STATUS_MARK[self][1]

    @property
    def label(self) -> Text:
        """The status column of the terminal, ``decode`` and reports: glyph and a short
        word (失敗 / FAIL there, where the wizard's rows say 問題 / problem)."""
        return _STATUS_LABEL[self]

    @property
    def rank(self) -> int:
        """How bad a status is: the worst of several results has the highest rank."""
        return _STATUS_RANK[self]


_STATUS_MARK = {
    Status.OK: ("✔", records.STATUS_OK),
    Status.WARN: ("!", records.STATUS_WARN),
    Status.FAIL: ("✘", records.STATUS_FAIL),
    Status.SKIP: ("–", records.STATUS_SKIP),
    Status.ERROR: ("⚠", records.STATUS_ERROR),
    Status.TIMEOUT: ("⏱", records.STATUS_TIMEOUT),
}
_STATUS_LABEL = {
    Status.OK: records.LABEL_OK,
    Status.WARN: records.LABEL_WARN,
    Status.FAIL: records.LABEL_FAIL,
    Status.SKIP: records.LABEL_SKIP,
    Status.ERROR: records.LABEL_ERROR,
    Status.TIMEOUT: records.LABEL_TIMEOUT,
}
_STATUS_RANK = {
    Status.OK: 0,
    Status.SKIP: 1,
    Status.WARN: 2,
    Status.TIMEOUT: 3,
    Status.ERROR: 4,
    Status.FAIL: 5,
}


class Severity(enum.StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}[self]

    @property
    def status(self) -> Status:
        """The result status a finding of this severity implies on its own."""
        return {Severity.INFO: Status.OK, Severity.WARNING: Status.WARN}.get(self, Status.FAIL)


_SEVERITY_BY_LETTER = {"E": Severity.ERROR, "W": Severity.WARNING, "I": Severity.INFO}


class FindingDef(msgspec.Struct, frozen=True):
    """A finding code defined once, as a module constant (Django-style).

    The letter in the code fixes the severity: ``E`` error, ``W`` warning, ``I`` info.
    """

    code: str
    message: Text

    def __post_init__(self) -> None:
        if not _CODE.match(self.code):
            raise ValueError(f"finding code {self.code!r} must look like 'area.E001'")

    @property
    def severity(self) -> Severity:
        return _SEVERITY_BY_LETTER[self.code.rsplit(".", 1)[1][0]]

    def __call__(self, **params: Any) -> Finding:
        return Finding(self.code, self.severity, self.message, params)


class Finding(msgspec.Struct, frozen=True):
    code: str
    severity: Severity
    message: Text
    params: Mapping[str, Any] = msgspec.field(default_factory=dict)

    def render(self, lang: str) -> str:
        template = self.message.en if lang == "en" else self.message.zh
        try:
            return template.format_map(_Lenient(self.params))
        except (IndexError, ValueError):
            return template


class _Lenient(dict[str, Any]):
    """Format parameters where a missing one shows as "…" (e.g. findings rebuilt from a
    case code, which carries codes but not their parameters)."""

    def __missing__(self, key: str) -> _Missing:
        return _Missing()


class _Missing:
    def __format__(self, spec: str) -> str:
        return "…"


class Fact(msgspec.Struct, frozen=True):
    value: Any
    personal: bool = False


class Result(msgspec.Struct):
    """What one probe run produced.

    ``facts`` are what it found, shown and exported (personal ones redacted). ``data`` is
    for the probes that declared they read this one (``needs``/``wants``) and nothing
    else: never shown, exported or put in a case code (e.g. the certificate analyses the
    PKCS#11 child made, which ``pkcs11.certs`` reads instead of parsing them again).
    """

    status: Status
    summary: Text
    findings: list[Finding] = msgspec.field(default_factory=list)
    facts: dict[str, Fact] = msgspec.field(default_factory=dict)
    duration_ms: int = 0
    data: dict[str, Any] = msgspec.field(default_factory=dict)

    def fact(self, key: str, default: Any = None) -> Any:
        f = self.facts.get(key)
        return default if f is None else f.value


def result(
    status: Status,
    summary: Text,
    *findings: Finding,
    facts: Mapping[str, Any] | None = None,
    personal: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
) -> Result:
    """Build a Result; ``personal`` facts are marked as personal data, ``data`` is for
    dependent probes only (see :class:`Result`).

    The long form, kept for plugins written against it: probes say ``found``, ``ok`` or
    ``skipped`` instead, which work the status and summary out for them.
    """
    all_facts = {k: Fact(v) for k, v in (facts or {}).items()}
    all_facts.update({k: Fact(v, personal=True) for k, v in (personal or {}).items()})
    return Result(status, summary, list(findings), all_facts, data=dict(data or {}))


def found(
    *findings: Finding,
    summary: Text | None = None,
    status: Status | None = None,
    facts: Mapping[str, Any] | None = None,
    personal: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
) -> Result:
    """A result that is what it found, the way a Django check returns ``[W004]``.

    The status derives from the worst finding (error → FAIL, warning → WARN, info → OK)
    and the summary defaults to that finding's message; pass either to override.
    """
    worst = max(findings, key=lambda f: f.severity.rank, default=None)
    if summary is None:
        if worst is None:
            raise ValueError("found() needs a finding or a summary")
        summary = Text(worst.render("zh-TW"), worst.render("en"))
    if status is None:
        status = worst.severity.status if worst else Status.OK
    return result(status, summary, *findings, facts=facts, personal=personal, data=data)


def ok(
    summary: Text,
    *findings: Finding,
    facts: Mapping[str, Any] | None = None,
    personal: Mapping[str, Any] | None = None,
) -> Result:
    """A passing result; info findings may ride along."""
    return result(Status.OK, summary, *findings, facts=facts, personal=personal)


def skipped(
    summary: Text,
    *findings: Finding,
    facts: Mapping[str, Any] | None = None,
    personal: Mapping[str, Any] | None = None,
) -> Result:
    """A probe that had nothing to look at (no card read, not this platform): neither
    passed nor failed. Info findings may say why."""
    return result(Status.SKIP, summary, *findings, facts=facts, personal=personal)
