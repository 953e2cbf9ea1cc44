"""Terminal colours of a status (rich styles). A status is always shown with its glyph and
its word (``Status.glyph``, ``Status.word``), never by colour alone."""

from __future__ import annotations

from diagwizard.core.model import Status

STATUS_STYLE = {
    Status.OK: "green",
    Status.WARN: "yellow",
    Status.FAIL: "bold red",
    Status.SKIP: "dim",
    Status.ERROR: "bold red",
    Status.TIMEOUT: "magenta",
}
