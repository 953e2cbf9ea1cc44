"""Report export and the case code, from the diagnosis a screen was given."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import platformdirs

from diagwizard.diagnosis import casecode
from diagwizard.system.adapters import system_name
from diagwizard.ui import reports

if TYPE_CHECKING:
    from diagwizard.diagnosis.session import Diagnosis
    from diagwizard.ui.tui.view import View


class Evidence(Protocol):
    """The diagnosis and the platform it describes (a screen's View, or the app's run)."""

    @property
    def diagnosis(self) -> Diagnosis: ...

    @property
    def platform(self) -> str: ...


def case_code(evidence: Evidence) -> str:
    diagnosis = evidence.diagnosis
    return casecode.code_for(diagnosis.results, diagnosis.answers, evidence.platform)


def export_folder() -> Path:
    """Documents/diagwizard: a person who started the wizard from a shortcut has no idea
    what the "current directory" was, but can find their Documents folder."""
    return Path(platformdirs.user_documents_dir()) / "diagwizard"


def export_reports(view: View, lang: str, folder: Path | None = None) -> list[Path]:
    """Write the redacted report as HTML, Markdown and JSON; return every path written."""
    folder = folder or export_folder()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    doc = reports.report_document(
        view.probes,
        view.diagnosis,
        lang=lang,
        platform=view.platform,
        started_at=time.time(),
        duration_ms=0,
        case_code=case_code(view),
    )
    paths = []
    for fmt in ("html", "md", "json"):
        path = folder / f"diagwizard-report-{stamp}.{fmt}"
        reports.write(path, reports.render(doc, view.diagnosis, lang, fmt))
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
