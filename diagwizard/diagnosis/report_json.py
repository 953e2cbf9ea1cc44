"""The public ``check --json`` document (schema 1; see schema/check.schema.json)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from diagwizard import __version__
from diagwizard.api.probe import Probe
from diagwizard.core.jsonable import jsonable
from diagwizard.core.model import Result
from diagwizard.core.redact import Redactor

SCHEMA_VERSION = 1


def build_document(
    probes: Mapping[str, Probe],
    results: Mapping[str, Result],
    *,
    lang: str,
    platform: str,
    started_at: float,
    duration_ms: int,
    kb_for: Callable[[str], list[str]],
    redactor: Redactor,
) -> dict[str, Any]:
    redactor.learn(results.values())
    out = []
    for pid, res in results.items():
        probe = probes.get(pid)
        title = probe.title.get(lang) if probe else pid
        facts: dict[str, Any] = {}
        personal: list[str] = []
        for key, fact in res.facts.items():
            value = jsonable(fact.value)
            if fact.personal:
                personal.append(key)
                facts[key] = redactor.placeholder(value)
            else:
                facts[key] = redactor.deep(value)
        out.append(
            {
                "id": pid,
                "title": title,
                "status": res.status.value,
                "summary": redactor.text(res.summary.get(lang)),
                "duration_ms": res.duration_ms,
                "findings": [
                    {
                        "code": f.code,
                        "severity": f.severity.value,
                        "message": redactor.text(f.render(lang)),
                        "kb": kb_for(f.code),
                    }
                    for f in res.findings
                ],
                "facts": facts,
                "personal": personal,
            }
        )
    return {
        "schema": SCHEMA_VERSION,
        "tool_version": __version__,
        "platform": platform,
        "lang": lang,
        "redacted": redactor.enabled,
        "started_at": dt.datetime.fromtimestamp(started_at, dt.UTC).isoformat(timespec="seconds"),
        "duration_ms": duration_ms,
        "results": out,
    }
