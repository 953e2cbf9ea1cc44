"""The probe model: what a probe is, what it reports, and the finding codes it uses.

Probes only say *what they found*. Meaning and fixes live in the knowledge base,
keyed by the finding code (``pcsc.E002``), just like Django's system checks.
"""

from __future__ import annotations

import enum
import re
import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import msgspec

from diagwizard.core.text import LANGS, Text

if TYPE_CHECKING:
    from diagwizard.api.context import Context

__all__ = ["LANGS", "Text"]  # re-exported: the bilingual type lives in diagwizard.core.text


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


_AREA_TITLES = {
    Area.CARD: Text("讀卡機與卡片", "Reader and card"),
    Area.COMPONENT: Text("元件", "Components"),
    Area.CERT: Text("憑證", "Certificates"),
    Area.NETWORK: Text("網路", "Network"),
    Area.SYSTEM: Text("系統", "System"),
}

ALL_PLATFORMS = frozenset(p.value for p in Platform)
AREAS = tuple(a.value for a in Area)

_PROBE_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
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
    Status.OK: ("✔", Text("正常", "OK")),
    Status.WARN: ("!", Text("注意", "warning")),
    Status.FAIL: ("✘", Text("問題", "problem")),
    Status.SKIP: ("–", Text("略過", "skipped")),
    Status.ERROR: ("⚠", Text("錯誤", "error")),
    Status.TIMEOUT: ("⏱", Text("逾時", "timeout")),
}
_STATUS_LABEL = {
    Status.OK: Text("✔ 正常", "✔ OK"),
    Status.WARN: Text("! 注意", "! WARN"),
    Status.FAIL: Text("✘ 失敗", "✘ FAIL"),
    Status.SKIP: Text("– 略過", "– SKIP"),
    Status.ERROR: Text("✘ 錯誤", "✘ ERROR"),
    Status.TIMEOUT: Text("⏱ 逾時", "⏱ TIMEOUT"),
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


class Result(msgspec.Struct, weakref=True):  # weakref: transport.handoff.attach
    """What one probe run produced."""

    status: Status
    summary: Text
    findings: list[Finding] = msgspec.field(default_factory=list)
    facts: dict[str, Fact] = msgspec.field(default_factory=dict)
    duration_ms: int = 0

    def fact(self, key: str, default: Any = None) -> Any:
        f = self.facts.get(key)
        return default if f is None else f.value


def result(
    status: Status,
    summary: Text,
    *findings: Finding,
    facts: Mapping[str, Any] | None = None,
    personal: Mapping[str, Any] | None = None,
) -> Result:
    """Build a Result; ``personal`` facts are marked as personal data.

    The long form, kept for plugins written against it: probes say ``found``, ``ok`` or
    ``skipped`` instead, which work the status and summary out for them.
    """
    all_facts = {k: Fact(v) for k, v in (facts or {}).items()}
    all_facts.update({k: Fact(v, personal=True) for k, v in (personal or {}).items()})
    return Result(status, summary, list(findings), all_facts)


def found(
    *findings: Finding,
    summary: Text | None = None,
    status: Status | None = None,
    facts: Mapping[str, Any] | None = None,
    personal: Mapping[str, Any] | None = None,
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
    return result(status, summary, *findings, facts=facts, personal=personal)


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


def module_codes(module: str) -> tuple[FindingDef, ...]:
    """Every FindingDef constant of a module, in definition order."""
    space = vars(sys.modules[module]) if module in sys.modules else {}
    return tuple(v for v in space.values() if isinstance(v, FindingDef))


ProbeFunc = Callable[["Context"], Result]


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

    def __post_init__(self) -> None:
        if not _PROBE_ID.match(self.id):
            raise ValueError(f"probe id {self.id!r} must be dotted lowercase, like 'pcsc.reader'")
        if self.area not in AREAS:
            raise ValueError(f"probe {self.id}: area must be one of {AREAS}")
        unknown = self.platforms - ALL_PLATFORMS
        if unknown:
            raise ValueError(f"probe {self.id}: unknown platforms {sorted(unknown)}")

    @property
    def codes(self) -> tuple[FindingDef, ...]:
        """The finding codes this probe may report (collected from its module if not given)."""
        return self.declared_codes or module_codes(getattr(self.run, "__module__", ""))


def probe(
    id: str,
    zh: str,
    en: str,
    *,
    area: str = "system",
    needs: tuple[str, ...] = (),
    platforms: frozenset[str] = ALL_PLATFORMS,
    timeout: float = 5.0,
    isolated: bool = False,
    codes: tuple[FindingDef, ...] = (),
    wants: tuple[str, ...] = (),
    on_crash: FindingDef | None = None,
    on_timeout: FindingDef | None = None,
    isolates_calls: bool = False,
) -> Callable[[ProbeFunc], Probe]:
    """Decorator that turns a function into a Probe (no global registration)."""

    def wrap(func: ProbeFunc) -> Probe:
        return Probe(
            id,
            Text(zh, en),
            func,
            area,
            needs,
            platforms,
            timeout,
            isolated,
            codes,
            wants,
            on_crash,
            on_timeout,
            isolates_calls,
        )

    return wrap
