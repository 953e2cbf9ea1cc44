"""Windows OS access. Windows-only imports stay inside the methods that need them."""

from __future__ import annotations

import platform

from diagwizard.adapters.base import OsAdapter


class WindowsAdapter(OsAdapter):
    system = "windows"

    def os_name(self) -> str:
        release, version, _csd, _ptype = platform.win32_ver()
        edition = platform.win32_edition() if hasattr(platform, "win32_edition") else ""
        return " ".join(p for p in ("Windows", release, edition, version) if p)

    def is_admin(self) -> bool | None:
        try:
            import ctypes

            return bool(ctypes.windll.shell32.IsUserAnAdmin())  # type: ignore[attr-defined]
        except (AttributeError, OSError):
            return None
