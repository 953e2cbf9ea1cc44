"""The certificate stores browsers read, behind narrow interfaces.

* Windows: CurrentUser\\MY through crypt32 (ctypes), with each certificate's friendly
  name and its key provider (the HiCOS CSP for a card certificate).
* Linux: NSS databases (Chrome's ~/.pki/nssdb, Firefox profiles) list the PKCS#11
  modules the browser loads, in pkcs11.txt; p11-kit module files add system-wide ones.
* macOS: the smart-card identities the system sees (`security list-smartcards`).

Tests substitute a recorded Windows store with the same ``StoreBackend`` shape.
"""

from __future__ import annotations

import base64
import contextlib
import ctypes
import functools
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from diagwizard.core import safefile
from diagwizard.system.adapters import winapi


@dataclass(frozen=True)
class StoreCert:
    der_b64: str
    friendly_name: str = ""
    provider: str = ""  # key provider (CSP/KSP) name; "" when no private key is linked

    @property
    def thumbprint(self) -> str:
        return hashlib.sha1(base64.b64decode(self.der_b64)).hexdigest().upper()


class StoreBackend(Protocol):
    def personal(self) -> list[StoreCert]: ...

    def set_friendly_name(self, thumbprint: str, name: str) -> None: ...


# -- Linux: NSS databases and p11-kit ----------------------------------------------------------


@dataclass(frozen=True)
class ModuleRegistration:
    name: str
    library: str
    source: str  # the pkcs11.txt or p11-kit file it came from


def nss_databases(home: Path) -> list[Path]:
    """Browser NSS databases under ``home``: Chrome/Chromium, Firefox (also the snap)."""
    candidates = [home / ".pki" / "nssdb"]
    for base in (
        home / ".mozilla" / "firefox",
        home / "snap" / "firefox" / "common" / ".mozilla" / "firefox",
    ):
        if base.is_dir():
            candidates += sorted(
                p
                for p in base.iterdir()
                if (p / "cert9.db").exists() or (p / "pkcs11.txt").exists()
            )
    return [c for c in candidates if (c / "pkcs11.txt").exists() or (c / "cert9.db").exists()]


PKCS11_TXT_LIMIT = safefile.MB
_FIELD = re.compile(r'(\w+)=("([^"]*)"|\S+)')


def parse_pkcs11_txt(path: Path) -> list[ModuleRegistration]:
    """NSS's pkcs11.txt: blank-line separated records of library=... name=... lines."""
    try:  # a regular file of sane size only: the user's home is the user's to shape
        text = safefile.read_text(path, PKCS11_TXT_LIMIT, errors="replace")
    except OSError:
        return []
    out = []
    for block in re.split(r"\n\s*\n", text):
        fields: dict[str, str] = {}
        for line in block.splitlines():
            key, sep, value = line.partition("=")
            if sep and key.strip() in ("library", "name"):  # the rest of the line, spaces too
                fields.setdefault(key.strip(), value.strip().strip('"'))
                continue
            for m in _FIELD.finditer(line):
                fields.setdefault(m.group(1), m.group(3) if m.group(3) is not None else m.group(2))
        if fields.get("library"):
            out.append(ModuleRegistration(fields.get("name", ""), fields["library"], str(path)))
    return out


P11KIT_DIRS = (Path("/usr/share/p11-kit/modules"), Path("/etc/pkcs11/modules"))


def p11kit_modules(dirs: tuple[Path, ...] = P11KIT_DIRS) -> list[ModuleRegistration]:
    out = []
    for d in dirs:
        if not d.is_dir():
            continue
        for f in sorted(d.glob("*.module")):
            try:
                text = safefile.read_text(f, PKCS11_TXT_LIMIT, errors="replace")
                m = re.search(r"^\s*module\s*:\s*(\S+)", text, re.M)
            except OSError:
                continue
            if m:
                out.append(ModuleRegistration(f.stem, m.group(1), str(f)))
    return out


def same_library(a: str, b: str) -> bool:
    """Registered paths may be bare file names (found on the loader path) or full paths."""
    if not a or not b:
        return False
    pa, pb = Path(a), Path(b)
    try:
        if pa.exists() and pb.exists() and pa.resolve() == pb.resolve():
            return True
    except OSError:
        pass
    return pa.name == pb.name


# -- Windows: crypt32 through ctypes ---------------------------------------------------------


def buffer_string(raw: bytes, base: int, pointer: int | None) -> str:
    """A UTF-16 string that ``pointer`` designates inside ``raw`` (the buffer at ``base``).

    crypt32 returns structures whose string pointers point *into the caller's buffer*
    (CertGetCertificateContextProperty, CERT_KEY_PROV_INFO_PROP_ID): they must be read
    while that buffer is alive, and never outside it. A pointer elsewhere gives "".
    """
    if not pointer or not base <= pointer < base + len(raw):
        return ""
    start = pointer - base
    end = start
    while end + 1 < len(raw) and raw[end : end + 2] != b"\0\0":
        end += 2
    return raw[start:end].decode("utf-16-le", "replace")


def key_provider_name(raw: bytes, base: int) -> str:
    """pwszProvName of the CRYPT_KEY_PROV_INFO that crypt32 wrote into the buffer at ``base``."""
    width = ctypes.sizeof(ctypes.c_void_p)
    if len(raw) < 2 * width:
        return ""
    pointer = int.from_bytes(raw[width : 2 * width], "little")
    return buffer_string(raw, base, pointer)


@functools.cache
def cert_context_type() -> Any:
    """The CERT_CONTEXT structure (ctypes), built once."""

    class CertContext(ctypes.Structure):
        _fields_ = [
            ("dwCertEncodingType", ctypes.c_uint32),
            ("pbCertEncoded", ctypes.POINTER(ctypes.c_ubyte)),
            ("cbCertEncoded", ctypes.c_uint32),
            ("pCertInfo", ctypes.c_void_p),
            ("hCertStore", ctypes.c_void_p),
        ]

    return CertContext


class Crypt32Store:
    """CurrentUser\\MY, read and (with consent) labelled through crypt32.dll.

    ``lib`` and ``last_error`` are seams for tests; on Windows they default to crypt32
    loaded with ``use_last_error=True`` and ``ctypes.get_last_error``.
    """

    CERT_STORE_PROV_SYSTEM_W = 10
    CERT_SYSTEM_STORE_CURRENT_USER = 1 << 16
    CERT_STORE_READONLY_FLAG = 0x00008000
    CERT_STORE_OPEN_EXISTING_FLAG = 0x00004000
    CERT_KEY_PROV_INFO_PROP_ID = 2
    CERT_FRIENDLY_NAME_PROP_ID = 11
    CERT_SHA1_HASH_PROP_ID = 3

    def __init__(self, lib: Any = None, last_error: Any = None) -> None:
        self._crypt32 = lib
        self._last_error = last_error or winapi.last_error

    def _lib(self) -> Any:
        if self._crypt32 is None:
            self._crypt32 = winapi.load("crypt32")
        return self._crypt32

    @contextlib.contextmanager
    def opened(self, read_only: bool = False) -> Iterator[tuple[Any, Any]]:
        """crypt32 and the CurrentUser\\MY store's handle, closed when the block ends."""
        crypt32 = self._lib()
        flags = self.CERT_SYSTEM_STORE_CURRENT_USER
        if read_only:
            flags |= self.CERT_STORE_READONLY_FLAG | self.CERT_STORE_OPEN_EXISTING_FLAG
        handle = crypt32.CertOpenStore(self.CERT_STORE_PROV_SYSTEM_W, 0, None, flags, "MY")
        if not handle:
            raise winapi.windows_error(self._last_error(), "CertOpenStore(CurrentUser\\MY)")
        try:
            yield crypt32, handle
        finally:
            crypt32.CertCloseStore(ctypes.c_void_p(handle), 0)

    def _prop(self, crypt32: Any, ctx: Any, prop_id: int, read: Any = None) -> Any:
        """A certificate property. ``read(raw, base)`` runs while crypt32's buffer is
        alive (pointers inside it stay valid); without ``read`` the raw bytes come back."""
        size = ctypes.c_uint32(0)
        if not crypt32.CertGetCertificateContextProperty(
            ctypes.c_void_p(ctx), prop_id, None, ctypes.byref(size)
        ):
            return read(b"", 0) if read else b""
        buf = ctypes.create_string_buffer(size.value)
        if not crypt32.CertGetCertificateContextProperty(
            ctypes.c_void_p(ctx), prop_id, buf, ctypes.byref(size)
        ):
            return read(b"", 0) if read else b""
        raw = buf.raw[: size.value]
        return read(raw, ctypes.addressof(buf)) if read else raw

    def personal(self) -> list[StoreCert]:
        CertContext = cert_context_type()
        out = []
        # Enumeration frees each context it passes; a break would leak only one.
        with self.opened(read_only=True) as (crypt32, store):
            ctx = crypt32.CertEnumCertificatesInStore(store, None)
            while ctx:
                cert = ctypes.cast(ctx, ctypes.POINTER(CertContext)).contents
                der = ctypes.string_at(cert.pbCertEncoded, cert.cbCertEncoded)
                name = (
                    self._prop(crypt32, ctx, self.CERT_FRIENDLY_NAME_PROP_ID)
                    .decode("utf-16-le", "replace")
                    .rstrip("\x00")
                )
                provider = self._prop(
                    crypt32, ctx, self.CERT_KEY_PROV_INFO_PROP_ID, key_provider_name
                )
                out.append(StoreCert(base64.b64encode(der).decode(), name, provider))
                ctx = crypt32.CertEnumCertificatesInStore(store, ctypes.c_void_p(ctx))
        return out

    def set_friendly_name(self, thumbprint: str, name: str) -> None:
        class Blob(ctypes.Structure):
            _fields_ = [("cbData", ctypes.c_uint32), ("pbData", ctypes.c_void_p)]

        with self.opened() as (crypt32, store):
            ctx = crypt32.CertEnumCertificatesInStore(store, None)
            while ctx:
                sha1 = self._prop(crypt32, ctx, self.CERT_SHA1_HASH_PROP_ID).hex().upper()
                if sha1 == thumbprint.upper():
                    try:
                        data = ctypes.create_unicode_buffer(name)
                        blob = Blob(ctypes.sizeof(data), ctypes.cast(data, ctypes.c_void_p))
                        if not crypt32.CertSetCertificateContextProperty(
                            ctypes.c_void_p(ctx),
                            self.CERT_FRIENDLY_NAME_PROP_ID,
                            0,
                            ctypes.byref(blob),
                        ):
                            raise winapi.windows_error(
                                self._last_error(), "CertSetCertificateContextProperty"
                            )
                    finally:
                        crypt32.CertFreeCertificateContext(ctypes.c_void_p(ctx))
                    return
                ctx = crypt32.CertEnumCertificatesInStore(store, ctypes.c_void_p(ctx))
            raise LookupError(f"certificate {thumbprint} is not in CurrentUser\\MY")
