"""The probe model: what a probe is, what it reports, and the finding codes it uses.

Probes only say *what they found*. Meaning and fixes live in the knowledge base,
keyed by the finding code (``pcsc.E002``), just like Django's system checks.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from diagwizard.context import Context

LANGS = ("zh-TW", "en")
ALL_PLATFORMS = frozenset({"linux", "windows", "macos"})
AREAS = ("card", "component", "cert", "network", "system")

_PROBE_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
_CODE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*\.[EWI]\d{3}$")


@dataclass(frozen=True)
class Text:
    """A user-facing string in both languages; zh-TW is primary."""

    zh: str
    en: str

    def get(self, lang: str, **params: Any) -> str:
        template = self.en if lang == "en" else self.zh
        return template.format(**params) if params else template


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


class Severity(enum.StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


_SEVERITY_BY_LETTER = {"E": Severity.ERROR, "W": Severity.WARNING, "I": Severity.INFO}


@dataclass(frozen=True)
class FindingDef:
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


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: Text
    params: Mapping[str, Any] = field(default_factory=dict)

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


@dataclass(frozen=True)
class Fact:
    value: Any
    personal: bool = False


@dataclass
class Result:
    """What one probe run produced."""

    status: Status
    summary: Text
    findings: list[Finding] = field(default_factory=list)
    facts: dict[str, Fact] = field(default_factory=dict)
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
    """Build a Result; ``personal`` facts are marked as personal data."""
    all_facts = {k: Fact(v) for k, v in (facts or {}).items()}
    all_facts.update({k: Fact(v, personal=True) for k, v in (personal or {}).items()})
    return Result(status, summary, list(findings), all_facts)


ProbeFunc = Callable[["Context"], Result]


@dataclass(frozen=True)
class Probe:
    """A small diagnostic unit. The runner owns timeouts, isolation and ordering."""

    id: str
    title: Text
    run: ProbeFunc
    area: str = "system"
    needs: tuple[str, ...] = ()
    platforms: frozenset[str] = ALL_PLATFORMS
    timeout: float = 5.0
    isolated: bool = False
    codes: tuple[FindingDef, ...] = ()
    # Probes whose results are used if they ran, without being required.
    wants: tuple[str, ...] = ()
    # Probe-specific findings for a crash or hang (else the runner's generic ones).
    on_crash: FindingDef | None = None
    on_timeout: FindingDef | None = None

    def __post_init__(self) -> None:
        if not _PROBE_ID.match(self.id):
            raise ValueError(f"probe id {self.id!r} must be dotted lowercase, like 'pcsc.reader'")
        if self.area not in AREAS:
            raise ValueError(f"probe {self.id}: area must be one of {AREAS}")
        unknown = self.platforms - ALL_PLATFORMS
        if unknown:
            raise ValueError(f"probe {self.id}: unknown platforms {sorted(unknown)}")


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
        )

    return wrap
