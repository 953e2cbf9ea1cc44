"""Report export and the case code, from the wizard's current diagnosis."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import TYPE_CHECKING

from diagwizard import casecode, reports

if TYPE_CHECKING:
    from diagwizard.tui.app import WizardApp


def case_code(app: WizardApp) -> str:
    return casecode.code_for(app.diagnosis.results, app.diagnosis.answers, app.engine.platform)


def export_reports(app: WizardApp, folder: Path | None = None) -> str:
    """Write the redacted report as HTML, Markdown and JSON; return the HTML path."""
    folder = folder or Path.cwd()
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    doc = reports.report_document(
        app.engine.probes,
        app.diagnosis,
        lang=app.lang,
        platform=app.engine.platform,
        started_at=time.time(),
        duration_ms=0,
        case_code=case_code(app),
    )
    paths = []
    for fmt in ("html", "md", "json"):
        path = folder / f"diagwizard-report-{stamp}.{fmt}"
        reports.write(path, reports.render(doc, app.diagnosis, app.lang, fmt))
        paths.append(path)
    return str(paths[0])
