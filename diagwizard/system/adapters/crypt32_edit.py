"""Removing and restoring certificates in CurrentUser\\MY through crypt32 (Windows only).

Used only by the consented "remove old copies" fix; the removed certificate is kept in
the fix log so that undo can put it back.
"""

from __future__ import annotations

import base64
import ctypes
import hashlib
from typing import Any

from diagwizard.system.adapters.certstore import Crypt32Store


class Crypt32Editor:
    CERT_STORE_ADD_REPLACE_EXISTING = 3
    X509_ASN_ENCODING = 0x1 | 0x10000  # X509_ASN_ENCODING | PKCS_7_ASN_ENCODING

    def __init__(self) -> None:
        self._store = Crypt32Store()

    def _find(self, crypt32: Any, store: Any, thumbprint: str) -> Any:
        ctx = crypt32.CertEnumCertificatesInStore(store, None)
        while ctx:
            sha1 = self._store._prop(crypt32, ctx, Crypt32Store.CERT_SHA1_HASH_PROP_ID)
            if sha1.hex().upper() == thumbprint.upper():
                return ctx
            ctx = crypt32.CertEnumCertificatesInStore(store, ctypes.c_void_p(ctx))
        raise LookupError(f"certificate {thumbprint} is not in CurrentUser\\MY")

    def delete(self, thumbprint: str) -> None:
        crypt32, store = self._store._open()
        try:
            ctx = self._find(crypt32, store, thumbprint)
            # CertDeleteCertificateFromStore frees the context, also on failure.
            dup = crypt32.CertDuplicateCertificateContext(ctypes.c_void_p(ctx))
            if not crypt32.CertDeleteCertificateFromStore(ctypes.c_void_p(dup)):
                raise OSError("CertDeleteCertificateFromStore failed")
        finally:
            crypt32.CertCloseStore(ctypes.c_void_p(store), 0)

    def clear_friendly_name(self, thumbprint: str) -> None:
        """Remove the property (a NULL value), so the dialog shows the subject name again."""
        crypt32, store = self._store._open()
        try:
            ctx = self._find(crypt32, store, thumbprint)
            if not crypt32.CertSetCertificateContextProperty(
                ctypes.c_void_p(ctx), Crypt32Store.CERT_FRIENDLY_NAME_PROP_ID, 0, None
            ):
                raise OSError("CertSetCertificateContextProperty failed")
            crypt32.CertFreeCertificateContext(ctypes.c_void_p(ctx))
        finally:
            crypt32.CertCloseStore(ctypes.c_void_p(store), 0)

    def add(self, der_b64: str, friendly_name: str = "") -> None:
        der = base64.b64decode(der_b64)
        crypt32, store = self._store._open()
        try:
            buf = ctypes.create_string_buffer(der, len(der))
            if not crypt32.CertAddEncodedCertificateToStore(
                ctypes.c_void_p(store),
                self.X509_ASN_ENCODING,
                buf,
                len(der),
                self.CERT_STORE_ADD_REPLACE_EXISTING,
                None,
            ):
                raise OSError("CertAddEncodedCertificateToStore failed")
        finally:
            crypt32.CertCloseStore(ctypes.c_void_p(store), 0)
        if friendly_name:
            self._store.set_friendly_name(hashlib.sha1(der).hexdigest().upper(), friendly_name)
