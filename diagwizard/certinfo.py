"""Read what matters about a card certificate, with ``cryptography``.

``analyse`` never raises for bad input: a certificate that does not parse gives
``CertInfo(ok=False, problem=...)``. Which CA issued it is looked up in the KB.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, field

OID_SDA = "2.5.29.9"
OID_ID_LAST4 = "2.16.886.1.100.2.51"
OID_CARD_ROLE = "2.16.886.1.100.2.2"
SIGN_IDS = {"5349474e": "sign", "4b455958": "encrypt"}  # CKA_ID "SIGN" / "KEYX"


@dataclass
class CertInfo:
    ok: bool
    problem: str = ""
    subject: str = ""
    subject_cn: str = ""
    issuer: str = ""
    issuer_cn: str = ""
    ca: str = ""  # MOICA, MOEACA, GCA, XCA, or "" (not a government CA)
    generation: str = ""
    serial: str = ""
    not_before: str = ""
    not_after: str = ""
    validity: str = ""  # valid | expired | not_yet_valid | expiring
    days_left: int = 0
    key_usage: list[str] = field(default_factory=list)
    eku: list[str] = field(default_factory=list)
    purpose: str = ""  # sign | encrypt | ""
    card_role: str = ""  # primary | secondary | "" (unknown)
    id_last4: str = ""


def _rdn_values(name: object, oid: object) -> list[str]:
    return [str(a.value) for a in name.get_attributes_for_oid(oid)]  # type: ignore[attr-defined]


def _sda_values(cert: object) -> dict[str, str]:
    """Subject Directory Attributes, as raw printable strings per attribute OID."""
    from cryptography import x509

    try:
        ext = cert.extensions.get_extension_for_oid(x509.ObjectIdentifier(OID_SDA))  # type: ignore[attr-defined]
    except (x509.ExtensionNotFound, ValueError):
        return {}
    return _parse_sda(ext.value.value)


def _parse_sda(der: bytes) -> dict[str, str]:
    """Minimal DER walk: SEQUENCE OF SEQUENCE { OID, SET OF value }."""
    out: dict[str, str] = {}

    def read(buf: bytes, pos: int) -> tuple[int, bytes, int]:
        tag = buf[pos]
        length = buf[pos + 1]
        pos += 2
        if length & 0x80:
            n = length & 0x7F
            length = int.from_bytes(buf[pos : pos + n], "big")
            pos += n
        return tag, buf[pos : pos + length], pos + length

    try:
        _, seq, _ = read(der, 0)
        pos = 0
        while pos < len(seq):
            _, attr, pos = read(seq, pos)
            _, oid_raw, apos = read(attr, 0)
            _, values, _ = read(attr, apos)
            _, value, _ = read(values, 0) if values else (0, b"", 0)
            out[_oid_text(oid_raw)] = value.decode("utf-8", "replace")
    except (IndexError, ValueError):
        return out
    return out


def _oid_text(raw: bytes) -> str:
    if not raw:
        return ""
    parts = [raw[0] // 40, raw[0] % 40]
    value = 0
    for b in raw[1:]:
        value = (value << 7) | (b & 0x7F)
        if not b & 0x80:
            parts.append(value)
            value = 0
    return ".".join(str(p) for p in parts)


def analyse(
    der_b64: str, *, cka_id_hex: str = "", now: dt.datetime | None = None, warn_days: int = 30
) -> CertInfo:
    from cryptography import x509
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    from diagwizard.kb.components import components

    try:
        der = base64.b64decode(der_b64, validate=True)
        cert = x509.load_der_x509_certificate(der)
        subject, issuer = cert.subject, cert.issuer
        info = CertInfo(
            ok=True,
            subject=subject.rfc4514_string(),
            subject_cn=", ".join(_rdn_values(subject, NameOID.COMMON_NAME)),
            issuer=issuer.rfc4514_string(),
            issuer_cn=", ".join(_rdn_values(issuer, NameOID.COMMON_NAME)),
            serial=f"{cert.serial_number:X}",
        )
        not_before, not_after = cert.not_valid_before_utc, cert.not_valid_after_utc
    except Exception as exc:  # any malformed input: base64, DER, or field encodings
        return CertInfo(ok=False, problem=f"{type(exc).__name__}: {exc}"[:200])

    now = now or dt.datetime.now(dt.UTC)
    info.not_before, info.not_after = not_before.isoformat(), not_after.isoformat()
    info.days_left = (not_after - now).days
    if now < not_before:
        info.validity = "not_yet_valid"
    elif now > not_after:
        info.validity = "expired"
    elif not_after - now <= dt.timedelta(days=warn_days):
        info.validity = "expiring"
    else:
        info.validity = "valid"

    issuer_names = _rdn_values(issuer, NameOID.ORGANIZATIONAL_UNIT_NAME) + _rdn_values(
        issuer, NameOID.COMMON_NAME
    )
    ca = components().ca_for(issuer_names)
    if ca is not None:
        info.ca = ca.id
        try:
            aki = cert.extensions.get_extension_for_class(
                x509.AuthorityKeyIdentifier
            ).value.key_identifier
            info.generation = ca.generation(aki or b"")
        except (x509.ExtensionNotFound, ValueError):
            pass
    try:
        ku = cert.extensions.get_extension_for_class(x509.KeyUsage).value
        for name in (
            "digital_signature",
            "content_commitment",
            "key_encipherment",
            "data_encipherment",
            "key_agreement",
        ):
            if getattr(ku, name):
                info.key_usage.append(name)
    except (x509.ExtensionNotFound, ValueError):
        pass
    try:
        eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        names = {
            ExtendedKeyUsageOID.CLIENT_AUTH: "clientAuth",
            ExtendedKeyUsageOID.EMAIL_PROTECTION: "emailProtection",
        }
        info.eku = [names.get(o, o.dotted_string) for o in eku]
    except (x509.ExtensionNotFound, ValueError):
        pass
    info.purpose = SIGN_IDS.get(cka_id_hex.lower(), "")
    if not info.purpose:
        if "key_encipherment" in info.key_usage and "digital_signature" not in info.key_usage:
            info.purpose = "encrypt"
        elif "digital_signature" in info.key_usage:
            info.purpose = "sign"
    sda = _sda_values(cert)
    info.id_last4 = sda.get(OID_ID_LAST4, "")
    role = sda.get(OID_CARD_ROLE, "").strip().lower()
    if role:
        info.card_role = "secondary" if role in ("2", "secondary", "附卡", "副卡") else "primary"
    return info
