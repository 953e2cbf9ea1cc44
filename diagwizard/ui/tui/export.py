"""Report export and the case code, from the wizard's current diagnosis."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from diagwizard.diagnosis import casecode
from diagwizard.system.adapters import system_name
from diagwizard.ui import reports

if TYPE_CHECKING:
    from diagwizard.ui.tui.app import WizardApp


def case_code(app: WizardApp) -> str:
    return casecode.code_for(app.diagnosis.results, app.diagnosis.answers, app.engine.platform)


def export_folder() -> Path:
    """Documents/diagwizard: a person who started the wizard from a shortcut has no idea
    what the "current directory" was, but can find their Documents folder."""
    return Path(platformdirs.user_documents_dir()) / "diagwizard"


def export_reports(app: WizardApp, folder: Path | None = None) -> list[Path]:
    """Write the redacted report as HTML, Markdown and JSON; return every path written."""
    folder = folder or export_folder()
    folder.mkdir(parents=True, exist_ok=True)
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
    return paths


def launch(folder: Path) -> None:
    """Show the folder in the system's file manager (replaced in tests)."""
    name = system_name()
    if sys.platform == "win32":
        os.startfile(folder)  # Windows only
        return
    tool = "open" if name == "macos" else shutil.which("xdg-open")
    if not tool:
        raise OSError("no file manager opener (xdg-open)")
    subprocess.Popen(
        [tool, str(folder)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def open_folder(folder: Path) -> bool:
    """True if the file manager was asked to show the folder."""
    try:
        launch(folder)
    except OSError:
        return False
    return True
