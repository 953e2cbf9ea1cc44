"""Language-neutral (both languages) serialisation of results.

Used to pass results to and from isolated child processes and to rebuild results
from saved reports. The public, single-language JSON document lives in ``report_json``.
"""

from __future__ import annotations

from typing import Any

from diagwizard.core.model import Fact, Finding, Result, Severity, Status
from diagwizard.core.text import Text


def jsonable(value: Any) -> Any:
    """Coerce a fact value into plain JSON types."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def text_to_wire(t: Text) -> dict[str, str]:
    return {"zh-TW": t.zh, "en": t.en}


def text_from_wire(d: dict[str, str]) -> Text:
    return Text(d["zh-TW"], d["en"])


def result_to_wire(r: Result) -> dict[str, Any]:
    return {
        "status": r.status.value,
        "summary": text_to_wire(r.summary),
        "duration_ms": r.duration_ms,
        "findings": [
            {
                "code": f.code,
                "severity": f.severity.value,
                "message": text_to_wire(f.message),
                "params": jsonable(dict(f.params)),
            }
            for f in r.findings
        ],
        "facts": {
            k: {"value": jsonable(v.value), "personal": v.personal} for k, v in r.facts.items()
        },
    }


def result_from_wire(d: dict[str, Any]) -> Result:
    return Result(
        status=Status(d["status"]),
        summary=text_from_wire(d["summary"]),
        findings=[
            Finding(f["code"], Severity(f["severity"]), text_from_wire(f["message"]), f["params"])
            for f in d["findings"]
        ],
        facts={k: Fact(v["value"], bool(v["personal"])) for k, v in d["facts"].items()},
        duration_ms=int(d.get("duration_ms", 0)),
    )
