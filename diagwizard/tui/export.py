"""Report export from the wizard: the redacted JSON check document, next to the user."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

from diagwizard import knowledge
from diagwizard.redact import Redactor
from diagwizard.report_json import build_document

if TYPE_CHECKING:
    from diagwizard.tui.app import WizardApp


def export_reports(app: WizardApp, folder: Path | None = None) -> str:
    folder = folder or Path.cwd()
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = folder / f"diagwizard-report-{stamp}.json"
    doc = build_document(
        app.engine.probes,
        app.diagnosis.results,
        lang=app.lang,
        platform=app.engine.platform,
        started_at=time.time(),
        duration_ms=0,
        kb_for=knowledge.entries_for_code,
        redactor=Redactor(),
    )
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    return str(path)
