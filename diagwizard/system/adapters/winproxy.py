"""The Windows proxy settings the browser uses, as WinHTTP reports them.

``WinHttpGetIEProxyConfigForCurrentUser`` (what Chromium calls) returns the settings of
the connection in use, including per-connection (VPN/dial-up) ones and the "Automatically
detect settings" box, which live in binary ``Connections`` registry values rather than in
``ProxyEnable``/``AutoDetect``. Its strings are freed with ``GlobalFree``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from diagwizard.system.adapters.base import OsProxy


@dataclass(frozen=True)
class IeProxyConfig:
    """WINHTTP_CURRENT_USER_IE_PROXY_CONFIG, as plain values."""

    auto_detect: bool = False
    auto_config_url: str = ""
    proxy: str = ""  # "host:port" or "http=h:p;https=h:p;socks=h:p"
    proxy_bypass: str = ""  # "*.local;<local>"


def proxy_entries(value: str) -> dict[str, str]:
    """Split a WinINet proxy list into scheme -> "host:port" ("" = every scheme).

    Entries are separated by ";" or whitespace; an entry without "=" applies to all
    schemes. ``http=`` is for http:// URLs only; ``socks=`` is the fallback for the rest.
    """
    entries: dict[str, str] = {}
    for item in re.split(r"[;\s]+", value.strip()):
        if not item:
            continue
        scheme, sep, address = item.partition("=")
        if not sep:
            scheme, address = "", item
        address = re.sub(r"^[a-z0-9]+://", "", address.strip(), flags=re.I).rstrip("/")
        if address:
            entries.setdefault(scheme.strip().lower(), address)
    return entries


def ie_proxy(config: IeProxyConfig) -> OsProxy:
    """The proxy a browser uses for https:// URLs under ``config``."""
    entries = proxy_entries(config.proxy)
    server = entries.get("https") or entries.get("", "")
    socks = "" if server else entries.get("socks", "")
    bypass = tuple(p.strip() for p in re.split(r"[;\s]+", config.proxy_bypass) if p.strip())
    return OsProxy(
        source="windows-winhttp",
        server=server,
        bypass=bypass,
        pac_url=config.auto_config_url,
        auto_detect=config.auto_detect,
        socks=socks,
    )


def current_user_ie_proxy() -> IeProxyConfig:  # pragma: no cover (Windows only)
    """Call WinHttpGetIEProxyConfigForCurrentUser and free its strings."""
    import ctypes  # lazy: Windows only

    from diagwizard.system.adapters import winapi  # lazy: Windows only

    class Config(ctypes.Structure):
        _fields_ = [
            ("fAutoDetect", winapi.BOOL),
            ("lpszAutoConfigUrl", ctypes.c_void_p),
            ("lpszProxy", ctypes.c_void_p),
            ("lpszProxyBypass", ctypes.c_void_p),
        ]

    winhttp, kernel32 = winapi.load("winhttp"), winapi.load("kernel32")
    config = Config()
    if not winhttp.WinHttpGetIEProxyConfigForCurrentUser(ctypes.byref(config)):
        raise winapi.windows_error(winapi.last_error(), "WinHttpGetIEProxyConfigForCurrentUser")
    try:
        return IeProxyConfig(
            bool(config.fAutoDetect),
            ctypes.wstring_at(config.lpszAutoConfigUrl) if config.lpszAutoConfigUrl else "",
            ctypes.wstring_at(config.lpszProxy) if config.lpszProxy else "",
            ctypes.wstring_at(config.lpszProxyBypass) if config.lpszProxyBypass else "",
        )
    finally:
        for pointer in (config.lpszAutoConfigUrl, config.lpszProxy, config.lpszProxyBypass):
            if pointer:
                kernel32.GlobalFree(pointer)
