"""Pick the OS adapter once, for the platform we run on."""

from __future__ import annotations

import sys

from diagwizard.system.adapters.base import OsAdapter, OsInfo

__all__ = ["OsAdapter", "OsInfo", "current", "system_name"]


def system_name() -> str:
    if sys.platform.startswith("win"):
        return "windows"
    if sys.platform == "darwin":
        return "macos"
    return "linux"


def current() -> OsAdapter:
    name = system_name()
    if name == "windows":
        from diagwizard.system.adapters.windows import WindowsAdapter  # lazy: this platform's only

        return WindowsAdapter()
    if name == "macos":
        from diagwizard.system.adapters.macos import MacAdapter  # lazy: this platform's only

        return MacAdapter()
    from diagwizard.system.adapters.linux import LinuxAdapter  # lazy: this platform's only

    return LinuxAdapter()
