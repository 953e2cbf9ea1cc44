"""A Windows service's state and start type, from the service API through psutil
(``win_service_get``), never from the localized text ``sc`` prints."""

from __future__ import annotations


def status(name: str) -> str | None:
    """ "running", "stopped", "start_pending"...; None if the service does not exist."""
    import psutil  # lazy: Windows only (win_service_get)

    try:
        return str(psutil.win_service_get(name).status())  # type: ignore[attr-defined,unused-ignore]
    except psutil.NoSuchProcess:
        return None


def start_type(name: str) -> str | None:
    """ "automatic", "manual" or "disabled"; None if the service does not exist."""
    import psutil  # lazy: Windows only (win_service_get)

    try:
        return str(psutil.win_service_get(name).start_type())  # type: ignore[attr-defined,unused-ignore]
    except psutil.NoSuchProcess:
        return None
