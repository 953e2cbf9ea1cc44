"""Client for the HiPKI Local Server (跨平台網頁元件) on 127.0.0.1:61161.

Only ``GET /pkcs11info`` is implemented. ``POST /sign`` needs the PIN and would use a
try, so this client deliberately has no way to call it. The real server and the test
double sit behind this same code. A malformed answer raises :class:`HipkiBadAnswer`
naming the field and what was expected.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

import msgspec


class HipkiCert(msgspec.Struct, kw_only=True):
    certb64: str = ""
    label: str = ""
    usage: str = ""
    sn: str = ""
    subjectDN: str = ""
    issuerDN: str = ""
    notBeforeT: str = ""
    notAfterT: str = ""


class HipkiToken(msgspec.Struct, kw_only=True):
    serialNumber: str = ""
    label: str = ""
    certs: list[HipkiCert] = []


class HipkiSlot(msgspec.Struct, kw_only=True):
    slotDescription: str = ""
    token: HipkiToken | None = None


class Pkcs11Info(msgspec.Struct, kw_only=True):
    ret_code: int | str
    last_error: int | str = 0
    serverVersion: str = ""
    libraryDescription: str = ""
    libraryVersion: str = ""
    slots: list[HipkiSlot] = []

    @property
    def ret(self) -> int:
        return as_code(self.ret_code)

    @property
    def minor(self) -> int:
        return as_code(self.last_error)


def as_code(value: int | str) -> int:
    """Codes arrive as numbers or as strings like "0x76000006"."""
    if isinstance(value, int):
        return value & 0xFFFFFFFF
    text = value.strip()
    try:
        return int(text, 16 if text.lower().startswith("0x") else 10) & 0xFFFFFFFF
    except ValueError:
        raise HipkiBadAnswer("ret_code/last_error", f"a number, got {value!r}") from None


class HipkiUnreachable(Exception):
    """Nothing answers at the URL (not running, or blocked)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class HipkiBadAnswer(Exception):
    def __init__(self, field: str, expected: str) -> None:
        super().__init__(f"{field}: expected {expected}")
        self.field = field
        self.expected = expected


_AT = re.compile(r"^(?P<what>.*?)(?: - at `\$\.?(?P<path>[^`]*)`)?$")


class HipkiClient:
    def __init__(self, base_url: str, timeout: float) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        # The local server is never reached through a proxy.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def pkcs11info(self, with_certs: bool = True) -> Pkcs11Info:
        url = f"{self.base_url}/pkcs11info" + ("?withcert=true" if with_certs else "")
        try:
            with self._opener.open(url, timeout=self.timeout) as resp:
                body = resp.read(4 * 1024 * 1024)
        except urllib.error.HTTPError as exc:
            raise HipkiBadAnswer("HTTP status", f"200, got {exc.code}") from None
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise HipkiUnreachable(str(reason)) from None
        try:
            json.loads(body)
        except ValueError:
            raise HipkiBadAnswer("(body)", "a JSON document") from None
        try:
            return msgspec.json.decode(body, type=Pkcs11Info)
        except msgspec.ValidationError as exc:
            m = _AT.match(str(exc))
            raise HipkiBadAnswer(
                (m.group("path") if m else "") or "(top level)", m.group("what") if m else str(exc)
            ) from None
