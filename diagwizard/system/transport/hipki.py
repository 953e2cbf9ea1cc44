"""Client for the HiPKI Local Server (跨平台網頁元件) on 127.0.0.1:61161.

Only ``GET /pkcs11info`` is implemented. ``POST /sign`` needs the PIN and would use a
try, so this client deliberately has no way to call it. The real server and the test
double sit behind this same code.

The client (``http.client``, for http and https alike) talks to the configured host and
port only: no proxy, and a redirect is reported (:class:`HipkiRedirect`), never followed. Real answers vary
(DOMAIN.md, "Checked against real artifacts"), so decoding is lenient: numbers may be
int or float, codes may be signed 32-bit negatives, unknown fields are ignored. A field
that cannot be used is listed in ``Pkcs11Info.problems`` instead of failing the answer;
only an answer with no usable ``ret_code`` raises :class:`HipkiBadAnswer`.
"""

from __future__ import annotations

import base64
import binascii
import http.client
import urllib.parse
from typing import Any

import msgspec

MAX_BODY = 4 * 1024 * 1024
_ACCEPT = {"Accept": "application/json"}
UNKNOWN_TOKEN = ("unknown token", "unknow token")
TOKEN_FLAGS = {
    0x10000: "USER_PIN_COUNT_LOW",
    0x20000: "USER_PIN_FINAL_TRY",
    0x40000: "USER_PIN_LOCKED",
    0x80000: "USER_PIN_TO_BE_CHANGED",
}


class HipkiUnreachable(Exception):
    """Nothing answers at the URL (not running, or blocked)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class HipkiBadAnswer(Exception):
    """The answer cannot be used at all; ``field`` says where, ``expected`` what."""

    def __init__(self, field: str, expected: str) -> None:
        super().__init__(f"{field}: expected {expected}")
        self.field = field
        self.expected = expected


class HipkiRedirect(Exception):
    """Something at the component's address redirects elsewhere (not followed)."""

    def __init__(self, status: int, location: str) -> None:
        super().__init__(f"{status} -> {location}")
        self.status = status
        self.location = location


class HipkiCert(msgspec.Struct):
    certb64: str = ""
    id_hex: str = ""
    label: str = ""
    usage: str = ""
    sn: str = ""
    subject_id: str = ""
    subject_cn: str = ""


class HipkiToken(msgspec.Struct):
    label: str = ""
    serial: str = ""
    flags: int | None = None
    certs: list[HipkiCert] = msgspec.field(default_factory=list)

    @property
    def flag_names(self) -> list[str]:
        if self.flags is None:
            return []
        return [name for bit, name in TOKEN_FLAGS.items() if self.flags & bit]


class HipkiSlot(msgspec.Struct):
    description: str = ""
    token: HipkiToken | None = None
    unknown_token: bool = False  # token is the string "unknown token": a card it does not know


class Pkcs11Info(msgspec.Struct):
    ret: int
    minor: int = 0
    server_version: str = ""
    library: str = ""
    library_version: str = ""
    cryptoki_version: str = ""
    slots: list[HipkiSlot] = msgspec.field(default_factory=list)
    problems: list[tuple[str, str]] = msgspec.field(default_factory=list)  # (field, expected)


def as_code(value: object) -> int | None:
    """Codes are JSON numbers, ≥0x80000000 as signed negatives; "0x…" strings tolerated."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return value & 0xFFFFFFFF if -(2**31) <= value < 2**32 else None
    if isinstance(value, str):
        text = value.strip()
        try:
            return as_code(int(text, 16 if text.lower().startswith("0x") else 10))
        except ValueError:
            return None
    return None


class _Reader:
    """Reads fields leniently and records the ones that cannot be used."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def bad(self, path: str, expected: str, value: object) -> None:
        self.problems.append((path, f"{expected}, got {_kind(value)}"))

    def text(self, obj: dict[str, Any], key: str, path: str) -> str:
        value = obj.get(key)
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return repr(value)  # versions arrive as floats (1.001, 2.04)
        self.bad(f"{path}{key}", "a string or number", value)
        return ""

    def obj_list(self, obj: dict[str, Any], key: str, path: str) -> list[tuple[str, dict]]:
        value = obj.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.bad(f"{path}{key}", "a list", value)
            return []
        out = []
        for i, item in enumerate(value):
            if isinstance(item, dict):
                out.append((f"{path}{key}[{i}].", item))
            else:
                self.bad(f"{path}{key}[{i}]", "an object", item)
        return out

    def cert(self, obj: dict[str, Any], path: str) -> HipkiCert:
        raw_id = self.text(obj, "id", path)
        try:
            id_hex = base64.b64decode(raw_id, validate=True).hex() if raw_id else ""
        except (binascii.Error, ValueError):
            self.bad(f"{path}id", "base64", raw_id)
            id_hex = ""
        return HipkiCert(
            certb64=self.text(obj, "certb64", path),
            id_hex=id_hex,
            label=self.text(obj, "label", path),
            usage=self.text(obj, "usage", path),
            sn=self.text(obj, "sn", path),
            subject_id=self.text(obj, "subjectID", path),
            subject_cn=self.text(obj, "subjectCN", path),
        )

    def slot(self, obj: dict[str, Any], path: str) -> HipkiSlot:
        slot = HipkiSlot(description=self.text(obj, "slotDescription", path))
        tok = obj.get("token")
        if isinstance(tok, str):
            slot.unknown_token = tok.strip().lower() in UNKNOWN_TOKEN
            if not slot.unknown_token:
                self.bad(f"{path}token", 'an object or "unknown token"', tok)
        elif isinstance(tok, dict):
            flags = tok.get("flags")
            if flags is not None and (isinstance(flags, bool) or not isinstance(flags, int)):
                self.bad(f"{path}token.flags", "a number", flags)
                flags = None
            serial = self.text(tok, "serialNumber", f"{path}token.")
            slot.unknown_token = serial.strip().lower() in UNKNOWN_TOKEN
            slot.token = HipkiToken(
                label=self.text(tok, "label", f"{path}token."),
                serial="" if slot.unknown_token else serial,
                flags=flags,
                certs=[self.cert(c, p) for p, c in self.obj_list(tok, "certs", f"{path}token.")],
            )
        elif tok is not None:
            self.bad(f"{path}token", "an object", tok)
        return slot


def _kind(value: object) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean"}.get(
        type(value), "null" if value is None else "number"
    )


def _read_body(resp: http.client.HTTPResponse) -> bytes:
    """At most ``MAX_BODY + 1`` bytes of the body (one more than allowed tells "too big");
    a body cut short raises IncompleteRead, as http.client's own unbounded read does."""
    try:
        body = resp.read(MAX_BODY + 1)
    except ValueError:  # http.client reading a negative chunk size: a broken chunk
        raise http.client.IncompleteRead(b"") from None
    if len(body) <= MAX_BODY and resp.length:  # Content-Length bytes still missing
        raise http.client.IncompleteRead(body, resp.length)
    return body


def _fault(exc: http.client.HTTPException) -> str:
    """The fault as http.client names it: "LineTooLong: header line"."""
    name, text = type(exc).__name__, str(exc)
    return text if text.startswith(name) else f"{name}: {text}" if text else name


def _bad_http(reason: str) -> HipkiBadAnswer:
    return HipkiBadAnswer("HTTP", f"a valid HTTP answer ({reason[:120]})")


def parse(body: bytes) -> Pkcs11Info:
    """Decode a ``/pkcs11info`` body; raises HipkiBadAnswer only when nothing is usable."""
    try:
        doc = msgspec.json.decode(body)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise HipkiBadAnswer("(body)", f"a JSON document ({exc})"[:200]) from None
    except RecursionError:
        raise HipkiBadAnswer("(body)", "a JSON document (nested too deep)") from None
    if not isinstance(doc, dict):
        raise HipkiBadAnswer("(top level)", f"an object, got {_kind(doc)}")
    if "ret_code" not in doc:
        raise HipkiBadAnswer("ret_code", "a number, but it is missing")
    ret = as_code(doc["ret_code"])
    if ret is None:
        raise HipkiBadAnswer("ret_code", f"a 32-bit number, got {doc['ret_code']!r}"[:120])
    r = _Reader()
    minor = as_code(doc.get("last_error", 0))
    if minor is None:
        r.bad("last_error", "a 32-bit number", doc.get("last_error"))
    return Pkcs11Info(
        ret=ret,
        minor=minor or 0,
        server_version=r.text(doc, "serverVersion", ""),
        library=r.text(doc, "libraryDescription", ""),
        library_version=r.text(doc, "libraryVersion", ""),
        cryptoki_version=r.text(doc, "cryptokiVersion", ""),
        slots=[r.slot(s, p) for p, s in r.obj_list(doc, "slots", "")],
        problems=r.problems,
    )


class HipkiClient:
    def __init__(self, base_url: str, timeout: float) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        parts = urllib.parse.urlsplit(self.base_url)
        self._https = parts.scheme == "https"
        self._host = parts.hostname or ""
        try:
            self._port = parts.port or (443 if self._https else 80)
        except ValueError:
            self._port = 0
        self._path = parts.path.rstrip("/")

    def get(self, path: str) -> bytes:
        """GET a path on the configured host and port only (no proxy, no redirects)."""
        if not self._host or not self._port:
            raise HipkiUnreachable(f"invalid base URL {self.base_url!r}")
        kind = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
        conn = kind(self._host, self._port, timeout=self.timeout)
        try:
            conn.request("GET", self._path + path, headers=_ACCEPT)
            resp = conn.getresponse()
            status, location = resp.status, resp.getheader("Location", "") or ""
            body = _read_body(resp)
        except http.client.HTTPException as exc:  # before OSError: RemoteDisconnected is both
            raise _bad_http(_fault(exc)) from None
        except (TimeoutError, OSError) as exc:
            raise HipkiUnreachable(str(exc) or type(exc).__name__) from None
        finally:
            conn.close()
        if 300 <= status < 400:
            raise HipkiRedirect(status, location[:200])
        if status != 200:
            raise HipkiBadAnswer("HTTP status", f"200, got {status}")
        if len(body) > MAX_BODY:
            raise HipkiBadAnswer("(body)", f"at most {MAX_BODY // 1024 // 1024} MiB")
        return body

    def pkcs11info(self, with_certs: bool = True) -> Pkcs11Info:
        return parse(self.get("/pkcs11info" + ("?withcert=true" if with_certs else "")))
