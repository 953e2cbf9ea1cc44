"""Proxy discovery helpers: bypass lists, PAC files (local or remote) and their answers.

The probe in ``checks/network.py`` decides which source wins; this module only reads and
evaluates what a source says, the way the browser would.
"""

from __future__ import annotations

import fnmatch
import os
import re
import urllib.parse
import urllib.request
from pathlib import Path

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
        with pac_path(url).open("rb") as f:
            return read_pac_bytes(f.read(PAC_LIMIT))
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=timeout) as resp:
        return read_pac_bytes(resp.read(PAC_LIMIT))


def pac_choice(pac_url: str, url: str, host: str, timeout: float) -> str:
    """The first usable answer of the PAC file for ``url``: "host:port" or "DIRECT"."""
    from pypac.parser import PACFile

    answer = str(PACFile(fetch_pac(pac_url, timeout)).find_proxy_for_url(url, host))
    first = answer.split(";")[0].strip()
    if first.upper().startswith(("PROXY ", "HTTPS ")):
        return first.split(None, 1)[1].strip()
    return "DIRECT"
