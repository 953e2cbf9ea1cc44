"""A recorded Windows CurrentUser\\MY store behind the same StoreBackend the crypt32
adapter implements: certificates, friendly names and key providers."""

from __future__ import annotations

import base64
import ctypes
import hashlib
import struct
from dataclasses import replace

from diagwizard.system.adapters.certstore import StoreCert, cert_context_type

HICOS_CSP = "HiCOS PKI Smart Card Cryptographic Service Provider"


class FakeCrypt32Store:
    def __init__(self, certs: list[StoreCert]) -> None:
        self.certs = list(certs)
        self.writes: list[tuple[str, str]] = []

    def personal(self) -> list[StoreCert]:
        return list(self.certs)

    def set_friendly_name(self, thumbprint: str, name: str) -> None:
        for i, c in enumerate(self.certs):
            if c.thumbprint == thumbprint:
                self.certs[i] = replace(c, friendly_name=name)
                self.writes.append((thumbprint, name))
                return
        raise LookupError(thumbprint)

    # -- the fix adapter's certificate editor (CertEditor) ------------------------------
    def delete(self, thumbprint: str) -> str:
        gone = [c for c in self.certs if c.thumbprint == thumbprint]
        if not gone:
            raise LookupError(thumbprint)
        self.certs = [c for c in self.certs if c.thumbprint != thumbprint]
        self.writes.append((thumbprint, "<deleted>"))
        cert = gone[0]
        element = serialise(base64.b64decode(cert.der_b64), cert.friendly_name, cert.provider)
        return base64.b64encode(element).decode()

    def restore(self, element_b64: str) -> None:
        der, friendly, provider = parse_element(base64.b64decode(element_b64))
        self.certs.append(StoreCert(base64.b64encode(der).decode(), friendly, provider))
        self.writes.append((StoreCert(self.certs[-1].der_b64).thumbprint, "<restored>"))

    def add(self, der_b64: str, friendly_name: str = "") -> None:
        self.certs.append(StoreCert(der_b64, friendly_name, ""))
        self.writes.append((StoreCert(der_b64).thumbprint, "<added>"))

    def clear_friendly_name(self, thumbprint: str) -> None:
        self.set_friendly_name(thumbprint, "")


class _Poison:
    """Overwrites a buffer's bytes when Python releases it: what reuse of freed memory
    does to anyone still reading through pointers into it."""

    def __init__(self, address: int, size: int) -> None:
        self.address, self.size = address, size

    def __del__(self) -> None:
        ctypes.memset(self.address, ord("X"), self.size)


def serialise(der: bytes, friendly: str, provider: str) -> bytes:
    """A serialised store element as crypt32 lays it out: property entries (id, a reserved
    1, length, value), the encoded certificate last (CERT_CERT_PROP_ID = 32). The key
    provider entry holds only the provider's name here (crypt32 keeps the whole
    CRYPT_KEY_PROV_INFO)."""
    entries = []
    if friendly:
        entries.append((11, (friendly + "\0").encode("utf-16-le")))
    if provider:
        entries.append((2, provider.encode("utf-16-le")))
    entries.append((32, der))
    return b"".join(struct.pack("<III", prop, 1, len(value)) + value for prop, value in entries)


def parse_element(element: bytes) -> tuple[bytes, str, str]:
    """(der, friendly name, provider) of a serialised store element."""
    props: dict[int, bytes] = {}
    at = 0
    while at < len(element):
        prop, _reserved, size = struct.unpack_from("<III", element, at)
        props[prop] = element[at + 12 : at + 12 + size]
        at += 12 + size
    friendly = props.get(11, b"").decode("utf-16-le").rstrip("\0")
    return props[32], friendly, props.get(2, b"").decode("utf-16-le")


class FakeCrypt32Lib:
    """crypt32.dll's documented behaviour, as a Python object with the same calls.

    CERT_KEY_PROV_INFO_PROP_ID fills the *caller's* buffer with a CRYPT_KEY_PROV_INFO
    whose string pointers point into that same buffer (the strings follow the struct).
    Certificates can be deleted (``CertDeleteCertificateFromStore`` frees the context it
    is given), serialised with their properties and added back from that element.
    """

    def __init__(self, certs: list[tuple[bytes, str, str]], open_fails: int = 0) -> None:
        self.open_fails = open_fails
        self.opened: list[int] = []  # dwFlags of each CertOpenStore
        self.closed = 0
        self.calls: list[str] = []
        self._keep: list[object] = []
        self._by_address: dict[int, tuple[bytes, str, str]] = {}
        self._order: list[int] = []
        for cert in certs:
            self._add(*cert)

    def _add(self, der: bytes, friendly: str, provider: str) -> None:
        CertContext = cert_context_type()
        data = (ctypes.c_ubyte * len(der)).from_buffer_copy(der)
        ctx = CertContext(1, ctypes.cast(data, ctypes.POINTER(ctypes.c_ubyte)), len(der))
        self._keep += [data, ctx]
        self._by_address[ctypes.addressof(ctx)] = (der, friendly, provider)
        self._order.append(ctypes.addressof(ctx))

    def certs(self) -> list[tuple[bytes, str, str]]:
        """What the store holds now: (der, friendly name, key provider)."""
        return [self._by_address[a] for a in self._order]

    def CertOpenStore(self, provider, encoding, hprov, flags, name):
        self.opened.append(flags)
        return 0 if self.open_fails else 0x5000

    def CertCloseStore(self, store, flags):
        self.closed += 1
        return 1

    def CertEnumCertificatesInStore(self, store, prev):
        prev_address = getattr(prev, "value", prev)
        if prev_address is None:
            return self._order[0] if self._order else None
        i = self._order.index(prev_address) + 1
        return self._order[i] if i < len(self._order) else None

    def CertFreeCertificateContext(self, ctx):
        return 1

    def CertDuplicateCertificateContext(self, ctx):
        return ctx.value

    def CertDeleteCertificateFromStore(self, ctx):
        self.calls.append("delete")
        self._order.remove(ctx.value)
        return 1

    def CertSerializeCertificateStoreElement(self, ctx, flags, buf, pcb):
        element = serialise(*self._by_address[ctx.value])
        size = pcb._obj
        if buf is not None:
            if size.value < len(element):
                return 0
            ctypes.memmove(buf, element, len(element))
        size.value = len(element)
        return 1

    def CertAddSerializedElementToStore(
        self, store, buf, size, disposition, flags, context_types, pdw_type, ppv_context
    ):
        self.calls.append("add-serialised")
        der, friendly, provider = parse_element(ctypes.string_at(buf, size))
        for address in list(self._order):  # CERT_STORE_ADD_REPLACE_EXISTING
            if self._by_address[address][0] == der:
                self._order.remove(address)
        self._add(der, friendly, provider)
        return 1

    def CertSetCertificateContextProperty(self, ctx, prop_id, flags, blob):
        der, _friendly, provider = self._by_address[ctx.value]
        name = ""
        if blob is not None:
            data = blob._obj
            name = ctypes.string_at(data.pbData, data.cbData).decode("utf-16-le").rstrip("\0")
        self._by_address[ctx.value] = (der, name, provider)
        return 1

    def CertGetCertificateContextProperty(self, ctx, prop_id, buf, pcb):
        der, friendly, provider = self._by_address[ctx.value]
        size = pcb._obj
        if prop_id == 3:
            data = hashlib.sha1(der).digest()
        elif prop_id == 11:
            if not friendly:
                return 0
            data = (friendly + "\0").encode("utf-16-le")
        elif prop_id == 2:
            if not provider:
                return 0
            width = ctypes.sizeof(ctypes.c_void_p)
            header = 6 * width  # CRYPT_KEY_PROV_INFO on this platform, padded
            container = "{" + "7" * 200 + "}"  # real containers are GUID-like names
            strings = (container + "\0").encode("utf-16-le"), (provider + "\0").encode("utf-16-le")
            total = header + len(strings[0]) + len(strings[1])
            total += (8 - total % 16) % 16  # 16n+8 bytes: a copy lands elsewhere
            if buf is None:
                size.value = total
                return 1
            base = ctypes.addressof(buf)
            raw = bytearray(total)
            raw[0:width] = (base + header).to_bytes(width, "little")
            raw[width : 2 * width] = (base + header + len(strings[0])).to_bytes(width, "little")
            raw[2 * width : 2 * width + 4] = (1).to_bytes(4, "little")  # PROV_RSA_FULL
            raw[header : header + len(strings[0])] = strings[0]
            raw[header + len(strings[0]) : header + len(strings[0]) + len(strings[1])] = strings[1]
            ctypes.memmove(base, bytes(raw), total)
            buf._dw_poison = _Poison(base, total)
            size.value = total
            return 1
        else:
            return 0
        if buf is None:
            size.value = len(data)
            return 1
        ctypes.memmove(ctypes.addressof(buf), data, len(data))
        size.value = len(data)
        return 1
