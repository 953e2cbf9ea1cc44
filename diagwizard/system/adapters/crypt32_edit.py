"""Removing and restoring certificates in CurrentUser\\MY through crypt32 (Windows only).

Used only by the consented "remove old copies" fix. A certificate is removed as its
*serialised store element* (``CertSerializeCertificateStoreElement``): the encoded
certificate with every property the store keeps beside it, among them the friendly name
and the key-provider information that binds it to the card's key. The fix log keeps
that element, and undo adds it back whole (``CertAddSerializedElementToStore``), so the
certificate returns still bound to the card.
"""

from __future__ import annotations

import base64
import ctypes
import hashlib
from typing import Any

from diagwizard.system.adapters import winapi
from diagwizard.system.adapters.certstore import Crypt32Store


class Crypt32Editor:
    CERT_STORE_ADD_REPLACE_EXISTING = 3
    CERT_STORE_CERTIFICATE_CONTEXT_FLAG = 1 << 1  # 1 << CERT_STORE_CERTIFICATE_CONTEXT
    X509_ASN_ENCODING = 0x1 | 0x10000  # X509_ASN_ENCODING | PKCS_7_ASN_ENCODING

    def __init__(self, store: Crypt32Store | None = None) -> None:
        self._store = store or Crypt32Store()

    def _error(self, call: str) -> OSError:
        return winapi.windows_error(self._store._last_error(), call)

    def _find(self, crypt32: Any, store: Any, thumbprint: str) -> Any:
        ctx = crypt32.CertEnumCertificatesInStore(store, None)
        while ctx:
            sha1 = self._store._prop(crypt32, ctx, Crypt32Store.CERT_SHA1_HASH_PROP_ID)
            if sha1.hex().upper() == thumbprint.upper():
                return ctx
            ctx = crypt32.CertEnumCertificatesInStore(store, ctypes.c_void_p(ctx))
        raise LookupError(f"certificate {thumbprint} is not in CurrentUser\\MY")

    @staticmethod
    def _serialise(crypt32: Any, ctx: Any) -> bytes:
        size = ctypes.c_uint32(0)
        if not crypt32.CertSerializeCertificateStoreElement(
            ctypes.c_void_p(ctx), 0, None, ctypes.byref(size)
        ):
            raise OSError("CertSerializeCertificateStoreElement failed")
        buf = ctypes.create_string_buffer(size.value)
        if not crypt32.CertSerializeCertificateStoreElement(
            ctypes.c_void_p(ctx), 0, buf, ctypes.byref(size)
        ):
            raise OSError("CertSerializeCertificateStoreElement failed")
        return buf.raw[: size.value]

    def delete(self, thumbprint: str) -> str:
        """Remove the certificate; return its serialised store element (base64), which
        :meth:`restore` puts back with all its properties."""
        with self._store.opened() as (crypt32, store):
            ctx = self._find(crypt32, store, thumbprint)
            try:
                element = self._serialise(crypt32, ctx)
                # CertDeleteCertificateFromStore frees the context it is given, also on
                # failure; the duplicate keeps ours valid for the enumeration's own free.
                dup = crypt32.CertDuplicateCertificateContext(ctypes.c_void_p(ctx))
            finally:
                crypt32.CertFreeCertificateContext(ctypes.c_void_p(ctx))
            if not crypt32.CertDeleteCertificateFromStore(ctypes.c_void_p(dup)):
                raise self._error("CertDeleteCertificateFromStore")
        return base64.b64encode(element).decode()

    def restore(self, element_b64: str) -> None:
        """Add a serialised store element back, properties (key link, name) and all."""
        element = base64.b64decode(element_b64)
        with self._store.opened() as (crypt32, store):
            buf = ctypes.create_string_buffer(element, len(element))
            if not crypt32.CertAddSerializedElementToStore(
                ctypes.c_void_p(store),
                buf,
                len(element),
                self.CERT_STORE_ADD_REPLACE_EXISTING,
                0,
                self.CERT_STORE_CERTIFICATE_CONTEXT_FLAG,
                None,
                None,
            ):
                raise self._error("CertAddSerializedElementToStore")

    def clear_friendly_name(self, thumbprint: str) -> None:
        """Remove the property (a NULL value), so the dialog shows the subject name again."""
        with self._store.opened() as (crypt32, store):
            ctx = self._find(crypt32, store, thumbprint)
            try:
                if not crypt32.CertSetCertificateContextProperty(
                    ctypes.c_void_p(ctx), Crypt32Store.CERT_FRIENDLY_NAME_PROP_ID, 0, None
                ):
                    raise self._error("CertSetCertificateContextProperty")
            finally:
                crypt32.CertFreeCertificateContext(ctypes.c_void_p(ctx))

    def add(self, der_b64: str, friendly_name: str = "") -> None:
        """The undo of a removal logged by an older version, which kept only the
        certificate and its name: it comes back without its key link."""
        der = base64.b64decode(der_b64)
        with self._store.opened() as (crypt32, store):
            buf = ctypes.create_string_buffer(der, len(der))
            if not crypt32.CertAddEncodedCertificateToStore(
                ctypes.c_void_p(store),
                self.X509_ASN_ENCODING,
                buf,
                len(der),
                self.CERT_STORE_ADD_REPLACE_EXISTING,
                None,
            ):
                raise self._error("CertAddEncodedCertificateToStore")
        if friendly_name:
            self._store.set_friendly_name(hashlib.sha1(der).hexdigest().upper(), friendly_name)
