"""Proxy discovery helpers: bypass lists, PAC files (local or remote) and their answers.

:func:`discover` decides which source wins, in the browser's order (configured proxy, PAC,
OS setting, environment); the ``net.proxy`` probe only turns its answer into findings.
"""

from __future__ import annotations

import fnmatch
import os
import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from diagwizard.core import safefile

if TYPE_CHECKING:
    from diagwizard.system.adapters.base import OsProxy

PAC_LIMIT = 1024 * 1024


def bypassed(host: str, patterns: tuple[str, ...]) -> bool:
    """WinINet/macOS bypass patterns; "<local>" means names without a dot."""
    for pattern in patterns:
        if pattern == "<local>" and "." not in host:
            return True
        if fnmatch.fnmatch(host.lower(), pattern.lower()):
            return True
    return False


def pac_path(url: str, windows: bool | None = None) -> Path:
    """The local file a ``file:`` PAC URL (or a bare path) names.

    ``file:///C:/x.pac`` is ``C:\\x.pac`` on Windows (not ``\\C:\\x.pac``), and
    ``file://server/share/x.pac`` is the UNC path ``\\\\server\\share\\x.pac``.
    """
    windows = os.name == "nt" if windows is None else windows
    if not url.lower().startswith("file:"):
        return Path(url)
    parts = urllib.parse.urlsplit(url)
    path = urllib.parse.unquote(parts.path)
    if not windows:
        return Path(path)
    if re.match(r"^/[A-Za-z][:|]", path):
        path = path[1] + ":" + path[3:]
    elif parts.netloc and parts.netloc.lower() != "localhost":
        path = f"//{parts.netloc}{path}"
    return Path(path.replace("/", "\\"))


def read_pac_bytes(data: bytes) -> str:
    """PAC text: UTF-8 (a BOM is dropped); undecodable bytes are replaced, not fatal."""
    return data.decode("utf-8-sig", "replace")


def fetch_pac(url: str, timeout: float) -> str:
    if "://" not in url or url.lower().startswith("file:"):
        # A regular file only (a FIFO would block); at most PAC_LIMIT bytes of it.
        return read_pac_bytes(safefile.read_head(pac_path(url), PAC_LIMIT))
    import urllib.request  # lazy: start-up time (issue 15; http.client and ssl with it)

    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=timeout) as resp:
        return read_pac_bytes(resp.read(PAC_LIMIT))


def pac_choice(pac_url: str, url: str, host: str, timeout: float) -> str:
    """The first usable answer of the PAC file for ``url``: "host:port" or "DIRECT"."""
    from pypac.parser import PACFile  # lazy: start-up time (only a PAC setting needs it)

    answer = str(PACFile(fetch_pac(pac_url, timeout)).find_proxy_for_url(url, host))
    first = answer.split(";")[0].strip()
    if first.upper().startswith(("PROXY ", "HTTPS ")):
        return first.split(None, 1)[1].strip()
    return "DIRECT"


DIRECT = "DIRECT"


@dataclass(frozen=True)
class ProxyChoice:
    """Where the login site's traffic goes, and which setting said so."""

    proxy: str = DIRECT  # "DIRECT" or the proxy as its source wrote it
    source: str = "none"  # config | pac | an OS source | environment | none
    pac_url: str = ""
    pac_error: str = ""  # the PAC file could not be read or run
    socks: str = ""  # a SOCKS proxy this tool cannot test through


def _from_environment(host: str) -> ProxyChoice:
    import urllib.request  # lazy: start-up time (issue 15; http.client and ssl with it)

    env = urllib.request.getproxies_environment()
    env_proxy = env.get("https") or env.get("all") or ""
    if not env_proxy:
        return ProxyChoice()
    bypass_env = getattr(urllib.request, "proxy_bypass_environment")  # noqa: B009 (untyped)
    return ProxyChoice(DIRECT if bypass_env(host, env) else env_proxy, "environment")


def discover(
    configured: str, pac_url: str, os_proxy: OsProxy, url: str, host: str, timeout: float
) -> ProxyChoice:
    """The proxy for ``url``: the configured one, else the PAC file (configured or the
    OS's), else the OS's proxy or SOCKS setting, else the environment."""
    if configured:
        return ProxyChoice(DIRECT if configured.lower() == "direct" else configured, "config")
    pac_url = pac_url or os_proxy.pac_url
    if pac_url:
        try:
            return ProxyChoice(pac_choice(pac_url, url, host, timeout), "pac", pac_url)
        except Exception as exc:  # unreachable PAC, JavaScript errors, bad answers
            error = f"{type(exc).__name__}: {exc}"[:160]
            return ProxyChoice(DIRECT, "pac", pac_url, pac_error=error)
    if os_proxy.server:
        chosen = DIRECT if bypassed(host, os_proxy.bypass) else os_proxy.server
        return ProxyChoice(chosen, os_proxy.source)
    if os_proxy.socks and not bypassed(host, os_proxy.bypass):
        return ProxyChoice(DIRECT, os_proxy.source, socks=os_proxy.socks)
    return _from_environment(host)
