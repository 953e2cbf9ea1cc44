"""A recorded Windows CurrentUser\\MY store behind the same StoreBackend the crypt32
adapter implements: certificates, friendly names and key providers."""

from __future__ import annotations

from dataclasses import replace

from diagwizard.adapters.certstore import StoreCert

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
