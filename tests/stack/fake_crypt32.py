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
