"""A recorded Windows CurrentUser\\MY store behind the same StoreBackend the crypt32
adapter implements: certificates, friendly names and key providers."""

from __future__ import annotations

import ctypes
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
    def delete(self, thumbprint: str) -> None:
        before = len(self.certs)
        self.certs = [c for c in self.certs if c.thumbprint != thumbprint]
        if len(self.certs) == before:
            raise LookupError(thumbprint)
        self.writes.append((thumbprint, "<deleted>"))

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


class FakeCrypt32Lib:
    """crypt32.dll's documented behaviour, as a Python object with the same calls.

    CERT_KEY_PROV_INFO_PROP_ID fills the *caller's* buffer with a CRYPT_KEY_PROV_INFO
    whose string pointers point into that same buffer (the strings follow the struct).
    """

    def __init__(self, certs: list[tuple[bytes, str, str]], open_fails: int = 0) -> None:
        CertContext = cert_context_type()
        self.open_fails = open_fails
        self.opened: list[int] = []  # dwFlags of each CertOpenStore
        self.closed = 0
        self._keep: list[object] = []
        self._by_address: dict[int, tuple[bytes, str, str]] = {}
        self._order: list[int] = []
        for der, friendly, provider in certs:
            data = (ctypes.c_ubyte * len(der)).from_buffer_copy(der)
            ctx = CertContext(1, ctypes.cast(data, ctypes.POINTER(ctypes.c_ubyte)), len(der))
            self._keep += [data, ctx]
            self._by_address[ctypes.addressof(ctx)] = (der, friendly, provider)
            self._order.append(ctypes.addressof(ctx))

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

    def CertGetCertificateContextProperty(self, ctx, prop_id, buf, pcb):
        _der, friendly, provider = self._by_address[ctx.value]
        size = pcb._obj
        if prop_id == 11:
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
